"""Exports of reports (events) and story-events: PLOVER JSONL, GDELT-style CSV, Parquet.

The CSV and Parquet tables use GDELT 2.0 event-table column names where a column means
the same thing (SQLDATE, Actor1Code, EventCode, QuadClass, GoldsteinScale, NumMentions,
NumSources, NumArticles, ActionGeo_*, SOURCEURL...), so scripts written for GDELT run on
them; codes stay strings ("040", not 40). What GDELT has no column for (PLOVER type and
mode, modality, attribution, confidence, evidence span) follows, prefixed with nothing.
A compound actor exports its first member as Actor1 and every member in Actor1Codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from ..ontology import plover_score

if TYPE_CHECKING:
    from ..store import EventFilter, Store

FORMATS = ("jsonl", "csv", "parquet")

_GEO_TYPE = {"country": 1, "region": 2, "city": 4, "site": 4}

EVENT_SCHEMA: dict[str, Any] = {
    "GLOBALEVENTID": pl.Utf8, "SQLDATE": pl.Utf8, "MonthYear": pl.Utf8, "Year": pl.Utf8,
    "Actor1Code": pl.Utf8, "Actor1Name": pl.Utf8, "Actor1CountryCode": pl.Utf8, "Actor1Type1Code": pl.Utf8,
    "Actor1Codes": pl.Utf8,
    "Actor2Code": pl.Utf8, "Actor2Name": pl.Utf8, "Actor2CountryCode": pl.Utf8, "Actor2Type1Code": pl.Utf8,
    "Actor2Codes": pl.Utf8,
    "EventCode": pl.Utf8, "EventBaseCode": pl.Utf8, "EventRootCode": pl.Utf8, "QuadClass": pl.Int64,
    "GoldsteinScale": pl.Float64, "NumMentions": pl.Int64, "NumSources": pl.Int64, "NumArticles": pl.Int64,
    "ActionGeo_Type": pl.Int64, "ActionGeo_FullName": pl.Utf8, "ActionGeo_CountryCode": pl.Utf8,
    "ActionGeo_Lat": pl.Float64, "ActionGeo_Long": pl.Float64, "SOURCEURL": pl.Utf8,
    "PloverEvent": pl.Utf8, "PloverMode": pl.Utf8, "PloverScore": pl.Float64, "Symmetric": pl.Boolean,
    "DatePrecision": pl.Utf8, "DateBasis": pl.Utf8, "Modality": pl.Utf8, "AttributionCode": pl.Utf8,
    "Confidence": pl.Float64, "Language": pl.Utf8, "DocId": pl.Utf8, "Evidence": pl.Utf8,
    "EvidenceStart": pl.Int64, "EvidenceEnd": pl.Int64, "KBVersion": pl.Utf8,
}

STORY_SCHEMA: dict[str, Any] = {
    k: v for k, v in EVENT_SCHEMA.items()
    if k not in ("Actor1Name", "Actor2Name", "SOURCEURL", "DateBasis", "Modality", "AttributionCode", "Language",
                 "DocId", "Evidence", "EvidenceStart", "EvidenceEnd", "KBVersion")
} | {"Languages": pl.Utf8, "Outlets": pl.Utf8, "ReportIds": pl.Utf8, "DocIds": pl.Utf8, "FirstSeen": pl.Utf8,
     "LastSeen": pl.Utf8}


def _dates(date: str | None) -> tuple[str | None, str | None, str | None]:
    if not date:
        return None, None, None
    d = date[:10].replace("-", "")
    return d, d[:6], d[:4]


def _cameo(code: str | None) -> tuple[str | None, str | None, str | None]:
    if not code:
        return None, None, None
    return code, code[:3], code[:2]


def _actor_cols(ents: list[dict[str, Any]]) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    if not ents:
        return None, None, None, None, None
    a = ents[0]
    return ((a["code"] + (a.get("sector") or "")), a.get("entity_text"), a["code"], a.get("sector"),
            ";".join(e["code"] + (e.get("sector") or "") for e in ents))


def event_row(r: dict[str, Any]) -> dict[str, Any]:
    """One SPEC record as a GDELT-style row."""
    sqldate, month, year = _dates(r.get("date"))
    code, base, root = _cameo(r.get("cameo"))
    a1, a1n, a1c, a1t, a1s = _actor_cols(r["actor"])
    a2, a2n, a2c, a2t, a2s = _actor_cols(r["recipient"])
    loc = r.get("event_loc") or {}
    attr = r.get("attribution") or {}
    ti, ci, prov = r["text_info"], r["cite_info"], r.get("provenance") or {}
    return {
        "GLOBALEVENTID": r["id"], "SQLDATE": sqldate, "MonthYear": month, "Year": year,
        "Actor1Code": a1, "Actor1Name": a1n, "Actor1CountryCode": a1c, "Actor1Type1Code": a1t, "Actor1Codes": a1s,
        "Actor2Code": a2, "Actor2Name": a2n, "Actor2CountryCode": a2c, "Actor2Type1Code": a2t, "Actor2Codes": a2s,
        "EventCode": code, "EventBaseCode": base, "EventRootCode": root, "QuadClass": r.get("quad_class"),
        "GoldsteinScale": r.get("goldstein"), "NumMentions": 1, "NumSources": 1, "NumArticles": 1,
        "ActionGeo_Type": _GEO_TYPE.get(loc.get("precision") or "") if loc else None,
        "ActionGeo_FullName": loc.get("name"), "ActionGeo_CountryCode": loc.get("code"),
        "ActionGeo_Lat": loc.get("lat"), "ActionGeo_Long": loc.get("lon"), "SOURCEURL": ci.get("url"),
        "PloverEvent": r["event"], "PloverMode": r.get("mode"),
        "PloverScore": plover_score(r["event"], r.get("mode")),
        "Symmetric": bool(r.get("symmetric")), "DatePrecision": r.get("date_precision"),
        "DateBasis": r.get("date_basis"), "Modality": r.get("modality"), "AttributionCode": attr.get("code"),
        "Confidence": r.get("confidence"), "Language": ci.get("language"), "DocId": r["doc_id"],
        "Evidence": ti.get("evidence"), "EvidenceStart": ti.get("start"), "EvidenceEnd": ti.get("end"),
        "KBVersion": prov.get("kb_version"),
    }


def story_row(s: dict[str, Any]) -> dict[str, Any]:
    sqldate, month, year = _dates(s.get("date"))
    code, base, root = _cameo(s.get("cameo"))
    acts = [{"code": c} for c in s["actors"]]
    recs = [{"code": c} for c in s["recipients"]]
    a1, _, a1c, _, a1s = _actor_cols(acts)
    a2, _, a2c, _, a2s = _actor_cols(recs)
    place = s.get("place") or {}
    reports = s.get("reports") or []
    return {
        "GLOBALEVENTID": s["id"], "SQLDATE": sqldate, "MonthYear": month, "Year": year,
        "Actor1Code": a1, "Actor1CountryCode": a1c, "Actor1Type1Code": None, "Actor1Codes": a1s,
        "Actor2Code": a2, "Actor2CountryCode": a2c, "Actor2Type1Code": None, "Actor2Codes": a2s,
        "EventCode": code, "EventBaseCode": base, "EventRootCode": root, "QuadClass": s.get("quad_class"),
        "GoldsteinScale": s.get("goldstein"), "NumMentions": s["n_reports"], "NumSources": s["n_sources"],
        "NumArticles": s["n_articles"], "ActionGeo_Type": None, "ActionGeo_FullName": place.get("name"),
        "ActionGeo_CountryCode": place.get("code"), "ActionGeo_Lat": place.get("lat"),
        "ActionGeo_Long": place.get("lon"), "PloverEvent": s["event"], "PloverMode": s.get("mode"),
        "PloverScore": s.get("plover_score"), "Symmetric": s["symmetric"], "DatePrecision": s.get("date_precision"),
        "Confidence": s.get("confidence"), "Languages": ";".join(s["languages"]), "Outlets": ";".join(s["outlets"]),
        "ReportIds": ";".join(x["event_id"] for x in reports),
        "DocIds": ";".join(dict.fromkeys(x["doc_id"] for x in reports)),
        "FirstSeen": s.get("first_seen"), "LastSeen": s.get("last_seen"),
    }


def export(store: Store, out: Path, *, what: str = "events", fmt: str | None = None,
           f: EventFilter | None = None) -> int:
    """Write events or stories to `out` (format from `fmt` or the suffix); returns rows written.

    Written to a temporary file and renamed, so a failed export never leaves half a file.
    """
    from ..store import EventFilter, iter_chunks

    f = f or EventFilter()
    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)} (or a matching suffix)")
    if what not in ("events", "stories"):
        raise ValueError("export what: 'events' or 'stories'")
    records: Iterable[dict[str, Any]] = store.events(f) if what == "events" else store.stories(f)
    tmp = out.with_name(out.name + ".part")
    n = 0
    try:
        if fmt == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                    n += 1
        else:
            schema = EVENT_SCHEMA if what == "events" else STORY_SCHEMA
            to_row = event_row if what == "events" else story_row
            frames = [pl.DataFrame([to_row(r) for r in chunk], schema=schema) for chunk in iter_chunks(records, 50_000)]
            df = pl.concat(frames) if frames else pl.DataFrame(schema=schema)
            n = df.height
            if fmt == "csv":
                df.write_csv(tmp)
            else:
                df.write_parquet(tmp)
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n
