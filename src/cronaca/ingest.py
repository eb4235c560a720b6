"""Readers: files and folders of .txt, .html, .jsonl, .csv, RSS/Atom feeds (files or URLs)
and WARC archives to Articles, or to clear errors.

A reader never raises for one bad input: it yields a `ReadError` with a one-line
reason and goes on, so one broken article never stops a batch. Multi-article files
(.jsonl, .csv, .warc) are streamed record by record, so memory does not grow with the
file; single-article files are read whole, up to MAX_FILE_BYTES.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Article

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
FEED_SUFFIXES = {".rss", ".atom"}
WARC_SUFFIXES = {".warc", ".gz"}  # .warc.gz: checked on the full name
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | FEED_SUFFIXES | {".warc"}
MAX_FILE_BYTES = 50 * 1024 * 1024  # one single-article file (or feed); one article is limited by Config.max_chars
MAX_LINE_BYTES = 20 * 1024 * 1024  # one .jsonl line or .csv record
_FIELDS = ("doc_id", "text", "title", "lang", "pub_date", "url", "outlet")


@dataclass(frozen=True, slots=True)
class ReadError:
    source: str  # "path" or "path:line"
    reason: str


Item = Article | ReadError


def _unreadable(src: str, e: OSError) -> ReadError:
    return ReadError(src, f"cannot read: {e.strerror or e}")


def _is_warc(p: Path) -> bool:
    name = p.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


def _is_url(raw: str | Path) -> bool:
    return isinstance(raw, str) and raw.startswith(("http://", "https://"))


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Files named, and the supported files inside folders (sorted, recursive)."""
    for raw in paths:
        if _is_url(raw):
            continue  # feeds by URL are read by read_paths
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and (f.suffix.lower() in SUFFIXES or _is_warc(f)) and not f.name.startswith("."):
                    yield f
        elif p.is_file():
            yield p
        else:
            yield ReadError(str(p), "no such file or folder")


def read_paths(paths: Iterable[str | Path], *, lang: str | None = None,
               pub_date: str | None = None) -> Iterator[Item]:
    paths = list(paths)
    for raw in paths:
        if _is_url(raw):
            yield from read_feed(str(raw), lang=lang, pub_date=pub_date)
    for p in iter_paths(paths):
        if isinstance(p, ReadError):
            yield p
            continue
        yield from read_file(p, lang=lang, pub_date=pub_date)


def read_file(path: Path, *, lang: str | None = None, pub_date: str | None = None) -> Iterator[Item]:
    src = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl(path, src, lang, pub_date)
        return
    if suffix in CSV_SUFFIXES:
        yield from _csv(path, src, lang, pub_date)
        return
    if _is_warc(path):
        yield from _warc(path, src, lang, pub_date)
        return
    try:
        size = path.stat().st_size
    except OSError as e:
        yield _unreadable(src, e)
        return
    if size == 0:
        yield ReadError(src, "empty file")
        return
    if size > MAX_FILE_BYTES:
        yield ReadError(src, f"file too large ({size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)")
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield _unreadable(src, e)
        return
    if suffix in FEED_SUFFIXES or (suffix == ".xml" and _looks_like_feed(data)):
        yield from read_feed(src, data=data, lang=lang, pub_date=pub_date)
        return
    if b"\x00" in data[:8192]:
        yield ReadError(src, "binary file (NUL bytes), not text")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        yield ReadError(src, f"not valid UTF-8 (byte {e.start})")
        return
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and text.lstrip()[:1] == "<"):
        yield _html(text, src, lang, pub_date)
        return
    if not text.strip():
        yield ReadError(src, "no text (only whitespace)")
        return
    yield Article.make(text, doc_id=path.stem, lang=lang, pub_date=pub_date, source_path=src)


def _lines(path: Path, src: str) -> Iterator[tuple[int, bytes] | ReadError]:
    try:
        fh = path.open("rb")
    except OSError as e:
        yield _unreadable(src, e)
        return
    with fh:
        n = 0
        while True:
            try:
                raw = fh.readline(MAX_LINE_BYTES + 1)
            except OSError as e:
                yield _unreadable(src, e)
                return
            if not raw:
                return
            n += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                yield ReadError(f"{src}:{n}", f"line longer than {MAX_LINE_BYTES // 1024 // 1024} MB; skipped")
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                    raw = fh.readline(MAX_LINE_BYTES)
                continue
            yield n, raw


def _jsonl(path: Path, src: str, lang: str | None, pub_date: str | None) -> Iterator[Item]:
    empty = True
    for item in _lines(path, src):
        if isinstance(item, ReadError):
            yield item
            continue
        n, raw = item
        if not raw.strip():
            continue
        empty = False
        where = f"{src}:{n}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield ReadError(where, f"not valid UTF-8 (byte {e.start})")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield ReadError(where, f"malformed JSON: {e.msg} at column {e.colno}")
            continue
        yield from article_from_record(rec, where, lang=lang, pub_date=pub_date)
    if empty:
        yield ReadError(src, "empty file")


