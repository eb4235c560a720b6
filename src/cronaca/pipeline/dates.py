"""Time expressions resolved to periods, with precision and basis.

Rules over the language pack's calendar words: explicit dates ("25 dicembre 2025",
"June 19, 2024", "am 19. Juni 2024"), month and year periods ("nel giugno del
2024", "nel 2024"), and expressions relative to the publication date ("ieri",
"la scorsa settimana", "martedì scorso"). A relative expression without a
publication date stays unresolved rather than being guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from ..lang import pack
from ..model import DateRef, Document

_YEAR = r"(1[89]\d\d|20\d\d|2100)"
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/.]\d)")
_YEAR_RANGE = re.compile(r"\b(19\d\d|20\d\d)\s*[-–/]\s*(19\d\d|20\d\d|\d\d)\b")
_CENTURY = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+[Cc]entury\b")
_BARE_YEAR = re.compile(r"(?<![\d$€£#.,/-])\b(19\d\d|20\d\d)\b(?![\d.,/-]\d)")


@dataclass(frozen=True)
class _Rules:
    full: re.Pattern[str]  # day month [year]
    md_en: re.Pattern[str] | None  # Month day[, year] (English)
    month_year: re.Pattern[str]
    year: re.Pattern[str]
    iso: re.Pattern[str]
    rel_day: re.Pattern[str] | None
    rel_period: re.Pattern[str] | None
    weekday: re.Pattern[str] | None
    months: dict[str, int]
    weekdays: dict[str, int]
    rel_days: dict[str, int]
    rel_periods: dict[str, tuple[str, int]]
    past_marks: frozenset[str]
    next_marks: frozenset[str]
    since_words: frozenset[str]
    present: re.Pattern[str] | None
    ago: re.Pattern[str] | None
    ago_units: dict[str, str]
    numbers: dict[str, int]
    season: re.Pattern[str] | None
    seasons: dict[str, str]
    future: re.Pattern[str] | None
    past_ref: re.Pattern[str] | None
    month_range: re.Pattern[str] | None



#: season words that are also common verb forms (French "été" = "been")
_AUX_LIKE = frozenset({"été"})

def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _rules(lang: str) -> _Rules:
    p = pack(lang)
    months = {k.casefold(): int(v) for k, v in p.data.get("months", {}).items()}
    weekdays = {k.casefold(): int(v) for k, v in p.data.get("weekdays", {}).items()}
    rel_days = {k.casefold(): int(v) for k, v in p.data.get("relative_days", {}).items()}
    rel_periods = {k.casefold(): (v[0], int(v[1])) for k, v in p.data.get("relative_periods", {}).items()}
    m = _alt(list(months))
    year_markers = _alt(p.data.get("year_markers", []))
    flags = re.IGNORECASE | re.UNICODE
    full = re.compile(
        rf"\b(\d{{1,2}})(?:°|º|\.|st|nd|rd|th|er)?\s+(?:de\s+)?({m})\b(?:,?\s+(?:de\s+|del\s+|of\s+)?{_YEAR}\b)?",
        flags,
    )
    md_en = (
        re.compile(rf"\b({m})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?", flags)
        if lang == "en"
        else None
    )
    month_year = re.compile(rf"\b({m})\s+(?:de\s+|del\s+|dell'|of\s+)?{_YEAR}\b", flags)
    year = re.compile(rf"(?:\b(?:{year_markers})\s+){_YEAR}\b(?![.,]\d)", flags) if year_markers else re.compile(r"(?!x)x")
    iso = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
    rel_day = re.compile(rf"(?<!\w)({_alt(list(rel_days))})(?!\w)", flags) if rel_days else None
    rel_period = re.compile(rf"(?<!\w)({_alt(list(rel_periods))})(?!\w)", flags) if rel_periods else None
    marks = list(p.data.get("past_marks", [])) + list(p.data.get("next_marks", []))
    weekday = (
        re.compile(rf"(?<!\w)({_alt(list(weekdays))})(?:\s+({_alt(marks)}))?(?!\w)", flags)
        if weekdays
        else None
    )
    present_words = [str(w) for w in p.data.get("present_words", [])]
    present = re.compile(rf"(?<!\w)({_alt(present_words)})(?!\w)", flags) if present_words else None
    ago_units = {str(k).casefold(): str(v) for k, v in p.data.get("ago_units", {}).items()}
    numbers = {str(k).casefold(): int(v) for k, v in p.data.get("number_words", {}).items()
               if isinstance(v, int) and v < 1000}
    ago = None
    if ago_units and p.data.get("ago_patterns"):
        num = rf"(\d{{1,3}}|{_alt(list(numbers))})" if numbers else r"(\d{1,3})"
        alts = []
        for pat in p.data["ago_patterns"]:
            alts.append(re.escape(pat).replace(r"\{n\}", num).replace(r"\{unit\}", rf"({_alt(list(ago_units))})"))
        ago = re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)", flags)
    seasons = {str(k).casefold(): str(v) for k, v in p.data.get("seasons", {}).items()}
    season = (re.compile(rf"(?<!\w)(?:({_alt(marks)})\s+)?({_alt(list(seasons))})(?:\s+(?:of\s+|del\s+|de\s+|di\s+)?{_YEAR})?(?!\w)", flags)
              if seasons else None)
    fut = [str(w) for w in p.data.get("future_date_cues", [])]
    future = re.compile(rf"(?<!\w)({_alt(fut)})(?!\w)", flags) if fut else None
    pref = [str(w) for w in p.data.get("past_ref_words", [])]
    past_ref = re.compile(rf"(?<!\w)({_alt(pref)})(?!\w)", flags) if pref else None
    rw = p.data.get("range_words") or {}
    month_range = None
    if rw and months:
        month_range = re.compile(
            rf"(?<!\w)(?:{_alt(rw.get('start', []))})\s+({m})\s+(?:{_alt(rw.get('join', []))})\s+({m})"
            rf"(?:\s+(?:de\s+|del\s+|of\s+)?{_YEAR})?(?!\w)", flags)
    return _Rules(
        future=future, past_ref=past_ref, month_range=month_range,
        present=present, ago=ago, ago_units=ago_units, numbers=numbers, season=season, seasons=seasons,
        full=full, md_en=md_en, month_year=month_year, year=year, iso=iso, rel_day=rel_day,
        rel_period=rel_period, weekday=weekday, months=months, weekdays=weekdays,
        rel_days=rel_days, rel_periods=rel_periods,
        past_marks=frozenset(x.casefold() for x in p.data.get("past_marks", [])),
        next_marks=frozenset(x.casefold() for x in p.data.get("next_marks", [])),
        since_words=frozenset(x.casefold() for x in p.data.get("since_words", [])),
    )


def _parse_pub(pub: str | None) -> dt.date | None:
    if not pub:
        return None
    try:
        return dt.date.fromisoformat(pub[:10])
    except ValueError:
        return None


def _infer_year(month: int, pub: dt.date | None, future: bool = False) -> int | None:
    """A day and month without a year. News reports the past: a month later in the year than
    the publication is last year's ("in August", read in March), unless the sentence speaks of
    the future ("will", "entro", "previsto"); near New Year a late month is last year's."""
    if pub is None:
        return None
    if month > pub.month and not future:
        return pub.year - 1
    if month - pub.month > 6:
        return pub.year - 1
    return pub.year


