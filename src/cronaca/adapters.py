"""Adapters: other people's gold sets turned into SPEC.md gold documents.

Each adapter returns gold documents (`doc_id`, `lang`, `text`, `events`, ...) so the
one scorer in `evaluate.py` scores everything. What a format cannot say is left out
of the gold rather than guessed: PLOVER GSR dates are placeholders (so no date),
PETRARCH records carry CAMEO triples (so the PLOVER type comes from the CAMEO code).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from .ontology import cameo_table

# PLOVER 0.5 labels in older gold -> the 16 types of today (issue: "Event coder")
OLD_PLOVER = {
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"),
    "FIGHT": ("ASSAULT", None),
    "SACTION": ("SANCTION", None),  # a typo in UniversalPetrarch's Spanish protest set (26 records)
}
# CAMEO roots to PLOVER (PLOVER manual table; 01 and 02 are dropped there)
ROOT_TO_PLOVER = {
    "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID", "09": "ACCUSE",
    "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE",
    "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}  # fmt: skip


def plover_event(label: str) -> tuple[str, str | None]:
    label = label.strip().upper()
    return OLD_PLOVER.get(label, (label, None))


def cameo_to_plover(code: str) -> str | None:
    """A CAMEO code's PLOVER type: the table for known codes, the root otherwise (08 splits)."""
    code = code.strip()
    known = cameo_table().get(code)
    if known and known.plover:
        return known.plover
    root = code[:2]
    if root == "08":
        return "RETREAT" if code[:3] in ("084", "085", "086", "087") else "CONCEDE"
    return ROOT_TO_PLOVER.get(root)


def _ent(code: str | None) -> list[dict[str, Any]]:
    if not code or code.strip("-") == "":
        return []
    code = code.strip().upper()
    return [{"code": code[:3], "sector": code[3:6] or None}]


def _gsr_actors(raw: Any) -> list[dict[str, Any]]:
    """GSR actors are a list of objects, or (in a few records) a bare code string."""
    if isinstance(raw, dict):
        raw = [raw]
    if isinstance(raw, str):
        raw = [{"code": raw}] if raw.strip() else []
    out = []
    for a in raw or []:
        if isinstance(a, str):
            a = {"code": a}
        if a.get("code"):
            code = _GSR_TYPOS.get(a["code"], a["code"])
            out.append({"code": code, "sector": a.get("sector") or None, "entity_text": a.get("actorText")})
    return out


# Country codes the GSR annotators mistyped (not ISO 3166-1): read as the state they mean.
_GSR_TYPOS = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def plover_gsr(path: Path) -> list[dict[str, Any]]:
    """PLOVER gold-standard records (a JSON array), one sentence per document."""
    recs = json.loads(Path(path).read_text("utf-8"))
    docs = []
    for r in recs:
        if r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        event, mode = plover_event(r["event"])
        mode = mode or (r.get("mode") or None)
        src, tgt = _gsr_actors(r.get("source")), _gsr_actors(r.get("target"))
        docs.append({
            "doc_id": r["id"], "lang": r.get("language") or "en", "pub_date": None, "title": None,
            "text": r["text"],
            "events": [{
                "id": "e1", "required": True, "event": event, "alt_events": [], "mode": mode,
                "context": r.get("context"), "actor": src, "recipient": tgt,
                "symmetric": not tgt and len(src) > 1, "date": None, "date_precision": "unknown",
                "event_loc": None, "attribution": None, "modality": "asserted", "evidence": r["text"],
            }],
            "non_event_evidence": [],
        })
    return docs


_SENT = re.compile(r"<Sentence\s([^>]*?)/?>(.*?)(?=<Sentence\s|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def petrarch_xml(path: Path, lang: str = "en") -> list[dict[str, Any]]:
    """PETRARCH / UniversalPetrarch validation records (pseudo-XML, read with regular
    expressions as the format requires). Each sentence becomes a document whose events are
    its EventCoding triples; a sentence without codings is a document with no events."""
    raw = Path(path).read_text("utf-8", errors="replace")
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    docs: list[dict[str, Any]] = []
    for attrs, body in _SENT.findall(raw):
        a = dict(_ATTR.findall(attrs))
        m = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not m:
            continue
        text = " ".join(html.unescape(m.group(1)).split())
        if not text:
            continue
        events = []
        texts = {t.get("eid"): t for t in (dict(_ATTR.findall(x)) for x in re.findall(r"<EventText\s([^>]*)>", body))}
        for i, c in enumerate(re.findall(r"<EventCoding\s([^>]*)>", body)):
            ca = dict(_ATTR.findall(c))
            code = (ca.get("eventcode") or "").strip()
            if not code or code.lower().startswith("no"):
                continue
            if ca.get("plover"):
                event, mode = plover_event(ca["plover"].split("/")[0])
            else:
                ev = cameo_to_plover(code.split("/")[0])
                if ev is None:
                    continue  # CAMEO 01/02 (statements, appeals): not PLOVER events
                event, mode = ev, None
            et = texts.get(ca.get("eid"), {})
            events.append({
                "id": f"e{i + 1}", "required": True, "event": event, "alt_events": [], "mode": mode,
                "cameo": code.split("/")[0] if code[:1].isdigit() else None,
                "actor": _ent(ca.get("sourcecode")), "recipient": _ent(ca.get("targetcode")),
                "symmetric": False, "date": None, "date_precision": "unknown", "event_loc": None,
                "attribution": None, "modality": "asserted", "evidence": et.get("eventtext") or text,
                "source_text": et.get("sourcetext"), "target_text": et.get("targettext"),
            })
        date = a.get("date", "")
        docs.append({
            "doc_id": a.get("id", f"s{len(docs)}"), "lang": lang,
            "pub_date": f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 and date.isdigit() else None,
            "title": None, "text": text, "events": events, "non_event_evidence": [],
            "category": a.get("category"),
        })
    return docs


ADAPTERS = {"plover-gsr": plover_gsr, "petrarch": petrarch_xml,
            "petrarch-es": lambda p: petrarch_xml(p, lang="es")}
