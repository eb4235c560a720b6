"""Readers: files and folders of .txt, .html and .jsonl to Articles, or to clear errors.

A reader never raises for one bad input: it yields a `ReadError` with a one-line
reason and goes on, so one broken article never stops a batch.
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
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_FILE_BYTES = 50 * 1024 * 1024  # a whole file; one article is limited by Config.max_chars
_FIELDS = ("doc_id", "text", "title", "lang", "pub_date", "url", "outlet")


@dataclass(frozen=True, slots=True)
class ReadError:
    source: str  # "path" or "path:line"
    reason: str


Item = Article | ReadError


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Files named, and the supported files inside folders (sorted, recursive)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."):
                    yield f
        elif p.is_file():
            yield p
        else:
            yield ReadError(str(p), "no such file or folder")


def read_paths(paths: Iterable[str | Path], *, lang: str | None = None,
               pub_date: str | None = None) -> Iterator[Item]:
    for p in iter_paths(paths):
        if isinstance(p, ReadError):
            yield p
            continue
        yield from read_file(p, lang=lang, pub_date=pub_date)


def read_file(path: Path, *, lang: str | None = None, pub_date: str | None = None) -> Iterator[Item]:
    src = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        yield ReadError(src, f"cannot read: {e.strerror or e}")
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
        yield ReadError(src, f"cannot read: {e.strerror or e}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl(data, src, lang, pub_date)
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


def _jsonl(data: bytes, src: str, lang: str | None, pub_date: str | None) -> Iterator[Item]:
    for n, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
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
