"""The small stages (text checks, language, tokens) and the default stage order."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..lang import SUPPORTED, pack
from ..model import Document
from ..text import split_sentences, tokenize
from . import ArticleError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NormaliseStage:
    """Refuse what is not article text; never rewrite the text (offsets must stay exact)."""

    name = "normalise"
    requires = ("text",)
    assigns = ("checked",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        text = doc.text
        if not text or not text.strip():
            raise ArticleError("empty text")
        if len(text) > config.max_chars:
            raise ArticleError(f"text too long ({len(text):,} characters; the limit is {config.max_chars:,})")
        sample = text[:20000]
        bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
        if bad > max(8, len(sample) // 100):
            raise ArticleError("looks binary or mis-decoded (control or replacement characters)")
        letters = sum(c.isalpha() for c in sample)
        if letters < max(10, len(sample) // 10):
            raise ArticleError("no running text (too few letters)")


class LangStage:
    """Language id restricted to the supported packs; `Config.default_lang` or the article's own lang wins."""

    name = "langid"
    requires = ("checked",)
    assigns = ("lang",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        given = config.default_lang or doc.article.lang
        if given:
            lang = given.lower()[:2]
        else:
            lang = identify(doc.text, config.languages)
        if lang not in SUPPORTED:
            raise ArticleError(f"language {lang!r} is not supported (supported: {', '.join(SUPPORTED)})")
        doc.lang = lang


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> Any:
    """A private py3langid model restricted to `languages` (its module-level one is shared)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    ident.set_languages(list(languages))
    return ident


def identify(text: str, languages: tuple[str, ...]) -> str:
    lang, _ = _identifier(tuple(languages)).classify(text[:3000])
    return str(lang)


class TokenStage:
    name = "tokens"
    requires = ("lang",)
    assigns = ("tokens", "sentences")

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        doc.tokens = tokenize(doc.text, doc.lang)
        doc.sentences = split_sentences(doc.text, doc.tokens, pack(doc.lang).data.get("abbreviations", []))


def default_stages() -> list:  # type: ignore[type-arg]
    from .actors import MentionStage, PhraseStage
    from .dates import DateStage
    from .events import AssembleStage, ModalityStage, QuantityStage, RoleStage, TriggerStage
    from .places import PlaceStage

    # triggers before dates: the costly date recogniser then reads only sentences with an event
    return [
        NormaliseStage(), LangStage(), TokenStage(), MentionStage(), PlaceStage(), PhraseStage(),
        QuantityStage(), TriggerStage(), DateStage(), RoleStage(), ModalityStage(), AssembleStage(),
    ]
