"""Triggers, roles, attribution and modality, and event assembly.

No parser exists offline for Italian, so roles come from clause-level rules over
the surface: the nearest subject-like actor phrase before the trigger is the
actor; the first object-like phrase after it (direct, or introduced by a
recipient preposition) is the recipient; a participle without the "have"
auxiliary is passive ("firmato da", "signed by"); "tra X e Y" makes the event
symmetric. Every decision is written to the draft's `explain` list, which
`cronaca extract --explain` prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..lang import Pack, TriggerEntry, pack, verb_forms
from ..model import (
    ActorPhrase,
    DateRef,
    Document,
    Entity,
    Event,
    Place,
    Provenance,
    Quantity,
    Sentence,
    Trigger,
    content_id,
)
from ..ontology import goldstein, quad_class
from ..text import phrase_norms
from .actors import _collectives, _dominant_state, prepositions

# Events that need someone on the receiving end, unless symmetric (PLOVER manual).
_NEEDS_RECIPIENT = {"AID", "COOPERATE", "SANCTION", "CONSULT", "REQUEST", "THREATEN"}
# Ratifying or approving an agreement is one party's act, signing a bilateral one both parties'.
_UNILATERAL = re.compile(r"(ratif|approv|aprob|approu|promulg|billig|genehm|verabschied|enact|adopt|refrend|sign into)")
# Acts that judge or answer something someone else did or said.
_JUDGED = {"SUPPORT", "ACCUSE", "REJECT", "REQUEST", "THREATEN", "CONCEDE"}
# Future cooperation is itself an AGREE event (PLOVER, SPEC.md §1).
_TO_AGREE = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"}
# the CAMEO threat a conditional future act amounts to (13x by what is threatened)
_THREAT_CAMEO = {"ASSAULT": "138", "MOBILIZE": "138", "COERCE": "137", "SANCTION": "132", "PROTEST": "133",
                 "REJECT": "131", "RETREAT": "136"}


# --------------------------------------------------------------------------- triggers
@dataclass(frozen=True)
class _Index:
    by_first: dict[str, list[tuple[tuple[str, ...], TriggerEntry, str]]]
    reporting: dict[str, list[tuple[str, ...]]]


@cache
def _index(lang: str) -> _Index:
    p = pack(lang)
    by_first: dict[str, list[tuple[tuple[str, ...], TriggerEntry, str]]] = {}
    for e in p.triggers:
        for form, tense in e.forms.items():
            by_first.setdefault(form[0], []).append((form, e, tense))
    for v in by_first.values():
        v.sort(key=lambda x: -len(x[0]))
    reporting: dict[str, list[tuple[str, ...]]] = {}
    forms: set[tuple[str, ...]] = set()
    for lemma in p.data.get("reporting_verbs", []):
        for f in verb_forms(lang, lemma):
            if len(f) >= 4:
                forms.add(phrase_norms(f, lang))
    for f in p.data.get("reporting_forms", []):
        forms.add(phrase_norms(f, lang))
    for seq in forms:
        if seq:
            reporting.setdefault(seq[0], []).append(seq)
    return _Index(by_first=by_first, reporting=reporting)


def _seq_at(norms: list[str], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(norms[i : i + len(seq)]) == seq


def _find_seq(norms: list[str], lo: int, hi: int, seqs: tuple[tuple[str, ...], ...]) -> int | None:
    for i in range(max(lo, 0), min(hi, len(norms))):
        for s in seqs:
            if s and norms[i] == s[0] and _seq_at(norms, i, s):
                return i
    return None


#: a past infinitive's auxiliary ("avoir envoyé", "aver inviato", "haber enviado", "having sent")
_ANTERIOR_AUX = frozenset({"avoir", "aver", "avere", "haber", "having"})

#: acts a state's own institutions do at home unless someone else is named
_DOMESTIC_BY_DEFAULT = frozenset({"CONCEDE", "REJECT", "REQUEST", "ACCUSE", "THREATEN", "SANCTION", "AGREE", "SUPPORT", "RETREAT"})
_DOMESTIC_SECTORS = frozenset({"GOV", "JUD", "COP", "LEG", "REB", "OPP", "PTY", "CVL", "LAB"})

#: English words after which a noun-or-verb trigger ("visit", "attack", "aid") is the verb
_EN_VERB_CUES = frozenset({"will", "shall", "'ll", "would", "to", "can", "could", "may", "might", "must", "should",
                           "did", "does", "do", "not", "never", "cannot"})

class TriggerStage:
    name = "triggers"
    requires = ("tokens", "sentences")
    assigns = ("triggers",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        idx = _index(doc.lang)
        norms = [t.norm for t in doc.tokens]
        out: list[Trigger] = []
        # a participle used as a noun for people ("il governo degli insorti") is a role, not a verb
        role_toks = {k for m in doc.mentions if m.kind == "role" for k in range(m.tok_start, m.tok_end)}
        for s in doc.sentences:
            i = s.tok_start
            consumed: set[int] = set()  # objects of earlier triggers ("invierà aiuti") are not triggers
            while i < s.tok_end:
                cands = idx.by_first.get(norms[i])
                if not cands or i in consumed:
                    i += 1
                    continue
                best: tuple[int, tuple[str, ...], TriggerEntry, str, tuple[int, int] | None] | None = None
                for form, e, tense in cands:
                    if not _seq_at(norms, i, form) or i + len(form) > s.tok_end:
                        continue
                    j = i + len(form)
                    lo, hi = max(s.tok_start, i - e.window), min(s.tok_end, j + e.window)
                    if e.without and _find_seq(norms, lo, hi, e.without) is not None:
                        continue
                    obj = None
                    if e.with_:
                        k = _find_seq(norms, j, hi, e.with_)
                        if k is None:
                            k = _find_seq(norms, lo, i, e.with_)
                        if k is None:
                            continue
                        w = next(x for x in e.with_ if _seq_at(norms, k, x))
                        obj = (k, k + len(w))
                    score = (2 if e.with_ else 1) * 10 + len(form)
                    if best is None or score > best[0]:
                        best = (score, form, e, tense, obj)
                if best is None:
                    i += 1
                    continue
                _, form, e, tense, obj = best
                if tense != "noun" and i in role_toks and i > s.tok_start and norms[i - 1] in _ARTICLES:
                    i += 1
                    continue
                j = i + len(form)
                if doc.lang == "en" and tense == "pres" and i > s.tok_start and doc.tokens[i - 1].norm == "to":
                    tense = "inf"  # "threatened to impose": the base form after "to"
                if doc.lang == "en" and tense == "noun" and i > s.tok_start and doc.tokens[i - 1].norm in _EN_VERB_CUES:
                    # "will visit", "to visit", "did visit": a word that is noun and verb is a verb here
                    prev = doc.tokens[i - 1].norm
                    tense = "fut" if prev in ("will", "shall", "'ll") else "inf" if prev == "to" else "pres"
                if obj is not None:
                    consumed.update(range(obj[0], obj[1]))
                out.append(Trigger(
                    start=doc.tokens[i].start, end=doc.tokens[j - 1].end, tok_start=i, tok_end=j,
                    sentence=s.index, event=e.event, mode=e.mode, cameo=e.cameo, entry_id=e.id,
                    nominal=tense == "noun", symmetric=e.symmetric, passive=False,
                    object_span=obj, tense=tense, role_hint=e.role_hint, context=e.context,
                    intransitive=e.intransitive,
                ))
                i = j
        doc.triggers = out


# --------------------------------------------------------------------------- drafts
@dataclass
class Draft:
    trigger: Trigger
    event: str
    mode: str | None
    cameo: str
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    actor_phrase: ActorPhrase | None = None
    symmetric: bool = False
    place: Place | None = None
    date: DateRef | None = None
    date_inherited: bool = False
    undated: bool = False  # only "on or before" a date is known: no date, rather than a wrong one
    attribution: Entity | None = None
    modality: str = "asserted"
    quantity: Quantity | None = None
    confidence: float = 0.5
    clause: tuple[int, int] = (0, 0)
    explain: list[str] = field(default_factory=list)
    drop: str | None = None  # why this draft will not become an event


def _clause(doc: Document, p: Pack, s: Sentence, k: int, k_end: int) -> tuple[int, int]:
    breaks = p.words("clause_breaks") | {";"}
    left, right = s.tok_start, s.tok_end
    for i in range(k - 1, s.tok_start - 1, -1):
        if doc.tokens[i].norm in breaks:
            left = i + 1
            break
    for i in range(k_end, s.tok_end):
        if doc.tokens[i].norm in breaks:
            right = i
            break
    return left, right


def _is_passive(doc: Document, p: Pack, t: Trigger, s: Sentence) -> bool:
    """A participle is passive unless a "have" auxiliary governs it."""
    if t.nominal or t.intransitive:
        return False
    toks = doc.tokens
    active, passive, adverbs = p.words("active_aux"), p.words("passive_aux"), p.words("adverbs")
    agent = p.words("agent_preps")
    if t.tense not in ("part", "past"):
        return False
    i = t.tok_start - 1
    seen_passive = False
    while i >= s.tok_start and (toks[i].norm in adverbs or toks[i].norm in passive):
        seen_passive = seen_passive or toks[i].norm in passive
        i -= 1
    if seen_passive:
        return True  # "è stato firmato", "has been signed", "a été signé"
    if i >= s.tok_start and toks[i].norm in active:
        return False  # "ha firmato", "has signed", "a signé"
    if t.tense == "part" and doc.lang != "en":
        return True  # reduced relative: "il trattato, firmato durante la visita"
    # English simple past vs bare participle: "Nigerian authorities jailed 52 members ... by"
    # is active (a subject right before the verb); passive needs a following "by" without one
    # a time phrase may sit between them: "The US on Thursday rejected calls by Annan"
    spans = [(d.start, d.end) for d in doc.dates if d.sentence == s.index]

    def timed(k: int) -> bool:
        return any(a <= toks[k].start < b for a, b in spans)

    j = t.tok_start - 1
    while j >= s.tok_start and (toks[j].norm in adverbs or timed(j)
                                or (j + 1 < t.tok_start and timed(j + 1) and toks[j].norm in ("on", "in", "at"))):
        j -= 1
    if j >= s.tok_start and any(ph.tok_end == j + 1 for ph in doc.phrases if ph.sentence == s.index):
        return False
    return any(toks[j].norm in agent for j in range(t.tok_end, min(s.tok_end, t.tok_end + 6)))


@cache
def _support_forms(lang: str) -> frozenset[tuple[str, ...]]:
    p = pack(lang)
    out = set()
    for lemma in p.data.get("support_verbs", []):
        for f in verb_forms(lang, lemma):
            out.add(phrase_norms(f, lang))
    return frozenset(out)


def _after_support_verb(doc: Document, p: Pack, s: Sentence, t: Trigger) -> bool:
    """Is the event noun the object of a light verb ("ha lanciato un attacco", "carried out a raid")?"""
    forms = _support_forms(doc.lang)
    norms = [x.norm for x in doc.tokens[max(s.tok_start, t.tok_start - 4) : t.tok_start]]
    return any(tuple(norms[i : i + n]) in forms for i in range(len(norms)) for n in (1, 2, 3))


@cache
def _function_words(lang: str) -> frozenset[str]:
    p = pack(lang)
    keys = ("phrase_glue", "adverbs", "coordinators", "other_preps", "locative_preps", "recipient_preps",
            "agent_preps", "genitive_preps", "symmetric_preps", "negation", "active_aux", "passive_aux",
            "clitics", "complementizers", "relative_pronouns", "hypothetical", "possessives")
    out: set[str] = set()
    for k in keys:
        out |= p.words(k)
    return frozenset(out)


def _genitive_of(doc: Document, k: int, ph: ActorPhrase) -> bool:
    """Does the genitive phrase ``ph`` hang on the word group that starts at token k? It does
    when no other preposition comes between: "l'appello dei giornalisti" and "assaltavano il
    Bunker di Gheddafi", but not "un appello alla liberazione dei giornalisti"."""
    preps = prepositions(doc.lang)
    between = doc.tokens[k : ph.tok_start]
    # the last word(s) before the phrase are its own preposition and article
    while between and (between[-1].norm in preps or between[-1].norm in pack(doc.lang).words("phrase_glue")):
        between = between[:-1]
    return len(between) <= 2 and not any(t.norm in preps for t in between)


