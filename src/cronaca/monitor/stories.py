"""Story-events: one real event, merged from its reports across articles and languages.

GDELT counts reports: one kidnapping told by 300 outlets becomes 300 "events". Here each
coded event is a *report*; reports of the same real event become one *story*, which keeps
every report (and so every evidence span), the outlets and languages that told it, when it
was first and last seen, and how many independent sources agree.

Two reports are of the same event when
- they have the same PLOVER type and the same kind of fact (an act, or an announced one:
  a promise is never merged with its fulfilment), and both are joint acts or neither is,
  unless they have the same CAMEO code ("X and Y signed" is "X signed with Y");
- they share an actor, and a recipient when both name one (blocking keys, below);
- their periods overlap. A report's period comes from its date and precision, widened
  backwards where the text only bounds it: a material act *reported* on a date ("the Pentagon said
  on 28 October that North Korea had sent...") happened on or before it, and a date taken
  from the publication date is when the act was told, not done;
- they do not name different countries as the place.

Among several compatible stories the best is taken: same CAMEO code and mode, same place,
same quantity unit, nearest in time. A story's period is the intersection of its reports'
periods, so chains of loosely dated reports cannot drift.

Blocking keeps merging near-linear: a report looks up only the stories indexed under
(type, actor, recipient) keys it shares, through an SQLite index, so each report costs a
few index lookups whatever the size of the store. New articles merge incrementally in the
same transaction that stores them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..model import content_id

#: how far back an act may lie before the date that bounds it: a material act someone
#: reports on a date, an act dated only by its publication, an act with no date at all
REPORTED_LOOKBACK_DAYS = 45
PUBLICATION_LOOKBACK_DAYS = 30
UNDATED_LOOKBACK_DAYS = 365
#: days of slack on each side when comparing periods (time zones, late-night reports)
SLACK_DAYS = 1
#: the state's own arms count as one actor when reports are compared ("Russia", "Putin",
#: "Russian troops" may tell the same act)
_STATE_SECTORS = {"GOV": "STATE", "MIL": "STATE", "SPY": "STATE", "COP": "STATE", "JUD": "STATE", "LEG": "STATE"}
_FUTURE = {"future"}
_NO_STORY = {"negated", "hypothetical"}


@dataclass(frozen=True, slots=True)
class Report:
    """What the merger needs to know of one stored event."""

    event_id: str
    article_id: str
    event: str
    mode: str | None
    cameo: str | None
    quad_class: int | None
    goldstein: float | None
    plover_score: float | None
    symmetric: bool
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    date: str | None
    precision: str
    basis: str
    modality: str
    confidence: float
    loc_code: str | None
    loc_name: str | None
    lat: float | None
    lon: float | None
    lang: str | None
    source: str
    seen: str | None
    qty_unit: str | None
    actor_sectors: tuple[str, ...] = ()  # "code|sector"

    @property
    def family(self) -> str:
        return "future" if self.modality in _FUTURE else "factual"

    def period(self) -> tuple[int, int] | None:
        """The days this report allows for its event, as ordinals (inclusive)."""
        span = _date_span(self.date, self.precision)
        if span is None:
            seen = _day(self.seen)
            if seen is None:
                return None
            return seen - UNDATED_LOOKBACK_DAYS, seen
        lo, hi = span
        if self.basis == "publication":
            lo -= PUBLICATION_LOOKBACK_DAYS
        elif self.modality == "reported" and self.quad_class in (2, 4):
            lo -= REPORTED_LOOKBACK_DAYS
        return lo, hi


def _day(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _date_span(date: str | None, precision: str | None) -> tuple[int, int] | None:
    d0 = _day(date)
    if d0 is None or precision in (None, "unknown"):
        return None
    d = dt.date.fromordinal(d0)
    if precision == "week":
        return d0, d0 + 6
    if precision == "month":
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return d0, nxt.toordinal() - 1
    if precision == "year":
        return d0, d.replace(year=d.year + 1).toordinal() - 1
    return d0, d0


def source_of(outlet: str | None, url: str | None, article_id: str) -> str:
    """An independent source: the outlet, else the web host, else the article itself."""
    if outlet:
        return outlet.strip().lower()
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return f"article:{article_id}"


def keys_of(event: str, actors: Iterable[str], recipients: Iterable[str], symmetric: bool) -> set[tuple[str, str, str]]:
    """The blocking keys a story is indexed under."""
    acts, recs = sorted(set(actors)), sorted(set(recipients))
    if symmetric:
        parts = sorted(set(acts) | set(recs))
        out = {(event, a, b) for a in parts for b in parts if a != b}
        out |= {(event, a, "*") for a in parts}
        return out
    out = {(event, a, "*") for a in acts}
    out |= {(event, a, b) for a in acts for b in recs} if recs else {(event, a, "") for a in acts}
    return out


def lookup_keys(r: Report) -> set[tuple[str, str, str]]:
    """The keys a report searches: its own pairs, or any story of its actor when it has no recipient."""
    if r.symmetric:
        parts = sorted(set(r.actors) | set(r.recipients))
        return {(r.event, a, b) for a in parts for b in parts if a != b} or {(r.event, a, "*") for a in parts}
    if r.recipients:
        return {(r.event, a, b) for a in r.actors for b in r.recipients} | {(r.event, a, "") for a in r.actors}
    return {(r.event, a, "*") for a in r.actors}


@dataclass
class Story:
    """A story's mutable aggregate while a batch is merged; `row()` gives its table row."""

    id: str
    event: str
    family: str
    symmetric: bool
    lo: int
    hi: int
    reports: int = 0
    actors: Counter[str] = field(default_factory=Counter)
    recipients: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    cameos: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)  # "code|name|lat|lon"
    units: Counter[str] = field(default_factory=Counter)
    actor_sectors: Counter[str] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)  # "date|precision|basis"
    modalities: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    sources: dict[str, float] = field(default_factory=dict)  # source -> best confidence
    articles: set[str] = field(default_factory=set)
    first_seen: str | None = None
    last_seen: str | None = None
    cameo_meta: dict[str, list[Any]] = field(default_factory=dict)  # cameo -> [quad, goldstein, plover]
    new: bool = True

    # -------------------------------------------------------------- merging
    def accepts(self, r: Report, period: tuple[int, int]) -> bool:
        if r.family != self.family:
            return False
        if r.symmetric != self.symmetric and not (r.cameo and r.cameo in self.cameos):
            # "X and Y signed" and "X signed with Y" are one act; "Putin thanked Kim" is not
            # the treaty they signed together: a joint and a directed report need the same code
            return False
        lo, hi = period
        if lo > self.hi + SLACK_DAYS or hi < self.lo - SLACK_DAYS:
            return False
        codes = {p.split("|", 1)[0] for p in self.places if p.split("|", 1)[0]}
        if r.loc_code and codes and r.loc_code not in codes:
            return False
        # the same state is not the same actor: "the Senate rejected" and "GM announced" are
        # both American; an actor named with a sector must meet one with the same sector
        mine = {x for x in r.actor_sectors if not x.endswith("|")}
        theirs = {x for x in self.actor_sectors if not x.endswith("|")}
        return not (mine and theirs and not (mine & theirs))

    def score(self, r: Report, period: tuple[int, int]) -> float:
        s = 0.0
        if r.cameo and r.cameo in self.cameos:
            s += 2
        if r.mode and r.mode in self.modes:
            s += 1
        if r.loc_name and any(p.split("|")[1] == r.loc_name for p in self.places):
            s += 2
        if r.qty_unit and self.units:
            s += 2 if r.qty_unit in self.units else -3
        centre, mine = (self.lo + self.hi) / 2, (period[0] + period[1]) / 2
        return s - abs(centre - mine) / 365

    def add(self, r: Report, period: tuple[int, int]) -> None:
        lo, hi = period
        if self.reports:
            # the period every report allows; a report that only just overlaps narrows it
            nlo, nhi = max(self.lo, lo), min(self.hi, hi)
            if nlo <= nhi:
                self.lo, self.hi = nlo, nhi
        else:
            self.lo, self.hi = lo, hi
        self.reports += 1
        self.actors.update(r.actors)
        self.actor_sectors.update(r.actor_sectors)
        self.recipients.update(r.recipients)
        if r.mode:
            self.modes[r.mode] += 1
        if r.cameo:
            self.cameos[r.cameo] += 1
            self.cameo_meta[r.cameo] = [r.quad_class, r.goldstein, r.plover_score]
        if r.loc_code or r.loc_name:
            self.places[f"{r.loc_code or ''}|{r.loc_name or ''}|{r.lat if r.lat is not None else ''}|"
                        f"{r.lon if r.lon is not None else ''}"] += 1
        if r.qty_unit:
            self.units[r.qty_unit] += 1
        if r.date:
            self.dates[f"{r.date}|{r.precision}|{r.basis}"] += 1
        self.modalities[r.modality] += 1
        if r.lang:
            self.languages[r.lang] += 1
        self.sources[r.source] = max(self.sources.get(r.source, 0.0), r.confidence)
        self.articles.add(r.article_id)
        if r.seen:
            self.first_seen = min(self.first_seen or r.seen, r.seen)
            self.last_seen = max(self.last_seen or r.seen, r.seen)

    # -------------------------------------------------------------- output
    def best_date(self) -> tuple[str | None, str]:
        """The most precise date the reports give that fits the story's period (explicit first)."""
        rank = {"day": 0, "week": 1, "month": 2, "year": 3}
        best: tuple[Any, ...] | None = None
        for key, n in self.dates.items():
            date, prec, basis = key.split("|")
            span = _date_span(date, prec)
            if span is None or span[1] < self.lo - SLACK_DAYS or span[0] > self.hi + SLACK_DAYS:
                continue
            cand = (basis != "explicit", rank.get(prec, 9), -n, date, prec)
            if best is None or cand < best:
                best = cand
        if best is not None:
            return best[3], best[4]
        if self.lo > 0 and self.hi - self.lo <= 1:
            return dt.date.fromordinal(self.lo).isoformat(), "day"
        return None, "unknown"

    def confidence(self) -> float:
        """Independent sources agreeing raise it (noisy-OR over one report per source)."""
        miss = 1.0
        for c in self.sources.values():
            miss *= 1.0 - max(0.0, min(c, 0.99))
        return round(min(0.99, 1.0 - miss), 3)

    def state(self) -> dict[str, Any]:
        return {"reports": self.reports, "actors": self.actors, "recipients": self.recipients, "modes": self.modes,
                "cameos": self.cameos, "places": self.places, "units": self.units, "dates": self.dates,
                "actor_sectors": self.actor_sectors,
                "modalities": self.modalities, "languages": self.languages, "sources": self.sources,
                "articles": sorted(self.articles), "first_seen": self.first_seen, "last_seen": self.last_seen,
                "cameo_meta": self.cameo_meta}

    @staticmethod
    def from_row(row: sqlite3.Row | tuple[Any, ...]) -> Story:
        sid, event, family, symmetric, lo, hi, state = row
        st = json.loads(state)
        s = Story(id=sid, event=event, family=family, symmetric=bool(symmetric), lo=lo, hi=hi, new=False)
        s.reports = st["reports"]
        for name in ("actors", "recipients", "modes", "cameos", "places", "units", "dates", "modalities", "languages"):
            setattr(s, name, Counter(st[name]))
        s.actor_sectors = Counter(st.get("actor_sectors", {}))
        s.sources = dict(st["sources"])
        s.articles = set(st["articles"])
        s.first_seen, s.last_seen = st["first_seen"], st["last_seen"]
        s.cameo_meta = st["cameo_meta"]
        return s



