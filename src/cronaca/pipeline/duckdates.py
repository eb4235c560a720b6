"""Duckling (via `pyduckling-native-phihos`) as a second date recogniser.

cronaca's own rules handle what news needs most and what Duckling gets wrong for
news: partial dates and weekday names refer to the past of the publication date
("il 3 marzo", "lunedì" in a Saturday paper), and "dal 2022" opens a range. Duckling
covers the long tail of relative expressions in every language ("tre giorni fa", "the
past two weeks", "vor einer Woche"). Its result is used where the rules found nothing,
with a bias to the past unless the text says "next". Without a publication date only
expressions that carry their own year are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NEXT = re.compile(r"\b(prossim[oaie]|next|prochaine?s?|próxim[oa]s?|nächste[nmrs]?|kommende[nmrs]?|entro|within)\b",
                   re.IGNORECASE)
_LANGS = {"it": "IT", "en": "EN", "fr": "FR", "es": "ES", "de": "DE", "ru": "RU"}
# clock times ("alle 17:45") are not periods an event is dated by: the day comes from the rules
_GRAIN = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


@cache
def _duckling() -> Any:
    import duckling

    return duckling, duckling.load_time_zones("/usr/share/zoneinfo")


def available() -> bool:
    try:
        _duckling()
    except Exception:  # not installed, or no zoneinfo on this machine
        return False
    return True


def duckling_dates(text: str, lang: str, pub_date: str | None,
                   future: Any = None) -> list[tuple[int, int, str, str]]:
    """(start, end, first day ISO, precision) for Duckling's time values, biased to the past."""
    if lang not in _LANGS or not available():
        return []
    dk, tz = _duckling()
    ref_day = dt.date.fromisoformat(pub_date[:10]) if pub_date else dt.date.today()
    ref = dk.parse_ref_time(tz, "UTC", int(dt.datetime(ref_day.year, ref_day.month, ref_day.day, 12,
                                                       tzinfo=dt.UTC).timestamp()))
    ctx = dk.Context(ref, dk.default_locale_lang(dk.parse_lang(_LANGS[lang])))
    out: list[tuple[int, int, str, str]] = []
    try:
        found = dk.parse(text, ctx, dk.parse_dimensions(["time"]), False)
    except Exception:  # Duckling rejects some inputs (odd control characters): rules still apply
        return []
    for r in found:
        s, e = int(r["start"]), int(r["end"])
        surface = text[s:e]
        v = r.get("value") or {}
        if v.get("type") == "interval":
            v = v.get("from") or v.get("to") or {}
        value, grain = v.get("value"), _GRAIN.get(v.get("grain", ""))
        if not value or not grain:
            continue
        has_year = bool(_YEAR.search(surface))
        if not pub_date and not has_year:
            continue  # relative to nothing: leave it unresolved rather than anchor it on today
        day = dt.date.fromisoformat(value[:10])
        if r["value"].get("type") == "interval" and not re.search(r"\d", surface):
            to = (r["value"].get("to") or {}).get("value")
            if to and (to[:7] == value[:7] or (dt.date.fromisoformat(to[:10]) - day).days <= 31):
                grain = "month" if grain == "day" else grain  # "early December": the month
        if day > ref_day + dt.timedelta(days=1) and not has_year and not _NEXT.search(surface):
            # news reports the past: "lunedì" in a Saturday paper is the last Monday; a month
            # more than half a year ahead is last year's ("in December", read in January)
            if grain == "day" and (day - ref_day).days <= 7:
                day -= dt.timedelta(days=7)
            elif grain in ("day", "month", "week") and (day - ref_day).days > 183:
                day = day.replace(year=day.year - 1)

        out.append((s, e, day.isoformat(), grain))
    return out
