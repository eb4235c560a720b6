"""Mentions (knowledge-base hits) and actor phrases.

Without a parser, an actor is read off the surface: a role noun ("presidente",
"agenzie di intelligence") gives the sector, an adjective, name, seat or person
gives the country, and the function words between them ("di", "della", ",",
"sia ... che") say whether they belong to one phrase.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from ..kb import KBEntry
from ..lang import pack
from ..model import ActorPhrase, Document, Entity, Mention, Token
from .places import part_of_longer_name

_CODE_KINDS = ("person", "org", "name", "seat", "group", "adj")
# first words of attribution phrases in every pack ("secondo X, ...", "according to X, ...")
# words that count people rather than modify a noun ("due diplomatici", "alcuni soldati")
_QUANTIFIERS = frozenset({"alcuni", "alcune", "molti", "molte", "numerosi", "numerose", "diversi", "diverse",
                          "vari", "varie", "migliaia", "centinaia", "decine", "plusieurs", "nombreux", "quelques",
                          "varios", "varias", "muchos", "miles", "cientos", "decenas", "altri", "altre", "tutti"})
_COORD = frozenset({"e", "ed", "and", "et", "y", "und", "i"})
_SOURCE_WORDS = frozenset({"secondo", "according", "selon", "según", "segun", "laut", "stando", "citando", "d'après"})


@cache
def prepositions(lang: str) -> frozenset[str]:
    """Every preposition the pack lists, whatever role it marks."""
    p = pack(lang)
    return (p.words("agent_preps") | p.words("recipient_preps") | p.words("locative_preps")
            | p.words("genitive_preps") | p.words("symmetric_preps") | p.words("other_preps"))


def _event_date(doc: Document) -> str | None:
    return doc.pub_date


class MentionStage:
    name = "mentions"
    requires = ("tokens", "sentences")
    assigns = ("mentions",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        kb = config.kb
        toks = doc.tokens
        out: list[Mention] = []
        maybe: list[Mention] = []
        date = _event_date(doc)
        for s in doc.sentences:
            matches = list(kb.match(toks, doc.lang, s.tok_start, s.tok_end))
            blocked = _blocked(toks, doc.lang, s.tok_start, s.tok_end)
            if blocked:
                matches = [m for m in matches if not any(a < m.tok_end and m.tok_start < b for a, b in blocked)]
            spans = [(m.tok_start, m.tok_end) for m in matches]
            for m in matches:
                f = _best_on(m.forms, date)
                if f.entry.ambiguous:
                    maybe.append(_mention(doc, m.tok_start, m.tok_end, f.entry, s.index, date))
                    continue
                if f.entry.kind in ("name", "seat") and part_of_longer_name(doc, m.tok_start, s.tok_start, spans):
                    continue  # "Banca d'Italia", "golfo del Messico", "Forza Italia"
                out.append(_mention(doc, m.tok_start, m.tok_end, f.entry, s.index, date))
        # "Georgia", "Jordan", "Congo": kept only when the article names the same state
        # unambiguously elsewhere ("Tbilisi", "giordano", "Kinshasa")
        known = {m.entity.code for m in out if m.kind in ("name", "seat", "adj", "person", "org")}
        sure = [m for m in maybe if m.entity.code in known]
        if sure:
            out = sorted(out + sure, key=lambda m: m.start)
        out = _short_forms(doc, out, date, kb.entries)
        doc.mentions = out


def _best_on(forms: tuple[Any, ...], date: str | None) -> Any:
    """Of several people sharing a name ("Bush": father and son), the one in office on the
    article's date; else the first (the knowledge base's order)."""
    first = forms[0]
    if first.entry.kind != "person":
        return first
    people = [f for f in forms if f.entry.kind == "person" and f.entry.kb_id != first.entry.kb_id]
    if not people:
        return first
    cands = [first, *people]
    if date is not None:
        for f in cands:
            if any(o.holds(date) for o in f.entry.offices):
                return f
    # nobody in office then (or no date): the one whose most recent office began last before it
    def last_start(f: Any) -> str:
        return max((o.start or "" for o in f.entry.offices if date is None or (o.start or "") <= date), default="")
    return max(cands, key=last_start)


def _blocked(toks: list[Token], lang: str, s0: int, s1: int) -> list[tuple[int, int]]:
    """Spans of the pack's `not_actors` phrases: names that hold a state's name but are not
    that state ("Latin America", "South America" against "America" for the United States)."""
    out = []
    # "Nato a Verona il 25 gennaio 1927": a participle opening a sentence, not NATO
    initial = pack(lang).data.get("not_actors_initial") or {}
    if s0 + 1 < s1 and toks[s0].text in initial and toks[s0 + 1].norm in {str(w) for w in initial[toks[s0].text]}:
        out.append((s0, s0 + 1))
    phrases = pack(lang).phrases("not_actors")
    if not phrases:
        return out
    firsts = {ph[0] for ph in phrases}
    for i in range(s0, s1):
        if toks[i].norm not in firsts:
            continue
        for ph in phrases:
            if i + len(ph) <= s1 and tuple(t.norm for t in toks[i : i + len(ph)]) == ph:
                out.append((i, i + len(ph)))
                break
    return out


def _mention(doc: Document, i: int, j: int, e: KBEntry, sent: int, date: str | None) -> Mention:
    toks = doc.tokens
    start, end = toks[i].start, toks[j - 1].end
    code, sector, _ = e.at(date)
    return Mention(
        start=start,
        end=end,
        tok_start=i,
        tok_end=j,
        kind=e.kind,
        entity=Entity(
            entity_text=doc.text[start:end],
            code=code or "UNK",
            sector=sector,
            identifier_id=e.wikidata,
            name=e.name,
        ),
        kb_id=e.kb_id,
        sentence=sent,
    )


def _short_forms(doc: Document, mentions: list[Mention], date: str | None,
                 kb_entries: dict[str, KBEntry]) -> list[Mention]:
    """Within an article, "Kim" or "Choe" after "Kim Jong Un" / "Choe Son Hui" is that person.

    A short form is any capitalised token of a matched person alias; one that
    two different people share in the article is left alone.
    """
    owners: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind != "person":
            continue
        for t in doc.tokens[m.tok_start : m.tok_end]:
            if t.is_upper_initial and len(t.text) >= 3:
                owners.setdefault(t.norm, set()).add(m.kb_id)
    if not owners:
        return mentions
    covered = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
    extra: list[Mention] = []
    for s in doc.sentences:
        for i in range(s.tok_start, s.tok_end):
            t = doc.tokens[i]
            if i in covered or not t.is_upper_initial:
                continue
            own = owners.get(t.norm)
            if own and len(own) == 1:
                e = kb_entries.get(next(iter(own)))
                if e is not None:
                    extra.append(_mention(doc, i, i + 1, e, s.index, date))
    if not extra:
        return mentions
    return sorted(mentions + extra, key=lambda m: m.start)


class PhraseStage:
    name = "actors"
    requires = ("mentions",)
    assigns = ("phrases",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        p = pack(doc.lang)
        glue = p.words("phrase_glue")
        list_glue = p.words("list_glue")
        role_glue = p.words("role_glue")
        preps = prepositions(doc.lang)
        articles = glue - p.words("genitive_preps")
        phrases: list[ActorPhrase] = []
        by_sent: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            by_sent.setdefault(m.sentence, []).append(m)
        for sent, ms in by_sent.items():
            groups: list[list[Mention]] = []
            for m in ms:
                if groups and _joins(doc.tokens, groups[-1], m, glue, list_glue, role_glue):
                    groups[-1].append(m)
                else:
                    groups.append([m])
            for g in groups:
                ph = _phrase(doc, g, glue, list_glue, preps, articles, sent, config.kb)
                if ph is None and all(m.kind == "role" for m in g):
                    ph = _corefer(doc, g, phrases, articles, preps, sent)
                if ph is not None:
                    phrases.append(ph)
        doc.phrases = phrases


def _dominant_state(doc: Document) -> str | None:
    """The state an article is about: the most named one, if named at least twice."""
    from collections import Counter

    c = Counter(m.entity.code for m in doc.mentions if m.kind in ("name", "adj", "seat")
                and m.entity.code not in ("WST", "IGO", "UNK"))
    # towns count too: "i carabinieri" in an article set in Carpi and Modena are Italian
    c.update(pm.place.code for pm in doc.places if pm.place.code and pm.place.precision != "country")
    if not c:
        return None
    code, n = c.most_common(1)[0]
    # named twice, or the only state in sight (local news: "i carabinieri" in Carpi)
    return code if n >= 2 or len(c) == 1 else None


def _corefer(doc: Document, g: list[Mention], previous: list[ActorPhrase], articles: frozenset[str],
             preps: frozenset[str], sent: int) -> ActorPhrase | None:
    """"il governo", "the regime", "la coalizione": a definite role phrase names an actor
    already in the article (the latest with that sector; for a coalition, the latest group
    of states), else the state the article is about."""
    toks = doc.tokens
    i = g[0].tok_start - 1
    definite = articles | _fused_articles(doc.lang)
    counted = i >= 1 and toks[i].norm in ("di", "de", "of") and toks[i - 1].norm in _QUANTIFIERS | {"thousands", "hundreds", "dozens"}
    titled = _titled_unknown(doc, g[-1])
    if not titled and (i < 0 or (toks[i].norm not in definite and not counted)):
        return None  # only definite ("i ribelli"), counted ("migliaia di manifestanti") or titled groups
    role = g[0]
    sector = role.entity.sector
    collective = tuple(t.norm for t in toks[role.tok_start : role.tok_end]) in _collectives(doc.lang)
    ents: tuple[Entity, ...] = ()
    why = ""
    for ph in ([] if titled else reversed(previous)):
        # a titled stranger ("President Abdelaziz Bouteflicka") is someone new, not an earlier actor
        if sent - ph.sentence > 10:
            break
        if collective and len(ph.codes) >= 2 and ph.sentence != sent:
            # "Cina, Russia e India criticano gli attacchi della coalizione": the coalition is an
            # earlier group of states, never the list this very sentence names
            ents = tuple(Entity(entity_text=doc.text[role.start:role.end], code=e.code, sector=e.sector or sector,
                                identifier_id=None, name=e.name) for e in ph.entities)
            why = f"coreference: {doc.text[role.start:role.end]!r} -> {doc.text[ph.start:ph.end]!r}"
            break
        match = next((e for e in ph.entities if e.sector == sector), None)
        if not collective and match is not None:
            ents = (Entity(entity_text=doc.text[role.start:role.end], code=match.code, sector=sector,
                           identifier_id=match.identifier_id, name=match.name),)
            why = f"coreference: {doc.text[role.start:role.end]!r} -> {doc.text[ph.start:ph.end]!r}"
            break
    if not ents and not collective:
        # "la Polizia di Stato di Modena": a town right after the role gives its country
        place = next((pm for pm in doc.places if pm.sentence == sent and pm.place.code
                      and pm.place.precision in ("city", "region") and 0 <= pm.tok_start - role.tok_end <= 4
                      and all(t.norm in articles | _fused_articles(doc.lang) | {"di", "of", "de", "stato", "state"}
                              for t in toks[role.tok_end : pm.tok_start])), None)
        if place is not None and place.place.code:
            ents = (Entity(entity_text=doc.text[role.start:role.end], code=place.place.code, sector=sector),)
            why = f"{doc.text[role.start:role.end]!r} of {place.place.name} ({place.place.code})"
    if titled:
        # a titled stranger belongs to the one state its sentence names ("President Bouteflicka
        # ... in Algiers"); with none or several in sight, nobody can say
        here = {m.entity.code for m in doc.mentions if m.sentence == sent and m.kind in ("name", "adj", "seat")}
        here |= {pm.place.code for pm in doc.places if pm.sentence == sent and pm.place.code}
        states = sorted(c for c in here if c and c not in ("WST", "IGO", "UNK", "NGO"))
        if len(states) != 1:
            return None
        ents = (Entity(entity_text=doc.text[role.start:role.end], code=states[0], sector=sector),)
        why = f"{doc.text[role.start:role.end]!r}, titled, of the one state its sentence names ({states[0]})"
    if not ents and not collective and sector in ("LEG", "JUD", "COP"):
        # "Obama ha invitato il Senato": a bare domestic institution belongs to the state of the
        # sentence's first actor, when that actor is one state
        firsts = [ph for ph in previous if ph.sentence == sent and len(ph.codes) == 1
                  and not ph.codes & {"IGO", "NGO", "UNK", "WST"}]
        if firsts:
            first = next(iter(firsts[0].codes))
            ents = (Entity(entity_text=doc.text[role.start:role.end], code=first, sector=sector),)
            why = f"{doc.text[role.start:role.end]!r} of the sentence's first actor's state ({first})"
    if not ents and not collective and sector in ("GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "CVL",
                                                   "LAB", "AGR", "REF", "UAF", "CRM"):
        code = _dominant_state(doc)
        if code is not None:
            ents = (Entity(entity_text=doc.text[role.start:role.end], code=code, sector=sector),)
            why = f"{doc.text[role.start:role.end]!r} of the state the article is about ({code})"
    if not ents:
        return None
    j = i
    while j >= 0 and toks[j].norm in articles:
        j -= 1
    prep = toks[j].norm if j >= 0 and toks[j].norm in preps else None
    return ActorPhrase(start=g[0].start, end=g[-1].end, tok_start=g[0].tok_start, tok_end=g[-1].tok_end,
                       sentence=sent, entities=ents, kinds=frozenset({"role"}), prep=prep, why=why)


def _titled_unknown(doc: Document, role: Mention) -> bool:
    """"Judge Alejandro Rivera", "il giudice Mario Rossi": a title before a capitalised name the
    knowledge base does not know. The title still says who acts (a judge, a president); the state
    is the one the article is about."""
    k = role.tok_end
    if k >= doc.sentences[role.sentence].tok_end:
        return False
    a = doc.tokens[k]
    if not (a.is_upper_initial and a.text.isalpha() and len(a.text) > 1 and not a.text.isupper()):
        return False
    return not any(m.tok_start <= k < m.tok_end for m in doc.mentions if m.sentence == role.sentence)


def _fused_articles(lang: str) -> frozenset[str]:
    """Prepositions with the article fused in ("della", "au", "del", "zum"): definite too."""
    p = pack(lang)
    fused = set()
    for key in ("genitive_preps", "recipient_preps", "agent_preps", "locative_preps"):
        for w in p.words(key):
            if len(w) > 2 and w not in ("di", "da", "in", "con", "per", "su", "tra", "fra", "by", "of", "to", "from",
                                         "de", "en", "por", "von", "mit", "nach", "zu", "aus", "bei"):
                fused.add(w)
    return frozenset(fused)


def _collectives(lang: str) -> frozenset[tuple[str, ...]]:
    from ..text import phrase_norms

    return frozenset(phrase_norms(w, lang) for w in pack(lang).data.get("collective_roles", []))


def _joins(toks: list[Token], group: list[Mention], m: Mention, glue: frozenset[str],
           list_glue: frozenset[str], role_glue: frozenset[str] = frozenset()) -> bool:
    between = toks[group[-1].tok_end : m.tok_start]
    if len(between) > 4:
        return False
    if group[-1].kind == "role" and m.kind in ("name", "seat") and 1 <= len(between) <= 2 \
            and " ".join(t.norm for t in between) in role_glue:
        return True  # "officials in Washington", "rebels in the Ivory Coast"
    seen_sia = any(t.norm == "sia" for t in between) or any(
        t.norm == "sia" for g in group for t in toks[g.tok_start - 1 : g.tok_start]
    )
    # "Secondo l'agenzia KCNA, Kim e Shoigu ...": the source ends at the comma
    if any(t.norm == "," for t in between):
        lead = toks[max(0, group[0].tok_start - 6) : group[0].tok_start]
        if any(t.norm in _SOURCE_WORDS for t in lead):
            return False
    for t in between:
        if t.norm in glue:
            continue
        if t.norm in list_glue and (t.norm != "che" or seen_sia):
            continue
        return False
    # "ai militari, il regime di Kim": a comma after a bare role ends the phrase;
    # a list needs a country-bearing part before the comma or "sia ... che"
    if not any(t.norm == "," for t in between) or seen_sia:
        return True
    coord = any(t.norm in _COORD for t in between)
    has_person = any(g.kind in ("person", "org") for g in group)
    coded = [g for g in group if g.kind != "role"]
    if coord:
        # ", and": a list "A, B, and C", or a second apposition "il presidente russo, Putin, e il
        # leader nordcoreano, Kim"; otherwise it coordinates clauses ("..., and the leader accepted")
        return len({g.entity.code for g in coded}) >= 2 or has_person
    if m.kind in ("person", "org") and not has_person:
        return True  # apposition: "il presidente russo, Vladimir Putin,"
    if m.kind == "adj" and group[-1].kind == "adj":
        return True  # coordinated adjectives: "l'esercito francese, americano e inglese"
    # a plain list "Cina, Russia e India": both sides name states
    return bool(coded) and all(g.kind != "role" for g in group) and m.kind != "role"


def _phrase(doc: Document, g: list[Mention], glue: frozenset[str], list_glue: frozenset[str],
            preps: frozenset[str], articles: frozenset[str], sent: int, kb: Any) -> ActorPhrase | None:
    toks = doc.tokens
    # split into components at list glue
    comps: list[list[Mention]] = [[g[0]]]
    for prev, m in itertools.pairwise(g):
        between = toks[prev.tok_end : m.tok_start]
        if any(t.norm in list_glue and t.norm not in glue for t in between):
            comps.append([m])
        else:
            comps[-1].append(m)
    ents: list[Entity] = []
    pending_sector: str | None = None
    whys: list[str] = []
    for c in comps:
        coded = [m for m in c if m.kind in _CODE_KINDS]
        roles = [m for m in c if m.kind == "role"]
        # the head noun gives the sector: last in English and German ("opposition lawmaker"),
        # first in Romance languages ("agenzie di intelligence sudcoreane")
        head_role = roles[-1] if roles and doc.lang in ("en", "de") else (roles[0] if roles else None)
        role_sector = head_role.entity.sector if head_role else None
        if not coded:
            pending_sector = role_sector or pending_sector
            continue
        # most specific first: person > org > name/seat/group > adjective
        coded.sort(key=lambda m: _CODE_KINDS.index(m.kind))
        head = coded[0]
        sector = head.entity.sector
        if head.kind == "org":
            # "Chile's Defense Department": the named state wins over a generic institution name
            state = next((m for m in coded if m.kind in ("name", "adj") and m.entity.code != head.entity.code), None)
            if state is not None:
                head = Mention(start=head.start, end=head.end, tok_start=head.tok_start, tok_end=head.tok_end,
                               kind=head.kind, entity=Entity(entity_text=head.entity.entity_text,
                                                             code=state.entity.code, sector=head.entity.sector,
                                                             name=state.entity.name),
                               kb_id=head.kb_id, sentence=head.sentence)
        if head.kind == "person" and role_sector and role_sector != "GOV":
            sector = role_sector  # "US Senator Marco Rubio": the title in the text beats the office on file
        elif head.kind in ("person", "org"):
            sector = sector or role_sector
        else:
            sector = role_sector or pending_sector or sector
        if roles or head.kind in ("adj",):
            pending_sector = role_sector or pending_sector
        ident, name = head.entity.identifier_id, head.entity.name
        if head.kind in ("adj", "name", "seat") and head_role is not None:
            # "il presidente americano" on the article's date is whoever held the office; the
            # title must be the head noun ("the president of the Chadian Human Rights League"
            # is the League's, not Chad's)
            title = tuple(t.norm for t in doc.tokens[head_role.tok_start : head_role.tok_end])
            office = kb.office_of(doc.lang, title)
            holder = kb.holder(head.entity.code, office, doc.pub_date) if office else None
            if holder is not None:
                ident, name = holder.wikidata, holder.name
                whys.append(f"{office} of {head.entity.code} on {doc.pub_date or 'latest'}: {holder.name}")
        start = min(m.start for m in c)
        end = max(m.end for m in c)
        e = Entity(
            entity_text=doc.text[start:end],
            code=head.entity.code,
            sector=sector,
            identifier_id=ident,
            name=name,
        )
        whys.append(f"{doc.text[start:end]!r}->{e.code}/{e.sector} via {head.kind}:{head.kb_id}")
        if not any(x.code == e.code and x.sector == e.sector for x in ents):
            ents.append(e)
    if not ents:
        return None
    # the word before the phrase, skipping articles ("dalla Corea" -> "dalla"; "a la" -> "a")
    i = g[0].tok_start - 1
    s0 = doc.sentences[sent].tok_start
    skipped = False
    while i >= s0 and toks[i].norm in articles:
        i -= 1
        skipped = True
    prep = None
    if i >= s0:
        n = toks[i].norm
        quantifiers = {str(w).casefold() for w in pack(doc.lang).data.get("number_words", {})} | _QUANTIFIERS
        if doc.lang in ("it", "fr", "es") and not skipped and n not in preps and toks[i].text[:1].isalpha() \
                and g[0].kind == "role" and not toks[i].is_upper_initial and n not in quantifiers:
            # "operazioni militari di Mosca": a role word right after a noun modifies it
            prep = "_mod"
        elif n in preps and n in pack(doc.lang).words("genitive_preps") | {"of", "di", "de", "d'", "von"} and i - 1 >= s0 \
                and (toks[i - 1].norm in pack(doc.lang).words("partitives") or toks[i - 1].text.isdigit()):
            prep = None  # "thousands of Iraqi Kurds", "a member of the Syrian parliament": the group itself
        elif n in preps:
            prep = n
            # multiword: "da parte di", "nei confronti di"
            if i - 2 >= s0:
                tri = " ".join(t.norm for t in toks[i - 2 : i + 1])
                if tri in ("da parte di", "da parte del", "da parte della", "da parte dell'",
                           "da parte dei", "da parte degli", "da parte delle", "nei confronti di"):
                    prep = "da parte di" if tri.startswith("da parte") else "a"
    return ActorPhrase(
        start=g[0].start,
        end=g[-1].end,
        tok_start=g[0].tok_start,
        tok_end=g[-1].tok_end,
        sentence=sent,
        entities=tuple(ents),
        kinds=frozenset(m.kind for m in g),
        prep=prep,
        why="; ".join(whys),
    )
