"""`cronaca serve`: a JSON HTTP API (with its OpenAPI document) and a web dashboard.

Library first: every handler is a thin wrapper over `Store` and `cronaca.monitor`.

Safety, because article text is untrusted everywhere:
- pages are Jinja2 templates with autoescaping on; evidence highlighting is built from
  (text, highlighted) segments, never from HTML strings;
- every response carries a Content-Security-Policy that allows only this server's own
  scripts, styles and images, so even an escaping bug could not run injected script;
- the store is opened read-only for every read; SQL is parameterised in `Store`;
- ingest over HTTP is off unless the server is started with a token, and then needs it;
- no handler reads a file named by the request (static files come from the package).
The server binds to 127.0.0.1 unless told otherwise. Every asset is served from the
package: no CDN, so the dashboard works offline.
"""

from __future__ import annotations

import datetime as dt
import hmac
import queue
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import EventFilter, Store, StoreError

API = "/api/v1"
_CHART_PERIODS = {"day": 120, "week": 104, "month": 60, "year": 40}
MAX_LIMIT = 1000
MAX_INGEST = 100
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class ArticleIn(BaseModel):
    """One article to ingest."""

    text: str = Field(min_length=1, max_length=1_000_000)
    doc_id: str | None = Field(default=None, max_length=300)
    lang: str | None = Field(default=None, max_length=8)
    pub_date: str | None = Field(default=None, max_length=32)
    title: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=4000)
    outlet: str | None = Field(default=None, max_length=300)


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_INGEST)