def disagreements(state: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Fields on which a story's reports differ, with how many said what (from its stored state)."""
    return {name: dict(state[key]) for name, key in (("mode", "modes"), ("cameo", "cameos"), ("date", "dates"),
                                                     ("place", "places"), ("modality", "modalities"))
            if len(state[key]) > 1}


def _top(c: Counter[str]) -> str | None:
    return c.most_common(1)[0][0] if c else None


def story_row(s: Story) -> tuple[Any, ...]:
    date, prec = s.best_date()
    cameo = _top(s.cameos)
    quad, gold, plover = (s.cameo_meta.get(cameo) if cameo else None) or [None, None, None]
    place = _top(s.places)
    code, name, lat, lon = place.split("|") if place else (None, None, "", "")
    actors = [c for c, _ in s.actors.most_common()]
    recipients = [c for c, _ in s.recipients.most_common()]
    return (s.id, s.event, s.family, int(s.symmetric), json.dumps(actors), json.dumps(recipients), _top(s.modes),
            cameo, quad, gold, plover, date, prec, s.lo, s.hi, code or None, name or None,
            float(lat) if lat else None, float(lon) if lon else None, s.reports, len(s.articles), len(s.sources),
            json.dumps(sorted(s.languages)), json.dumps(sorted(x for x in s.sources if not x.startswith("article:"))),
            s.first_seen, s.last_seen, s.confidence(), json.dumps(s.state(), ensure_ascii=False))


_STORY_COLS = ("id, event, family, symmetric, actors, recipients, mode, cameo, quad_class, goldstein, plover_score, "
               "date, date_precision, lo, hi, loc_code, loc_name, lat, lon, n_reports, n_articles, n_sources, "
               "languages, outlets, first_seen, last_seen, confidence, state")

_STORY_MARKS = ",".join("?" * len(_STORY_COLS.split(",")))

_REPORT_SQL = """
SELECT e.id, e.article_id, e.event, e.mode, e.cameo, e.quad_class, e.goldstein, e.plover_score, e.symmetric,
       e.date, e.date_precision, e.date_basis, e.modality, e.confidence, e.loc_code, e.loc_name, e.lat, e.lon,
       e.lang, a.outlet, a.url, a.pub_date, a.ingested_at, e.record
FROM events e JOIN articles a ON a.id = e.article_id
"""


def _report(row: Sequence[Any]) -> Report:
    (eid, aid, event, mode, cameo, quad, gold, plover, sym, date, prec, basis, modality, conf, loc_code, loc_name,
     lat, lon, lang, outlet, url, pub_date, ingested_at, record) = row
    rec = json.loads(record)
    qty = rec.get("quantity") or {}
    return Report(event_id=eid, article_id=aid, event=event, mode=mode, cameo=cameo, quad_class=quad,
                  goldstein=gold, plover_score=plover, symmetric=bool(sym),
                  actors=tuple(a["code"] for a in rec["actor"]), recipients=tuple(r["code"] for r in rec["recipient"]),
                  date=date, precision=prec, basis=basis, modality=modality, confidence=conf, loc_code=loc_code,
                  loc_name=loc_name, lat=lat, lon=lon, lang=lang, source=source_of(outlet, url, aid),
                  seen=(pub_date or ingested_at or "")[:10] or None, qty_unit=qty.get("unit"),
                  actor_sectors=tuple(f"{a['code']}|{_STATE_SECTORS.get(a.get('sector') or '', a.get('sector') or '')}"
                                      for a in rec["actor"]))


class Merger:
    """Merges reports into stories inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache: dict[str, Story] = {}
        self.touched: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def reports_for(self, event_ids: Sequence[str]) -> list[Report]:
        out: list[Report] = []
        for i in range(0, len(event_ids), 500):
            chunk = list(event_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            out.extend(_report(r) for r in self.conn.execute(f"{_REPORT_SQL} WHERE e.id IN ({marks})", chunk))
        order = {e: i for i, e in enumerate(event_ids)}
        out.sort(key=lambda r: order[r.event_id])
        return out

    def _story(self, sid: str) -> Story | None:
        s = self.cache.get(sid)
        if s is None:
            row = self.conn.execute("SELECT id, event, family, symmetric, lo, hi, state FROM stories WHERE id = ?",
                                    (sid,)).fetchone()
            if row is None:
                return None
            s = self.cache[sid] = Story.from_row(tuple(row))
        return s

    def merge(self, reports: Iterable[Report]) -> int:
        """Attach each report to its story, creating stories as needed; returns reports merged."""
        n = 0
        for r in reports:
            if r.modality in _NO_STORY or not r.actors:
                continue
            found = r.period()
            best: Story | None = None
            if found is None:
                period = (0, 0)  # no date and no publication date: a story of its own
            else:
                period = found
                ids: set[str] = set()
                for ev, a, b in lookup_keys(r):
                    ids.update(x[0] for x in self.conn.execute(
                        "SELECT story_id FROM story_keys WHERE event = ? AND a = ? AND b = ? AND hi >= ?",
                        (ev, a, b, period[0] - SLACK_DAYS)))
                cands = [s for s in (self._story(i) for i in sorted(ids)) if s is not None and s.accepts(r, period)]
                if cands:
                    best = max(cands, key=lambda s: s.score(r, period))
            if best is None:
                best = Story(id="s" + content_id(r.event_id), event=r.event, family=r.family,
                             symmetric=r.symmetric, lo=period[0], hi=period[1])
                self.cache[best.id] = best
            before = (best.lo, best.hi, set(best.actors), set(best.recipients))
            best.add(r, period)
            self.touched.add(best.id)
            self.links.append((r.event_id, best.id))
            if best.new or before != (best.lo, best.hi, set(best.actors), set(best.recipients)):
                self._index(best)
            n += 1
        return n

    def _index(self, s: Story) -> None:
        """(Re)write a story's blocking keys now, so later reports of the same batch find it."""
        if s.new:
            # keys reference the story row: it must exist before they do
            self.conn.execute(f"INSERT INTO stories ({_STORY_COLS}) VALUES ({_STORY_MARKS})", story_row(s))
            s.new = False
        else:
            self.conn.execute("DELETE FROM story_keys WHERE story_id = ?", (s.id,))
        rows = [(e, a, b, s.id, s.hi) for e, a, b in keys_of(s.event, s.actors, s.recipients, s.symmetric)]
        self.conn.executemany("INSERT OR IGNORE INTO story_keys VALUES (?,?,?,?,?)", rows)

    def flush(self) -> None:
        """Write touched stories, report links and dyad rows."""
        c = self.conn
        for sid in sorted(self.touched):
            s = self.cache[sid]
            row = story_row(s)
            c.execute(f"UPDATE stories SET ({_STORY_COLS}) = ({_STORY_MARKS}) WHERE id = ?", (*row, sid))
            c.execute("DELETE FROM story_dyads WHERE story_id = ?", (sid,))
            c.executemany("INSERT OR IGNORE INTO story_dyads VALUES (?,?,?,?)",
                          [(a, b, sid, row[11]) for a, b in dyads_of(s)])
        c.executemany("INSERT OR REPLACE INTO story_reports (event_id, story_id) VALUES (?, ?)", self.links)
        self.touched.clear()
        self.links.clear()
        self.cache.clear()


def dyads_of(s: Story) -> set[tuple[str, str]]:
    """The directed pairs a story joins; a joint act joins every pair of its parties both ways."""
    if s.symmetric:
        parts = set(s.actors) | set(s.recipients)
        return {(a, b) for a in parts for b in parts if a != b}
    return {(a, b) for a in s.actors for b in s.recipients if a != b}


def merge_events(conn: sqlite3.Connection, event_ids: Sequence[str]) -> int:
    """Merge stored events (by id) into stories, inside the caller's transaction."""
    m = Merger(conn)
    n = m.merge(m.reports_for(event_ids))
    m.flush()
    return n


def unlink_and_rebuild(conn: sqlite3.Connection, story_ids: Iterable[str]) -> None:
    """Stories that lost reports (an article re-coded) are rebuilt from the reports they keep."""
    for sid in sorted(set(story_ids)):
        left = [r[0] for r in conn.execute("SELECT event_id FROM story_reports WHERE story_id = ?", (sid,))]
        conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
        if left:
            merge_events(conn, left)


def rebuild_all(conn: sqlite3.Connection) -> int:
    """Forget every story and merge all stored events again, oldest article first."""
    conn.execute("DELETE FROM stories")
    ids = [r[0] for r in conn.execute(
        "SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id "
        "ORDER BY coalesce(a.pub_date, a.ingested_at), a.id, e.start")]
    n = 0
    for i in range(0, len(ids), 20000):
        n += merge_events(conn, ids[i : i + 20000])
    return n