def _sentence_around(text: str, s: int, e: int) -> str:
    a = max(text.rfind(".", 0, s), text.rfind("\n", 0, s), s - 200)
    b_candidates = [x for x in (text.find(".", e), text.find("\n", e)) if x >= 0]
    b = min([*b_candidates, e + 200])
    return text[a + 1 : b]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


@cache
def _keywords(lang: str) -> dict[str, tuple[str, ...]]:
    """Words whose absence lets a pattern be skipped outright (most articles hold few)."""
    r = _rules(lang)
    first = lambda keys: tuple(sorted({str(k).casefold().split()[0] for k in keys}))  # noqa: E731
    return {
        "months": first(r.months), "weekdays": first(r.weekdays), "rel_days": first(r.rel_days),
        "rel_periods": tuple(sorted({w for k in r.rel_periods for w in k.split()[-1:]})),
        "ago": first(r.ago_units), "seasons": first(r.seasons),
    }


def _has(low: str, words: tuple[str, ...]) -> bool:
    return any(w in low for w in words)


def find_dates(text: str, lang: str, pub_date: str | None) -> list[tuple[int, int, str | None, str, str]]:
    """(start, end, value, precision, basis) for every time expression, leftmost-longest."""
    r = _rules(lang)
    pub = _parse_pub(pub_date)
    low = text.casefold()
    kw = _keywords(lang)
    has_month = _has(low, kw["months"])
    found: list[tuple[int, int, str | None, str, str]] = []

    def fut(mt: re.Match[str]) -> bool:
        return r.future is not None and bool(r.future.search(_sentence_around(text, mt.start(), mt.end())))

    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, value: str | None, prec: str, basis: str) -> None:
        if any(s < te and ts < e for ts, te in taken):
            return
        before = text[max(0, s - 12) : s].casefold().split()
        if (before and before[-1] in r.since_words) or (before[-2:-1] and before[-2] in r.since_words \
                and before[-1] in ("il", "l'", "le", "la", "el", "the", "dem", "de")):
            taken.append((s, e))
            return  # "dal 12 marzo", "since June 2024": the start of a range, not the event's time
        taken.append((s, e))
        found.append((s, e, value, prec, basis))

    if "/" in text or "." in text:
        for mt in _NUMERIC.finditer(text):  # "25/10/12", "25.10.2012": day first, as in Europe
            d, mo, y = int(mt[1]), int(mt[2]), int(mt[3])
            y = y + (2000 if y < 50 else 1900) if y < 100 else y
            if lang == "en" and mo > 12 and d <= 12:
                d, mo = mo, d  # American order
            if _valid(y, mo, d):
                add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", "explicit")
            elif 1900 <= y <= 2100:
                add(mt.start(), mt.end(), f"{y:04d}-01-01", "year", "explicit")  # "25/0/12": the year holds
    for mt in (r.iso.finditer(text) if "-" in text else ()):
        y, mo, d = int(mt[1]), int(mt[2]), int(mt[3])
        if _valid(y, mo, d):
            add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", "explicit")
    if r.month_range is not None and has_month:
        # "tra marzo e maggio 2024", "between March and May": the period that holds the range
        for mt in r.month_range.finditer(text):
            m1, m2 = r.months[mt[1].casefold()], r.months[mt[2].casefold()]
            ry = int(mt[3]) if mt[3] else _infer_year(max(m1, m2), pub, fut(mt))
            if ry is None:
                continue
            y = ry
            if m1 == m2:
                add(mt.start(), mt.end(), f"{y:04d}-{m1:02d}-01", "month", "explicit" if mt[3] else "relative")
            elif m1 < m2:
                add(mt.start(), mt.end(), f"{y:04d}-01-01", "year", "explicit" if mt[3] else "relative")
    for mt in (r.full.finditer(text) if has_month else ()):
        d, mo = int(mt[1]), r.months[mt[2].casefold()]
        if mt[3]:
            y, basis = int(mt[3]), "explicit"
        else:
            yy = _infer_year(mo, pub, fut(mt))
            if yy is None:
                continue
            y, basis = yy, "relative"
        if _valid(y, mo, d):
            add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", basis)
    if r.md_en is not None and has_month:
        for mt in r.md_en.finditer(text):
            mo, d = r.months[mt[1].casefold()], int(mt[2])
            if mt[3]:
                y, basis = int(mt[3]), "explicit"
            else:
                yy = _infer_year(mo, pub, fut(mt))
                if yy is None:
                    continue
                y, basis = yy, "relative"
            if _valid(y, mo, d):
                add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", basis)
    for mt in (r.month_year.finditer(text) if has_month else ()):
        mo, y = r.months[mt[1].casefold()], int(mt[2])
        add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-01", "month", "explicit")
    # seasons before bare years: "à l'automne 2024" is one date, not the year alone
    if r.season is not None and _has(low, kw["seasons"]):
        for mt in r.season.finditer(text):
            word = mt[2].casefold()
            if word in _AUX_LIKE and not mt[1] and not text[max(0, mt.start() - 4) : mt.start()].casefold().endswith(
                    ("l'", "l\u2019", "en ", "cet ", "d'", "d\u2019")):
                continue  # "avaient été envoyés": a participle, not the summer
            code = r.seasons[word]
            month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
            if mt[3]:
                y = int(mt[3])
            elif pub is not None:
                mark = (mt[1] or "").casefold()
                y = pub.year - (1 if mark in r.past_marks or (not mark and month > pub.month + 2) else 0)
                y += 1 if mark in r.next_marks else 0
            else:
                continue
            add(mt.start(), mt.end(), f"{y:04d}-{month:02d}-01", "season", "explicit" if mt[3] else "relative")
    for mt in r.year.finditer(text):
        marker = text[mt.start() : mt.start(1)].strip().casefold()
        if marker.split()[0] in r.since_words:
            continue  # "dal 2000", "since 2019": a range start, not the event's period
        add(mt.start(1), mt.end(1), f"{int(mt[1]):04d}-01-01", "year", "explicit")
    for mt in _YEAR_RANGE.finditer(text):  # "2009-2010", "1957-58": both ends are years
        y1 = int(mt[1])
        y2 = int(mt[2]) if len(mt[2]) == 4 else int(mt[1][:2] + mt[2])
        add(mt.start(1), mt.end(1), f"{y1:04d}-01-01", "year", "explicit")
        add(mt.start(2), mt.end(2), f"{y2:04d}-01-01", "year", "explicit")
    for mt in (_CENTURY.finditer(text) if "centur" in low else ()):
        add(mt.start(), mt.end(), f"{(int(mt[1]) - 1) * 100:04d}-01-01", "century", "explicit")
    if r.past_ref is not None:
        for mt in r.past_ref.finditer(text):
            add(mt.start(), mt.end(), None, "past", "relative")
    # a bare year ("in a 2010 raid", "since 2009") when nothing else claimed it
    for mt in _BARE_YEAR.finditer(text):
        y = int(mt[1])
        if pub is not None and y > pub.year + 10:
            continue
        after = text[mt.end() : mt.end() + 12].casefold()
        if re.match(r"\s*(%|per|euro|dollar|km|people|persone|soldat|troops|truppe|morti|metri|tonn)", after):
            continue
        add(mt.start(1), mt.end(1), f"{y:04d}-01-01", "year", "explicit")
    if pub is not None:
        if r.present is not None:
            for mt in r.present.finditer(text):
                add(mt.start(), mt.end(), pub.isoformat(), "present", "relative")
        if r.ago is not None and _has(low, kw["ago"]):
            for mt in r.ago.finditer(text):
                groups = [g for g in mt.groups() if g]
                n_raw, unit_raw = groups[0], groups[1]
                n = int(n_raw) if n_raw.isdigit() else r.numbers.get(n_raw.casefold(), 0)
                unit = r.ago_units.get(unit_raw.casefold())
                if not n or not unit:
                    continue
                if unit == "year":
                    add(mt.start(), mt.end(), f"{pub.year - n:04d}-01-01", "year", "relative")
                elif unit == "month":
                    add(mt.start(), mt.end(), _shift(pub, "month", -n), "month", "relative")
                elif unit == "week":
                    add(mt.start(), mt.end(), _shift(pub, "week", -n), "week", "relative")
                else:
                    add(mt.start(), mt.end(), (pub - dt.timedelta(days=n)).isoformat(), "day", "relative")
        if r.rel_day is not None and _has(low, kw["rel_days"]):
            for mt in r.rel_day.finditer(text):
                off = r.rel_days[mt[1].casefold()]
                add(mt.start(), mt.end(), (pub + dt.timedelta(days=off)).isoformat(), "day", "relative")
        if r.rel_period is not None and _has(low, kw["rel_periods"]):
            for mt in r.rel_period.finditer(text):
                unit, off = r.rel_periods[mt[1].casefold()]
                add(mt.start(), mt.end(), _shift(pub, unit, off), unit, "relative")
        if r.weekday is not None and _has(low, kw["weekdays"]):
            for mt in r.weekday.finditer(text):
                wd = r.weekdays[mt[1].casefold()]
                mark = (mt[2] or "").casefold()
                delta = (pub.weekday() - wd) % 7
                if mark in r.next_marks:
                    day = pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)
                else:  # news reports the past: the most recent such weekday
                    day = pub - dt.timedelta(days=delta or (7 if mark in r.past_marks else 0))
                add(mt.start(), mt.end(), day.isoformat(), "day", "relative")
    found.sort()
    return found