_PURPOSE = frozenset({"para", "per", "pour", "to", "um"})
_HEADING = frozenset({"destinazione", "verso", "towards", "toward", "destination", "bound", "vers", "hacia", "richtung"})
_MILITARY = frozenset({"ASSAULT", "MOBILIZE", "COERCE", "THREATEN"})
# prepositions of a strike's target: "bombe su Tripoli", "frappes sur", "strikes on"
_ONTO = frozenset({"su", "sul", "sulla", "sullo", "sui", "sugli", "sulle", "sull'", "on", "upon", "sur", "sobre", "auf"})


def _judged_events(doc: Document, drafts: list[Draft]) -> None:
    """"La Lega Araba ha criticato i bombardamenti": judging an event judges whoever did it.

    When an accusation, rejection, demand or praise has no recipient and its object is an
    event noun, the recipient is that event's actor: read in the same sentence, else the
    latest earlier event of the same type by someone else."""
    for k, d in enumerate(drafts):
        t = d.trigger
        if d.recipient or d.symmetric or not d.actor or t.nominal \
                or d.event not in ("ACCUSE", "REJECT", "REQUEST", "SUPPORT"):
            continue
        obj = next((x for x in drafts if x.trigger.nominal and x.trigger.sentence == t.sentence
                    and 1 <= x.trigger.tok_start - t.tok_end <= 3), None)
        if obj is None:
            continue
        mine = {e.code for e in d.actor}
        source = obj if obj.actor and not {e.code for e in obj.actor} <= mine else next(
            (x for x in reversed(drafts[:k]) if x.event == obj.event and x.actor and not x.drop
             and x.trigger.sentence < t.sentence and not {e.code for e in x.actor} <= mine), None)
        if source is not None:
            d.recipient = [e for e in source.actor if e.code not in mine]
            d.explain.append(f"recipient: whoever did the {doc.text[obj.trigger.start:obj.trigger.end]!r} "
                             f"({', '.join(sorted({e.code for e in d.recipient}))})")


def _coalitions(doc: Document, drafts: list[Draft]) -> None:
    """"La coalizione", "the allies": the group of states that has been doing the fighting.

    Phrase coreference links a collective role to the latest group of states named before
    it, which may be any list ("si sono astenuti Brasile, Russia, India..."); once events are
    read, the better antecedent is the latest group that acted militarily."""
    collectives = _collectives(doc.lang)
    group: list[Entity] | None = None
    for d in drafts:
        for side in ("actor", "recipient"):
            ents = getattr(d, side)
            texts = {e.entity_text for e in ents}
            if group and len(texts) == 1 and len(ents) >= 2 \
                    and phrase_norms(next(iter(texts)), doc.lang) in collectives:
                codes = {e.code for e in group}
                if {e.code for e in ents} != codes and not codes & {e.code for e in getattr(d, "actor" if side == "recipient" else "recipient")}:
                    setattr(d, side, [Entity(entity_text=ents[0].entity_text, code=e.code, sector=e.sector or ents[0].sector,
                                             name=e.name) for e in group])
                    d.explain.append(f"{side}: the coalition is the latest group that acted militarily ({', '.join(sorted(codes))})")
        if d.event in _MILITARY and not d.drop and len({e.code for e in d.actor}) >= 2:
            group = d.actor


def _in_quote(doc: Document, s: Sentence, pos: int) -> bool:
    """Is the character at pos inside a quotation of its paragraph («...», “...”, "...")?"""
    text = doc.text
    # look back to the paragraph start for an opening mark not closed before pos
    start = text.rfind("\n", 0, pos) + 1
    depth = False
    for ch in text[start:pos]:
        if ch in "«“":
            depth = True
        elif ch in "»”":
            depth = False
        elif ch == '"':
            depth = not depth
    return depth


_ARTICLES = frozenset({"il", "lo", "la", "i", "gli", "le", "l'", "un", "uno", "una", "dei", "degli", "delle", "del",
                       "della", "dello", "ai", "agli", "alle", "al", "alla", "dai", "dagli", "dalle", "nei", "negli",
                       "sui", "sugli", "the", "les", "des", "los", "las", "die", "der", "den"})
_REPORTIVE = frozenset({"avrebbe", "avrebbero", "sarebbe", "sarebbero"})
_PARTICIPLE = re.compile(r"(t|s)[oaie]$")  # fatto, preso, respinto, uccisi: regular or not


def _reportive(doc: Document, i: int) -> bool:
    """The Italian "condizionale di cronaca" ("avrebbe affermato", "sarebbero stati uccisi"):
    a conditional auxiliary before a past participle reports what sources say; it is not a
    hypothesis."""
    toks = doc.tokens
    if doc.lang != "it" or toks[i].norm not in _REPORTIVE:
        return False
    return any(_PARTICIPLE.search(t.norm) for t in toks[i + 1 : i + 3])


def _circumstantial(doc: Document, p: Pack, s: Sentence, t: Trigger) -> bool:
    """Is the event noun at t the head of a time adjunct ("dopo uno scontro", "after clashes",
    "durante i combattimenti")? Skips articles and numerals between the preposition and the noun."""
    glue = p.words("phrase_glue") | {"un", "uno", "una", "a", "an", "the", "des", "unos", "unas"}
    i = t.tok_start - 1
    while i >= s.tok_start and doc.tokens[i].norm in glue:
        i -= 1
    return i >= s.tok_start and doc.tokens[i].norm in p.words("circumstantial_preps")


