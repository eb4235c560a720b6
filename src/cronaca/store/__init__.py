"""The embedded store: one SQLite file in WAL mode.

Why SQLite and not DuckDB: an analyst queries (and later a dashboard reads)
while an ingest is writing. A DuckDB file cannot be opened by a writer process
and reader processes at once; SQLite in WAL mode lets any number of readers see
the last committed state while one writer appends. Writes are batched into
transactions, so a crash leaves the store as it was after the last whole batch,
never half-written. Schema changes are numbered SQL files, recorded when applied.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import Article, Event
from ..monitor import stories
from ..ontology import plover_score


class StoreError(RuntimeError):
    """The store cannot be opened or is not a cronaca store; the message says what to do."""


def default_store_path() -> Path:
    env = os.environ.get("CRONACA_STORE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cronaca" / "cronaca.sqlite"


def _migrations() -> list[tuple[int, str, str]]:
    d = resources.files(__package__).joinpath("migrations")
    out = []
    for f in sorted(d.iterdir(), key=lambda x: x.name):
        if f.name.endswith(".sql"):
            num, _, name = f.name[:-4].partition("_")
            out.append((int(num), name, f.read_text("utf-8")))
    return out


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None
    recipient: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None
    limit: int | None = None
    offset: int = 0


class Store:
    """A cronaca store. Use as a context manager; one writer at a time, readers any time."""

    def __init__(self, path: str | Path, *, readonly: bool = False, merge_stories: bool = True) -> None:
        self.path = Path(path).expanduser()
        #: merge new reports into story-events as they are written (off for bulk loads
        #: that call `rebuild_stories` once at the end)
        self.merge_stories = merge_stories
        if readonly and not self.path.exists():
            raise StoreError(f"no store at {self.path} (run 'cronaca ingest' first, or pass --store)")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        try:
            self.conn = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None,
                                        check_same_thread=False)
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self._migrate()
            else:
                self._check_schema()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a usable cronaca store: {e}") from e
        self.conn.row_factory = sqlite3.Row

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
        for num, name, sql in _migrations():
            if num in done:
                continue
            c.execute("BEGIN IMMEDIATE")
            try:
                for stmt in sql.split(";\n"):
                    if stmt.strip():
                        c.execute(stmt)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (num, name, _now()))
                if name == "stories" and c.execute("SELECT 1 FROM events LIMIT 1").fetchone():
                    # a store made before story-events: merge the reports it already holds
                    stories.rebuild_all(c)
                c.execute("COMMIT")
            except Exception:
                c.execute("ROLLBACK")
                raise

    def _check_schema(self) -> None:
        try:
            self.conn.execute("SELECT version FROM schema_migrations").fetchall()
        except sqlite3.OperationalError as e:
            raise StoreError(f"{self.path} is not a cronaca store") from e

    def schema_version(self) -> int:
        r = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(r[0] or 0)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def has_article(self, article_id: str, kb_version: str) -> bool:
        r = self.conn.execute("SELECT kb_version FROM articles WHERE id = ?", (article_id,)).fetchone()
        return r is not None and r[0] == kb_version

    def write_batch(self, results: Sequence[tuple[Article, list[Event]]], kb_version: str,
                    errors: Sequence[tuple[str, str]] = ()) -> int:
        """Store articles with their events in one transaction; returns events written.

        An article already stored with the same knowledge-base version is left as it
        is (idempotent re-ingest); with another version its events are replaced.
        """
        rows = [(article_row(art, events[0].language if events else art.lang), [ev.to_json() for ev in events])
                for art, events in results]
        return self.write_records(rows, kb_version, errors)

    def write_records(self, rows: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]], kb_version: str,
                      errors: Sequence[tuple[str, str]] = ()) -> int:
        """`write_batch` from plain records: an article row (`article_row`) and its events as
        SPEC.md records, as Parquet partitions from a cluster carry them."""
        c = self.conn
        n = 0
        new_ids: list[str] = []
        orphaned: list[str] = []
        c.execute("BEGIN IMMEDIATE")
        try:
            for art, records in rows:
                row = c.execute("SELECT kb_version FROM articles WHERE id = ?", (art["id"],)).fetchone()
                if row is not None:
                    if row[0] == kb_version:
                        continue
                    orphaned += [r[0] for r in c.execute(
                        "SELECT DISTINCT story_id FROM story_reports WHERE event_id IN "
                        "(SELECT id FROM events WHERE article_id = ?)", (art["id"],))]
                    c.execute("DELETE FROM articles WHERE id = ?", (art["id"],))
                c.execute(
                    "INSERT INTO articles (id, doc_id, text, lang, title, url, outlet, pub_date, source, "
                    "kb_version, n_events, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (art["id"], art["doc_id"], art["text"], art["lang"], art["title"], art["url"], art["outlet"],
                     art["pub_date"], art["source"], kb_version, len(records), _now()),
                )
                for rec in records:
                    self._insert_record(rec, art["id"])
                    new_ids.append(rec["id"])
                    n += 1
            if orphaned:
                stories.unlink_and_rebuild(c, orphaned)
            if self.merge_stories:
                stories.merge_events(c, list(dict.fromkeys(new_ids)))
            for source, reason in errors:
                c.execute("INSERT INTO errors (source, reason, at) VALUES (?,?,?)", (source, reason, _now()))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return n

    def _insert_record(self, rec: dict[str, Any], article_id: str) -> None:
        loc = rec.get("event_loc") or {}
        attr = rec.get("attribution") or {}
        prov = rec.get("provenance") or {}
        ti, ci = rec["text_info"], rec["cite_info"]
        self.conn.execute(
            "INSERT OR REPLACE INTO events (id, article_id, doc_id, event, mode, cameo, goldstein, quad_class, "
            "plover_score, date, date_precision, date_basis, loc_name, loc_code, lat, lon, attr_code, modality, "
            "confidence, symmetric, start, \"end\", lang, kb_version, stage, lexicon, record) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (rec["id"], article_id, rec["doc_id"], rec["event"], rec.get("mode"), rec.get("cameo"),
             rec.get("goldstein"), rec.get("quad_class"), plover_score(rec["event"], rec.get("mode")),
             rec.get("date"), rec["date_precision"], rec["date_basis"], loc.get("name"), loc.get("code"),
             loc.get("lat"), loc.get("lon"), attr.get("code"), rec["modality"], rec["confidence"],
             int(bool(rec.get("symmetric"))), ti["start"], ti["end"], ci.get("language"),
             prov.get("kb_version", ""), prov.get("stage", ""), prov.get("lexicon"),
             json.dumps(rec, ensure_ascii=False)),
        )
        ents = [(rec["id"], "actor", i, a["code"], a.get("sector"), a.get("identifier_id"), a.get("entity_text"))
                for i, a in enumerate(rec["actor"])]
        ents += [(rec["id"], "recipient", i, a["code"], a.get("sector"), a.get("identifier_id"), a.get("entity_text"))
                 for i, a in enumerate(rec["recipient"])]
        self.conn.executemany("INSERT OR REPLACE INTO event_entities VALUES (?,?,?,?,?,?,?)", ents)

    # ------------------------------------------------------------------ reading
    def counts(self) -> dict[str, int]:
        c = self.conn
        return {
            "articles": c.execute("SELECT count(*) FROM articles").fetchone()[0],
            "events": c.execute("SELECT count(*) FROM events").fetchone()[0],
            "errors": c.execute("SELECT count(*) FROM errors").fetchone()[0],
        }

    def events(self, f: EventFilter = EventFilter()) -> Iterator[dict[str, Any]]:
        for raw in self.events_json(f):
            yield json.loads(raw)

    def events_json(self, f: EventFilter = EventFilter()) -> Iterator[str]:
        """The records as stored JSON text, for callers that pass them on unparsed (the API)."""
        sql, args = _where(["SELECT e.record FROM events e WHERE 1=1"], [], f, {
            "actor": "e.id IN (SELECT event_id FROM event_entities WHERE role = 'actor' AND code = ?)",
            "recipient": "e.id IN (SELECT event_id FROM event_entities WHERE role = 'recipient' AND code = ?)",
            "type": "e.event = ?", "since": "e.date >= ?", "until": "e.date <= ?", "doc_id": "e.doc_id = ?"})
        sql.append("ORDER BY e.date IS NULL, e.date, e.doc_id, e.start")
        _limit(sql, args, f)
        for r in self.conn.execute(" ".join(sql), args):
            yield r[0]

    def event(self, event_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT record FROM events WHERE id = ?", (event_id,)).fetchone()
        return json.loads(r[0]) if r else None

    def dyad(self, a: str, b: str, *, by: str = "month", directed: bool = False) -> list[dict[str, Any]]:
        """Events between two actors per period: counts by QuadClass, Goldstein and PLOVER score sums.

        Undirected by default: A->B, B->A, and events where both are actors (symmetric).
        """
        a, b = a.upper(), b.upper()
        width = {"day": 10, "month": 7, "year": 4}[by]
        dir_sql = """
            (EXISTS (SELECT 1 FROM event_entities x WHERE x.event_id = e.id AND x.role='actor' AND x.code=:a)
             AND EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.id AND y.role='recipient' AND y.code=:b))"""
        rev_sql = dir_sql.replace(":a", ":tmp").replace(":b", ":a").replace(":tmp", ":b")
        sym_sql = """
            (e.symmetric = 1
             AND EXISTS (SELECT 1 FROM event_entities x WHERE x.event_id = e.id AND x.code=:a)
             AND EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.id AND y.code=:b))"""
        where = dir_sql if directed else f"({dir_sql} OR {rev_sql} OR {sym_sql})"
        rows = self.conn.execute(
            f"""SELECT substr(e.date, 1, {width}) AS period, e.quad_class, e.goldstein, e.plover_score, e.id,
                       e.event, e.doc_id, e.record
                FROM events e WHERE e.date IS NOT NULL AND {where}
                ORDER BY e.date, e.doc_id, e.start""",
            {"a": a, "b": b},
        ).fetchall()
        periods: dict[str, dict[str, Any]] = {}
        for r in rows:
            p = periods.setdefault(r["period"], {"period": r["period"], "events": 0, "q1": 0, "q2": 0, "q3": 0,
                                                  "q4": 0, "goldstein": 0.0, "plover": 0.0, "items": []})
            p["events"] += 1
            p[f"q{r['quad_class']}"] += 1
            p["goldstein"] += r["goldstein"] or 0.0
            p["plover"] += r["plover_score"] or 0.0
            p["items"].append(json.loads(r["record"]))
        return list(periods.values())

    # ------------------------------------------------------------------ stories
    def rebuild_stories(self) -> int:
        """Merge every stored report again from scratch (after a bulk load or a change of rules)."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            n = stories.rebuild_all(c)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return n

    def stories(self, f: EventFilter = EventFilter(), *, min_sources: int = 1, reports: bool = True,
                newest_first: bool = False) -> list[dict[str, Any]]:
        """Story-events, filtered like events; each with its reports (event ids, documents, evidence)."""
        sql, args = _where(["SELECT s.* FROM stories s WHERE s.n_sources >= ?"], [min_sources], f, {
            "actor": "s.id IN (SELECT story_id FROM story_keys WHERE a = ? AND b = '*')",
            "recipient": "s.id IN (SELECT story_id FROM story_dyads WHERE b = ?)",
            "type": "s.event = ?", "since": "s.date >= ?", "until": "s.date <= ?",
            "doc_id": "s.id IN (SELECT r.story_id FROM story_reports r JOIN events e ON e.id = r.event_id "
                      "WHERE e.doc_id = ?)"})
        sql.append("ORDER BY s.date IS NULL, s.date DESC, s.id DESC" if newest_first else
                   "ORDER BY s.date IS NULL, s.date, s.id")
        _limit(sql, args, f)
        out = [story_json(r) for r in self.conn.execute(" ".join(sql), args)]
        if reports:
            for st in out:
                st["reports"] = self.story_reports(st["id"])
        return out

    def story(self, story_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if r is None:
            return None
        return story_json(r) | {"reports": self.story_reports(story_id)}

    def story_of(self, event_id: str) -> str | None:
        r = self.conn.execute("SELECT story_id FROM story_reports WHERE event_id = ?", (event_id,)).fetchone()
        return r[0] if r else None

    def top_dyads(self, *, limit: int = 20, since: str | None = None, actor: str | None = None) -> list[dict[str, Any]]:
        """The most active undirected dyads by stories (and reports)."""
        inner = ["SELECT DISTINCT min(a, b) AS x, max(a, b) AS y, story_id FROM story_dyads WHERE 1=1"]
        args: list[Any] = []
        if since:
            inner.append("AND date >= ?")
            args.append(since)
        if actor:
            inner.append("AND (a = ? OR b = ?)")
            args += [actor.upper(), actor.upper()]
        sql = [f"SELECT p.x, p.y, count(*) AS stories, sum(s.n_reports) AS reports, avg(s.goldstein) AS goldstein, "
               f"sum(s.quad_class IN (1, 2)) AS coop, sum(s.quad_class IN (3, 4)) AS conf "
               f"FROM ({' '.join(inner)}) p JOIN stories s ON s.id = p.story_id"]
        sql.append("GROUP BY x, y ORDER BY stories DESC, reports DESC, x, y LIMIT ?")
        args.append(int(limit))
        out = []
        for r in self.conn.execute(" ".join(sql), args):
            coop, conf = r["coop"] or 0, r["conf"] or 0
            out.append({"a": r["x"], "b": r["y"], "stories": r["stories"], "reports": r["reports"],
                        "goldstein_mean": r["goldstein"],
                        "cci": (coop - conf) / (coop + conf) if coop + conf else None})
        return out

    def dyad_stories(self, a: str, b: str, *, directed: bool = False, since: str | None = None,
                     until: str | None = None, limit: int | None = 200, newest_first: bool = True,
                     dated_only: bool = False) -> list[dict[str, Any]]:
        """The A-B stories (both ways unless `directed`; joint acts of A and B either way), with
        their reports; undated ones last, unless `dated_only` leaves them out."""
        a, b = a.upper(), b.upper()
        pairs = "(d.a = ? AND d.b = ?)" if directed else "((d.a = ? AND d.b = ?) OR (d.a = ? AND d.b = ?))"
        args: list[Any] = [a, b] if directed else [a, b, b, a]
        sql = [f"SELECT DISTINCT s.* FROM story_dyads d JOIN stories s ON s.id = d.story_id WHERE {pairs}"]
        if dated_only:
            sql.append("AND s.date IS NOT NULL")
        sql, args = _where(sql, args, EventFilter(since=since, until=until),
                           {"since": "s.date >= ?", "until": "s.date <= ?"})
        sql.append("ORDER BY s.date IS NULL, s.date DESC, s.id DESC" if newest_first else
                   "ORDER BY s.date IS NULL, s.date, s.id")
        if limit:
            sql.append("LIMIT ?")
            args.append(int(limit))
        rows = self.conn.execute(" ".join(sql), args).fetchall()
        return [story_json(r) | {"reports": self.story_reports(r["id"])} for r in rows]

    def story_places(self, limit: int = 2000) -> list[dict[str, Any]]:
        """Places of stories with coordinates: stories and reports per place."""
        rows = self.conn.execute(
            "SELECT loc_name, loc_code, avg(lat), avg(lon), count(*), sum(n_reports) FROM stories "
            "WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY loc_name, loc_code "
            "ORDER BY count(*) DESC LIMIT ?", (int(limit),)).fetchall()
        return [{"name": r[0], "code": r[1], "lat": r[2], "lon": r[3], "stories": r[4], "reports": r[5]}
                for r in rows]

    def actor_counts(self, code: str) -> dict[str, int]:
        c = self.conn
        return {
            "as_actor": c.execute("SELECT count(*) FROM story_keys WHERE a = ? AND b = '*'", (code,)).fetchone()[0],
            "as_recipient": c.execute("SELECT count(DISTINCT story_id) FROM story_dyads WHERE b = ?",
                                      (code,)).fetchone()[0],
            "reports": c.execute("SELECT count(DISTINCT event_id) FROM event_entities WHERE code = ?",
                                 (code,)).fetchone()[0],
        }

    def names_seen(self, code: str, limit: int = 15) -> list[dict[str, Any]]:
        """How the texts named an actor code, most frequent first."""
        rows = self.conn.execute(
            "SELECT entity_text, sector, count(*) n FROM event_entities WHERE code = ? AND entity_text != '' "
            "GROUP BY entity_text, sector ORDER BY n DESC LIMIT ?", (code, int(limit))).fetchall()
        return [{"text": r[0], "sector": r[1], "count": r[2]} for r in rows]

    def story_reports(self, story_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT e.id, e.doc_id, e.lang, a.outlet, a.url, a.pub_date, e.date, e.modality, e.attr_code, "
            "e.confidence, e.start, e.\"end\", json_extract(e.record, '$.text_info.evidence') AS evidence "
            "FROM story_reports r JOIN events e ON e.id = r.event_id JOIN articles a ON a.id = e.article_id "
            "WHERE r.story_id = ? ORDER BY a.pub_date IS NULL, a.pub_date, e.doc_id, e.start", (story_id,))
        return [{"event_id": r[0], "doc_id": r[1], "language": r[2], "outlet": r[3], "url": r[4], "pub_date": r[5],
                 "date": r[6], "modality": r[7], "attribution": r[8], "confidence": r[9], "start": r[10],
                 "end": r[11], "evidence": r[12]} for r in rows]

    def errors(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT source, reason, at FROM errors ORDER BY id")]

    def article(self, doc_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT * FROM articles WHERE doc_id = ? OR id = ?", (doc_id, doc_id)).fetchone()
        return dict(r) if r else None


def article_row(art: Article, lang: str | None) -> dict[str, Any]:
    """The articles-table fields of an Article (the form Parquet partitions carry)."""
    return {"id": art.id, "doc_id": art.key, "text": art.text, "lang": lang, "title": art.title, "url": art.url,
            "outlet": art.outlet, "pub_date": art.pub_date, "source": art.source_path}


def _where(sql: list[str], args: list[Any], f: EventFilter,
           conditions: dict[str, str]) -> tuple[list[str], list[Any]]:
    """Add the condition of each filter field that is set; codes and types are upper-cased."""
    for name, cond in conditions.items():
        v = getattr(f, name)
        if v:
            sql.append("AND " + cond)
            args.append(v.upper() if name in ("actor", "recipient", "type") else v)
    return sql, args


def _limit(sql: list[str], args: list[Any], f: EventFilter) -> None:
    if f.limit:
        sql.append("LIMIT ? OFFSET ?")
        args += [int(f.limit), int(f.offset or 0)]


def story_json(r: sqlite3.Row) -> dict[str, Any]:
    """A stories row as the record users see (the merge state stays internal)."""
    state = json.loads(r["state"])
    return {
        "id": r["id"], "event": r["event"], "mode": r["mode"], "cameo": r["cameo"], "quad_class": r["quad_class"],
        "goldstein": r["goldstein"], "plover_score": r["plover_score"], "family": r["family"],
        "symmetric": bool(r["symmetric"]), "actors": json.loads(r["actors"]),
        "recipients": json.loads(r["recipients"]), "date": r["date"], "date_precision": r["date_precision"],
        "place": ({"code": r["loc_code"], "name": r["loc_name"], "lat": r["lat"], "lon": r["lon"]}
                  if r["loc_code"] or r["loc_name"] else None),
        "n_reports": r["n_reports"], "n_articles": r["n_articles"], "n_sources": r["n_sources"],
        "languages": json.loads(r["languages"]), "outlets": json.loads(r["outlets"]),
        "first_seen": r["first_seen"], "last_seen": r["last_seen"], "confidence": r["confidence"],
        "disagreements": stories.disagreements(state),
    }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def iter_chunks(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for x in items:
        buf.append(x)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf
