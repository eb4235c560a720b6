"""Ingest throughput and memory at scale (issue 8), results in bench-results/scale.json.

    python benchmarks/scale_bench.py [--big 100000] [--skip-big] [--dask]

- articles per second with 1 and 2 worker processes over ../shared/corpus/wikinews_it.jsonl
  and dice_it_crime.jsonl (extract + merge + store; the knowledge base is loaded before the
  clock starts);
- peak resident memory (the writer process and the largest worker) for 10,000 and for
  100,000 articles (dice_it_crime repeated, each copy a distinct article), to show it does
  not grow with the corpus;
- with --dask, the same corpus through a Dask LocalCluster (2 workers).

Each measurement runs in a fresh Python process, so peak memory is that run's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

RUN = r"""
import json, resource, sys, time
sys.path.insert(0, {src!r})
from cronaca.api import ingest
from cronaca.pipeline import default_pipeline
from cronaca.store import Store
corpus, store, workers, engine = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
pipe = default_pipeline()
with Store(store) as s:
    t = time.perf_counter()
    if engine == "dask":
        from cronaca.distributed import ingest_dask
        rep = ingest_dask([corpus], s, workers=workers, pipeline=pipe)
    else:
        rep = ingest([corpus], s, pipeline=pipe, workers=workers, lang="it")
    secs = time.perf_counter() - t
print(json.dumps({{"articles": rep.read, "stored": rep.stored, "errors": len(rep.errors), "events": rep.events,
                  "seconds": round(secs, 1), "articles_per_s": round(rep.read / secs, 1),
                  "peak_rss_mb_writer": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "peak_rss_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}}))
"""


def run(corpus: Path, workers: int, engine: str = "local") -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        code = RUN.format(src=str(ROOT / "src"))
        out = subprocess.run([sys.executable, "-c", code, str(corpus), str(Path(tmp) / "s.sqlite"), str(workers),
                              engine], capture_output=True, text=True, check=True)
    res: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {corpus.name} workers={workers} {engine}: {res}", file=sys.stderr)
    return res


def repeated(src: Path, n: int, dest: Path) -> Path:
    """`n` articles from `src`, cycling; each copy gets its own id and a line of its own, so it
    is a distinct article (the store would skip an identical text)."""
    rows = [json.loads(x) for x in src.open(encoding="utf-8") if x.strip()]
    with dest.open("w", encoding="utf-8") as fh:
        for i in range(n):
            r = rows[i % len(rows)]
            k = i // len(rows)
            fh.write(json.dumps(r | {"doc_id": f"{r.get('doc_id', i)}-{k}", "text": r["text"] + f"\n[{k}]"},
                                ensure_ascii=False) + "\n")
    return dest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--dask", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "scale.json")
    args = ap.parse_args()
    wiki, dice = CORPUS / "wikinews_it.jsonl", CORPUS / "dice_it_crime.jsonl"
    if not wiki.exists() or not dice.exists():
        print(f"skip: {CORPUS} lacks wikinews_it.jsonl or dice_it_crime.jsonl", file=sys.stderr)
        return 0
    res: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                         f"Python {platform.python_version()}"}
    for corpus in (wiki, dice):
        for w in (1, 2):
            res[f"{corpus.stem}_workers{w}"] = run(corpus, w)
    if args.dask:
        res["dice_it_crime_dask_localcluster2"] = run(dice, 2, "dask")
    if not args.skip_big:
        with tempfile.TemporaryDirectory() as tmp:
            for n in (10_000, args.big):
                res[f"memory_{n}"] = run(repeated(dice, n, Path(tmp) / f"r{n}.jsonl"), 2)
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
