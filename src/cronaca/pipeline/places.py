"""Toponyms to places: a gazetteer of cities, regions and sites, plus state names.

The longest form wins ("regione di Kursk" is the oblast, "Kursk" alone the city),
and a state named in the text is a country-level place. Which place is the
event's location is decided later, by the role stage, from the clause.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..model import Document, Place, PlaceMention
from ..text import phrase_norms


@cache
def gazetteer(lang: str = "*") -> dict[tuple[str, ...], Place]:
    """Forms to places for one language: untagged forms plus those tagged "<lang>:"."""
    text = resources.files("cronaca.kb").joinpath("gazetteer.tsv").read_text("utf-8")
    out: dict[tuple[str, ...], Place] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms, name, code, admin1, lat, lon, gid, prec = line.split("\t")
        place = Place(
            name=name,
            code=code,
            admin1=admin1 or None,
            lat=float(lat) if lat else None,
            lon=float(lon) if lon else None,
            geonames_id=int(gid) if gid else None,
            precision=prec,
        )
        for f in forms.split(";"):
            f = f.strip()
            tag, sep, rest = f.partition(":")
            if sep and len(tag) == 2 and tag.islower():
                if tag != lang:
                    continue
                f = rest
            out.setdefault(phrase_norms(f, "it"), place)
    return out


@cache
def _max_len(lang: str) -> int:
    return max(len(k) for k in gazetteer(lang))


@cache
def _first_tokens(lang: str) -> frozenset[str]:
    return frozenset(k[0] for k in gazetteer(lang))


def part_of_longer_name(doc: Document, i: int, s0: int) -> bool:
    """Is the name at token i the tail of a longer name ("Banca d'Italia", "golfo del Messico",
    "Forza Italia")? Then it is neither a place of its own nor an actor."""
    from ..lang import pack

    p = pack(doc.lang)
    toks = doc.tokens
    j = i - 1
    if j >= s0 and toks[j].norm in p.words("genitive_preps") | {"of", "de", "du", "des", "del", "von", "der"}:
        j -= 1
        while j >= s0 and toks[j].norm in ("the", "la", "le", "il", "lo", "el", "die", "der"):
            j -= 1
    if j < s0:
        return False
    prev = toks[j]
    heads = p.words("name_heads")
    if prev.norm in heads:
        return True
    function = (p.words("phrase_glue") | p.words("adverbs") | p.words("coordinators") | p.words("other_preps")
                | p.words("locative_preps") | p.words("recipient_preps") | p.words("agent_preps")
                | p.words("genitive_preps") | p.words("symmetric_preps") | p.words("negation"))
    covered = any(m.tok_start <= j < m.tok_end for m in doc.mentions)
    # a capitalised content word right before, not at the start of the sentence: "Forza Italia", "Centro Italia"
    return prev.is_upper_initial and prev.text[:1].isalpha() and prev.norm not in function and not covered \
        and j > s0 and toks[j].text.lower() != toks[j].text.upper()


class PlaceStage:
    name = "places"
    requires = ("mentions",)
    assigns = ("places",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        gaz = gazetteer(doc.lang)
        n = _max_len(doc.lang)
        firsts = _first_tokens(doc.lang)
        toks = doc.tokens
        out: list[PlaceMention] = []
        for s in doc.sentences:
            i = s.tok_start
            while i < s.tok_end:
                hit = None
                if toks[i].norm not in firsts:
                    i += 1
                    continue
                for j in range(min(s.tok_end, i + n), i, -1):
                    key = tuple(t.norm for t in toks[i:j])
                    if key in gaz and (toks[i].is_upper_initial or not key[0][:1].isalpha()
                                       or key[0] in ("regione", "oblast", "région", "región", "cosmodromo", "cosmodrome", "cosmódromo")):
                        hit = (j, gaz[key])
                        break
                if hit and part_of_longer_name(doc, i, s.tok_start):
                    hit = None
                    i += 1
                    continue
                if hit:
                    j, place = hit
                    out.append(PlaceMention(start=toks[i].start, end=toks[j - 1].end, tok_start=i,
                                            tok_end=j, place=place, sentence=s.index))
                    i = j
                else:
                    i += 1
        covered = [(p.tok_start, p.tok_end) for p in out]
        for m in doc.mentions:
            if m.kind == "name" and not any(a <= m.tok_start < b for a, b in covered):
                out.append(PlaceMention(
                    start=m.start, end=m.end, tok_start=m.tok_start, tok_end=m.tok_end,
                    place=Place(name=m.entity.name or m.entity.entity_text, code=m.entity.code,
                                precision="country"),
                    sentence=m.sentence,
                ))
        out.sort(key=lambda p: p.start)
        doc.places = out