def _explicit_subject(doc: Document, p: Pack, s: Sentence, left: int, k: int, phrases: list[ActorPhrase]) -> bool:
    """Does a non-actor noun stand before the verb ("Segnali di apertura giungono")?

    Then the verb has a subject of its own and the paragraph's actor must not be borrowed
    (pro-drop fallback is for "Ha poi firmato", "He said").
    """
    fw = _function_words(doc.lang)
    in_phrase = {i for ph in phrases for i in range(ph.tok_start, ph.tok_end)}
    in_date = {(d.start, d.end) for d in doc.dates if d.sentence == s.index}
    for i in range(left, k):
        tok = doc.tokens[i]
        if i in in_phrase or not tok.text[:1].isalpha() or tok.norm in fw or tok.norm in p.words("subject_pronouns"):
            continue
        if any(a <= tok.start < b for a, b in in_date):
            continue
        if i > s.tok_start and tok.is_upper_initial:
            continue  # an unknown proper name may well be the actor; do not veto on it
        return True
    return False


def _subject_like(ph: ActorPhrase, p: Pack) -> bool:
    return ph.prep is None or ph.prep in p.words("coordinators")


class RoleStage:
    name = "roles"
    requires = ("triggers", "phrases", "places", "dates")
    assigns = ("drafts",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        p = pack(doc.lang)
        drafts: list[Draft] = []
        by_sent: dict[int, list[ActorPhrase]] = {}
        for ph in doc.phrases:
            by_sent.setdefault(ph.sentence, []).append(ph)
        topic: dict[int, ActorPhrase] = {}  # paragraph -> last subject phrase
        trig_by_sent: dict[int, list[Trigger]] = {}
        for t in doc.triggers:
            trig_by_sent.setdefault(t.sentence, []).append(t)
        for s in doc.sentences:
            phrases = by_sent.get(s.index, [])
            trigs = trig_by_sent.get(s.index, [])
            for ti, t in enumerate(trigs):
                d = self._draft(doc, p, s, t, phrases, trigs, ti, topic.get(s.paragraph))
                drafts.append(d)
            subj = [ph for ph in phrases if _subject_like(ph, p) and ph.kinds & {"person", "org", "role", "name", "seat", "adj"}]
            if subj:
                topic[s.paragraph] = subj[0]
        _coalitions(doc, drafts)
        _judged_events(doc, drafts)
        doc.drafts = drafts

    def _draft(self, doc: Document, p: Pack, s: Sentence, t: Trigger, phrases: list[ActorPhrase],
               trigs: list[Trigger], ti: int, topic: ActorPhrase | None) -> Draft:
        d = Draft(trigger=t, event=t.event, mode=t.mode, cameo=t.cameo)
        d.explain.append(f"trigger {doc.text[t.start:t.end]!r} -> {t.event}/{t.mode or '-'} cameo {t.cameo} (lexicon {t.entry_id}, {t.tense})")
        left, right = _clause(doc, p, s, t.tok_start, t.tok_end)
        # the next trigger's verb closes this one's object search
        # unless it is this verb's infinitive complement ("threatened to impose sanctions on X",
        # "ha minacciato di tagliare le forniture a X"): then X is this event's target too
        nxt = next((x.tok_start for x in trigs[ti + 1 :] if not x.nominal
                    and not (x.tense == "inf" and x.tok_start - t.tok_end <= 2)), right)
        if not t.nominal:
            right = min(right, max(nxt, t.tok_end))
        d.clause = (left, right)
        passive = _is_passive(doc, p, t, s)
        if passive:
            d.explain.append("passive: no 'have' auxiliary before the participle")
        # the source of an "according to X" is not a participant
        sources = _source_phrases(doc, p, s, phrases)
        left_ph = [ph for ph in phrases if ph.tok_end <= t.tok_start and ph.tok_start >= left and ph not in sources]
        right_ph = [ph for ph in phrases if ph.tok_start >= t.tok_end and ph.tok_start < right and ph not in sources]
        agent_preps = p.words("agent_preps") | {"da", "da parte di"}
        recip_preps = p.words("recipient_preps")
        loc_preps = p.words("locative_preps")
        gen_preps = p.words("genitive_preps")
        sym_preps = p.words("symmetric_preps")

        actor: ActorPhrase | None = None
        recipient: ActorPhrase | None = None
        hint = t.role_hint
        # symmetric "tra X e Y" / "between X and Y"
        sym = next((ph for ph in left_ph + right_ph if ph.prep in sym_preps and len(ph.codes) >= 2), None)
        if t.nominal and sym is None:
            # "gli scontri tra ribelli e autorità libiche": the noun's own parties, even of one state
            sym = next((ph for ph in right_ph if ph.prep in sym_preps and ph.tok_start - t.tok_end <= 1), None)
        if t.nominal:
            # a noun's own participants come before the next trigger: "la tregua richiesta
            # dall'Egitto" gives Egypt to "richiesta", not to "tregua"
            stop = next((x.tok_start for x in trigs[ti + 1 :]), s.tok_end)
            own = [ph for ph in right_ph if ph.tok_start < stop]
            gen = next((ph for ph in own if ph.prep in gen_preps and ph.tok_start - t.tok_end <= 3
                        and _genitive_of(doc, t.tok_end, ph)), None)
            # Italian "da" after an event noun is mostly "from" ("il ritiro delle truppe dalla Siria"):
            # only "da parte di" (or by/par/por/von) names the agent of a noun
            nominal_agents = {"da parte di"} | (set() if doc.lang == "it" else agent_preps)
            agent = next((ph for ph in own if ph.prep in nominal_agents), None)
            if agent is not None:
                actor = agent  # "i bombardamenti della Libia da parte dell'esercito francese"
                recipient = gen
            else:
                actor = gen
            if actor is None:
                prev = doc.tokens[max(s.tok_start, t.tok_start - 2) : t.tok_start]
                if any(x.norm in p.words("possessives") for x in prev):
                    actor = self._nearest_subject(left_ph, p) or topic
                    d.explain.append("possessive: actor from the sentence or paragraph subject")
            if actor is None and _circumstantial(doc, p, s, t):
                # "dopo uno scontro a fuoco con i pirati, le forze somale hanno liberato...":
                # an event noun in a time adjunct is done by the main clause's subject
                actor = self._first_subject([ph for ph in phrases if ph not in own and ph not in sources], p)
                if actor is not None:
                    d.explain.append("time adjunct (\"dopo l'attacco\"): actor from the main clause's subject")
            if actor is None and t.event == "PROTEST":
                # "migliaia di manifestanti": the protesters named by the trigger itself
                actor = next((ph for ph in phrases if ph.tok_start <= t.tok_start < ph.tok_end), None)
            if actor is None and (t.event == "PROTEST" or _after_support_verb(doc, p, s, t)):
                # protests are done by the clause's subject ("students staged mass demonstrations")
                actor = self._nearest_subject(left_ph, p)
                if actor is not None:
                    d.explain.append("support verb (\"ha lanciato un attacco\"): its subject is the actor")
            if recipient is None:
                recipient = next((ph for ph in own if ph is not actor and ph.prep not in gen_preps
                                  and ph.prep not in agent_preps and (ph.prep in recip_preps or ph.prep in loc_preps)), None)
        elif passive:
            actor = next((ph for ph in right_ph if ph.prep in agent_preps), None)
            # the patient is close: never across "che"/"that" into the main clause
            comp = p.words("complementizers")
            cut = max((i for i in range(left, t.tok_start) if doc.tokens[i].norm in comp), default=left)
            patient = self._nearest_subject([ph for ph in left_ph if ph.tok_start > cut], p)
            recipient = patient
            if recipient is None:
                # a subject after the participle ("sono stati arrestati tre cittadini statunitensi")
                recipient = next((ph for ph in right_ph if ph is not actor and ph.prep is None
                                  and ph.tok_start - t.tok_end <= 3), None)
            if recipient is None:
                recipient = next((ph for ph in right_ph if ph is not actor and ph.prep in recip_preps), None)
        else:
            actor = self._nearest_subject(left_ph, p, doc, t.tok_start)
            if actor is None:
                # inverted subject ("ha dichiarato il ministro"): a bare phrase right after
                cand = next((ph for ph in right_ph if ph.prep is None and ph.tok_start - t.tok_end <= 2), None)
                if cand is not None and t.event not in ("CONSULT",):
                    actor = None  # keep it as object; a pro-drop subject is more common
            reflexive = doc.tokens[t.tok_start].norm == "si" or (
                t.tok_start > s.tok_start and doc.tokens[t.tok_start - 1].norm == "si")
            if actor is None and reflexive:
                # "si erano espresse l'Unione europea e la NATO": a reflexive verb's subject follows it
                actor = next((ph for ph in right_ph if (ph.prep is None and _subject_like(ph, p))
                              or (ph.prep in gen_preps and ph.tok_start - t.tok_end <= 5)), None)
            if actor is None:
                # "Condanna anche da parte di Amnesty": "da parte di" always names the doer
                actor = next((ph for ph in right_ph if ph.prep == "da parte di" and ph.tok_start - t.tok_end <= 4), None)
            # destinations ("in Russia") are recipients only of moves: aid, visits, deployments
            moves = hint == "visit" or t.event in ("AID", "MOBILIZE")
            # a partner after the verb belongs to it only if no other verb follows ("sganciato
            # bombe e, assieme al Regno Unito, hanno lanciato missili": the UK launched)
            later_verb = any(not x.nominal for x in trigs[ti + 1 :])
            partners = [ph for ph in left_ph + ([] if later_verb else right_ph) if self._comitative(doc, ph.tok_start, s)]
            for ph in right_ph:
                if self._comitative(doc, ph.tok_start, s):
                    continue  # "assieme al Regno Unito": a partner, not the target
                if hint == "gen_recipient" and ph.prep in gen_preps and ph.tok_start - t.tok_end <= 4:
                    recipient = ph  # "messo a disposizione della coalizione"
                    break
                if t.event == "RETREAT" and ph.prep in p.words("source_preps"):
                    recipient = ph  # "withdraw its force from Chad": the one left
                    break
                if ph.prep in gen_preps or ph.prep in agent_preps or ph.prep == "_mod":
                    continue
                if ph.prep is None or ph.prep in recip_preps or (moves and ph.prep in loc_preps):
                    recipient = ph
                    break
            if recipient is None and t.event == "ASSAULT":
                # "gli USA su Tripoli hanno sganciato 40 bombe": the target of a strike
                recipient = next((ph for ph in left_ph + right_ph if ph.prep in _ONTO and ph is not actor
                                  and ph not in partners), None)
            if actor is not None and partners and not t.nominal:
                # "hanno lanciato, assieme al Regno Unito, 112 missili": both are the actors
                extra = [e for ph in partners for e in ph.entities if e.code not in {x.code for x in actor.entities}]
                if extra:
                    actor = ActorPhrase(start=actor.start, end=actor.end, tok_start=actor.tok_start,
                                        tok_end=actor.tok_end, sentence=actor.sentence,
                                        entities=actor.entities + tuple(extra), kinds=actor.kinds,
                                        prep=actor.prep, why=actor.why + "; with its partners")
            if recipient is None and t.event in ("ASSAULT", "COERCE"):
                # "assaltavano il Bunker di Gheddafi": a thing's owner is the one attacked
                recipient = next((ph for ph in right_ph if ph.prep in gen_preps and ph is not actor
                                  and 2 <= ph.tok_start - t.tok_end <= 4 and _genitive_of(doc, t.tok_end, ph)), None)
        judicial = (t.event == "SANCTION" and t.mode == "convict") or (t.event == "ACCUSE" and t.mode in ("allege", "investigate"))
        if actor is None and passive and ((t.event in ("COERCE", "ASSAULT") and recipient is not None) or judicial):
            # "sono stati arrestati tre cittadini statunitensi", "è accusato di furto": done by
            # someone the text does not name (for arrests and charges, that country's police or courts)
            d.explain.append("passive without an agent: actor unknown")
            here = [pm for pm in doc.places if pm.sentence == s.index and pm.place.code]
            # a town in the sentence before a country named there (often the suspect's origin)
            where = next((pm.place.code for pm in here if pm.place.precision != "country"),
                         here[0].place.code if here else None)
            if judicial:
                where = where or _dominant_state(doc)
            if (t.event == "COERCE" or judicial) and where:
                d.actor = [Entity(entity_text="", code=where, sector="COP" if t.event == "COERCE" else "JUD")]
                if judicial and recipient is None:
                    # the accused named earlier in the sentence ("L'uomo, un 26enne originario della
                    # Romania ma residente a ..., è accusato"), else the people of the place
                    named = self._nearest_subject([ph for ph in phrases if ph.tok_end <= t.tok_start], p)
                    d.recipient = list(named.entities) if named is not None \
                        else [Entity(entity_text="", code=where, sector=None)]
            else:
                d.actor = [Entity(entity_text="", code="UNK", sector=None)]
        if hint == "evoke" and not passive:
            # "X ha suscitato preoccupazioni tra Y": Y is concerned (actor) about X (recipient)
            exp = next((ph for ph in right_ph if ph.prep is not None), None)
            if exp is not None:
                target = actor
                actor, recipient = exp, None
                sym_target = next((ph for ph in left_ph if len(ph.codes) >= 2), None)
                target = target or sym_target
                if target is not None:
                    recipient = target
                d.explain.append("evoke: the concerned party is the actor, the cause the recipient")
            sym_off = True
        else:
            sym_off = False
        if recipient is None and not t.nominal and not passive and t.event == "REQUEST":
            # "demanded that the US cancel", "ha chiesto che Mosca ritiri": the one asked is the
            # subject of the complement clause
            comp = p.words("complementizers")
            c = next((i for i in range(t.tok_end, min(right, t.tok_end + 4)) if doc.tokens[i].norm in comp), None)
            if c is not None:
                recipient = next((ph for ph in phrases if c < ph.tok_start <= c + 4 and _subject_like(ph, p)), None)
        if recipient is None and not t.nominal and not passive and t.event in _JUDGED:
            # "condemned the actions of Russia", "rejected calls by Belarus", "an offer from
            # Afghanistan": whoever made what is judged is the target
            source = gen_preps | agent_preps | p.words("source_preps")
            recipient = next((ph for ph in right_ph if ph.prep in source and ph is not actor), None)
        # a passive's surface subject is the patient: borrow an actor only for a signing
        # ("il trattato, firmato durante la sua visita"), where the sentence's subject is a party
        if actor is None and not t.nominal and ((passive and hint == "sign")
                                                or (not passive and not _explicit_subject(doc, p, s, left, t.tok_start, phrases))):
            sent_subj = self._first_subject([ph for ph in phrases if ph.tok_end <= t.tok_start], p)
            fallback = sent_subj or topic
            if fallback is not None:
                actor = fallback
                d.confidence -= 0.2 if passive else 0.15
                d.explain.append(f"actor: no subject in the clause; {'sentence' if sent_subj else 'paragraph'} subject {doc.text[fallback.start:fallback.end]!r}")
        elif actor is not None:
            d.confidence += 0.2
            d.explain.append(f"actor: {doc.text[actor.start:actor.end]!r} ({actor.why})")
        if sym is not None and not sym_off:
            d.symmetric = True
            d.actor = list(sym.entities)
            d.explain.append(f"symmetric: {doc.text[sym.start:sym.end]!r}")
            if recipient is sym:
                recipient = None
        elif actor is not None:
            d.actor = list(actor.entities)
            d.actor_phrase = actor
        if recipient is not None and recipient is not actor:
            d.recipient = list(recipient.entities)
            d.confidence += 0.1
            d.explain.append(f"recipient: {doc.text[recipient.start:recipient.end]!r} (prep {recipient.prep or 'none'})")

        # place: a located toponym in the clause, the most specific first
        places = [pm for pm in doc.places if pm.sentence == s.index
                  and left <= pm.tok_start < max(right, t.tok_end)]
        located = [pm for pm in places if self._prep_before(doc, pm.tok_start, s) in loc_preps
                   and not self._comitative(doc, pm.tok_start, s)]
        if not (hint == "visit" or t.event in ("AID", "MOBILIZE")):
            # "ha espresso sostegno alla Russia": the recipient is not where it happened
            taken = [ph for ph in (actor, recipient) if ph is not None]
            located = [pm for pm in located if pm.place.precision != "country"
                       or not any(ph.tok_start <= pm.tok_start < ph.tok_end for ph in taken)]
        if located:
            rank = {"site": 0, "city": 1, "region": 1, "country": 3}
            pm = min(located, key=lambda x: (rank.get(x.place.precision, 2), abs(x.tok_start - t.tok_end)))
            d.place = pm.place
            d.explain.append(f"place: {doc.text[pm.start:pm.end]!r} -> {pm.place.name}, {pm.place.code} ({pm.place.precision})")

        if t.event == "PROTEST" and not d.actor and located:
            # "le proteste in Siria": unnamed protesters are the place's people
            code = located[0].place.code
            if code:
                d.actor = [Entity(entity_text="", code=code, sector="CVL")]
                d.explain.append(f"actor: protesters of the place ({code})")
        police_talk = t.event == "ACCUSE" and any(e.sector in ("COP", "JUD") for e in d.actor)
        if d.place is None and actor is not None and any(e.sector in ("COP", "JUD", "GOV") for e in actor.entities):
            # "la Polizia di Stato di Modena ha arrestato": local authorities act where they are
            base = next((pm for pm in places if pm.place.precision in ("city", "region")
                         and 0 <= pm.tok_start - actor.tok_end <= 4), None)
            if base is not None:
                d.place = base.place
                d.explain.append(f"place: the acting authority's own town ({base.place.name})")
        if d.place is None and (t.event in _ON_THE_GROUND or police_talk):
            d.place = _place_from_context(doc, s, loc_preps)
        if d.place is None:
            d.place = _dateline_place(doc)  # "PAVULLO. ...": the story's place
            if d.place is not None:
                d.explain.append(f"place: none in the clause; from the paragraph/article ({d.place.name}, {d.place.code})")
        if hint == "host":
            # "Putin ha ricevuto Choe": the visitor is the actor, the host the recipient
            if d.recipient and d.actor:
                d.actor, d.recipient = d.recipient, d.actor
                d.explain.append("host verb: visitor becomes actor, host recipient")
            elif not passive:
                d.drop = "host verb without a visitor"
        if hint == "visit" and not d.recipient and located:
            dest = min(located, key=lambda x: abs(x.tok_start - t.tok_end)).place
            if dest.code:
                d.recipient = [Entity(entity_text=dest.name, code=dest.code, sector=None)]
                d.explain.append(f"visit: host is the destination's country {dest.code}")
        if hint == "visit" and d.recipient and d.actor and {e.code for e in d.recipient} <= {e.code for e in d.actor}:
            d.drop = "a trip inside the actor's own country"
        if hint == "sign" and _UNILATERAL.match(doc.tokens[t.tok_start].norm):
            # ratifying or approving is one party's act: the partner is the recipient
            if not d.recipient and d.place is not None and d.place.code and d.place.code not in {e.code for e in d.actor}:
                d.recipient = [Entity(entity_text=d.place.name, code=d.place.code, sector="GOV")]
            if not d.recipient and d.actor and any(w.norm in ("bilaterale", "bilateral", "bilatéral", "bilatérale")
                                                   for w in doc.tokens[t.tok_end : min(right, t.tok_end + 5)]):
                # "ratifica l'accordo bilaterale": the other party is the state the article is also about
                other = _other_party(doc, s, {e.code for e in d.actor}, False)
                if other is not None:
                    d.recipient = [other]
                    d.explain.append(f"recipient: the bilateral agreement's other party ({other.code})")
            hint = "ratify"
        if hint == "sign":
            parties = list(d.actor)
            codes = {e.code for e in parties}
            for e in d.recipient:
                if e.code not in codes:
                    parties.append(e)
                    codes.add(e.code)
            if len(codes) < 2 and d.place is not None and d.place.code and d.place.code not in codes:
                parties.append(Entity(entity_text=d.place.name, code=d.place.code, sector="GOV"))
                d.explain.append(f"sign: other party from the place of signing ({d.place.code})")
            if len({e.code for e in parties}) >= 2:
                d.actor, d.recipient, d.symmetric = parties, [], True
        if t.event == "MOBILIZE" and not d.recipient and d.actor:
            # "sei caccia F-16 della Danimarca con destinazione Misurata": heading for a place
            heading = next((pm for pm in places if pm.place.code and pm.tok_start > t.tok_start
                            and any(doc.tokens[k].norm in _HEADING
                                    for k in range(max(s.tok_start, pm.tok_start - 3), pm.tok_start))), None)
            if heading is not None and heading.place.code and heading.place.code not in {e.code for e in d.actor}:
                d.recipient = [Entity(entity_text=heading.place.name, code=heading.place.code, sector=None)]
                d.explain.append(f"recipient: the destination's state ({heading.place.code})")
        if hint == "favour" and not d.recipient:
            # "a favore della pacificazione di Grecia e Macedonia si erano espresse...": whoever
            # the support is for, named after "a favore"
            fav = next((i for i in range(s.tok_start, s.tok_end - 1)
                        if doc.tokens[i].norm == "a" and doc.tokens[i + 1].norm == "favore"), None)
            if fav is not None:
                target = next((ph for ph in phrases if 0 < ph.tok_start - fav <= 7 and ph is not actor), None)
                if target is not None:
                    d.recipient = list(target.entities)
                    d.explain.append(f"recipient: in favour of {doc.text[target.start:target.end]!r}")
        if hint == "launch":
            target = next((ph for ph in right_ph if (ph.prep in recip_preps or ph.prep in _ONTO)
                           and ph.prep not in ("a", "al", "alla", "to")), None)
            if target is not None and t.event == "MOBILIZE":
                d.event, d.mode, d.cameo = "ASSAULT", "aerial", "195"
                d.recipient = list(target.entities)
                d.explain.append("launch at a target: ASSAULT, not a show of force")
            elif t.event == "MOBILIZE":
                d.recipient = []
        if d.event == "CONSULT" and not d.symmetric and hint != "host" and d.place is not None and d.actor \
                and d.recipient and d.place.code in {e.code for e in d.actor} \
                and d.place.code not in {e.code for e in d.recipient}:
            d.actor, d.recipient = d.recipient, d.actor
            d.explain.append(f"meeting in {d.place.code}: the visitor is the actor, the host the recipient")
        if not d.symmetric and t.symmetric and len({e.code for e in d.actor}) >= 2 and not d.recipient:
            d.symmetric = True
        if not d.symmetric and len({e.code for e in d.actor}) >= 2 and not d.recipient and d.event in ("CONSULT", "COOPERATE", "SUPPORT", "AGREE"):
            d.symmetric = True
        if t.object_span is not None:
            d.confidence += 0.1
        if t.nominal:
            d.confidence -= 0.15
        return d

    @staticmethod
    def _first_subject(phs: list[ActorPhrase], p: Pack) -> ActorPhrase | None:
        return next((ph for ph in phs if _subject_like(ph, p)), None)

    @staticmethod
    def _nearest_subject(left_ph: list[ActorPhrase], p: Pack, doc: Document | None = None,
                         k: int | None = None) -> ActorPhrase | None:
        cands = [ph for ph in left_ph if _subject_like(ph, p)]
        if not cands:
            return None
        best = cands[-1]
        if doc is not None and len(cands) > 1:
            # "Pakistan, a key U.S. ally in the war, has refused": skip an apposition between commas
            toks = doc.tokens
            before = [i for i in range(cands[0].tok_end, best.tok_start) if toks[i].norm == ","]
            after = [i for i in range(best.tok_end, k if k is not None else best.tok_end) if toks[i].norm == ","]
            if before and after:
                return cands[0]
        return best

    @staticmethod
    def _comitative(doc: Document, i: int, s: Sentence) -> bool:
        """"assieme al Regno Unito", "together with France": a partner, not a place."""
        words = {t.norm for t in doc.tokens[max(s.tok_start, i - 3) : i]}
        return bool(words & {"assieme", "insieme", "together", "ensemble", "junto", "zusammen"})

    @staticmethod
    def _prep_before(doc: Document, i: int, s: Sentence) -> str | None:
        toks = doc.tokens
        j = i - 1
        # skip articles: "nella regione", "à la"
        while j >= s.tok_start and toks[j].norm in ("il", "lo", "la", "l'", "i", "gli", "le", "the", "le", "les", "el", "los", "las", "der", "die", "das", "dem", "den"):
            j -= 1
        return toks[j].norm if j >= s.tok_start else None


# Events that happen somewhere on the ground, so the paragraph's or article's place is theirs
_ON_THE_GROUND = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT"}


def _is_dateline(doc: Document, s: Sentence) -> bool:
    """A sentence of at most four capitalised words: "FRASSINORO.", "ROMA -"."""
    words = [t.text for t in doc.tokens[s.tok_start : s.tok_end] if t.text[:1].isalpha()]
    return 0 < len(words) <= 4 and all(w.isupper() for w in words)


def _dateline_place(doc: Document) -> Place | None:
    """A dateline ("MARANELLO. Due minori ...") says where the story happened."""
    first = doc.sentences[0] if doc.sentences else None
    if first is None:
        return None
    # a headline's label ("Iran: arrestati tre cittadini statunitensi") names the place too
    label = next((pm for pm in doc.places if pm.sentence == first.index and pm.tok_start == first.tok_start), None)
    if label is not None and label.tok_end < first.tok_end and doc.tokens[label.tok_end].text == ":":
        return label.place
    if not _is_dateline(doc, first):
        return None
    dl = next((pm for pm in doc.places if pm.sentence == first.index and pm.place.precision != "country"), None)
    return dl.place if dl is not None else None


def _place_from_context(doc: Document, s: Sentence, loc_preps: frozenset[str]) -> Place | None:
    """The latest located place earlier in the paragraph, else the place the article is about
    (the state most named as a place, at country level)."""
    from collections import Counter

    toks = doc.tokens
    earlier = [pm for pm in doc.places if pm.sentence <= s.index
               and doc.sentences[pm.sentence].paragraph == s.paragraph and pm.tok_start > 0
               and toks[pm.tok_start - 1].norm in loc_preps]
    if earlier:
        return earlier[-1].place
    dl = _dateline_place(doc)
    if dl is not None:
        return dl
    c = Counter(pm.place.code for pm in doc.places if pm.place.code)
    if not c:
        return None
    code, n = c.most_common(1)[0]
    if n < 2:
        return None
    name = next((pm.place.name for pm in doc.places if pm.place.code == code and pm.place.precision == "country"),
                None)
    if name is None:
        from ..kb import default_kb

        entry = default_kb().entries.get(code)
        name = entry.name if entry is not None else code
    return Place(name=name, code=code, precision="country")


def _source_phrases(doc: Document, p: Pack, s: Sentence, phrases: list[ActorPhrase]) -> list[ActorPhrase]:
    """Phrases introduced by an attribution prefix ("secondo X", "according to X")."""
    norms = [t.norm for t in doc.tokens]
    out = []
    prefixes = p.phrases("attribution_prefix")
    firsts = {pf[0] for pf in prefixes if pf}
    for i in range(s.tok_start, s.tok_end):
        if norms[i] not in firsts:
            continue
        for pf in prefixes:
            if pf and norms[i] == pf[0] and _seq_at(norms, i, pf):
                j = i + len(pf)
                ph = next((ph for ph in phrases if j <= ph.tok_start <= j + 4), None)
                if ph is not None:
                    out.append(ph)
    return out


# --------------------------------------------------------------------------- attribution and modality
class ModalityStage:
    name = "modality"
    requires = ("drafts",)
    assigns = ("attribution", "modality", "event_dates", "quantities")

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        p = pack(doc.lang)
        idx = _index(doc.lang)
        norms = [t.norm for t in doc.tokens]
        prefixes = p.phrases("attribution_prefix")
        neg = p.words("negation")
        hyp = p.words("hypothetical")
        fut_cues = p.phrases("future_cues")
        causatives = p.words("causatives")
        conditions = p.phrases("threat_conditions")
        last_by_actor: dict[tuple[int, str], list[Entity]] = {}
        for d in doc.drafts:
            t = d.trigger
            s = doc.sentences[t.sentence]
            left, right = d.clause
            # --- attribution
            attr = self._attribution(doc, p, idx, norms, s, t, prefixes)
            if t.role_hint == "must":
                # "Bush said China must drop barriers": the speaker demands, the one who must is asked
                if attr is None or not d.actor or attr.code in {e.code for e in d.actor}:
                    d.drop = d.drop or "'must' without a speaker demanding it of someone else"
                else:
                    d.recipient, d.actor = d.actor, [attr]
                    d.explain.append(f"demand: the speaker {attr.entity_text!r} asks the subject of 'must'")
                    attr = None
            if attr is not None and not d.actor and _in_quote(doc, s, t.start):
                # «Siamo pronti a negoziare», ha detto X: in quoted speech the speaker acts
                d.actor = [attr]
                d.explain.append(f"quoted speech: the speaker {attr.entity_text!r} is the actor")
            if attr is not None:
                d.attribution = attr
                d.modality = "reported"
                d.explain.append(f"attribution: {attr.entity_text!r} -> {attr.code}/{attr.sector}")
            # --- modality
            window = norms[max(left, t.tok_start - 4) : t.tok_start]
            # "ha costretto Israele a richiudere i valichi": a completed coercion says it happened
            # "desfilaron para protestar", "hanno sfilato per protestare": a protest's purpose clause
            # says the protest took place
            purpose = t.event == "PROTEST" and t.tok_start > s.tok_start and norms[t.tok_start - 1] in _PURPOSE
            if t.tense == "inf" and not purpose \
                    and _find_seq(norms, max(s.tok_start, t.tok_start - 4), t.tok_start, fut_cues) is None \
                    and not any(w in hyp for w in norms[left : t.tok_start]) \
                    and not any(w in causatives for w in norms[max(s.tok_start, t.tok_start - 6) : t.tok_start]):
                d.drop = d.drop or "infinitive without a statement that it happened"
            if any(w in neg for w in window) or (doc.lang == "fr" and ("ne" in window or "n'" in window)):
                d.modality = "negated"
                d.explain.append("negated: negation before the trigger")
            elif any(w in hyp and not _reportive(doc, i) for i, w in enumerate(norms[left : t.tok_start], start=left)) \
                    or (t.tense in ("cond", "subj") and not _reportive(doc, t.tok_start)) or doc.text[s.end - 1 : s.end] == "?":
                d.modality = "hypothetical"
                d.explain.append("hypothetical: conditional or speculative cue in the clause")
            elif t.tense == "fut" or _find_seq(norms, max(s.tok_start, t.tok_start - 4), t.tok_start, fut_cues) is not None:
                if d.event not in ("THREATEN", "AGREE", "REQUEST") and _find_seq(norms, t.tok_end, s.tok_end, conditions) is not None:
                    # "will withdraw its troops unless ...": a conditional future act is a threat
                    d.explain.append(f"future {d.event} on a condition ('unless') is a threat: THREATEN")
                    d.event, d.mode, d.cameo = "THREATEN", None, _THREAT_CAMEO.get(d.event, "130")
                elif d.event in _TO_AGREE:
                    d.explain.append(f"future {d.event} is a promise: AGREE (PLOVER)")
                    d.event, d.mode, d.cameo = "AGREE", None, "030"
                else:
                    d.modality = "future"
                    d.explain.append("future: future tense or intent cue")
            # --- date: the clause's own, else the sentence's, else the paragraph's narrative time
            d.date = self._date(doc, s, t, left, right)
            if d.date is not None and t.tok_start > s.tok_start and d.date.end <= t.start \
                    and doc.tokens[t.tok_start - 1].norm in _ANTERIOR_AUX:
                # "a reconnu le 28 avril 2025 avoir envoyé des troupes": the date is the
                # admission's; the sending came before it, when the sentence does not say
                d.explain.append(f"date: {d.date.text!r} dates the reporting verb; the act came before it")
                d.date, d.undated = None, True
            elif d.date is not None:
                d.explain.append(f"date: {d.date.text!r} -> {d.date.value} ({d.date.precision}, {d.date.basis})")
            elif not d.undated:
                earlier = [x for x in doc.dates if x.value and x.sentence < s.index
                           and doc.sentences[x.sentence].paragraph == s.paragraph]
                following = [x for x in doc.dates if x.value and x.sentence == s.index + 1
                             and doc.sentences[x.sentence].paragraph == s.paragraph and x.basis != "publication"]
                if earlier:
                    # the paragraph's lead date is its narrative time; later dates in it are
                    # often asides ("since their 2019 summit")
                    d.date = earlier[0]
                    d.date_inherited = True
                    d.explain.append(f"date: none in the sentence; paragraph's narrative time {d.date.value}")
                elif (s.index == doc.sentences[0].index or _is_lead(doc, s)) and following:
                    # a lead sentence, dated by the one that tells the story ("Martedì notte ...")
                    d.date = following[0]
                    d.date_inherited = True
                    d.explain.append(f"date: the lead's details follow; next sentence's {d.date.value}")
            # --- quantity near the object
            d.quantity = self._quantity(doc, t, left, right)
            # --- recipient carried over: "ha fornito anche munizioni" (to whom? same as before)
            key = (s.paragraph, ",".join(sorted(e.code for e in d.actor)))
            if not d.recipient and not d.symmetric and d.event in _NEEDS_RECIPIENT and key in last_by_actor:
                d.recipient = list(last_by_actor[key])
                d.explain.append("recipient: carried over from the paragraph's previous event by the same actor")
                d.confidence -= 0.1
            if d.recipient and d.actor:
                last_by_actor[key] = d.recipient
            if not d.recipient and not d.symmetric and d.actor and d.event == "PROTEST":
                # a protest with no stated target is aimed at the protesters' own government
                code = d.actor[0].code
                if code not in ("IGO", "NGO", "UNK", "WST"):
                    d.recipient = [Entity(entity_text="", code=code, sector="GOV")]
                    d.explain.append(f"recipient: none stated; the protesters' government ({code})")
            if not d.recipient and not d.symmetric and d.actor and d.event == "CONCEDE" and d.place is not None \
                    and d.place.code:
                # "lifted a state of emergency in West Darfur": eased for the people of that place
                d.recipient = [Entity(entity_text=d.place.name, code=d.place.code, sector=None)]
                d.explain.append(f"recipient: the people of the place eased ({d.place.code})")
            if not d.recipient and not d.symmetric and d.actor and d.event in _DOMESTIC_BY_DEFAULT | {"AID"} \
                    and not any(e.sector in _DOMESTIC_SECTORS and e.code not in ("IGO", "NGO", "UNK", "WST")
                                for e in d.actor):
                # "Pakistan refused to deploy peacekeepers in Iraq", "the withdrawal of forces from
                # Panama": a state (not one of its institutions, which act at home, below) acting
                # on no one named acts on the foreign place the act concerns
                mine = {e.code for e in d.actor}
                abroad = next((pm for pm in doc.places if pm.sentence == s.index and pm.place.code
                               and t.tok_end <= pm.tok_start <= t.tok_end + 15 and pm.place.code not in mine
                               and pm.place.code not in ("IGO", "NGO", "UNK", "WST")), None)
                if abroad is not None and abroad.place.code:
                    d.recipient = [Entity(entity_text=abroad.place.name, code=abroad.place.code, sector=None)]
                    d.confidence -= 0.05
                    d.explain.append(f"recipient: none named; the place the act concerns ({abroad.place.name}, "
                                     f"{abroad.place.code})")
            if not d.recipient and not d.symmetric and len({e.code for e in d.actor}) == 1 \
                    and d.event in _DOMESTIC_BY_DEFAULT and d.actor[0].sector in _DOMESTIC_SECTORS \
                    and d.actor[0].code not in ("IGO", "NGO", "UNK", "WST"):
                code = d.actor[0].code
                # counted from the verb, or from its agent when that follows ("espresse dal ministro X")
                after = t.tok_end
                if d.actor_phrase is not None and d.actor_phrase.tok_start >= t.tok_end:
                    after = d.actor_phrase.tok_end
                about = next((ph for ph in doc.phrases if ph.sentence == s.index
                              and after <= ph.tok_start <= after + 15
                              and not ph.codes & {code, "UNK"}), None)
                if about is not None:
                    # "perplessità per una possibile adesione della Macedonia": no recipient in the
                    # verb's frame, but the state the act is about follows it
                    d.recipient = list(about.entities)
                    d.confidence -= 0.15
                    d.explain.append(f"recipient: none in the frame; the state it is about, "
                                     f"{doc.text[about.start:about.end]!r}")
                else:
                    # "Sudan's government lifted a state of emergency", "the judge ordered Menem to
                    # appear": a state's own act with no one else named is done to its own people
                    d.recipient = [Entity(entity_text="", code=code, sector=None)]
                    d.confidence -= 0.1
                    d.explain.append(f"recipient: none named; a {d.actor[0].sector} act at home ({code})")
            if not d.recipient and not d.symmetric and d.actor and d.event in ("ASSAULT", "COERCE"):
                # coercion with no stated target is domestic, unless the lexicon says it reaches
                # across a border ("richiudere i valichi")
                # police force is used at home ("ucciso dopo l'assedio della polizia francese")
                police = all(e.sector == "COP" for e in d.actor)
                domestic = (d.event == "COERCE" and t.role_hint != "across") or police
                other = _other_party(doc, s, {e.code for e in d.actor}, domestic)
                if other is not None:
                    d.recipient = [other]
                    d.confidence -= 0.15
                    d.explain.append(f"recipient: none in the clause; the other party of the paragraph/article ({other.code})")
        self._carry_back(doc)
        # one scene: an event with no place shares the place of another in its sentence
        placed = {d.trigger.sentence: d.place for d in doc.drafts if d.place is not None}
        for d in doc.drafts:
            if d.place is None and d.trigger.sentence in placed:
                d.place = placed[d.trigger.sentence]
                d.explain.append("place: shared with another event of the same sentence")

    @staticmethod
    def _carry_back(doc: Document) -> None:
        """"X did Y. Secondo quanto riportato da Z, il messaggio ...": a sentence that opens with a
        source and codes no event of its own (its subject is the thing just reported, not an
        actor) attributes the previous sentence's events in the paragraph to that source."""
        by_sent: dict[int, list[Draft]] = {}
        for d in doc.drafts:
            by_sent.setdefault(d.trigger.sentence, []).append(d)
        for s in doc.sentences[1:]:
            prev = doc.sentences[s.index - 1]
            if prev.paragraph != s.paragraph:
                continue
            own = by_sent.get(s.index, [])
            if any(d.actor for d in own):
                continue
            attr = next((d.attribution for d in own if d.attribution is not None), None)
            if attr is None or attr.code == "UNK":
                continue
            opener = doc.tokens[s.tok_start].norm
            if opener not in ("secondo", "according", "selon", "según", "laut"):
                continue
            for d in by_sent.get(prev.index, []):
                if d.attribution is None and d.actor:
                    d.attribution = attr
                    d.modality = "reported" if d.modality == "asserted" else d.modality
                    d.explain.append(f"attribution: the next sentence opens with its source ({attr.entity_text!r})")

    def _attribution(self, doc: Document, p: Pack, idx: _Index, norms: list[str], s: Sentence,
                     t: Trigger, prefixes: tuple[tuple[str, ...], ...]) -> Entity | None:
        phrases = [ph for ph in doc.phrases if ph.sentence == s.index]
        # "secondo X", "according to X": X is the first phrase within a few tokens
        i = s.tok_start
        while i < s.tok_end:
            hit = next((pf for pf in prefixes if pf and norms[i] == pf[0] and _seq_at(norms, i, pf)), None)
            if hit is None:
                i += 1
                continue
            j = i + len(hit)
            ph = next((ph for ph in phrases if j <= ph.tok_start <= j + 4), None)
            if ph is not None and not (ph.tok_start <= t.tok_start < ph.tok_end):
                return _merge_entities(doc, ph)
            # a source cronaca cannot resolve still makes the event reported
            end = j
            while end < s.tok_end and end < j + 6 and norms[end] not in (",", ".", ";", ":"):
                end += 1
            if end > j:
                a, b = doc.tokens[j].start, doc.tokens[end - 1].end
                role = next((m for m in doc.mentions if m.kind == "role" and a <= m.start < b), None)
                code = "UNK"
                if role is not None:
                    # "i media statali" with no country: the state where the sentence is set
                    here = next((pm.place.code for pm in doc.places if pm.sentence == s.index and pm.place.code), None)
                    code = here or "UNK"
                return Entity(entity_text=doc.text[a:b], code=code, sector=role.entity.sector if role else None)
            i = j
        # "X ha riferito che ...", "X said that ...": a reporting verb before the trigger
        for r in range(t.tok_start - 1, s.tok_start - 1, -1):
            for f in idx.reporting.get(norms[r], ()):
                if _seq_at(norms, r, f) and r + len(f) <= t.tok_start:
                    subj = next((ph for ph in reversed(phrases) if ph.tok_end <= r and _subject_like(ph, p)), None)
                    if subj is None:
                        subj = next((ph for ph in phrases if r + len(f) <= ph.tok_start <= r + len(f) + 2
                                     and ph.tok_end <= t.tok_start), None)
                    if subj is not None:
                        return _merge_entities(doc, subj)
        if _in_quote(doc, s, t.start):
            # «...», ha dichiarato il ministro: the reporting verb and its speaker follow the quote
            for r in range(t.tok_end, s.tok_end):
                for f in idx.reporting.get(norms[r], ()):
                    if _seq_at(norms, r, f):
                        spk = next((ph for ph in phrases if r + len(f) <= ph.tok_start <= r + len(f) + 4), None)
                        if spk is not None:
                            return _merge_entities(doc, spk)
        return None

    @staticmethod
    def _date(doc: Document, s: Sentence, t: Trigger, left: int, right: int) -> DateRef | None:
        cands = [d for d in doc.dates if d.sentence == s.index and d.value]
        if not cands:
            return None
        lo, hi = doc.tokens[left].start if left < len(doc.tokens) else s.start, doc.tokens[right - 1].end if right - 1 < len(doc.tokens) and right > left else s.end
        in_clause = [d for d in cands if lo <= d.start < hi]
        pool = in_clause or cands
        return min(pool, key=lambda d: min(abs(d.start - t.end), abs(d.end - t.start)))

    @staticmethod
    def _quantity(doc: Document, t: Trigger, left: int, right: int) -> Quantity | None:
        lo = doc.tokens[t.tok_start].start
        hi = doc.tokens[min(right, len(doc.tokens)) - 1].end if right > t.tok_end else doc.tokens[t.tok_end - 1].end
        for a, _b, q in doc.quantities:
            if lo <= a <= hi:
                return q
        return None


def _other_party(doc: Document, s: Sentence, actor_codes: set[str], domestic: bool) -> Entity | None:
    """Who an attack with no stated target hit: the state most named in the paragraph (else the
    article) other than the attacker's. An arrest with no stated target is domestic."""
    from collections import Counter

    if domestic:
        code = next(iter(actor_codes)) if len(actor_codes) == 1 else None
        return Entity(entity_text="", code=code, sector=None) if code and code not in ("IGO", "UNK") else None
    # "richiudere i valichi ... nella Striscia di Gaza": a foreign town or region of the sentence first
    here = [pm.place.code for pm in doc.places if pm.sentence == s.index and pm.place.code
            and pm.place.precision != "country" and pm.place.code not in actor_codes and pm.place.code not in ("IGO", "WST", "UNK", "NGO")]
    if len(set(here)) == 1:
        return Entity(entity_text="", code=here[0], sector=None)
    for scope in ("paragraph", "article"):
        c: Counter[str] = Counter()
        for m in doc.mentions:
            if m.kind not in ("name", "adj", "seat", "person", "org") or m.entity.code in actor_codes \
                    or m.entity.code in ("IGO", "WST", "UNK", "NGO"):
                continue
            if scope == "paragraph" and doc.sentences[m.sentence].paragraph != s.paragraph:
                continue
            c[m.entity.code] += 1
        if c:
            code, n = c.most_common(1)[0]
            if scope == "paragraph" or n >= 2:
                return Entity(entity_text="", code=code, sector=None)
    return None


def _is_lead(doc: Document, s: Sentence) -> bool:
    """The first sentence of the article's body (after a title line, if any)."""
    firsts = [x for x in doc.sentences if x.paragraph == s.paragraph and not _is_dateline(doc, x)]
    return bool(firsts) and firsts[0].index == s.index and s.paragraph <= 1


def _merge_entities(doc: Document, ph: ActorPhrase) -> Entity:
    if len(ph.entities) == 1:
        return ph.entities[0]
    first = ph.entities[0]
    return Entity(entity_text=doc.text[ph.start:ph.end], code=first.code, sector=first.sector,
                  identifier_id=first.identifier_id, name=first.name)


# --------------------------------------------------------------------------- quantities
class QuantityStage:
    name = "quantities"
    requires = ("tokens", "sentences")
    assigns = ("quantity_spans",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        quals, words, units = _quantity_tables(doc.lang)
        toks = doc.tokens
        out: list[tuple[int, int, Quantity]] = []
        for i, tk in enumerate(toks):
            val = _number(tk.text, words)
            if val is None:
                continue
            # the unit right after the number ("10.000 soldati", "1,000 containers")
            unit = None
            for f, u in units.items():
                if tuple(x.norm for x in toks[i + 1 : i + 1 + len(f)]) == f:
                    unit = u
                    break
            if unit is None:
                continue
            qual = None
            for q, v in quals.items():
                if tuple(x.norm for x in toks[max(0, i - len(q)) : i]) == q:
                    qual = v
                    break
            out.append((tk.start, tk.end, Quantity(value=val, unit=unit, qualifier=qual)))
        doc.quantities = out


@cache
def _quantity_tables(lang: str) -> tuple[dict[tuple[str, ...], Any], dict[str, float], dict[tuple[str, ...], str]]:
    p = pack(lang)
    quals = {phrase_norms(str(k), lang): v for k, v in (p.data.get("qualifiers") or {}).items()}
    words = {str(k).casefold(): float(v) for k, v in (p.data.get("number_words") or {}).items()}
    units: dict[tuple[str, ...], str] = {}
    for unit, forms in (p.data.get("units") or {}).items():
        for f in forms:
            units[phrase_norms(str(f), lang)] = unit
    return quals, words, units


def _number(text: str, words: dict[str, float]) -> float | None:
    w = words.get(text.casefold())
    if w is not None:
        return w
    if not text[:1].isdigit():
        return None
    s = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "." in s and "," in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(".") >= 1 and all(len(g) == 3 for g in s.split(".")[1:]):
        s = s.replace(".", "")
    elif s.count(",") >= 1 and all(len(g) == 3 for g in s.split(",")[1:]):
        s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


# --------------------------------------------------------------------------- assembly
class AssembleStage:
    name = "assemble"
    requires = ("drafts", "modality")
    assigns = ("events",)

    def __call__(self, doc: Document, config) -> None:  # type: ignore[no-untyped-def]
        kept: list[Draft] = []
        # acts whose object is talk about another act: criticism, praise, rejection, requests, threats
        judged = [d for d in doc.drafts if not d.trigger.nominal and d.event in _JUDGED
                  and d.cameo not in ("057", "054")]
        for d in doc.drafts:
            if d.trigger.nominal and any(j.trigger.sentence == d.trigger.sentence
                                         and j.trigger.tok_start < d.trigger.tok_start
                                         and j.clause[0] <= d.trigger.tok_start < j.clause[1] for j in judged):
                # "ha criticato i bombardamenti": what is judged is not a new event here
                d.drop = d.drop or "the object of a judgement, not an event of its own"
            if not d.actor and config.require_actor:
                d.drop = d.drop or "no actor"
            if d.recipient and d.actor and not d.symmetric:
                same = {e.code for e in d.recipient} <= {e.code for e in d.actor} and \
                    {e.sector for e in d.recipient} <= {e.sector for e in d.actor}
                if same:
                    d.recipient = []
            if not d.recipient and not d.symmetric and d.event in ("AID", "COOPERATE", "SANCTION"):
                d.drop = d.drop or f"{d.event} needs a recipient"
            if d.modality == "negated" and not config.keep_negated:
                d.drop = d.drop or "negated"
            if d.modality == "hypothetical" and not config.keep_hypothetical:
                d.drop = d.drop or "hypothetical"
            if d.drop:
                continue
            kept.append(d)
        merged = _merge_within(kept)
        doc.events = [self._event(doc, config, d) for d in merged]

    def _event(self, doc: Document, config, d: Draft) -> Event:  # type: ignore[no-untyped-def]
        art = doc.article
        s = doc.sentences[d.trigger.sentence]
        date_value, prec, basis = None, "unknown", "publication"
        if d.date is not None and d.date.value:
            date_value, prec, basis = d.date.value, d.date.precision, d.date.basis
            if prec in ("quarter", "season"):  # SPEC.md has neither: the year holds it
                date_value, prec = date_value[:4] + "-01-01", "year"
            elif prec == "present":  # "now", "attualmente": the publication day
                prec = "day"
            elif prec == "century":
                date_value, prec = None, "unknown"
        elif doc.pub_date and not d.undated:
            date_value, prec, basis = doc.pub_date[:10], "day", "publication"
            d.explain.append("date: publication date (fallback)")
        modality = d.modality
        if date_value and doc.pub_date and modality in ("asserted", "reported"):
            try:
                if (dt.date.fromisoformat(doc.pub_date[:10]) - dt.date.fromisoformat(date_value)).days > 2 * 366:
                    modality = "historical"
                    d.explain.append("historical: years before publication")
            except ValueError:
                pass
        conf = max(0.05, min(0.99, round(d.confidence, 2)))
        context = tuple(dict.fromkeys(d.trigger.context))
        ev_id = content_id(art.id, d.event, str(s.start), str(d.trigger.start),
                           ",".join(e.code for e in d.actor), ",".join(e.code for e in d.recipient))
        return Event(
            id=ev_id,
            doc_id=art.key,
            article_id=art.id,
            event=d.event,
            mode=d.mode,
            context=context,
            cameo=d.cameo or None,
            goldstein=goldstein(d.cameo),
            quad_class=quad_class(d.event),
            actor=tuple(d.actor),
            recipient=tuple(d.recipient),
            date=date_value,
            date_precision=prec,
            date_basis=basis,
            event_loc=d.place,
            attribution=d.attribution,
            modality=modality,
            quantity=d.quantity,
            confidence=conf,
            sentence=s.index,
            start=s.start,
            end=s.end,
            evidence=doc.text[s.start : s.end],
            symmetric=d.symmetric,
            language=doc.lang,
            url=art.url,
            publication=art.outlet,
            pub_date=art.pub_date,
            provenance=Provenance(stage="pipeline.events", kb_version=config.kb.version,
                                  lexicon=d.trigger.entry_id, rules=tuple(d.explain)),
            explain=tuple(d.explain),
        )


def _periods_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    if a is None or b is None or not a.value or not b.value:
        return True
    pa, pb = _period(a), _period(b)
    return pa[0] < pb[1] and pb[0] < pa[1]


def _period(d: DateRef) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(d.value or "1900-01-01")
    if d.precision == "day":
        return start, start + dt.timedelta(days=1)
    if d.precision == "week":
        return start, start + dt.timedelta(days=7)
    if d.precision == "month":
        return start, (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if d.precision == "year":
        return start, start.replace(year=start.year + 1)
    return start, start + dt.timedelta(days=1)


def _merge_within(drafts: list[Draft]) -> list[Draft]:
    """One event mentioned twice in an article becomes one record (the better-evidenced one)."""
    out: list[Draft] = []
    for d in drafts:
        a = {e.code for e in d.actor}
        r = {e.code for e in d.recipient}
        twin = None
        for o in out:
            fam = {"asserted": "fact", "reported": "fact"}
            if o.event != d.event or fam.get(o.modality, o.modality) != fam.get(d.modality, d.modality):
                continue
            oa, orr = {e.code for e in o.actor}, {e.code for e in o.recipient}
            if not (a & oa or (d.symmetric and o.symmetric and (a | r) & (oa | orr))):
                continue
            if r and orr and not (r & orr):
                continue
            if not _periods_compatible(o.date, d.date):
                continue
            if (o.date is None or d.date is None) and abs(o.trigger.sentence - d.trigger.sentence) > 2:
                continue  # an undated mention far away is not evidence that it is the same act
            # same type but another act (troops 074 vs munitions 072, praise 051 vs
            # signing 057) is another event; a meeting is a meeting whatever its CAMEO
            if o.cameo != d.cameo and d.event != "CONSULT" and o.trigger.sentence != d.trigger.sentence:
                continue
            twin = o
            break
        if twin is None:
            out.append(d)
            continue
        keep, other = (twin, d) if twin.confidence >= d.confidence else (d, twin)
        for fld in ("date", "place", "attribution", "quantity"):
            if getattr(keep, fld) is None and getattr(other, fld) is not None:
                setattr(keep, fld, getattr(other, fld))
                if fld == "attribution" and keep.modality == "asserted":
                    keep.modality = "reported"
        if not keep.recipient and other.recipient:
            keep.recipient = other.recipient
        if keep.date is not None and other.date is not None and keep.date_inherited and not other.date_inherited:
            keep.date = other.date
        keep.confidence = min(0.99, keep.confidence + 0.05)
        keep.explain.append(f"merged with a second mention: {other.trigger.entry_id} in sentence {other.trigger.sentence}")
        if keep is d:
            out[out.index(twin)] = d
    return out


__all__ = ["AssembleStage", "Draft", "ModalityStage", "QuantityStage", "RoleStage", "TriggerStage"]