def _shift(pub: dt.date, unit: str, off: int) -> str:
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=off)
        return monday.isoformat()
    if unit == "month":
        y, m = pub.year, pub.month + off
        while m < 1:
            y, m = y - 1, m + 12
        while m > 12:
            y, m = y + 1, m - 12
        return f"{y:04d}-{m:02d}-01"
    return f"{pub.year + off:04d}-01-01"


def resolve_dates(text: str, lang: str, pub_date: str | None, *, duckling: bool = True,
                  spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str | None, str, str]]:
    """The rules' expressions, plus Duckling's where the rules found nothing (chosen by
    measurement on TempEval-3: see benchmarks/dates_eval.py).

    Duckling costs ~15 ms an article, so it runs only where it can add something: with a
    publication date (without one, the rules already take every expression that names its
    year), and only over `spans` (the sentences that hold an event) when given."""
    found = find_dates(text, lang, pub_date)
    if not duckling or not pub_date:
        return found
    from .duckdates import duckling_dates

    taken = [(s, e) for s, e, *_ in found]
    r = _rules(lang)

    def future(s: int, e: int) -> bool:
        return r.future is not None and bool(r.future.search(_sentence_around(text, s, e)))

    extra: list[tuple[int, int, str, str]] = []
    todo = spans if spans is not None else [(0, len(text))]
    if spans is not None:
        # only sentences the rules left undated and that hold a word of time at all
        cue = _time_cue(lang)
        todo = [(a, b) for a, b in spans
                if not any(a <= ts < b for ts, _ in taken) and cue.search(text, a, b)]
    for a, b in todo:
        extra.extend((s + a, e + a, v, pr) for s, e, v, pr in duckling_dates(text[a:b], lang, pub_date, None))
    for s, e, value, prec in extra:
        if prec in ("day", "month") and value and not re.search(r"\b(1[89]\d\d|20\d\d)\b", text[s:e]):
            # re-apply the past bias with the whole sentence in view
            value = _past_bias(value, prec, pub_date, future(s, e), text[s:e])
        if any(s < te and ts < e for ts, te in taken):
            continue
        surface = text[s:e].casefold().split()
        if surface and surface[0] in _rules(lang).since_words:
            continue
        basis = "explicit" if re.search(r"\b(1[89]\d\d|20\d\d)\b", text[s:e]) else "relative"
        found.append((s, e, value, prec, basis))
        taken.append((s, e))
    found.sort()
    return found


