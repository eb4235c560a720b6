"""The SPEC.md scorer (`../shared/eval/SPEC.md` §3), so our numbers match anyone's.

Readings of the spec where it leaves room, stated so a second scorer can agree:
- a gold event with `date: null` (precision unknown) has no period to check: the
  date condition of a full match is skipped, like location and attribution when
  gold has none; a *predicted* unknown date never agrees with a gold period;
- "predicted period lies inside the gold period" compares [start, end) periods
  built from date + precision;
- attribution codes "overlap" when the predicted code is among the gold codes (a
  gold code may be a list);
- one-to-one matching is greedy over (pred, gold) pairs ordered by: core match,
  then required before optional, then the number of full-match conditions met,
  then evidence overlap.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Article
from .pipeline import Pipeline

NONFACTUAL = {"negated", "hypothetical"}


def _codes(ents: Iterable[dict[str, Any]] | None) -> set[str]:
    out: set[str] = set()
    for e in ents or []:
        c = e.get("code")
        if isinstance(c, list):
            out.update(c)
        elif c:
            out.add(c)
    return out


def period(date: str | None, precision: str | None) -> tuple[dt.date, dt.date] | None:
    if not date or not precision or precision == "unknown":
        return None
    try:
        d = dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
    if precision == "day":
        return d, d + dt.timedelta(days=1)
    if precision == "week":
        return d, d + dt.timedelta(days=7)
    if precision == "month":
        return d, (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if precision == "year":
        return d, d.replace(year=d.year + 1)
    return None


def core_match(p: dict[str, Any], g: dict[str, Any]) -> bool:
    if p["event"] != g["event"] and p["event"] not in (g.get("alt_events") or []):
        return False
    pa, pr = _codes(p.get("actor")), _codes(p.get("recipient"))
    ga, gr = _codes(g.get("actor")), _codes(g.get("recipient"))
    if g.get("symmetric"):
        allp = pa | pr
        ok = (pa & ga and (not gr or pr & gr)) or (pr & ga and (not gr or pa & gr)) \
            or (allp & ga and (not gr or allp & gr))
        if not ok:
            return False
    else:
        if not pa & ga:
            return False
        if gr and not pr & gr:
            return False
    pf = p.get("modality") in NONFACTUAL
    gf = g.get("modality") in NONFACTUAL
    return pf == gf


def date_agrees(p: dict[str, Any], g: dict[str, Any]) -> bool | None:
    """None when gold has no period (the check does not apply)."""
    gp = period(g.get("date"), g.get("date_precision"))
    if gp is None:
        return None
    pp = period(p.get("date"), p.get("date_precision"))
    if pp is None:
        return False
    return gp[0] <= pp[0] and pp[1] <= gp[1]


def loc_agrees(p: dict[str, Any], g: dict[str, Any]) -> bool | None:
    gl = g.get("event_loc")
    if not gl:
        return None
    pl = p.get("event_loc") or {}
    gc = gl.get("code")
    gcs = set(gc) if isinstance(gc, list) else {gc}
    return pl.get("code") in gcs


def attr_agrees(p: dict[str, Any], g: dict[str, Any]) -> bool | None:
    ga = g.get("attribution")
    if not ga:
        return None
    pa = p.get("attribution") or {}
    return bool(_codes([pa]) & _codes([ga]))


def modality_agrees(p: dict[str, Any], g: dict[str, Any]) -> bool:
    pm, gm = p.get("modality"), g.get("modality")
    if pm == gm:
        return True
    fam = {"asserted", "reported"}
    return not g.get("attribution") and pm in fam and gm in fam


def full_match(p: dict[str, Any], g: dict[str, Any]) -> bool:
    if not core_match(p, g):
        return False
    return all(x is not False for x in (date_agrees(p, g), loc_agrees(p, g), attr_agrees(p, g))) and \
        modality_agrees(p, g)


def _span(text: str, evidence: str | None) -> tuple[int, int] | None:
    if not evidence:
        return None
    i = text.find(evidence)
    return (i, i + len(evidence)) if i >= 0 else None


def _pred_span(p: dict[str, Any]) -> tuple[int, int]:
    ti = p.get("text_info") or {}
    return int(ti.get("start", -1)), int(ti.get("end", -1))


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _sector_ok(p: dict[str, Any], g: dict[str, Any]) -> bool | None:
    checks = []
    for role in ("actor", "recipient"):
        pe = {(e.get("code"), e.get("sector")) for e in p.get(role) or []}
        if g.get("symmetric"):
            pe |= {(e.get("code"), e.get("sector")) for e in p.get("recipient" if role == "actor" else "actor") or []}
        for ge in g.get(role) or []:
            if ge.get("sector") and ge.get("code") in {c for c, _ in pe}:
                checks.append((ge.get("code"), ge.get("sector")) in pe)
    return all(checks) if checks else None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    core: Tally = field(default_factory=Tally)
    full: Tally = field(default_factory=Tally)
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    violations: int = 0
    docs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "core": self.core.prf(),
            "full": self.full.prf(),
            "fields": {k: {"acc": round(v[0] / v[1], 4) if v[1] else None, "n": v[1]} for k, v in sorted(self.fields.items())},
            "non_event_violations": self.violations,
        }


def score_document(gold: dict[str, Any], preds: Sequence[dict[str, Any]], buckets: Sequence[Scores],
                   by_type: dict[str, Scores]) -> list[dict[str, Any]]:
    """Match and tally one document into every bucket; returns the matched pairs for reports."""
    text = gold["text"]
    golds = gold.get("events") or []
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if not core_match(p, g):
                continue
            conds = [date_agrees(p, g), loc_agrees(p, g), attr_agrees(p, g), modality_agrees(p, g)]
            met = sum(1 for c in conds if c is not False)
            ov = _overlap(_pred_span(p), _span(text, g.get("evidence")))
            pairs.append((1 if g.get("required", True) else 0, met, 1 if ov else 0, -i, -j, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched: list[tuple[int, int]] = []
    for *_, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched.append((i, j))
    non_spans = [_span(text, s) for s in gold.get("non_event_evidence") or []]

    def tally(sc: Scores, type_filter: str | None) -> None:
        sc.docs += 1
        for i, j in matched:
            p, g = preds[i], golds[j]
            if type_filter and g["event"] != type_filter:
                continue
            if g.get("required", True):
                sc.core.tp += 1
                if full_match(p, g):
                    sc.full.tp += 1
                else:
                    sc.full.fn += 1
                    sc.full.fp += 1
            f = sc.fields
            for name, val in (("sector", _sector_ok(p, g)),
                              ("mode", (p.get("mode") == g.get("mode")) if "mode" in g else None),
                              ("cameo", (p.get("cameo") == g.get("cameo")) if g.get("cameo") else None),
                              ("date", date_agrees(p, g)), ("location", loc_agrees(p, g)),
                              ("attribution", attr_agrees(p, g)), ("modality", modality_agrees(p, g)),
                              ("evidence", _overlap(_pred_span(p), _span(text, g.get("evidence"))))):
                if val is None:
                    continue
                f[name][0] += int(bool(val))
                f[name][1] += 1
        for j, g in enumerate(golds):
            if j in used_g or not g.get("required", True):
                continue
            if type_filter and g["event"] != type_filter:
                continue
            sc.core.fn += 1
            sc.full.fn += 1
        for i, p in enumerate(preds):
            if i in used_p:
                continue
            if type_filter and p["event"] != type_filter:
                continue
            sc.core.fp += 1
            sc.full.fp += 1
            if p.get("modality") not in NONFACTUAL and any(_overlap(_pred_span(p), s) for s in non_spans):
                sc.violations += 1

    for b in buckets:
        tally(b, None)
    types = {g["event"] for g in golds} | {p["event"] for p in preds}
    for t in types:
        tally(by_type.setdefault(t, Scores()), t)
    return [{"pred": preds[i], "gold": golds[j]} for i, j in matched]


def read_gold(paths: Iterable[Path]) -> list[dict[str, Any]]:
    docs = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: malformed JSON ({e.msg})") from e
            d.setdefault("_source", str(path))
            docs.append(d)
    return docs


def evaluate_docs(docs: Sequence[dict[str, Any]], pipeline: Pipeline,
                  predictions: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """Score `pipeline` (or given predictions by doc_id) on gold documents."""
    total = Scores()
    by_lang: dict[str, Scores] = {}
    by_type: dict[str, Scores] = {}
    per_doc = []
    for d in docs:
        if predictions is not None:
            preds = predictions.get(d["doc_id"], [])
        else:
            art = Article.make(d["text"], doc_id=d["doc_id"], lang=d.get("lang"), pub_date=d.get("pub_date"),
                               title=d.get("title"))
            preds = [e.to_json() for e in pipeline.extract(art)]
        lang = d.get("lang") or "und"
        doc_sc = Scores()
        score_document(d, preds, [total, by_lang.setdefault(lang, Scores()), doc_sc], by_type)
        per_doc.append({"doc_id": d["doc_id"], **doc_sc.as_dict()})
    return {
        "overall": total.as_dict(),
        "by_language": {k: v.as_dict() for k, v in sorted(by_lang.items())},
        "by_event_type": {k: v.as_dict() for k, v in sorted(by_type.items())},
        "documents": per_doc,
    }


def evaluate_files(paths: Iterable[Path], pipeline: Pipeline) -> dict[str, Any]:
    return evaluate_docs(read_gold(paths), pipeline)


def format_report(rep: dict[str, Any]) -> str:
    lines = []

    def row(name: str, s: dict[str, Any]) -> str:
        c, f = s["core"], s["full"]
        return (f"{name:<14} core P {c['p']:.3f} R {c['r']:.3f} F1 {c['f1']:.3f} (tp {c['tp']} fp {c['fp']} fn {c['fn']})"
                f"   full P {f['p']:.3f} R {f['r']:.3f} F1 {f['f1']:.3f}   violations {s['non_event_violations']}")

    lines.append(row("overall", rep["overall"]))
    for k, v in rep["by_language"].items():
        lines.append(row(f"lang {k}", v))
    lines.append("")
    for k, v in rep["by_event_type"].items():
        lines.append(row(k, v))
    lines.append("")
    lines.append("field accuracy (core-matched pairs):")
    for k, v in rep["overall"]["fields"].items():
        acc = "-" if v["acc"] is None else f"{v['acc']:.3f}"
        lines.append(f"  {k:<12} {acc}  (n={v['n']})")
    return "\n".join(lines)
