"""`make bench`: speed and memory of extract-and-store over the Italian Wikinews corpus.

Runs in one process (one core), so articles per CPU-second is articles per second
per core. Peak memory is the process's maximum resident set size. Results go to a
JSON file (default bench-results/bench.json) and a short summary to stdout.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews_it.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    ap.add_argument("--repeat", type=int, default=3, help="Timed repetitions of the coder-only pass (best kept).")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"skip: {args.corpus} not found (../shared must be beside the checkout)", file=sys.stderr)
        return 0

    from cronaca.api import ingest, process
    from cronaca.ingest import read_paths
    from cronaca.pipeline import default_pipeline
    from cronaca.store import Store

    t0 = time.perf_counter()
    pipe = default_pipeline()
    articles = [a for a in read_paths([args.corpus], lang="it")]
    pipe.extract(articles[0])  # warm caches: knowledge base, lexicons, language model
    startup = time.perf_counter() - t0
    n = len(articles)
    words = sum(len(a.text.split()) for a in articles if hasattr(a, "text"))

    best_cpu = best_wall = float("inf")
    n_events = 0
    for _ in range(args.repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        n_events = sum(len(o.events) for o in process(articles, pipe))
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)

    # time per stage (one pass), to see what dates and places cost
    from cronaca.model import Document

    stage_cpu: dict[str, float] = {st.name: 0.0 for st in pipe.stages}
    for a in articles:
        doc = Document(article=a, text=a.text, pub_date=a.pub_date)
        try:
            for st in pipe.stages:
                c0 = time.process_time()
                st(doc, pipe.config)
                stage_cpu[st.name] += time.process_time() - c0
        except Exception:
            continue
    total_stage = sum(stage_cpu.values()) or 1.0
    date_place = stage_cpu.get("dates", 0.0) + stage_cpu.get("places", 0.0)

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
        c0, w0 = time.process_time(), time.perf_counter()
        rep = ingest([args.corpus], store, lang="it", pipeline=pipe)
        store_cpu = time.process_time() - c0
        store_wall = time.perf_counter() - w0
        store_bytes = (Path(tmp) / "bench.sqlite").stat().st_size

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "corpus": str(args.corpus.name),
        "articles": n,
        "words": words,
        "startup_s": round(startup, 3),
        "coder_only": {"cpu_s": round(best_cpu, 3), "wall_s": round(best_wall, 3),
                        "articles_per_s_per_core": round(n / best_cpu, 1), "events": n_events},
        "extract_and_store": {"cpu_s": round(store_cpu, 3), "wall_s": round(store_wall, 3),
                              "articles_per_s_per_core": round(rep.read / store_cpu, 1),
                              "events": rep.events, "errors": len(rep.errors), "store_mb": round(store_bytes / 1e6, 2)},
        "stage_cpu_s": {k: round(v, 3) for k, v in stage_cpu.items()},
        "dates_and_places_share": round(date_place / total_stage, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "target_articles_per_s_per_core": 100,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    es = result["extract_and_store"]
    print(f"{n} articles ({words:,} words): extract+store {es['articles_per_s_per_core']} articles/s per core "
          f"({es['cpu_s']} s CPU), coder only {result['coder_only']['articles_per_s_per_core']} articles/s per core, "
          f"peak RSS {result['peak_rss_mb']} MB, startup {result['startup_s']} s; dates+places "
          f"{result['dates_and_places_share'] * 100:.0f}% of pipeline time -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
