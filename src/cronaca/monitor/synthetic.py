"""Synthetic reports for benchmarks and tests of the monitoring layer.

Each synthetic *real* event (a type, a dyad, a day) is told by a few reports in several
articles, outlets and languages, as a wire story is. Rows go straight into the store's
tables (no text, no pipeline), which is what a million-event benchmark needs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..model import content_id
from ..ontology import goldstein, plover_score, quad_class

_TYPES = [("CONSULT", "040"), ("AGREE", "030"), ("SUPPORT", "051"), ("AID", "070"), ("REQUEST", "020"),
          ("ACCUSE", "112"), ("REJECT", "120"), ("THREATEN", "130"), ("PROTEST", "140"), ("SANCTION", "163"),
          ("COERCE", "170"), ("ASSAULT", "190"), ("MOBILIZE", "150"), ("COOPERATE", "060"), ("CONCEDE", "080"),
          ("RETREAT", "087")]
_STATES = ["RUS", "PRK", "USA", "CHN", "UKR", "KOR", "JPN", "IRN", "ISR", "TUR", "DEU", "FRA", "GBR", "ITA", "IND",
           "PAK", "SYR", "IRQ", "EGY", "SAU"] + [f"X{i:02d}" for i in range(80)]
_LANGS = ["it", "en", "fr", "es", "de"]


def real_events(n: int, *, start: dt.date, days: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """`n` real events spread over `days` days from `start`; dyads follow a heavy-tailed mix."""
    rnd = random.Random(seed)
    weights = [1.0 / (i + 1) for i in range(len(_STATES))]
    for i in range(n):
        a, b = rnd.choices(_STATES, weights, k=2)
        while b == a:
            b = rnd.choice(_STATES)
        ev, cameo = rnd.choice(_TYPES)
        day = start + dt.timedelta(days=rnd.randrange(days))
        yield {"key": f"{seed}-{i}", "event": ev, "cameo": cameo, "a": a, "b": b, "day": day.isoformat(),
               "reports": 1 + int(rnd.paretovariate(1.5)) % 8}


def insert_reports(conn: sqlite3.Connection, reals: Iterator[dict[str, Any]], *, kb_version: str = "synthetic",
                   seed: int = 1) -> list[str]:
    """Insert each real event's reports (one article each) and return the new event ids, in order."""
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    arts: list[tuple[Any, ...]] = []
    evs: list[tuple[Any, ...]] = []
    ents: list[tuple[Any, ...]] = []
    ids: list[str] = []
    for r in reals:
        for k in range(r["reports"]):
            aid = content_id("synthetic-article", r["key"], str(k))
            lang = rnd.choice(_LANGS)
            outlet = f"outlet-{rnd.randrange(40)}"
            pub = r["day"]
            arts.append((aid, aid, "", lang, None, None, outlet, pub, "synthetic", kb_version, 1, now))
            eid = content_id(aid, "e")
            qc = quad_class(r["event"])
            rec = {"id": eid, "doc_id": aid, "event": r["event"], "mode": None, "cameo": r["cameo"],
                   "goldstein": goldstein(r["cameo"]), "quad_class": qc,
                   "actor": [{"code": r["a"], "sector": "GOV", "entity_text": r["a"]}],
                   "recipient": [{"code": r["b"], "sector": None, "entity_text": r["b"]}], "symmetric": False,
                   "date": r["day"], "date_precision": "day", "date_basis": "explicit", "event_loc": None,
                   "attribution": None, "modality": "asserted", "quantity": None, "confidence": 0.7,
                   "text_info": {"sentence": 0, "start": 0, "end": 0, "evidence": ""},
                   "cite_info": {"url": None, "publication": outlet, "language": lang, "pub_date": pub},
                   "provenance": {"kb_version": kb_version, "stage": "synthetic"}}
            evs.append((eid, aid, aid, r["event"], None, r["cameo"], goldstein(r["cameo"]), qc,
                        plover_score(r["event"]), r["day"], "day", "explicit", None, None, None, None, None,
                        "asserted", 0.7, 0, 0, 0, lang, kb_version, "synthetic", None, json.dumps(rec)))
            ents.append((eid, "actor", 0, r["a"], "GOV", None, r["a"]))
            ents.append((eid, "recipient", 0, r["b"], None, None, r["b"]))
            ids.append(eid)
    conn.executemany("INSERT OR IGNORE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", arts)
    conn.executemany("INSERT OR IGNORE INTO events (id, article_id, doc_id, event, mode, cameo, goldstein, quad_class, "
                     "plover_score, date, date_precision, date_basis, loc_name, loc_code, lat, lon, attr_code, "
                     "modality, confidence, symmetric, start, \"end\", lang, kb_version, stage, lexicon, record) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", evs)
    conn.executemany("INSERT OR IGNORE INTO event_entities VALUES (?,?,?,?,?,?,?)", ents)
    return ids
