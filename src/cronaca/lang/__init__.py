"""Language packs: per-language data (cues, trigger lexicons) plus a verb-form generator.

A pack is a folder `lang/<code>/` holding `pack.yaml` (function words, cues,
calendar words) and `triggers.yaml` (PLOVER trigger lexicon). Adding a language
is adding data; the only code per language is the regular-verb generator below,
because listing every inflected form of every verb by hand is how lexicons rot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..ontology import check_event
from ..text import phrase_norms
from ..yamlio import load_yaml

SUPPORTED = ("it", "en", "fr", "es", "de")



class LexiconError(ValueError):
    """A language-pack file is malformed; the message names the file and entry."""


# Regular conjugation endings, tagged with the tense cronaca cares about:
# future -> modality future; cond -> hypothetical; part -> passive/reduced relative.
# The "voi" present (-ate, -ite) is left out: in news those strings are feminine plural
# participles ("sono state arrestate"), and a "pres" tag would make them active.
_IT = {
    "are": {"pres": "o i a iamo ano", "past": "ò ai ammo aste arono ava avano avo",
            "part": "ato ata ati ate", "fut": "erà eranno erò eremo erete", "cond": "erebbe erebbero erei eremmo",
            "inf": "are", "ger": "ando", "subj": "i ino asse assero"},
    "ere": {"pres": "o i e iamo ete ono", "past": "é ette erono ettero eva evano evo",
            "part": "uto uta uti ute", "fut": "erà eranno erò", "cond": "erebbe erebbero",
            "inf": "ere", "ger": "endo", "subj": "a ano esse essero"},
    "ire": {"pres": "o i e iamo ono isco isci isce iscono", "past": "ì irono iva ivano",
            "part": "ito ita iti ite", "fut": "irà iranno irò", "cond": "irebbe irebbero",
            "inf": "ire", "ger": "endo", "subj": "a ano isca iscano isse issero"},
}  # fmt: skip
_FR = {
    "er": {"pres": "e es ons ez ent", "past": "a èrent ait aient", "part": "é ée és ées",
           "fut": "era eront", "cond": "erait eraient", "inf": "er", "ger": "ant"},
    "ir": {"pres": "it issons issez issent is", "past": "it irent issait issaient", "part": "i ie is ies",
           "fut": "ira iront", "cond": "irait iraient", "inf": "ir", "ger": "issant"},
}  # fmt: skip
_ES = {
    "ar": {"pres": "o a an amos", "past": "ó aron aba aban é", "part": "ado ada ados adas",
           "fut": "ará arán", "cond": "aría arían", "inf": "ar", "ger": "ando", "subj": "e en"},
    "er": {"pres": "o e en emos", "past": "ió ieron ía ían í", "part": "ido ida idos idas",
           "fut": "erá erán", "cond": "ería erían", "inf": "er", "ger": "iendo", "subj": "a an"},
    "ir": {"pres": "o e en imos", "past": "ió ieron ía ían í", "part": "ido ida idos idas",
           "fut": "irá irán", "cond": "iría irían", "inf": "ir", "ger": "iendo", "subj": "a an"},
}  # fmt: skip


def _en_forms(lemma: str) -> dict[str, str]:
    out = {lemma: "pres"}
    if lemma.endswith("e"):
        out[lemma + "s"] = "pres"
        out[lemma + "d"] = "past"
        out[lemma[:-1] + "ing"] = "ger"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out[lemma[:-1] + "ies"] = "pres"
        out[lemma[:-1] + "ied"] = "past"
        out[lemma + "ing"] = "ger"
    else:
        es = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")
        out[es] = "pres"
        out[lemma + "ed"] = "past"
        out[lemma + "ing"] = "ger"
    return out


def _it_stem_fix(stem: str, ending: str) -> str:
    # cercare -> cercherà, pagare -> pagherà: keep the hard sound before e/i
    if stem.endswith(("c", "g")) and ending[:1] in ("e", "i"):
        return stem + "h"
    # inviare -> invii? (no: invia, inviano); studiare -> studi (not studii)
    if stem.endswith("i") and ending[:1] == "i":
        return stem[:-1]
    return stem


#: future endings of a literal form's last word ("si riuniranno", "se reunirán", "se réuniront")
_FUTURE_ENDINGS = {"it": ("ranno", "rà", "remo", "rete"), "es": ("rán", "rá", "remos", "réis"),
                   "fr": ("ront", "rons", "rez")}


def _literal_tense(form: str, lang: str) -> str:
    """Literal forms in the data are past unless tagged; a future ending says otherwise."""
    last = form.split()[-1].lower() if form.split() else ""
    return "fut" if len(last) > 5 and last.endswith(_FUTURE_ENDINGS.get(lang, ())) else "past"


def verb_forms(lang: str, lemma: str) -> dict[str, str]:
    """Regular forms of a verb with a tense tag each. Irregular forms come from data."""
    lemma = lemma.strip()
    if " " in lemma:  # phrasal: conjugate the first word ("take part", "prendere parte")
        head, rest = lemma.split(" ", 1)
        return {f"{f} {rest}": t for f, t in verb_forms(lang, head).items()}
    forms: dict[str, str] = {}
    if lang == "en":
        return _en_forms(lemma)
    table: dict[str, dict[str, str]] = {}
    if lang == "it":
        table = _IT
    elif lang == "fr":
        table = _FR
    elif lang == "es":
        table = _ES
    if lang == "de":
        # German: stems + endings; participles and separable prefixes come from data
        stem = lemma[:-2] if lemma.endswith("en") else lemma[:-1]
        for e, t in (("e", "pres"), ("t", "pres"), ("en", "pres"), ("te", "past"), ("ten", "past"),
                     ("et", "pres"), ("ete", "past"), ("eten", "past")):
            forms.setdefault(stem + e, t)
        forms[lemma] = "inf"
        return forms
    for suffix, tenses in table.items():
        if lemma.endswith(suffix):
            stem = lemma[: -len(suffix)]
            for tense, endings in tenses.items():
                for e in endings.split():
                    s = _it_stem_fix(stem, e) if lang == "it" else stem
                    forms.setdefault(s + e, tense)
            break
    else:
        forms[lemma] = "inf"
    return forms


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lexicon entry. `forms` maps token tuples to a tense tag."""

    id: str
    event: str
    mode: str | None
    cameo: str
    forms: dict[tuple[str, ...], str]
    with_: tuple[tuple[str, ...], ...]  # an object that must follow (or precede) nearby
    without: tuple[tuple[str, ...], ...]  # words that veto the trigger in the window
    window: int
    nominal: bool
    symmetric: bool
    role_hint: str | None  # "visit": recipient is the place's country, etc.
    context: tuple[str, ...]
    intransitive: bool = False  # "è arrivato": an essere-participle that is not passive


