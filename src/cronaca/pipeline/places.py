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
def gazetteer() -> dict[tuple[str, ...], Place]:
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
            out.setdefault(phrase_norms(f.strip(), "it"), place)
    return out


@cache
def _max_len() -> int:
    return max(len(k) for k in gazetteer())


@cache
def _first_tokens() -> frozenset[str]:
    return frozenset(k[0] for k in gazetteer())


class PlaceStage:
    name = "places"
    requires = ("mentions",)
    assigns = ("places",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        gaz = gazetteer()
        n = _max_len()
        firsts = _first_tokens()
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