@cache
def _time_cue(lang: str) -> re.Pattern[str]:
    """Any word that can start a time expression Duckling knows and the rules may have missed."""
    p = pack(lang)
    words: list[str] = []
    for key in ("months", "weekdays", "relative_days"):
        words.extend(str(k) for k in p.data.get(key, {}))
    for key in ("past_marks", "next_marks"):
        words.extend(str(w) for w in p.data.get(key, []))
    return re.compile(rf"(?<!\w)(?:{_alt(sorted(set(words)))})(?!\w)", re.IGNORECASE)


def _past_bias(value: str, prec: str, pub_date: str, future: bool, surface: str) -> str:
    """Duckling resolves "in August" forward; in a past-tense sentence it is last August."""
    day = dt.date.fromisoformat(value[:10])
    pub = dt.date.fromisoformat(pub_date[:10])
    if day > pub + dt.timedelta(days=1) and not future and (day - pub).days > 7:
        try:
            return day.replace(year=day.year - 1).isoformat()
        except ValueError:  # 29 February
            return (day - dt.timedelta(days=365)).isoformat()
    return value


class DateStage:
    name = "dates"
    requires = ("sentences",)
    assigns = ("dates",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        out = []
        backend = getattr(config, "date_backend", "auto")
        # "auto": the Italian pack's own rules cover Italian news (ieri, martedì scorso, tre giorni
        # fa); Duckling fills the long tail of the other languages (TempEval-3: 0.77 -> 0.90)
        use_duckling = backend == "rules+duckling" or (backend == "auto" and doc.lang != "it")
        # Duckling only where an event may need a date: sentences with a trigger (when known)
        spans = None
        if doc.triggers or "triggers" in doc.done:
            with_trig = {t.sentence for t in doc.triggers}
            spans = [(x.start, x.end) for x in doc.sentences if x.index in with_trig]
        for s, e, value, prec, basis in resolve_dates(doc.text, doc.lang, doc.pub_date, duckling=use_duckling,
                                                      spans=spans):
            out.append(DateRef(start=s, end=e, value=value, precision=prec, basis=basis,
                               sentence=doc.sentence_of(s), text=doc.text[s:e]))
        doc.dates = out
