"""Monitoring benchmarks (issue 6): cross-language merging on MEANTIME, and the synthetic
million-event store (dyad timeline latency, merging a day's 100,000 new reports).

    python benchmarks/monitor_bench.py meantime            # needs ../shared/corpus/meantime_parallel.jsonl
    python benchmarks/monitor_bench.py scale [--events N]   # default 1,000,000 reports
    python benchmarks/monitor_bench.py all

Results go to bench-results/monitor_*.json.

MEANTIME gold. The corpus holds the same 120 Wikinews articles in English, Italian and
Spanish, translated sentence by sentence. Two reports from different languages are the
same real event (gold) when they come from the same article triple, have the same PLOVER
type, and sit in aligned sentences (same index, +-1 for splitting differences), or one of
them is the headline (sentence 0), which retells the article's main event. Merge
precision and recall are pairwise over cross-language report pairs: predicted pairs are
reports the store put in one story. Pairs the coder typed differently cannot merge by
design; how often the coder agrees across languages is reported apart, as `agreement`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from cronaca.api import process  # noqa: E402
from cronaca.model import Article  # noqa: E402
from cronaca.monitor import analytics, stories, synthetic  # noqa: E402
from cronaca.pipeline import default_pipeline  # noqa: E402
from cronaca.store import Store  # noqa: E402

SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench-results"


def _pub_date(line: str, lang: str) -> str | None:
    import dateparser

    d = dateparser.parse(line, languages=[lang], settings={"PREFER_DAY_OF_MONTH": "first"})
    return d.date().isoformat() if d else None


def meantime() -> dict[str, object]:
    path = SHARED / "corpus" / "meantime_parallel.jsonl"
    if not path.exists():
        return {"skipped": f"{path} is absent"}
    rows = [json.loads(x) for x in path.open(encoding="utf-8")]
    arts = [Article.make(r["text"], doc_id=r["doc_id"], lang=r["lang"], title=r.get("title"), url=r.get("url"),
                         outlet=f"wikinews-{r['lang']}", pub_date=_pub_date(r.get("date_line") or "", r["lang"]))
            for r in rows]
    parallel = {r["doc_id"]: r["parallel_id"] for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "m.sqlite")
        pipe = default_pipeline()
        ok = [(o.article, o.events) for o in process(arts, pipe) if o.article is not None and not o.error]
        t0 = time.perf_counter()
        store.write_batch(ok, pipe.config.kb.version)
        secs = time.perf_counter() - t0
        reps = store.conn.execute(
            "SELECT e.id, e.doc_id, e.lang, e.event, json_extract(e.record, '$.text_info.sentence'), r.story_id "
            "FROM events e JOIN story_reports r ON r.event_id = e.id").fetchall()
        n_stories = store.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        store.close()
    tp = fp = fn = 0
    same_sentence_pairs = agree = 0
    for x, y in itertools.combinations(reps, 2):
        if x[2] == y[2]:
            continue  # cross-language pairs only
        px, py = parallel[x[1]], parallel[y[1]]
        # aligned sentences, or a headline (sentence 0) and the sentence that tells its event
        aligned = px == py and (abs(x[4] - y[4]) <= 1 or x[4] == 0 or y[4] == 0)
        gold = aligned and x[3] == y[3]
        pred = x[5] == y[5]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
        if aligned:
            same_sentence_pairs += 1
            agree += x[3] == y[3]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"articles": len(arts), "reports": len(reps), "stories": n_stories,
            "cross_language_pairs": {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
                                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0},
            "agreement": {"aligned_report_pairs": same_sentence_pairs,
                          "same_type": round(agree / same_sentence_pairs, 3) if same_sentence_pairs else None},
            "store_and_merge_seconds": round(secs, 2)}


def scale(n_events: int, day_events: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(dir=os.environ.get("CRONACA_BENCH_TMP")) as tmp:
        path = Path(tmp) / "big.sqlite"
        store = Store(path)
        c = store.conn
        # about 2.7 reports per real event: build real events until n_events reports exist
        t0 = time.perf_counter()
        total, seed = 0, 1
        merge_secs = 0.0
        while total < n_events:
            reals = list(synthetic.real_events(20_000, start=dt.date(2023, 1, 1), days=730, seed=seed))
            c.execute("BEGIN IMMEDIATE")
            ids = synthetic.insert_reports(c, iter(reals), seed=seed)
            tm = time.perf_counter()
            stories.merge_events(c, ids)
            merge_secs += time.perf_counter() - tm
            c.execute("COMMIT")
            total += len(ids)
            seed += 1
            print(f"  {total:,} reports stored and merged", file=sys.stderr)
        load_secs = time.perf_counter() - t0
        n_stories = c.execute("SELECT count(*) FROM stories").fetchone()[0]
        # dyad timelines: the busiest dyad and a mid-sized one
        dyads = c.execute("SELECT a, b, count(*) n FROM story_dyads GROUP BY a, b ORDER BY n DESC").fetchall()
        timings = {}
        for label, (a, b, n) in (("busiest", dyads[0]), ("median", dyads[len(dyads) // 2])):
            ts = []
            for _ in range(7):
                t = time.perf_counter()
                frame = analytics.dyad_frame(store, a, b, by="month")
                ts.append(time.perf_counter() - t)
            timings[label] = {"dyad": f"{a}-{b}", "stories_in_dyad_directed": n, "periods": frame.height,
                              "median_ms": round(statistics.median(ts) * 1000, 1),
                              "max_ms": round(max(ts) * 1000, 1)}
        # a new day's reports
        reals = []
        s = 10_000
        while sum(r["reports"] for r in reals) < day_events:
            reals.extend(synthetic.real_events(5_000, start=dt.date(2025, 1, 2), days=1, seed=s))
            s += 1
        c.execute("BEGIN IMMEDIATE")
        ids = synthetic.insert_reports(c, iter(reals), seed=s)[:day_events]
        t = time.perf_counter()
        merged = stories.merge_events(c, ids)
        day_secs = time.perf_counter() - t
        c.execute("COMMIT")
        size = path.stat().st_size
        store.close()
    return {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "reports": total, "stories": n_stories, "load_and_merge_seconds": round(load_secs, 1),
            "merge_seconds_during_load": round(merge_secs, 1), "store_mb": round(size / 1e6),
            "dyad_timeline": timings,
            "day_merge": {"new_reports": merged, "seconds": round(day_secs, 2),
                          "reports_per_second": round(merged / day_secs)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["meantime", "scale", "all"])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--day", type=int, default=100_000)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.what in ("meantime", "all"):
        res = meantime()
        (OUT / "monitor_meantime.json").write_text(json.dumps(res, indent=2) + "\n")
        print(json.dumps(res, indent=2))
    if args.what in ("scale", "all"):
        res = scale(args.events, args.day)
        (OUT / "monitor_scale.json").write_text(json.dumps(res, indent=2) + "\n")
        print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