def _csv(path: Path, src: str, lang: str | None, pub_date: str | None) -> Iterator[Item]:
    """A header row naming the jsonl fields (`text` required), then one article per record."""
    import csv
    import sys

    csv.field_size_limit(min(sys.maxsize, MAX_LINE_BYTES))
    delim = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        fh = path.open(encoding="utf-8-sig", newline="", errors="strict")
    except OSError as e:
        yield _unreadable(src, e)
        return
    with fh:
        try:
            reader = csv.DictReader(fh, delimiter=delim)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                yield ReadError(src, f"a CSV needs a header row with a 'text' column (got {reader.fieldnames})")
                return
            n = 1
            for rec in reader:
                n += 1
                yield from article_from_record({k: v for k, v in rec.items() if k and v not in (None, "")},
                                               f"{src}:{n}", lang=lang, pub_date=pub_date)
        except (csv.Error, UnicodeDecodeError) as e:
            yield ReadError(f"{src}", f"malformed CSV: {e}")


def _looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed(src: str, *, data: bytes | None = None, lang: str | None = None,
              pub_date: str | None = None) -> Iterator[Item]:
    """RSS or Atom (a file's bytes, or a URL fetched here): one article per entry, its text
    from the entry's content (else its summary), HTML reduced to text."""
    try:
        import feedparser
    except ImportError:  # pragma: no cover - a dependency
        yield ReadError(src, "feeds need feedparser (pip install feedparser)")
        return
    if data is None:
        try:
            data = _fetch(src)
        except OSError as e:
            yield ReadError(src, f"cannot fetch feed: {e}")
            return
    feed = feedparser.parse(data)
    if feed.get("bozo") and not feed.get("entries"):
        yield ReadError(src, f"not a readable RSS/Atom feed: {type(feed.get('bozo_exception')).__name__}")
        return
    outlet = (feed.get("feed") or {}).get("title")
    for i, entry in enumerate(feed.get("entries") or [], 1):
        where = f"{src}#{i}"
        html = ""
        for c in entry.get("content") or []:
            html += c.get("value") or ""
        html = html or entry.get("summary") or ""
        text = _html_to_text(html) if "<" in html else html
        title = entry.get("title")
        if not text.strip():
            yield ReadError(where, "feed entry without text")
            continue
        date = None
        for k in ("published_parsed", "updated_parsed"):
            if entry.get(k):
                t = entry[k]
                date = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
        yield Article.make(body, doc_id=entry.get("id") or entry.get("link"), title=title, url=entry.get("link"),
                           outlet=outlet, pub_date=pub_date or date, lang=lang, source_path=where)


def _fetch(url: str, timeout: float = 30.0) -> bytes:
    import urllib.request

    req = urllib.request.Request(url, headers={"User-Agent": "cronaca"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return bytes(r.read(MAX_FILE_BYTES + 1))[:MAX_FILE_BYTES]


def _html_to_text(html: str) -> str:
    import lxml.html

    try:
        return str(lxml.html.fromstring(html).text_content()).strip()
    except Exception:  # broken markup: keep what text there is
        return ""


def _warc(path: Path, src: str, lang: str | None, pub_date: str | None) -> Iterator[Item]:
    """HTML responses of a WARC archive, streamed record by record."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - a dependency
        yield ReadError(src, "WARC input needs warcio (pip install warcio)")
        return
    try:
        fh = path.open("rb")
    except OSError as e:
        yield _unreadable(src, e)
        return
    with fh:
        try:
            for i, rec in enumerate(ArchiveIterator(fh), 1):
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI") or f"{src}#{i}"
                body = rec.content_stream().read(MAX_FILE_BYTES + 1)
                if len(body) > MAX_FILE_BYTES:
                    yield ReadError(uri, "response too large")
                    continue
                item = _html(body.decode("utf-8", errors="replace"), uri, lang, pub_date)
                if isinstance(item, Article):
                    warc_date = (rec.rec_headers.get_header("WARC-Date") or "")[:10] or None
                    item = Article.make(item.text, doc_id=uri, title=item.title, url=item.url or uri,
                                        outlet=item.outlet, pub_date=item.pub_date or warc_date, lang=item.lang,
                                        source_path=f"{src}#{i}")
                yield item
        except Exception as e:  # a truncated or corrupt archive: what was read is kept
            yield ReadError(src, f"corrupt WARC: {type(e).__name__}: {e}")


def article_from_record(rec: Any, where: str, *, lang: str | None = None,
                        pub_date: str | None = None) -> Iterator[Item]:
    """One JSON object (the jsonl fields, or a gold-file record) to an Article."""
    if not isinstance(rec, dict):
        yield ReadError(where, "a JSON line must be an object")
        return
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        yield ReadError(where, "missing or empty 'text' field")
        return
    vals: dict[str, str | None] = {}
    for k in _FIELDS[2:]:
        v = rec.get(k)
        vals[k] = str(v) if v is not None else None
    doc_id = rec.get("doc_id")
    yield Article.make(
        text,
        doc_id=str(doc_id) if doc_id is not None else None,
        lang=lang or vals["lang"],
        title=vals["title"],
        url=vals["url"],
        outlet=vals["outlet"],
        pub_date=pub_date or vals["pub_date"],
        source_path=where,
    )


def _html(html: str, src: str, lang: str | None, pub_date: str | None) -> Item:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency
        return ReadError(src, "HTML input needs trafilatura (pip install trafilatura)")
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura raises many kinds on broken markup
        return ReadError(src, f"cannot extract text from HTML: {type(e).__name__}")
    if doc is None:
        return ReadError(src, "no article text found in the HTML")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text")
    if not text or not str(text).strip():
        return ReadError(src, "no article text found in the HTML")
    date = get("date")
    return Article.make(
        str(text),
        doc_id=Path(src).stem,
        title=get("title"),
        url=get("url"),
        outlet=get("sitename"),
        pub_date=pub_date or (str(date)[:10] if date else None),
        lang=lang,
        source_path=src,
    )
