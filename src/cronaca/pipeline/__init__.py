"""The extraction pipeline: explicit stages over one `Document`.

Each stage declares the annotations it `requires` and `assigns`; `Pipeline`
checks the chain when it is built, so a misordered pipeline fails at start-up
rather than in the middle of a batch. Stages are plain callables on a Document,
which keeps each one testable alone on a small fixture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..kb import KnowledgeBase, default_kb
from ..model import Article, Document, Event


class PipelineError(ValueError):
    """The stages do not fit together (a requirement no earlier stage assigns)."""


class ArticleError(ValueError):
    """This article cannot be processed; the message says why in one line."""


@dataclass(frozen=True)
class Config:
    """Resolved once and passed explicitly: no module-level mutable settings."""

    kb: KnowledgeBase = field(default_factory=default_kb)
    languages: tuple[str, ...] = ("it", "en", "fr", "es", "de")
    default_lang: str | None = None  # force a language instead of identifying it
    max_chars: int = 2_000_000  # longer texts are refused with a clear reason
    keep_hypothetical: bool = False  # speculative events are dropped unless asked for
    keep_negated: bool = False
    require_actor: bool = True  # False: keep events whose actor is unknown (type-only evaluation)
    date_backend: str = "auto"  # "rules", "rules+duckling", or "auto" (Duckling for all but Italian)
    max_seconds: float = 60.0  # one article taking longer is stopped and reported (see api.process)


class Stage(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def assigns(self) -> tuple[str, ...]: ...

    def __call__(self, doc: Document, config: Config) -> None: ...


class Pipeline:
    def __init__(self, stages: Sequence[Stage], config: Config | None = None) -> None:
        self.stages = list(stages)
        self.config = config or Config()
        have: set[str] = {"text"}
        for st in self.stages:
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {missing} but no earlier stage assigns it"
                )
            have.update(st.assigns)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run(self, article: Article) -> Document:
        doc = Document(article=article, text=article.text, pub_date=article.pub_date)
        for st in self.stages:
            st(doc, self.config)
            doc.done.add(st.name)
        return doc

    def extract(self, article: Article) -> list[Event]:
        return self.run(article).events

    def extract_many(self, articles: Iterable[Article]) -> Iterable[tuple[Article, list[Event]]]:
        for a in articles:
            yield a, self.extract(a)


def default_pipeline(config: Config | None = None) -> Pipeline:
    from .stages import default_stages

    return Pipeline(default_stages(), config)
