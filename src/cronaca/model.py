"""Records that leave the pipeline, and the one mutable container that flows through it.

Output records are frozen, keyword-only dataclasses: a stored event never changes
under a reader's feet, and `dataclasses.replace` makes the rare derived copy
explicit. `Document` is the exception on purpose: stages annotate it in place,
and every annotation is a span (start/end offsets) into the one normalised text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

MODALITIES = ("asserted", "reported", "negated", "hypothetical", "future", "historical")
PRECISIONS = ("day", "week", "month", "year", "unknown")
DATE_BASES = ("explicit", "relative", "publication", "context")


def content_id(*parts: str, length: int = 16) -> str:
    """A stable hex id from text parts: re-ingesting the same content yields the same id."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """One input article. `id` is a hash of the text, so duplicates collapse in the store."""

    id: str
    text: str
    doc_id: str | None = None
    lang: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    pub_date: str | None = None
    source_path: str | None = None

    @staticmethod
    def make(text: str, **kw: Any) -> Article:
        return Article(id=content_id(text), text=text, **kw)

    @property
    def key(self) -> str:
        """The id users see: theirs when they gave one, the content hash otherwise."""
        return self.doc_id or self.id


@dataclass(frozen=True, kw_only=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str  # case-folded, apostrophes unified
    is_upper_initial: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    tok_start: int  # index of the first token of the sentence
    tok_end: int  # one past the last token


@dataclass(frozen=True, kw_only=True, slots=True)
class Entity:
    """An actor as PLOVER codes it: country (or IGO/WST/...), sector, Wikidata id."""

    entity_text: str
    code: str
    sector: str | None = None
    identifier_id: str | None = None
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_text": self.entity_text,
            "code": self.code,
            "sector": self.sector,
            "identifier_id": self.identifier_id,
            "name": self.name,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """A knowledge-base hit: a span of text resolved to an entity.

    `kind` says what matched (name, adjective, seat, person, org, role, place)
    because roles use it: an adjective qualifies a noun, a role noun carries a sector.
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    kind: str
    entity: Entity
    kb_id: str
    sentence: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ActorPhrase:
    """Adjacent mentions read as one actor phrase ("il presidente russo Vladimir Putin").

    A phrase may hold several entities ("Russia e Corea del Nord"): PLOVER keeps
    compound actors as one list. `prep` is the word before the phrase, which the
    role stage reads (subject, "a"/"to" recipient, "da"/"by" agent, "tra" symmetric).
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    sentence: int
    entities: tuple[Entity, ...]
    kinds: frozenset[str]
    prep: str | None
    why: str = ""

    @property
    def codes(self) -> set[str]:
        return {e.code for e in self.entities}

    @property
    def place_like(self) -> bool:
        """A bare state or seat name: may be a destination or location as well as an actor."""
        return self.kinds <= {"name", "seat"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    name: str
    code: str | None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str = "city"  # country | region | city

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "precision": self.precision,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class PlaceMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    place: Place
    sentence: int


@dataclass(frozen=True, kw_only=True, slots=True)
class DateRef:
    """A time expression resolved to a period: `value` is the first day of it."""

    start: int
    end: int
    value: str | None
    precision: str
    basis: str
    sentence: int
    text: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Quantity:
    value: float
    unit: str | None
    qualifier: str | None = None  # more_than | less_than | about | None

    def to_json(self) -> dict[str, Any]:
        v: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": v, "unit": self.unit, "qualifier": self.qualifier}


@dataclass(frozen=True, kw_only=True, slots=True)
class Trigger:
    """A lexicon hit that may become an event."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    sentence: int
    event: str
    mode: str | None
    cameo: str
    entry_id: str
    nominal: bool = False
    symmetric: bool = False
    passive: bool = False
    object_span: tuple[int, int] | None = None
    tense: str = "past"
    role_hint: str | None = None
    context: tuple[str, ...] = ()
    intransitive: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Provenance:
    stage: str
    kb_version: str
    lexicon: str | None = None
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "kb_version": self.kb_version,
            "lexicon": self.lexicon,
            "rules": list(self.rules),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """One coded event, as SPEC.md §1 describes it, with provenance."""

    id: str
    doc_id: str
    article_id: str
    event: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    goldstein: float | None
    quad_class: int | None
    actor: tuple[Entity, ...]
    recipient: tuple[Entity, ...]
    date: str | None
    date_precision: str
    date_basis: str
    event_loc: Place | None
    attribution: Entity | None
    modality: str
    quantity: Quantity | None
    confidence: float
    sentence: int
    start: int
    end: int
    evidence: str
    symmetric: bool
    language: str | None
    url: str | None = None
    publication: str | None = None
    pub_date: str | None = None
    provenance: Provenance | None = None
    explain: tuple[str, ...] = ()

    def to_json(self, *, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "doc_id": self.doc_id,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "actor": [a.to_json() for a in self.actor],
            "recipient": [r.to_json() for r in self.recipient],
            "symmetric": self.symmetric,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "event_loc": self.event_loc.to_json() if self.event_loc else None,
            "attribution": self.attribution.to_json() if self.attribution else None,
            "modality": self.modality,
            "quantity": self.quantity.to_json() if self.quantity else None,
            "confidence": self.confidence,
            "text_info": {
                "sentence": self.sentence,
                "start": self.start,
                "end": self.end,
                "evidence": self.evidence,
            },
            "cite_info": {
                "url": self.url,
                "publication": self.publication,
                "language": self.language,
                "pub_date": self.pub_date,
            },
            "provenance": self.provenance.to_json() if self.provenance else None,
        }
        if explain:
            d["explain"] = list(self.explain)
        return d

    def to_jsonl(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


@dataclass(kw_only=True)
class Document:
    """The mutable container stages annotate. Only the pipeline touches it."""

    article: Article
    text: str
    lang: str = "und"
    pub_date: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    phrases: list[ActorPhrase] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    quantities: list[tuple[int, int, Quantity]] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    drafts: list[Any] = field(default_factory=list)  # pipeline.roles.Draft
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)

    def sentence_of(self, offset: int) -> int:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s.index
        return len(self.sentences) - 1


def as_plain(obj: Any) -> Any:
    """JSON-ready view of any record (dataclass or not)."""
    if hasattr(obj, "to_json"):
        return obj.to_json()
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    return obj
