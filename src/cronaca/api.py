"""The Python API: what the CLI (and later the web server) call.

    >>> from cronaca import extract_text
    >>> events = extract_text("Il 19 giugno 2024 Putin e Kim hanno firmato a Pyongyang un trattato.", lang="it")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import JSONL_SUFFIXES, ReadError, iter_paths, read_paths
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


def extract_text(text: str, *, lang: str | None = None, pub_date: str | None = None,
                 doc_id: str | None = None, pipeline: Pipeline | None = None) -> list[Event]:
    p = pipeline or default_pipeline()
    return p.extract(Article.make(text, lang=lang, pub_date=pub_date, doc_id=doc_id))


def process(items: Iterable[Article | ReadError], pipeline: Pipeline) -> Iterator[Outcome]:
    """Run the pipeline on each article; errors become outcomes, never exceptions."""
    for it in items:
        if isinstance(it, ReadError):
            yield Outcome(source=it.source, article=None, events=[], error=it.reason)
            continue
        src = it.source_path or it.key
        try:
            events = pipeline.extract(it)
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
        elif p.suffix.lower() in JSONL_SUFFIXES:
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
           progress: Callable[[int], None] | None = None) -> IngestReport:
    """Extract and store. Each batch is one transaction; unchanged articles are skipped."""
    return _ingest_items(read_paths(paths, lang=lang, pub_date=pub_date), store, pipeline=pipeline,
                         batch_size=batch_size, progress=progress)


def ingest_articles(articles: Iterable[Article], store: Store, *, pipeline: Pipeline | None = None,
                    batch_size: int = 100) -> IngestReport:
    """Extract and store articles already in memory (the HTTP API's ingest)."""
    return _ingest_items(articles, store, pipeline=pipeline, batch_size=batch_size)


def _ingest_items(items: Iterable[Article | ReadError], store: Store, *, pipeline: Pipeline | None,
                  batch_size: int, progress: Callable[[int], None] | None = None) -> IngestReport:
    p = pipeline or default_pipeline()
    kb_version = p.config.kb.version
    report = IngestReport()

    def todo() -> Iterator[Article | ReadError]:
        for it in items:
            if isinstance(it, Article) and store.has_article(it.id, kb_version):
                report.read += 1
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            yield it

    for chunk in iter_chunks(process(todo(), p), batch_size):
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
