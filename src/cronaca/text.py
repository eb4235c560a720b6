"""Tokens and sentences without a trained model.

One compiled regular expression per language family does the work: this is
where most of cronaca's per-article time would go otherwise, and a regex scan
keeps offsets exact (every token is a view into the untouched article text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .model import Sentence, Token

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-"})

# Elision (l'Esercito, dell'Ucraina, qu'il) splits after the apostrophe.
_ELISION = r"[^\W\d_]{1,6}['\u2019](?=[^\W\d_])"
# English clitics split before the apostrophe (Korea's -> Korea 's; didn't -> did n't).
_EN_CLITIC = r"n['\u2019]t\b|['\u2019](?:s|re|ve|ll|d|m)\b"
_NUMBER = r"\d+(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"
_ACRONYM = r"(?:[A-Z]\.){2,}"
_WORD = rf"{_ACRONYM}|[^\W\d_]\w*(?:[-\u2010\u2011]\w+)*"
# "US-led", "Somalia-based", "UN-brokered": the name is a token of its own (its state takes part)
_EN_LED = r"[^\W\d_][\w-]*?(?=-(?:led|based|born|brokered|run|owned|headquartered)\b)"
_WORD_EN = _EN_LED + r"|[^\W\d_]\w*?(?=n['\u2019]t\b)|" + _WORD

_NUMBER_FR = r"\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)|" + _NUMBER  # "10 000 soldats"
_TOKEN_RES: dict[str, re.Pattern[str]] = {
    "elision": re.compile(rf"{_ELISION}|{_NUMBER}|{_WORD}|\S", re.UNICODE),
    "fr": re.compile(rf"{_ELISION}|{_NUMBER_FR}|{_WORD}|\S", re.UNICODE),
    "en": re.compile(rf"{_EN_CLITIC}|{_NUMBER}|{_WORD_EN}|\S", re.UNICODE),
}
_FAMILY = {"en": "en", "fr": "fr"}


def norm(s: str) -> str:
    """Matching form of a token or phrase: case-folded, one kind of apostrophe and dash."""
    return s.translate(_APOS).translate(_DASHES).casefold()


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def tokenize(text: str, lang: str = "it", start: int = 0, end: int | None = None) -> list[Token]:
    rx = _TOKEN_RES[_FAMILY.get(lang, "elision")]
    out: list[Token] = []
    for m in rx.finditer(text, start, len(text) if end is None else end):
        t = m.group()
        out.append(
            Token(
                start=m.start(),
                end=m.end(),
                text=t,
                norm=norm(t),
                is_upper_initial=t[:1].isupper(),
            )
        )
    return out


def phrase_norms(phrase: str, lang: str = "it") -> tuple[str, ...]:
    """How a knowledge-base or lexicon phrase is tokenised, so it matches article tokens."""
    return tuple(t.norm for t in tokenize(phrase, lang))


_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u00bb)\]]*(?=\s)|\n+")
_CLOSERS = "\"'\u201d\u00bb)]"


def split_sentences(
    text: str, tokens: list[Token], abbreviations: Iterable[str] = ()
) -> list[Sentence]:
    """Sentences from punctuation and line breaks; a blank line starts a new paragraph.

    A period ends a sentence unless it closes a known abbreviation, an initial
    ("J. Smith"), or the next word starts in lower case.
    """
    abbr = {a.casefold().rstrip(".") for a in abbreviations}
    bounds: list[tuple[int, int, int]] = []  # (start, end, paragraph)
    para = 0
    pos = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        end = m.end()
        piece = m.group()
        if piece.startswith("\n"):
            seg_end = m.start()
            if text[pos:seg_end].strip():
                bounds.append((pos, seg_end, para))
            para += 1
            pos = end
            continue
        # punctuation: check abbreviation / initial / lowercase continuation
        before = text[max(pos, m.start() - 12) : m.start()]
        word = re.findall(r"[\w.]+$", before)
        w = word[0].casefold() if word else ""
        if piece[0] == "." and (w in abbr or (len(w) == 1 and w.isalpha())):
            continue
        nxt = re.match(r"\s*(\S)", text[end : end + 8])
        if nxt and piece[0] == "." and nxt.group(1).islower():
            continue
        if text[pos:end].strip():
            bounds.append((pos, end, para))
        pos = end
    if pos < n and text[pos:].strip():
        bounds.append((pos, n, para))

    sentences: list[Sentence] = []
    ti = 0
    for i, (s, e, p) in enumerate(bounds):
        # trim whitespace so evidence spans are clean
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while ti < len(tokens) and tokens[ti].end <= s:
            ti += 1
        t0 = ti
        while ti < len(tokens) and tokens[ti].start < e:
            ti += 1
        sentences.append(Sentence(index=i, start=s, end=e, paragraph=p, tok_start=t0, tok_end=ti))
    return sentences
