"""Resolve a short actor phrase ("the North Korean leader", "ex premier Renzi") to an entity.

This is the same mention and phrase machinery the pipeline uses on articles, run
on one phrase, plus the few rules that only matter for a phrase out of context:
"former"/"ex" makes a person ELI, and of several actor phrases the one that
covers most of the text wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Article, Document

_FORMER = frozenset({"former", "ex", "ex-", "ehemalige", "ehemaliger", "ehemaligen", "ancien", "ancienne",
                     "exministro", "expresidente", "ex-président", "ex-premier", "бывший", "бывшего", "экс"})


_BASED = re.compile(r"\b([A-Z][\w.'’]*)-(based|born|headquartered)\b")
_LOCATIVE = frozenset({"in", "at", "near", "a", "nel", "nella", "ad", "à", "au", "en", "dans", "près", "cerca", "bei", "im"})


@dataclass(frozen=True)
class Resolution:
    text: str
    code: str | None
    sector: str | None
    identifier_id: str | None
    name: str | None
    why: str
    _covered: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "code": self.code, "sector": self.sector,
                "identifier_id": self.identifier_id, "name": self.name, "why": self.why}


class Resolver:
    """Reusable (the stages are built once); `resolve` is cheap per phrase."""

    def __init__(self, kb: Any = None) -> None:
        from ..pipeline import Config, Pipeline
        from ..pipeline.actors import MentionStage, PhraseStage
        from ..pipeline.stages import TokenStage

        cfg = Config(kb=kb) if kb is not None else Config()
        self.kb = cfg.kb
        self._pipe = Pipeline([_Given(), TokenStage(), MentionStage(), PhraseStage()], cfg)

    def resolve(self, text: str, *, lang: str | None = None, date: str | None = None) -> Resolution:
        """Without a language, every pack is tried and the reading that covers most text wins."""
        if lang is None:
            from ..lang import SUPPORTED

            tries = [self.resolve(text, lang=lg, date=date) for lg in SUPPORTED]
            return max(tries, key=lambda r: (r.code is not None, r.sector is not None, r._covered))
        # "a Somalia-based group", "a London-born writer": the place before the hyphen
        clean = _BASED.sub(r"\1", text.strip())
        if not clean:
            return Resolution(text=text, code=None, sector=None, identifier_id=None, name=None, why="empty")
        doc: Document = self._pipe.run(Article.make(clean, lang=lang, pub_date=date))
        if not doc.phrases:
            city = self._city(doc)
            if city is not None:
                return city
            roles = [m for m in doc.mentions if m.kind == "role"]
            if roles:
                role = roles[-1] if doc.lang in ("en", "de") else roles[0]
                sector = role.entity.sector
                if {t.norm for t in doc.tokens[: role.tok_start]} & _FORMER and sector == "GOV":
                    sector = "ELI"
                return Resolution(text=text, code=None, sector=sector, identifier_id=None,
                                  name=None, why=f"role phrase {clean[role.start:role.end]!r}, no country")
            return Resolution(text=text, code=None, sector=None, identifier_id=None, name=None, why="no match")
        best = max(doc.phrases, key=lambda ph: (ph.end - ph.start, -ph.start))
        e = best.entities[0]
        sector = e.sector
        lead = {t.norm for t in doc.tokens[max(0, best.tok_start - 3) : best.tok_end]}
        why = best.why
        if best.prep in _LOCATIVE and best.kinds <= {"name", "seat"} and best.tok_start > 1:
            # "officials in Kabul", "targets in Syria": the place says where, and only a
            # role before it says who (a seat is no longer the government there)
            roles = [m for m in doc.mentions if m.kind == "role" and m.tok_end <= best.tok_start]
            sector = (roles[-1] if doc.lang in ("en", "de") else roles[0]).entity.sector if roles else None
            why += f"; a place after {best.prep!r} -> {sector}"
        if lead & _FORMER and (sector in ("GOV", "MIL", "SPY", "LEG", "JUD", "COP")
                               or any(m.kind == "person" for m in doc.mentions)):
            sector = "ELI"
            why += "; 'former' -> ELI"
        return Resolution(text=text, code=e.code, sector=sector, identifier_id=e.identifier_id, name=e.name,
                          why=f"{doc.lang}: {why}", _covered=best.end - best.start)


    @staticmethod
    def _city(doc: Document) -> Resolution | None:
        """"Shanghai authorities", "Kano State government": a city stands for its state."""

        toks = doc.tokens
        roles = [m for m in doc.mentions if m.kind == "role"]
        role = (roles[-1] if doc.lang in ("en", "de") else roles[0]) if roles else None
        content = [t for t in toks if t.norm not in ("the", "a", "an", "il", "la", "le", "les", "el", "los", "der", "die")]
        in_role = {t_i for m in roles for t_i in range(m.tok_start, m.tok_end)}
        for n in (3, 2, 1):
            # a person's name is not a city ("Feliciano Valencia"): the city must be the whole
            # phrase, or come with a role ("Shanghai authorities")
            if role is None and n != len(content):
                continue
            for i in range(len(toks) - n + 1):
                span = toks[i : i + n]
                if not all(t.is_upper_initial for t in span) or any(t_i in in_role for t_i in range(i, i + n)):
                    continue
                # nor is a capitalised word next to other capitalised words that are no role:
                # "Sen. Feliciano Valencia", "Chief Minister Jam Kamal Khan"
                near = [k for k in (i - 1, i + n) if 0 <= k < len(toks)]
                if any(toks[k].is_upper_initial and toks[k].text[:1].isalpha() and k not in in_role for k in near):
                    continue
                name = " ".join(t.text for t in span)
                found = _place(name, whole=(n == len(content)))
                if found is not None:
                    code, label, kind = found
                    # a place standing alone as an actor is its people (NGEC/PLOVER: CVL)
                    return Resolution(text=doc.text, code=code, sector=role.entity.sector if role else "CVL",
                                      identifier_id=None, name=label, why=f"{doc.lang}: {kind} {label} ({code})",
                                      _covered=span[-1].end - span[0].start)
        return None


def _place(name: str, *, whole: bool) -> tuple[str, str, str] | None:
    """A city (GeoNames, over 15,000 people), else a first-level region ("Rakhine",
    "Scotland"), else, only when the name is the whole phrase, a small town ("Mongwalu")."""
    from .cities import fold, lookup
    from .places import gazetteer

    city = lookup(name)
    if city is not None:
        return city.code, city.name, f"city (GeoNames {city.geonames_id})"
    towns, regions = gazetteer()
    key = fold(name)
    if regions.get(key):
        g = regions[key][0]
        return g.code, g.name, "region"
    if whole and towns.get(key):
        g = towns[key][0]
        return g.code, g.name, "town"
    return None


class _Given:
    """The phrase's language is given, not identified: a few words are too few for langid."""

    name = "langid"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("lang", "checked")

    def __call__(self, doc: Document, config: Any) -> None:
        doc.lang = (doc.article.lang or "en")[:2]
