"""The Python API: what the CLI (and later the web server) call.

    >>> from cronaca import extract_text
    >>> events = extract_text("Il 19 giugno 2024 Putin e Kim hanno firmato a Pyongyang un trattato.", lang="it")
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import CSV_SUFFIXES, JSONL_SUFFIXES, ReadError, iter_paths, read_paths
from .model import Article, Event
from .pipeline import ArticleError, Config, Pipeline, default_pipeline
from .store import Store, iter_chunks


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    events: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True)
class Outcome:
    """One input's result: an article with its events, or an error with its reason."""

    source: str
    article: Article | None
    events: list[Event]
    error: str | None = None


_FORKED: Pipeline | None = None  # the parent's pipeline, inherited by forked workers


def _code_chunk(chunk: list[Article | ReadError]) -> list[Outcome]:
    assert _FORKED is not None, "worker started without a pipeline"
    return list(process(chunk, _FORKED))


def process_parallel(items: Iterable[Article | ReadError], pipeline: Pipeline, workers: int,
                     chunk_size: int = 16) -> Iterator[Outcome]:
    """`process` on `workers` processes, in input order, with a bounded number of chunks in
    flight (memory stays flat however long the input). Workers are forked, so they share the
    loaded knowledge base instead of each loading its own."""
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    global _FORKED
    _FORKED = pipeline
    ctx = mp.get_context("fork")
    pending: deque[Future[list[Outcome]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for chunk in iter_chunks(items, chunk_size):
            pending.append(pool.submit(_code_chunk, chunk))
            while len(pending) >= workers * 3:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def extract_text(text: str, *, lang: str | None = None, pub_date: str | None = None,
                 doc_id: str | None = None, pipeline: Pipeline | None = None) -> list[Event]:
    p = pipeline or default_pipeline()
    return p.extract(Article.make(text, lang=lang, pub_date=pub_date, doc_id=doc_id))


class _TimeUp(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TimeUp


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop one article after `seconds` (SIGALRM; only possible in a process's main thread,
    which is where the CLI and the ingest workers run it)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def process(items: Iterable[Article | ReadError], pipeline: Pipeline) -> Iterator[Outcome]:
    """Run the pipeline on each article; errors become outcomes, never exceptions, and no
    article runs longer than the config's `max_seconds`."""
    limit = pipeline.config.max_seconds
    for it in items:
        if isinstance(it, ReadError):
            yield Outcome(source=it.source, article=None, events=[], error=it.reason)
            continue
        src = it.source_path or it.key
        try:
            with _time_limit(limit):
                events = pipeline.extract(it)
        except _TimeUp:
            yield Outcome(source=src, article=it, events=[], error=f"took longer than {limit:g} s; stopped")
        except ArticleError as e:
            yield Outcome(source=src, article=it, events=[], error=str(e))
        except RecursionError:
            yield Outcome(source=src, article=it, events=[], error="internal error: input too deeply nested")
        except Exception as e:  # one broken article never stops a batch; the reason is kept
            yield Outcome(source=src, article=it, events=[], error=f"internal error: {type(e).__name__}: {e}")
        else:
            yield Outcome(source=src, article=it, events=events)


def extract_paths(paths: Iterable[str | Path], *, lang: str | None = None, pub_date: str | None = None,
                  pipeline: Pipeline | None = None, config: Config | None = None) -> Iterator[Outcome]:
    p = pipeline or default_pipeline(config)
    yield from process(read_paths(paths, lang=lang, pub_date=pub_date), p)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """A cheap count of the articles a set of paths holds, for progress bars."""
    n = 0
    for p in iter_paths(paths):
        if isinstance(p, ReadError):
            n += 1
        elif p.suffix.lower() in JSONL_SUFFIXES or p.suffix.lower() in CSV_SUFFIXES:
            try:
                with p.open("rb") as fh:
                    n += sum(1 for line in fh if line.strip())
            except OSError:
                n += 1
        else:
            n += 1
    return n


def ingest(paths: Iterable[str | Path], store: Store, *, lang: str | None = None, pub_date: str | None = None,
           pipeline: Pipeline | None = None, batch_size: int = 100,
           progress: Callable[[int], None] | None = None, workers: int = 1) -> IngestReport:
    """Extract and store. Each batch is one transaction; unchanged articles are skipped.

    With `workers` > 1, articles are coded in that many worker processes while this
    process reads the inputs and is the only writer; results are stored in input order,
    so the store (stories included) is the same as with one worker.
    """
    return _ingest_items(read_paths(paths, lang=lang, pub_date=pub_date), store, pipeline=pipeline,
                         batch_size=batch_size, progress=progress, workers=workers)


def ingest_articles(articles: Iterable[Article], store: Store, *, pipeline: Pipeline | None = None,
                    batch_size: int = 100) -> IngestReport:
    """Extract and store articles already in memory (the HTTP API's ingest)."""
    return _ingest_items(articles, store, pipeline=pipeline, batch_size=batch_size)


def skip_stored(items: Iterable[Article | ReadError], store: Store, kb_version: str, report: IngestReport,
                progress: Callable[[int], None] | None = None) -> Iterator[Article | ReadError]:
    """The inputs still to code: an article stored under this knowledge-base version is
    counted as unchanged and skipped (what makes re-ingest and restarts idempotent)."""
    for it in items:
        if isinstance(it, Article) and store.has_article(it.id, kb_version):
            report.read += 1
            report.unchanged += 1
            if progress:
                progress(1)
            continue
        yield it


def _ingest_items(items: Iterable[Article | ReadError], store: Store, *, pipeline: Pipeline | None,
                  batch_size: int, progress: Callable[[int], None] | None = None, workers: int = 1) -> IngestReport:
    p = pipeline or default_pipeline()
    kb_version = p.config.kb.version
    report = IngestReport()
    todo = skip_stored(items, store, kb_version, report, progress)
    outcomes = process(todo, p) if workers <= 1 else process_parallel(todo, p, workers)
    for chunk in iter_chunks(outcomes, batch_size):
        ok: list[tuple[Article, list[Event]]] = []
        errs: list[tuple[str, str]] = []
        for o in chunk:
            report.read += 1
            if o.error is not None:
                errs.append((o.source, o.error))
            elif o.article is not None:
                ok.append((o.article, o.events))
        report.events += store.write_batch(ok, kb_version, errs)
        report.stored += len(ok)
        report.errors.extend(errs)
        if progress:
            progress(len(chunk))
    return report


def parse_every(text: str) -> float:
    """'30s', '15m', '2h', '1d' or plain seconds, as seconds."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        raise ValueError(f"cannot read the interval {text!r}; use e.g. 30s, 15m, 2h")
    return float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m[2]]


def watch(folder: str | Path, store: Store, *, every: float = 10.0, once: bool = False,
          pipeline: Pipeline | None = None, workers: int = 1,
          on_report: Callable[[IngestReport], None] | None = None,
          stop: Callable[[], bool] | None = None) -> IngestReport:
    """Ingest the files of `folder` now and then every `every` seconds: new files and files
    that changed since they were last seen (by size and modification time). Articles already
    stored are skipped anyway, so a restart re-reads nothing twice into the store."""
    p = pipeline or default_pipeline()
    seen: dict[str, tuple[int, int]] = {}

    def rounds() -> Iterator[IngestReport]:
        todo = []
        for f in iter_paths([folder]):
            if isinstance(f, ReadError):
                continue
            try:
                st = f.stat()
            except OSError:
                continue
            key = (st.st_size, st.st_mtime_ns)
            if seen.get(str(f)) != key:
                seen[str(f)] = key
                todo.append(f)
        if todo:
            yield ingest(todo, store, pipeline=p, workers=workers)

    return _repeat(rounds, every=every, once=once, on_report=on_report, stop=stop)


def poll(feeds: list[str], store: Store, *, every: float = 900.0, once: bool = False,
         pipeline: Pipeline | None = None, on_report: Callable[[IngestReport], None] | None = None,
         stop: Callable[[], bool] | None = None) -> IngestReport:
    """Read RSS/Atom feeds (URLs or files) now and then every `every` seconds; entries already
    stored are skipped. A feed that fails is reported and tried again next time."""
    from .ingest import read_feed

    p = pipeline or default_pipeline()

    def rounds() -> Iterator[IngestReport]:
        for feed in feeds:
            items = read_feed(feed) if feed.startswith(("http://", "https://")) else read_paths([feed])
            yield _ingest_items(items, store, pipeline=p, batch_size=100)

    return _repeat(rounds, every=every, once=once, on_report=on_report, stop=stop)


def _repeat(rounds: Callable[[], Iterable[IngestReport]], *, every: float, once: bool,
            on_report: Callable[[IngestReport], None] | None, stop: Callable[[], bool] | None) -> IngestReport:
    """Run `rounds` now and every `every` seconds until `once` or `stop()`; the sum of reports."""
    import time

    total = IngestReport()
    while True:
        for rep in rounds():
            _add(total, rep)
            if on_report:
                on_report(rep)
        if once or (stop and stop()):
            return total
        time.sleep(every)


def _add(total: IngestReport, rep: IngestReport) -> None:
    total.read += rep.read
    total.stored += rep.stored
    total.unchanged += rep.unchanged
    total.events += rep.events
    total.errors.extend(rep.errors)
