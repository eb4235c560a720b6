"""Event-coder scores on our gold and on other people's (the "Event coder" issue).

  python benchmarks/coder_eval.py            # all sets found under ../shared; writes bench-results/coder_eval.json
  python benchmarks/coder_eval.py --check    # compare with benchmarks/baseline.json (exit 1 on a drop)

Sets: Italian seed + Wikinews dev (SPEC.md core/full), PLOVER GSR (en: type accuracy and core
F1), UniversalPetrarch PETR2_GSR (en: CAMEO root and actor accuracy), PETRARCH2 unit tests
(en, fictional actors through the PETRARCH importer: share of records coded exactly right),
UniversalPetrarch Spanish protest set (es: event-type F1). Nothing is copied from ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXT = SHARED / "eval" / "external"
OUT = ROOT / "bench-results" / "coder_eval.json"
BASELINE = ROOT / "benchmarks" / "baseline.json"


def _exists(p: Path) -> bool:
    if not p.exists():
        print(f"skip: {p} not found", file=sys.stderr)
        return False
    return True


def _preds(pipe: Any, doc: dict[str, Any]) -> list[dict[str, Any]]:
    from cronaca.model import Article
    from cronaca.pipeline import ArticleError

    art = Article.make(doc["text"], doc_id=doc["doc_id"], lang=doc.get("lang"), pub_date=doc.get("pub_date"))
    try:
        return [e.to_json() for e in pipe.extract(art)]
    except ArticleError:
        return []  # an empty or broken record in the gold: no prediction


def italian(pipe: Any) -> dict[str, Any]:
    from cronaca.evaluate import evaluate_docs, read_gold

    out = {}
    for name in ("seed_it", "it_dev", "it_dates_dev"):
        p = SHARED / "eval" / "gold" / f"{name}.jsonl"
        if _exists(p):
            rep = evaluate_docs(read_gold([p]), pipe)["overall"]
            out[name] = {"core_f1": rep["core"]["f1"], "full_f1": rep["full"]["f1"], "core": rep["core"],
                         "full": rep["full"], "violations": rep["non_event_violations"],
                         "fields": rep["fields"], "geocoding": geocoding(read_gold([p]), pipe),
                         "by_evidence": dates_places_by_evidence(read_gold([p]), pipe)}
    return out


def dates_places_by_evidence(docs: list[dict[str, Any]], pipe: Any) -> dict[str, Any]:
    """Date and place attachment measured apart from event matching: for every gold event
    (required or optional) with a date or place, the drafts cronaca makes from a trigger inside
    the gold evidence; right when the first such draft's date lies in the gold period (and its
    place has the gold country)."""
    from cronaca.evaluate import date_agrees, loc_agrees
    from cronaca.model import Article

    dn = dok = ln = lok = 0
    for d in docs:
        art = Article.make(d["text"], doc_id=d["doc_id"], lang=d.get("lang"), pub_date=d.get("pub_date"))
        doc = pipe.run(art)
        for g in d["events"]:
            ev = g.get("evidence") or ""
            a = d["text"].find(ev)
            if a < 0:
                continue
            b = a + len(ev)
            drafts = [x for x in doc.drafts if a <= x.trigger.start < b]
            if not drafts:
                continue
            x = drafts[0]
            pred: dict[str, Any] = {"date": None, "date_precision": "unknown", "event_loc": None}
            if x.date is not None and x.date.value:
                prec = x.date.precision if x.date.precision in ("day", "week", "month", "year") else "year"
                pred = {"date": x.date.value, "date_precision": prec}
            elif d.get("pub_date"):
                pred = {"date": d["pub_date"], "date_precision": "day"}
            pred["event_loc"] = {"code": x.place.code} if x.place is not None else None
            da, la = date_agrees(pred, g), loc_agrees(pred, g)
            if da is not None:
                dn += 1
                dok += bool(da)
            if la is not None:
                ln += 1
                lok += bool(la)
    return {"dated_gold_events": dn, "date_accuracy": round(dok / dn, 4) if dn else None,
            "placed_gold_events": ln, "location_accuracy": round(lok / ln, 4) if ln else None}


def geocoding(docs: list[dict[str, Any]], pipe: Any) -> dict[str, Any]:
    """On matched events whose gold has a place: the country right, and the place itself right
    (same GeoNames id, or the same place name once folded; a country-level gold needs the country)."""
    from cronaca.evaluate import Scores, score_document
    from cronaca.kb.cities import fold

    n = country = place = 0
    for d in docs:
        for pair in score_document(d, _preds(pipe, d), [Scores()], {}):
            g, p = pair["gold"].get("event_loc"), pair["pred"].get("event_loc") or {}
            if not g:
                continue
            n += 1
            country += p.get("code") == g.get("code")
            same_id = g.get("geonames_id") and g.get("geonames_id") == p.get("geonames_id")
            names = {fold(x) for x in (p.get("name") or "", p.get("admin1") or "") if x}
            gname = fold(g.get("name") or "")
            # "via Zozi, Maranello" is Maranello at the town level
            from cronaca.kb.places import gazetteer

            known = {fold(c.name) for c in gazetteer()[0].get(gname.split(",")[-1].strip(), [])}
            place += bool(same_id or gname in names or names & known or any((n and n in gname.replace(",", " ").split(" "))
                                                              or (n and len(n) > 3 and n in gname) for n in names)
                          or (p.get("precision") == "country" and p.get("code") == g.get("code")
                              and fold(g.get("name") or "") not in {"", None} and len(names) > 0
                              and g.get("name") and _is_country(g["name"], g.get("code"))))
    return {"events_with_gold_place": n, "country_accuracy": round(country / n, 4) if n else None,
            "place_accuracy": round(place / n, 4) if n else None}


def _is_country(name: str, code: str | None) -> bool:
    from cronaca.kb import default_kb

    ms = default_kb().lookup(name, "it") or default_kb().lookup(name, "en")
    return any(m.best.entry.kind == "name" and m.best.entry.code == code for m in ms)


def gsr(pipe: Any) -> dict[str, Any]:
    from cronaca.adapters import plover_gsr
    from cronaca.evaluate import evaluate_docs

    p = EXT / "plover_gsr" / "PLOVER_GSR_CAMEO.txt"
    if not _exists(p):
        return {}
    docs = plover_gsr(p)
    preds = {d["doc_id"]: _preds(pipe, d) for d in docs}
    rep = evaluate_docs(docs, pipe, predictions=preds)["overall"]
    typed = sum(1 for d in docs if preds[d["doc_id"]]
                and max(preds[d["doc_id"]], key=lambda e: e["confidence"])["event"] == d["events"][0]["event"])
    anytype = sum(1 for d in docs if any(e["event"] == d["events"][0]["event"] for e in preds[d["doc_id"]]))
    return {"sentences": len(docs), "type_accuracy": round(typed / len(docs), 4),
            "type_recall_any": round(anytype / len(docs), 4), "core_f1": rep["core"]["f1"], "core": rep["core"]}


def _triples(evs: list[dict[str, Any]], full: bool) -> set[tuple[str, str, str]]:
    out = set()
    for e in evs:
        cam = (e.get("cameo") or "")[: None if full else 2]
        acts = [(a["code"] + ((a.get("sector") or "") if full else "")) for a in e["actor"]] or ["---"]
        recs = [(a["code"] + ((a.get("sector") or "") if full else "")) for a in e["recipient"]] or ["---"]
        for a in acts:
            for r in recs:
                out.add((a, r, cam))
    return out


def petr2_gsr(pipe: Any) -> dict[str, Any]:
    from cronaca.adapters import petrarch_xml

    p = EXT / "universalpetrarch_validation" / "PETR2_GSR_validation.xml"
    if not _exists(p):
        return {}
    docs = petrarch_xml(p)
    n = root_ok = actor_ok = 0
    for d in docs:
        preds = _preds(pipe, d)
        for g in d["events"]:
            n += 1
            gsrc = {a["code"] for a in g["actor"]}
            gtgt = {a["code"] for a in g["recipient"]}
            if any((e.get("cameo") or "")[:2] == (g.get("cameo") or "")[:2] for e in preds):
                root_ok += 1
            if any({a["code"] for a in e["actor"]} & gsrc and (not gtgt or {a["code"] for a in e["recipient"]} & gtgt)
                   for e in preds):
                actor_ok += 1
    return {"codings": n, "cameo_root_accuracy": round(root_ok / n, 4) if n else None,
            "actor_accuracy": round(actor_ok / n, 4) if n else None}


def petrarch_unit(pipe_factory: Any) -> dict[str, Any]:
    from cronaca.adapters import petrarch_xml
    from cronaca.kb import load
    from cronaca.kb.importer import import_files

    d = EXT / "petrarch2_validation"
    if not _exists(d / "PETR.UnitTest.records.xml"):
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        import_files([d / "PETR.Validate.actors.txt"], [d / "PETR.Validate.agents.txt"], Path(tmp), "petrval")
        kb = load(sorted(Path(tmp).glob("*.yaml")), use_cache=False)
        pipe = pipe_factory(kb)
        docs = petrarch_xml(d / "PETR.UnitTest.records.xml")
        exact = root = 0
        for doc in docs:
            preds = _preds(pipe, doc)
            gold_full = _triples(doc["events"], True)
            gold_root = _triples(doc["events"], False)
            exact += _triples(preds, True) == gold_full
            root += _triples(preds, False) == gold_root
    n = len(docs)
    return {"records": n, "exact": round(exact / n, 4), "exact_at_cameo_root_and_country": round(root / n, 4)}


def spanish(pipe_factory: Any) -> dict[str, Any]:
    from cronaca.adapters import petrarch_xml
    from cronaca.pipeline import Config

    p = EXT / "universalpetrarch_validation" / "spanish_protest_plover_validation.xml"
    if not _exists(p):
        return {}
    pipe = pipe_factory(None, Config(require_actor=False))
    docs = petrarch_xml(p, lang="es")
    tp = fp = fn = 0
    for d in docs:
        gold = {e["event"] for e in d["events"]}
        pred = {e["event"] for e in _preds(pipe, d)}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return {"sentences": len(docs), "type_p": round(pr, 4), "type_r": round(rc, 4),
            "type_f1": round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0}


def speed(pipe: Any) -> dict[str, Any]:
    from cronaca.ingest import read_paths

    p = SHARED / "corpus" / "wikinews_it.jsonl"
    if not _exists(p):
        return {}
    arts = list(read_paths([p], lang="it"))
    pipe.extract(arts[0])
    sents = 0
    c0 = time.process_time()
    for a in arts:
        doc = pipe.run(a)
        sents += len(doc.sentences)
    cpu = time.process_time() - c0
    return {"articles": len(arts), "sentences": sents, "sentences_per_s_per_core": round(sents / cpu),
            "articles_per_s_per_core": round(len(arts) / cpu, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail when a score drops below benchmarks/baseline.json")
    ap.add_argument("--write-baseline", action="store_true")
    args = ap.parse_args()
    from cronaca.pipeline import Config, default_pipeline

    def factory(kb: Any = None, cfg: Config | None = None) -> Any:
        base = cfg or Config()
        if kb is not None:
            base = Config(kb=kb, keep_hypothetical=base.keep_hypothetical, require_actor=base.require_actor)
        return default_pipeline(base)

    pipe = default_pipeline()
    res = {"italian": italian(pipe), "plover_gsr": gsr(pipe), "petr2_gsr": petr2_gsr(pipe),
           "petrarch_unit": petrarch_unit(factory), "spanish_protest": spanish(factory), "speed": speed(pipe)}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if not isinstance(vv, dict)} if isinstance(v, dict) else v
                      for k, v in res.items()}, indent=1))
    if args.write_baseline:
        BASELINE.write_text(json.dumps(flatten(res), indent=2, sort_keys=True) + "\n")
    if args.check:
        return check(res)
    return 0


def flatten(res: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in res.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, float) and "speed" not in key and key.endswith(("f1", "accuracy", "exact",
                                                                             "exact_at_cameo_root_and_country")):
            out[key] = v  # headline scores only: precision and recall alone may trade against each other
    return out


def check(res: dict[str, Any]) -> int:
    base = json.loads(BASELINE.read_text())
    now = flatten(res)
    drops = [f"{k}: {now[k]} < baseline {v}" for k, v in base.items() if k in now and now[k] < v - 0.005]
    for d in drops:
        print("DROP", d, file=sys.stderr)
    return 1 if drops else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