@dataclass(frozen=True, slots=True)
class Pack:
    lang: str
    data: dict[str, Any]
    triggers: tuple[TriggerEntry, ...]

    def words(self, key: str) -> frozenset[str]:
        return _words(self.lang, key)

    def phrases(self, key: str) -> tuple[tuple[str, ...], ...]:
        return _phrases(self.lang, key)


@cache
def _words(lang: str, key: str) -> frozenset[str]:
    return frozenset(str(x).casefold() for x in pack(lang).data.get(key, []))


@cache
def _phrases(lang: str, key: str) -> tuple[tuple[str, ...], ...]:
    """Multi-word cues as token tuples, longest first (tokenising them once per process)."""
    return tuple(sorted({phrase_norms(str(p), lang) for p in pack(lang).data.get(key, [])}, key=len, reverse=True))


def _load_triggers(lang: str, raw: list[dict[str, Any]], fname: str) -> tuple[TriggerEntry, ...]:
    out = []
    for rec in raw:
        rid = rec.get("id", "?")
        where = f"{fname}:{rid}"
        try:
            check_event(rec["event"], rec.get("mode"))
        except (KeyError, ValueError) as e:
            raise LexiconError(f"{where}: {e}") from e
        forms: dict[tuple[str, ...], str] = {}
        # nouns first: "visita" is read as the noun, not as "visitare" in the present
        for f in rec.get("nouns", []):
            forms.setdefault(phrase_norms(f, lang), "noun")
        for v in rec.get("verbs", []):
            for f, t in verb_forms(lang, v).items():
                # generated forms of 1-3 letters ("di" from "dire", "do" from "dare")
                # collide with function words; list such forms explicitly if needed
                if len(f) >= 4 or " " in f:
                    forms.setdefault(phrase_norms(f, lang), t)
        for f in rec.get("forms", []):
            tense = _literal_tense(str(f), lang)
            if isinstance(f, dict):
                (f, tense), = f.items()
            forms.setdefault(phrase_norms(str(f), lang), tense)
        for f in rec.get("except", []):
            forms.pop(phrase_norms(str(f), lang), None)
        if not forms:
            raise LexiconError(f"{where}: no verbs, forms or nouns")
        out.append(
            TriggerEntry(
                id=rid,
                event=rec["event"],
                mode=rec.get("mode"),
                cameo=str(rec.get("cameo", "")),
                forms=forms,
                with_=tuple(phrase_norms(w, lang) for w in rec.get("with", [])),
                without=tuple(phrase_norms(w, lang) for w in rec.get("without", [])),
                window=int(rec.get("window", 6)),
                nominal=bool(rec.get("nominal", False)) or bool(rec.get("nouns")),
                symmetric=bool(rec.get("symmetric", False)),
                role_hint=rec.get("role"),
                context=tuple(rec.get("context", [])),
                intransitive=bool(rec.get("intransitive", False)),
            )
        )
    return tuple(out)


@cache
def pack(lang: str) -> Pack:
    if lang not in SUPPORTED:
        raise LexiconError(f"no language pack for {lang!r} (supported: {', '.join(SUPPORTED)})")
    base = resources.files(__package__).joinpath(lang)
    try:
        data = load_yaml(base.joinpath("pack.yaml").read_text("utf-8")) or {}
        trig = load_yaml(base.joinpath("triggers.yaml").read_text("utf-8")) or []
    except yaml.YAMLError as e:
        raise LexiconError(f"lang/{lang}: not valid YAML: {e}") from e
    except FileNotFoundError as e:
        raise LexiconError(f"lang/{lang}: the language pack is incomplete ({e.filename} is missing)") from e
    return Pack(lang=lang, data=data, triggers=_load_triggers(lang, trig, f"lang/{lang}/triggers.yaml"))
