"""Date normalisation on TempEval-3 (TE3-platinum test documents), for the "Time and place" issue.

  python benchmarks/dates_eval.py            # compare backends: cronaca rules, Duckling, dateparser, combined

For every gold TIMEX3 of type DATE, a system is right when one of its expressions overlaps
the gold span and has the same normalised value (TIMEX3 format: 2013-03-22, 2013-03, 2013,
2013-W12, 2013-Q1, PRESENT_REF ...). Reported: extent P/R (overlap), value accuracy on the
gold DATEs (= value recall), value precision and F1 (HeidelTime's published value F1 is
about 0.78). The document creation time anchors relative expressions. Data is read in
place from ../shared (research-only; nothing is copied).
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TE3 = ROOT.parent / "shared" / "eval" / "external" / "tempeval3" / "Evaluation" / "te3-platinum"
OUT = ROOT / "bench-results" / "dates_tempeval3.json"

_TIMEX = re.compile(r"<TIMEX3\s([^>]*)>(.*?)</TIMEX3>", re.S)
_TAG = re.compile(r"<[^>]+>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> tuple[str, str, list[tuple[int, int, str, str]]]:
    """(plain text, DCT, [(start, end, type, value)]) with offsets into the plain text."""
    raw = path.read_text("utf-8")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    text_raw = body.group(1) if body else ""
    out: list[str] = []
    gold = []
    pos = 0
    i = 0
    for m in _TIMEX.finditer(text_raw):
        before = html.unescape(_TAG.sub("", text_raw[i : m.start()]))
        out.append(before)
        pos += len(before)
        inner = html.unescape(_TAG.sub("", m.group(2)))
        a = dict(_ATTR.findall(m.group(1)))
        gold.append((pos, pos + len(inner), a.get("type", ""), a.get("value", "")))
        out.append(inner)
        pos += len(inner)
        i = m.end()
    out.append(html.unescape(_TAG.sub("", text_raw[i:])))
    return "".join(out), (dct.group(1)[:10] if dct else ""), gold


def timex(value: str | None, precision: str) -> str | None:
    import datetime as dt

    if precision == "past":
        return "PAST_REF"
    if not value:
        return None
    if precision == "day":
        return value[:10]
    if precision == "month":
        return value[:7]
    if precision == "year":
        return value[:4]
    if precision == "week":
        y, w, _ = dt.date.fromisoformat(value[:10]).isocalendar()
        return f"{y}-W{w:02d}"
    if precision == "quarter":
        return f"{value[:4]}-Q{(int(value[5:7]) - 1) // 3 + 1}"
    if precision in ("hour", "minute", "second"):
        return value[:10]
    if precision == "present":
        return "PRESENT_REF"
    if precision == "past":
        return "PAST_REF"
    if precision == "century":
        return value[:2] if value else None
    if precision == "season":
        return f"{value[:4]}-" + {"03": "SP", "06": "SU", "09": "FA", "12": "WI"}.get(value[5:7], "XX")
    return None


def rules(text: str, dct: str) -> list[tuple[int, int, str]]:
    from cronaca.pipeline.dates import find_dates

    out = []
    for s, e, v, prec, _basis in find_dates(text, "en", dct):
        t = timex(v, prec)
        if t:
            out.append((s, e, t))
    return out


def duckling_system() -> Callable[[str, str], list[tuple[int, int, str]]] | None:
    try:
        from cronaca.pipeline.duckdates import duckling_dates
    except ImportError:
        return None

    def run(text: str, dct: str) -> list[tuple[int, int, str]]:
        return [(s, e, t) for s, e, v, prec in duckling_dates(text, "en", dct) if (t := timex(v, prec))]

    return run


def dateparser_system(text: str, dct: str) -> list[tuple[int, int, str]]:
    import datetime as dt

    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(dct)
    found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    out = []
    pos = 0
    for s, d in found:
        i = text.find(s, pos)
        if i < 0:
            continue
        pos = i + len(s)
        out.append((i, i + len(s), d.date().isoformat()))
    return out


def score(system: Callable[[str, str], list[tuple[int, int, str]]], docs: list[Any]) -> dict[str, Any]:
    gold_n = pred_n = ext_tp = val_ok = 0
    t0 = time.process_time()
    for text, dct, gold in docs:
        preds = system(text, dct)
        dates = [g for g in gold if g[2] == "DATE"]
        gold_n += len(dates)
        pred_n += len(preds)
        any_timex = [g for g in gold]
        for s, e, _t in preds:
            if any(s < ge and gs < e for gs, ge, _, _ in any_timex):
                ext_tp += 1
        for gs, ge, _, gv in dates:
            if any(s < ge and gs < e and v == gv for s, e, v in preds):
                val_ok += 1
    cpu = time.process_time() - t0
    p = val_ok / pred_n if pred_n else 0.0
    r = val_ok / gold_n if gold_n else 0.0
    return {"gold_dates": gold_n, "predicted": pred_n, "extent_precision": round(ext_tp / pred_n, 4) if pred_n else 0,
            "value_accuracy": round(r, 4), "value_precision": round(p, 4),
            "value_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "cpu_s": round(cpu, 3)}


def main() -> int:
    if not TE3.exists():
        print(f"skip: {TE3} not found", file=sys.stderr)
        return 0
    docs = [read_tml(p) for p in sorted(TE3.glob("*.tml"))]
    systems: dict[str, Any] = {"cronaca-rules": rules}
    d = duckling_system()
    if d is not None:
        systems["duckling"] = d
    systems["dateparser"] = dateparser_system
    from cronaca.pipeline.dates import find_dates  # noqa: F401  (the pipeline's own combination below)

    def pipeline(text: str, dct: str) -> list[tuple[int, int, str]]:
        from cronaca.pipeline.dates import resolve_dates

        return [(s, e, t) for s, e, v, prec, _b in resolve_dates(text, "en", dct) if (t := timex(v, prec))]

    systems["cronaca-pipeline"] = pipeline
    res = {name: score(fn, docs) for name, fn in systems.items()}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    for name, r in res.items():
        print(f"{name:18} DATE value accuracy {r['value_accuracy']:.3f}  value P {r['value_precision']:.3f}  "
              f"F1 {r['value_f1']:.3f}  (gold {r['gold_dates']}, predicted {r['predicted']}, {r['cpu_s']} s CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
