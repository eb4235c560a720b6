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
    return _Rules(
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


def _infer_year(month: int, pub: dt.date | None) -> int | None:
    """A day and month without a year: the publication year, or the one before near New Year."""
    if pub is None:
        return None
    if month - pub.month > 6:  # "28 dicembre" in a January article
        return pub.year - 1
    return pub.year


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def find_dates(text: str, lang: str, pub_date: str | None) -> list[tuple[int, int, str | None, str, str]]:
    """(start, end, value, precision, basis) for every time expression, leftmost-longest."""
    r = _rules(lang)
    pub = _parse_pub(pub_date)
    found: list[tuple[int, int, str | None, str, str]] = []
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

    for mt in r.iso.finditer(text):
        y, mo, d = int(mt[1]), int(mt[2]), int(mt[3])
        if _valid(y, mo, d):
            add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", "explicit")
    for mt in r.full.finditer(text):
        d, mo = int(mt[1]), r.months[mt[2].casefold()]
        if mt[3]:
            y, basis = int(mt[3]), "explicit"
        else:
            yy = _infer_year(mo, pub)
            if yy is None:
                continue
            y, basis = yy, "relative"
        if _valid(y, mo, d):
            add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", basis)
    if r.md_en is not None:
        for mt in r.md_en.finditer(text):
            mo, d = r.months[mt[1].casefold()], int(mt[2])
            if mt[3]:
                y, basis = int(mt[3]), "explicit"
            else:
                yy = _infer_year(mo, pub)
                if yy is None:
                    continue
                y, basis = yy, "relative"
            if _valid(y, mo, d):
                add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", basis)
    for mt in r.month_year.finditer(text):
        mo, y = r.months[mt[1].casefold()], int(mt[2])
        add(mt.start(), mt.end(), f"{y:04d}-{mo:02d}-01", "month", "explicit")
    for mt in r.year.finditer(text):
        marker = text[mt.start() : mt.start(1)].strip().casefold()
        if marker.split()[0] in r.since_words:
            continue  # "dal 2000", "since 2019": a range start, not the event's period
        add(mt.start(1), mt.end(1), f"{int(mt[1]):04d}-01-01", "year", "explicit")
    if pub is not None:
        if r.rel_day is not None:
            for mt in r.rel_day.finditer(text):
                off = r.rel_days[mt[1].casefold()]
                add(mt.start(), mt.end(), (pub + dt.timedelta(days=off)).isoformat(), "day", "relative")
        if r.rel_period is not None:
            for mt in r.rel_period.finditer(text):
                unit, off = r.rel_periods[mt[1].casefold()]
                add(mt.start(), mt.end(), _shift(pub, unit, off), unit, "relative")
        if r.weekday is not None:
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


class DateStage:
    name = "dates"
    requires = ("sentences",)
    assigns = ("dates",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        out = []
        for s, e, value, prec, basis in find_dates(doc.text, doc.lang, doc.pub_date):
            out.append(DateRef(start=s, end=e, value=value, precision=prec, basis=basis,
                               sentence=doc.sentence_of(s), text=doc.text[s:e]))
        doc.dates = out
