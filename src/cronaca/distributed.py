"""Ingest on a Dask cluster: workers code articles and write Parquet partitions; this
process loads the partitions into the store, in input order, as the only writer.

    cronaca ingest CORPUS --engine dask                                  # a LocalCluster here
    cronaca ingest CORPUS --engine dask --scheduler tcp://HOST:8786 --partitions /shared/cronaca-parts

Why partitions: the store is one SQLite file with one writer; the expensive part (coding)
runs on the cluster, and what comes back is small, columnar and durable. A partition is a
Parquet file with one row per input (article fields, its events as SPEC.md JSON records, or
the reason it failed); `load_partitions` stores a folder of them, so a backfill can also be
coded on a cluster now and loaded later (`cronaca load-parts DIR`).

On a real cluster every worker needs cronaca installed (same version, same knowledge base:
the version is checked) and `--partitions` must be a folder every worker and this machine
can reach (NFS, a mounted bucket). See docs/scale.md.
"""

from __future__ import annotations

import json
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .api import IngestReport, process, skip_stored
from .ingest import ReadError, read_paths
from .model import Article
from .pipeline import Pipeline, default_pipeline
from .store import Store, article_row, iter_chunks

_SCHEMA_COLS = ("id", "doc_id", "text", "lang", "title", "url", "outlet", "pub_date", "source", "events", "error",
                "kb_version")
_WORKER_PIPELINE: Pipeline | None = None


def _pipeline() -> Pipeline:
    """One pipeline per worker process, built on its first task (loading the KB takes seconds)."""
    global _WORKER_PIPELINE
    if _WORKER_PIPELINE is None:
        _WORKER_PIPELINE = default_pipeline()
    return _WORKER_PIPELINE


def code_partition(items: list[dict[str, Any]], out: str) -> str:
    """A cluster task: code a batch of inputs and write them to the Parquet file `out`."""
    import polars as pl

    pipe = _pipeline()
    arts: list[Article | ReadError] = [
        ReadError(x["source"], x["error"]) if x.get("error") else Article(**{k: x[k] for k in (
            "id", "text", "doc_id", "lang", "title", "url", "outlet", "pub_date", "source_path")})
        for x in items]
    rows: list[dict[str, Any]] = []
    for o in process(arts, pipe):
        if o.article is None:
            empty: dict[str, str | None] = dict.fromkeys(_SCHEMA_COLS)
            rows.append(empty | {"source": o.source, "error": o.error})
            continue
        a = article_row(o.article, o.events[0].language if o.events else o.article.lang)
        rows.append(a | {"events": json.dumps([e.to_json() for e in o.events], ensure_ascii=False),
                         "error": o.error if o.error else None, "kb_version": pipe.config.kb.version,
                         "source": o.source if o.error else a["source"]})
    tmp = out + ".part"
    pl.DataFrame(rows, schema={c: pl.Utf8 for c in _SCHEMA_COLS}).write_parquet(tmp)
    Path(tmp).replace(out)  # a partition appears whole or not at all
    return out


def load_partition(path: str | Path, store: Store, report: IngestReport) -> None:
    """Store one partition (one transaction)."""
    import polars as pl

    df = pl.read_parquet(path)
    ok: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    errs: list[tuple[str, str]] = []
    versions = set()
    for r in df.iter_rows(named=True):
        report.read += 1
        if r["error"]:
            errs.append((r["source"], r["error"]))
            continue
        versions.add(r["kb_version"])
        ok.append(({k: r[k] for k in ("id", "doc_id", "text", "lang", "title", "url", "outlet", "pub_date", "source")},
                   json.loads(r["events"])))
    if len(versions) > 1:
        raise RuntimeError(f"{path}: workers used different knowledge-base versions {sorted(versions)}")
    kb_version = next(iter(versions), "")
    report.events += store.write_records(ok, kb_version, errs)
    report.stored += len(ok)
    report.errors.extend(errs)


def load_partitions(folder: str | Path, store: Store) -> IngestReport:
    """Store every partition of a folder, in name order (the order they were cut in)."""
    report = IngestReport()
    for p in sorted(Path(folder).glob("*.parquet")):
        load_partition(p, store, report)
    return report


def _as_dict(it: Article | ReadError) -> dict[str, Any]:
    if isinstance(it, ReadError):
        return {"source": it.source, "error": it.reason}
    return {"id": it.id, "text": it.text, "doc_id": it.doc_id, "lang": it.lang, "title": it.title, "url": it.url,
            "outlet": it.outlet, "pub_date": it.pub_date, "source_path": it.source_path}


def ingest_dask(paths: Iterable[str | Path], store: Store, *, scheduler: str | None = None, workers: int = 2,
                partitions: str | Path | None = None, batch_size: int = 200, lang: str | None = None,
                pub_date: str | None = None, pipeline: Pipeline | None = None,
                progress: Callable[[int], None] | None = None) -> IngestReport:
    """Code `paths` on a Dask cluster (`scheduler` address, or a LocalCluster of `workers`
    processes) and store the results here. Inputs are streamed and at most 2 partitions per
    worker are in flight, so memory does not grow with the corpus."""
    from dask.distributed import Client, LocalCluster

    kb_version = (pipeline or default_pipeline()).config.kb.version
    report = IngestReport()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    own_dir = partitions is None
    folder = Path(tempfile.mkdtemp(prefix="cronaca-parts-")) if own_dir else Path(partitions)  # type: ignore[arg-type]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)

        pending: deque[tuple[Any, int]] = deque()

        def drain_one() -> None:
            fut, n = pending.popleft()
            path = fut.result()
            load_partition(path, store, report)
            if own_dir:
                Path(path).unlink(missing_ok=True)
            if progress:
                progress(n)

        todo = skip_stored(read_paths(paths, lang=lang, pub_date=pub_date), store, kb_version, report, progress)
        for k, chunk in enumerate(iter_chunks(todo, batch_size)):
            out = str(folder / f"part-{k:06d}.parquet")
            pending.append((client.submit(code_partition, [_as_dict(x) for x in chunk], out, pure=False),
                            len(chunk)))
            while len(pending) >= 2 * n_workers:
                drain_one()
        while pending:
            drain_one()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if own_dir:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return report