def create_app(store_path: str | Path, *, ingest_token: str | None = None) -> FastAPI:
    """The API and the dashboard over the store at `store_path`.

    `ingest_token`: enables POST /api/v1/ingest for requests that send
    `Authorization: Bearer <token>`; without it, ingest over HTTP is off.
    """
    store_path = Path(store_path)
    cache: dict[str, Any] = {}  # the pipeline, built on the first ingest (loading it takes seconds)
    app = FastAPI(title="cronaca", version=_version(), docs_url=None, redoc_url=None,
                  description="Sourced PLOVER events and story-events from news articles. "
                              "Pages: / (overview), /dyads/{A}/{B}, /events/{id}, /articles/{doc_id}, "
                              "/actors/{code}, /map.")
    templates = Environment(loader=PackageLoader("cronaca.web", "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True))
    app.mount("/static", StaticFiles(directory=str(resources.files("cronaca.web").joinpath("static"))),
              name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        resp: Response = await call_next(request)
        resp.headers["Content-Security-Policy"] = _CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    pool: queue.SimpleQueue[Store] = queue.SimpleQueue()

    @contextmanager
    def reading() -> Iterator[Store]:
        """A read-only connection from the pool (opening one costs more than most queries)."""
        try:
            s = pool.get_nowait()
        except queue.Empty:
            try:
                s = Store(store_path, readonly=True)
            except StoreError as e:
                raise HTTPException(503, str(e)) from e
        try:
            yield s
        finally:
            pool.put(s)

    def store_dep() -> Iterator[Store]:
        with reading() as s:
            yield s

    memo: dict[tuple[Any, ...], Any] = {}

    def cached(store: Store, key: tuple[Any, ...], compute: Any) -> Any:
        """Aggregates (top dyads, timelines, alerts) cost a scan of the store: keep them until
        the store changes, which every commit shows in the database and WAL files' stamps."""
        k = (_fingerprint(store_path), *key)
        if k not in memo:
            if len(memo) > 512:
                memo.clear()
            memo[k] = compute()
        return memo[k]

    def page(name: str, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**ctx))

    # ------------------------------------------------------------------ API
    @app.get(f"{API}/health", tags=["meta"])
    def health(store: Store = Depends(store_dep)) -> dict[str, Any]:
        """Store counts and schema version."""
        return {"status": "ok", "schema": store.schema_version(), **store.counts(),
                "ingest": "on" if ingest_token else "off"}

    @app.get(f"{API}/events", tags=["events"])
    def list_events(actor: str | None = None, recipient: str | None = None, type: str | None = None,
                    since: dt.date | None = None, until: dt.date | None = None, doc_id: str | None = None,
                    limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0),
                    store: Store = Depends(store_dep)) -> Response:
        """Reports (coded events, SPEC.md records), oldest date first, filtered and paged:
        `{"items": [...], "limit", "offset", "next_offset"}` (null on the last page)."""
        f = EventFilter(actor=actor, recipient=recipient, type=type, since=_iso(since), until=_iso(until),
                        doc_id=doc_id, limit=limit, offset=offset)
        # the stored records are already JSON: pass them through rather than parse and re-encode
        items = list(store.events_json(f))
        nxt = offset + limit if len(items) == limit else None
        body = (f'{{"items":[{",".join(items)}],"limit":{limit},"offset":{offset},'
                f'"next_offset":{"null" if nxt is None else nxt}}}')
        return Response(body, media_type="application/json")

    @app.get(f"{API}/events/{{event_id}}", tags=["events"])
    def get_event(event_id: str, store: Store = Depends(store_dep)) -> dict[str, Any]:
        """One report, with the story it belongs to."""
        rec = store.event(event_id)
        if rec is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return rec | {"story_id": store.story_of(event_id)}

    @app.get(f"{API}/stories", tags=["stories"])
    def list_stories(actor: str | None = None, recipient: str | None = None, type: str | None = None,
                     since: dt.date | None = None, until: dt.date | None = None, doc_id: str | None = None,
                     min_sources: int = Query(1, ge=1), limit: int = Query(50, ge=1, le=MAX_LIMIT),
                     offset: int = Query(0, ge=0), store: Store = Depends(store_dep)) -> dict[str, Any]:
        """Story-events (one real event, many reports), each with its reports."""
        f = EventFilter(actor=actor, recipient=recipient, type=type, since=_iso(since), until=_iso(until),
                        doc_id=doc_id, limit=limit, offset=offset)
        return _page(store.stories(f, min_sources=min_sources), limit, offset)

    @app.get(f"{API}/stories/{{story_id}}", tags=["stories"])
    def get_story(story_id: str, store: Store = Depends(store_dep)) -> dict[str, Any]:
        st = store.story(story_id)
        if st is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return st

    @app.get(f"{API}/dyads", tags=["dyads"])
    def top_dyads(limit: int = Query(20, ge=1, le=MAX_LIMIT), since: dt.date | None = None,
                  store: Store = Depends(store_dep)) -> list[dict[str, Any]]:
        """The most active dyads (undirected), by stories."""
        return cached(store, ("top", limit, since), lambda: store.top_dyads(limit=limit, since=_iso(since)))

    @app.get(f"{API}/dyads/{{a}}/{{b}}", tags=["dyads"])
    def dyad(a: str, b: str, by: str = Query("month", pattern="^(day|week|month|year)$"), directed: bool = False,
             since: dt.date | None = None, until: dt.date | None = None,
             store: Store = Depends(store_dep)) -> dict[str, Any]:
        """The A-B timeline: stories and reports per period, QuadClass counts, cci."""
        from ..monitor import analytics

        def compute() -> list[dict[str, Any]]:
            frame = analytics.dyad_frame(store, a, b, by=by, directed=directed, since=_iso(since),
                                         until=_iso(until))
            return _records(frame)

        rows = cached(store, ("dyad", a.upper(), b.upper(), by, directed, since, until), compute)
        return {"a": a.upper(), "b": b.upper(), "by": by, "directed": directed, "periods": rows}

    @app.get(f"{API}/alerts", tags=["dyads"])
    def alerts(by: str = Query("week", pattern="^(day|week|month|year)$"), since: dt.date | None = None,
               window: int = Query(8, ge=1, le=520), z: float = 3.0, min_count: int = Query(3, ge=1),
               store: Store = Depends(store_dep)) -> list[dict[str, Any]]:
        """Spikes, new dyads and cooperation-conflict shifts (method: docs/monitoring.md)."""
        from ..monitor import analytics

        def compute() -> list[dict[str, Any]]:
            frame = analytics.alerts_frame(store, by=by, since=_iso(since), window=window, z=z,
                                           min_count=min_count)
            return _records(frame)

        return list(cached(store, ("alerts", by, since, window, z, min_count), compute))

    @app.get(f"{API}/actors/{{code}}", tags=["actors"])
    def actor(code: str, store: Store = Depends(store_dep)) -> dict[str, Any]:
        """What the store knows of an actor code: name, counts, partners, latest stories."""
        return _actor_info(store, code)

    @app.get(f"{API}/articles/{{doc_id}}", tags=["articles"])
    def article(doc_id: str, store: Store = Depends(store_dep)) -> dict[str, Any]:
        """An article's text and metadata, with its events."""
        art = store.article(doc_id)
        if art is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        events = list(store.events(EventFilter(doc_id=art["doc_id"])))
        return {k: art[k] for k in ("id", "doc_id", "title", "url", "outlet", "pub_date", "lang", "text",
                                    "kb_version", "ingested_at")} | {"events": events}

    @app.get(f"{API}/export", tags=["exports"])
    def export(what: str = Query("events", pattern="^(events|stories)$"),
               format: str = Query("jsonl", pattern="^(jsonl|csv|parquet)$"), actor: str | None = None,
               recipient: str | None = None, type: str | None = None, since: dt.date | None = None,
               until: dt.date | None = None, limit: int | None = Query(None, ge=1),
               store: Store = Depends(store_dep)) -> FileResponse:
        """Events or stories as PLOVER JSONL, GDELT-named CSV, or Parquet."""
        from ..monitor.export import export as do_export

        tmp = Path(tempfile.mkdtemp(prefix="cronaca-export-"))
        out = tmp / f"cronaca-{what}.{format}"
        do_export(store, out, what=what, fmt=format,
                  f=EventFilter(actor=actor, recipient=recipient, type=type, since=_iso(since), until=_iso(until),
                                limit=limit))
        media = {"jsonl": "application/x-ndjson", "csv": "text/csv", "parquet": "application/vnd.apache.parquet"}
        from starlette.background import BackgroundTask

        return FileResponse(out, media_type=media[format], filename=out.name,
                            background=BackgroundTask(_remove_tree, tmp))

    @app.post(f"{API}/ingest", tags=["ingest"], status_code=201)
    def ingest(body: IngestIn, request: Request) -> dict[str, Any]:
        """Extract and store articles. Off unless the server was started with an ingest token."""
        if not ingest_token:
            raise HTTPException(403, "ingest over HTTP is off; start the server with --ingest-token (or "
                                     "CRONACA_INGEST_TOKEN) to enable it")
        auth = request.headers.get("authorization", "")
        if not hmac.compare_digest(auth.encode(), f"Bearer {ingest_token}".encode()):
            raise HTTPException(401, "missing or wrong token (send 'Authorization: Bearer <token>')")
        from ..api import ingest_articles
        from ..model import Article

        arts = [Article.make(a.text, doc_id=a.doc_id, lang=a.lang, pub_date=a.pub_date, title=a.title, url=a.url,
                             outlet=a.outlet, source_path="http") for a in body.articles]
        if "pipeline" not in cache:
            from ..pipeline import default_pipeline

            cache["pipeline"] = default_pipeline()
        with Store(store_path) as s:
            rep = ingest_articles(arts, s, pipeline=cache["pipeline"])
        return {"read": rep.read, "stored": rep.stored, "unchanged": rep.unchanged, "events": rep.events,
                "errors": [{"source": src, "reason": why} for src, why in rep.errors]}

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(store: Store = Depends(store_dep)) -> HTMLResponse:
        from ..monitor import analytics

        alerts = cached(store, ("alerts-page",),
                        lambda: list(analytics.alerts_frame(store, by="week").head(10).iter_rows(named=True)))
        dyads = cached(store, ("top", 15, None), lambda: store.top_dyads(limit=15))
        return page("overview.html", counts=store.counts(), dyads=dyads,
                    latest=store.stories(EventFilter(limit=20), newest_first=True, reports=False), alerts=alerts)

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(a: str, b: str, by: str = Query("month", pattern="^(day|week|month|year)$"),
                  store: Store = Depends(store_dep)) -> HTMLResponse:
        from ..monitor import analytics

        a, b = a.upper(), b.upper()
        frame = analytics.dyad_frame(store, a, b, by=by)
        rows = list(frame.iter_rows(named=True))
        # the chart shows the latest periods (a passing mention of 2000 would squeeze 2024 into a
        # sliver); the table below keeps them all
        recent = rows[-_CHART_PERIODS[by]:]
        earlier = sum(r["stories"] for r in rows[: len(rows) - len(recent)])
        sts = store.dyad_stories(a, b, limit=200)
        sources = Counter(r["outlet"] or r["doc_id"] for s in sts for r in s["reports"])
        return page("dyad.html", a=a, b=b, by=by, rows=rows, chart=_chart(recent), earlier=earlier, stories=sts,
                    sources=sources.most_common(10))

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str, store: Store = Depends(store_dep)) -> HTMLResponse:
        story_id = event_id if store.story(event_id) is not None else store.story_of(event_id)
        st = store.story(story_id) if story_id else None
        if st is None:
            rec = store.event(event_id)
            if rec is None:
                raise HTTPException(404, f"no event {event_id!r}")
            reports = [{"event_id": rec["id"], "doc_id": rec["doc_id"], "start": rec["text_info"]["start"],
                        "end": rec["text_info"]["end"], "modality": rec["modality"],
                        "attribution": (rec.get("attribution") or {}).get("code"),
                        "language": rec["cite_info"]["language"], "outlet": rec["cite_info"].get("publication")}]
            st = {"id": rec["id"], "event": rec["event"], "mode": rec.get("mode"), "actors": [],
                  "recipients": [], "reports": reports}
        shown = []
        for r in st["reports"]:
            art = store.article(r["doc_id"])
            text = art["text"] if art else ""
            shown.append(r | {"title": art["title"] if art else None, "segments": _segments(text, [(r["start"], r["end"])]),
                              "selected": r["event_id"] == event_id,
                              "record": store.event(r["event_id"])})
        return page("event.html", story=st, reports=shown)

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str, store: Store = Depends(store_dep)) -> HTMLResponse:
        art = store.article(doc_id)
        if art is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        events = list(store.events(EventFilter(doc_id=art["doc_id"])))
        spans = [(e["text_info"]["start"], e["text_info"]["end"]) for e in events]
        return page("article.html", art=art, events=events, segments=_segments(art["text"], spans))

    @app.get("/actors/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(code: str, store: Store = Depends(store_dep)) -> HTMLResponse:
        return page("actor.html", info=_actor_info(store, code))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(store: Store = Depends(store_dep)) -> HTMLResponse:
        places = store.story_places()
        return page("map.html", places=places, points=_points(places))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(API) or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(templates.get_template("error.html").render(status=exc.status_code, detail=exc.detail),
                            status_code=exc.status_code)

    return app


def _version() -> str:
    from .. import __version__

    return __version__


def _fingerprint(path: Path) -> tuple[int, ...]:
    out: list[int] = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            out += [st.st_mtime_ns, st.st_size]
        except OSError:
            out += [0, 0]
    return tuple(out)


def _records(frame: Any) -> list[dict[str, Any]]:
    """A polars frame as JSON-ready rows (dates as ISO strings)."""
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()}
            for r in frame.iter_rows(named=True)]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, highlighted) segments; the template escapes every piece."""
    marks = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s)
    merged: list[list[int]] = []
    for s, e in marks:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in merged:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _chart(rows: list[dict[str, Any]], width: int = 900, height: int = 240) -> dict[str, Any]:
    """Bar geometry for the timeline: cooperation up, conflict down, the cci as a line."""
    if not rows:
        return {"bars": [], "line": "", "width": width, "height": height, "mid": height / 2, "labels": []}
    coop = [r["q1"] + r["q2"] for r in rows]
    conf = [r["q3"] + r["q4"] for r in rows]
    top = max(max(coop), max(conf), 1)
    mid = height / 2
    step = width / len(rows)
    bw = max(1.0, step * 0.8)
    bars, pts, labels = [], [], []
    for i, r in enumerate(rows):
        x = i * step + (step - bw) / 2
        hc = coop[i] / top * (mid - 10)
        hf = conf[i] / top * (mid - 10)
        period = r["period"].isoformat() if isinstance(r["period"], dt.date) else str(r["period"])
        bars.append({"x": round(x, 1), "y": round(mid - hc, 1), "w": round(bw, 1), "h": round(hc, 1),
                     "kind": "coop", "title": f"{period}: {coop[i]} cooperative"})
        bars.append({"x": round(x, 1), "y": round(mid, 1), "w": round(bw, 1), "h": round(hf, 1), "kind": "conf",
                     "title": f"{period}: {conf[i]} conflictual"})
        if r.get("cci") is not None:
            pts.append(f"{round(x + bw / 2, 1)},{round(mid - r['cci'] * (mid - 10), 1)}")
        if len(rows) <= 24 or i % max(1, len(rows) // 12) == 0:
            labels.append({"x": round(x + bw / 2, 1), "text": period[:7]})
    return {"bars": bars, "line": " ".join(pts), "width": width, "height": height, "mid": mid, "labels": labels}


def _points(places: list[dict[str, Any]], width: int = 1000, height: int = 500) -> list[dict[str, Any]]:
    """Equirectangular positions for places with coordinates."""
    out = []
    top = max((p["reports"] for p in places), default=1)
    for p in places:
        if p["lat"] is None or p["lon"] is None:
            continue
        out.append({"x": round((p["lon"] + 180) / 360 * width, 1), "y": round((90 - p["lat"]) / 180 * height, 1),
                    "r": round(3 + 9 * (p["reports"] / top) ** 0.5, 1),
                    "title": f"{p['name']} ({p['code']}): {p['stories']} stories, {p['reports']} reports"})
    return out


def _actor_info(store: Store, code: str) -> dict[str, Any]:
    code = code.upper()
    name, wikidata = _state_name(code)
    counts = store.actor_counts(code)
    partners = [d for d in store.top_dyads(limit=10, actor=code)]
    latest = store.stories(EventFilter(actor=code, limit=15), newest_first=True, reports=False)
    if not name and not counts["as_actor"] and not counts["as_recipient"]:
        raise HTTPException(404, f"no actor {code!r} in the store or the knowledge base")
    return {"code": code, "name": name, "wikidata": wikidata, **counts, "partners": partners,
            "latest_stories": latest, "names_seen": store.names_seen(code)}


def _state_name(code: str) -> tuple[str | None, str | None]:
    from ..kb import default_kb

    e = default_kb().entries.get(code)
    if e is not None and e.kind in ("name", "group"):
        return e.name, e.wikidata
    return None, None

