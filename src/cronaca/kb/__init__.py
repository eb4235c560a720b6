"""The world knowledge base: states, groups, institutions, people and role phrases.

There is no Italian NER model offline, so the knowledge base is also how cronaca
finds mentions at all. It is kept as reviewable YAML under `data/`, compiled once
per process into a token trie per language, and versioned by a hash of its files
so every stored event can say which knowledge it was coded with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..text import tokenize
from ..yamlio import load_yaml

LANGS = ("it", "en", "fr", "es", "de", "ru")
KINDS = ("person", "org", "name", "seat", "adj", "group", "role")
# When two entries cover exactly the same span, the more specific kind wins.
KIND_PRIORITY = {k: i for i, k in enumerate(KINDS)}



class KBError(ValueError):
    """A knowledge-base file is malformed. The message names the file and the entry."""


@dataclass(frozen=True)
class Office:
    code: str
    sector: str | None
    role: str
    start: str | None  # ISO date, inclusive
    end: str | None  # ISO date, exclusive

    def holds(self, date: str) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)


@dataclass(frozen=True)
class KBEntry:
    """One thing a phrase can resolve to."""

    kb_id: str
    kind: str
    code: str | None
    sector: str | None
    name: str
    wikidata: str | None = None
    offices: tuple[Office, ...] = ()
    otherwise: tuple[str, str | None] | None = None
    ambiguous: bool = False
    source: str = ""

    def at(self, date: str | None) -> tuple[str | None, str | None, str]:
        """(code, sector, why) at a date: a person holds an office only while in it."""
        if not self.offices:
            return self.code, self.sector, self.kind
        if date:
            for o in self.offices:
                if o.holds(date):
                    return o.code, o.sector, f"{o.role} {o.start or ''}..{o.end or ''}"
            if self.otherwise:
                return self.otherwise[0], self.otherwise[1], f"no office on {date}"
        # No date known: the latest office is the best guess.
        o = max(self.offices, key=lambda x: x.start or "")
        return o.code, o.sector, f"{o.role} (latest office; no date)"


@dataclass(frozen=True)
class Form:
    """A surface form of an entry, as the matcher checks it."""

    entry: KBEntry
    text: str
    exact_case: bool  # short all-caps acronyms: "UN" must not match Italian "un"
    needs_upper: bool  # proper names must start upper case in the text


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    forms: list[Form] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    tok_start: int
    tok_end: int
    forms: tuple[Form, ...]  # best first

    @property
    def best(self) -> Form:
        return self.forms[0]


class KnowledgeBase:
    """Compiled knowledge base. Build with `load()`; it is immutable after that."""

    def __init__(self, entries: list[tuple[KBEntry, str, Iterable[str]]], version: str,
                 offices: dict[str, dict[tuple[str, ...], str]] | None = None) -> None:
        self.version = version
        self._tries: dict[str, _Node] = {lang: _Node() for lang in LANGS}
        self.entries: dict[str, KBEntry] = {}
        self.office_titles = offices or {}
        self._holders: dict[tuple[str, str], list[tuple[str, str, KBEntry]]] = {}
        # a later file's person or org with the same id replaces the earlier one (user overrides)
        final: dict[tuple[str, str], KBEntry] = {}
        for entry, _lang, _forms in entries:
            if entry.kind in ("person", "org"):
                final[(entry.kb_id, entry.kind)] = entry
        entries = [(final.get((e.kb_id, e.kind), e), lang, forms) for e, lang, forms in entries]
        for entry, lang, forms in entries:
            if entry.kind == "person" and entry.kb_id not in self.entries:
                for o in entry.offices:
                    roles = [o.role]
                    if o.role == "head_of_state_and_government":
                        roles = ["head_of_state", "head_of_government"]
                    for r in roles:
                        self._holders.setdefault((o.code, r), []).append((o.start or "", o.end or "9999", entry))
            self.entries.setdefault(entry.kb_id, entry)
            langs = LANGS if lang == "all" else (lang,)
            for form in forms:
                for lg in langs:
                    self._add(lg, entry, form)

    def _add(self, lang: str, entry: KBEntry, form: str) -> None:
        toks = _form_tokens(form, "en" if lang == "en" else "fr" if lang == "fr" else "it")
        if not toks:
            return
        node = self._tries[lang]
        for t in toks:
            node = node.children.setdefault(t.norm, _Node())
        stripped = form.replace(".", "")
        exact = stripped.isupper() and len(stripped) <= 5
        f = Form(entry=entry, text=form, exact_case=exact, needs_upper=form[:1].isupper())
        if not any(x.entry.kb_id == entry.kb_id and x.entry.kind == entry.kind
                   and x.exact_case == f.exact_case and x.needs_upper == f.needs_upper for x in node.forms):
            node.forms.append(f)
            # a plain reading before an ambiguous one: "Dominican" stays the Dominican Republic even
            # if Dominica lists it as ambiguous
            node.forms.sort(key=lambda x: (KIND_PRIORITY[x.entry.kind], x.entry.ambiguous))

    def match(self, tokens: list[Any], lang: str, start: int = 0, end: int | None = None) -> Iterator[Match]:
        """Longest, leftmost, non-overlapping matches over a token list."""
        trie = self._tries.get(lang) or self._tries["en"]
        end = len(tokens) if end is None else end
        i = start
        while i < end:
            node = trie
            best: Match | None = None
            j = i
            while j < end:
                nxt = node.children.get(tokens[j].norm)
                if nxt is None:
                    break
                node = nxt
                j += 1
                if node.forms:
                    ok = tuple(f for f in node.forms if _form_fits(f, tokens, i, j))
                    if ok:
                        best = Match(tok_start=i, tok_end=j, forms=ok)
            if best is not None:
                yield best
                i = best.tok_end
            else:
                i += 1

    def holder(self, code: str, office: str, date: str | None) -> KBEntry | None:
        """Who held `office` in state `code` on `date` (the latest holder when no date is known)."""
        cands = self._holders.get((code, office))
        if not cands:
            return None
        if date is None:
            return max(cands, key=lambda c: c[0])[2]
        for start, end, e in cands:
            if start <= date < end:
                return e
        return None

    def office_of(self, lang: str, title: tuple[str, ...]) -> str | None:
        return self.office_titles.get(lang, {}).get(title)

    def lookup(self, phrase: str, lang: str) -> list[Match]:
        return list(self.match(tokenize(phrase, lang), lang))


@cache
def _form_tokens(form: str, family: str) -> list[Any]:
    return tokenize(form, family)


def _form_fits(f: Form, tokens: list[Any], i: int, j: int) -> bool:
    if f.exact_case:
        return "".join(t.text for t in tokens[i:j]).replace(".", "") == f.text.replace(
            ".", ""
        ).replace(" ", "")
    if f.needs_upper:
        t0 = tokens[i]
        return bool(t0.is_upper_initial)
    return True


def _data_dir() -> Path:
    return Path(str(resources.files(__package__).joinpath("data")))


def _as_list(v: Any, where: str) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise KBError(f"{where}: expected a list of non-empty strings")
    return [x.strip() for x in v]


def _date(v: Any) -> str | None:
    return None if v is None else str(v)


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as e:
        raise KBError(f"{path.name}: not valid YAML: {e}") from e


def _states(path: Path, kind_default: str) -> Iterator[tuple[KBEntry, str, list[str]]]:
    data = _read(path) or {}
    for code, rec in data.items():
        where = f"{path.name}:{code}"
        if not isinstance(rec, dict) or not isinstance(code, str):
            raise KBError(f"{where}: expected a mapping")
        name = rec.get("name") or code
        qid = rec.get("wikidata")
        for lang in LANGS:
            block = rec.get(lang)
            if block is None:
                continue
            amb = set(_as_list(block.get("ambiguous"), f"{where}.{lang}.ambiguous"))
            for key, kind, sector in (("names", "name", None), ("adj", "adj", None), ("seats", "seat", "GOV")):
                forms = _as_list(block.get(key), f"{where}.{lang}.{key}")
                plain = [f for f in forms if f not in amb]
                k = "group" if kind_default == "group" and kind != "seat" else kind
                if plain:
                    yield KBEntry(kb_id=f"{code}", kind=k, code=code, sector=sector, name=name,
                                  wikidata=qid if kind == "name" else None, source=path.name), lang, plain
                amb_forms = [f for f in forms if f in amb]
                if amb_forms:
                    yield KBEntry(kb_id=f"{code}", kind=k, code=code, sector=sector, name=name,
                                  ambiguous=True, source=path.name), lang, amb_forms


def _people(path: Path) -> Iterator[tuple[KBEntry, str, list[str]]]:
    for rec in _read(path) or []:
        where = f"{path.name}:{rec.get('id')}"
        try:
            offices = tuple(
                Office(code=o["code"], sector=o.get("sector"), role=o.get("role", "office"),
                       start=_date(o.get("from")), end=_date(o.get("to")))
                for o in rec.get("offices") or []
            )
            oth = rec.get("otherwise")
            entry = KBEntry(
                kb_id=rec["id"], kind="person", code=offices[-1].code if offices else (oth or {}).get("code"),
                sector=None, name=rec["name"], wikidata=rec.get("wikidata"), offices=offices,
                otherwise=(oth["code"], oth.get("sector")) if oth else None, source=path.name,
            )
        except (KeyError, TypeError, IndexError) as e:
            raise KBError(f"{where}: malformed person entry ({e})") from e
        yield entry, "all", _as_list(rec.get("aliases"), f"{where}.aliases")


def _orgs(path: Path) -> Iterator[tuple[KBEntry, str, list[str]]]:
    for rec in _read(path) or []:
        where = f"{path.name}:{rec.get('id')}"
        if "id" not in rec or "code" not in rec:
            raise KBError(f"{where}: an org needs id and code")
        offices = tuple(
            Office(code=o["code"], sector=o.get("sector"), role=o.get("role", "status"),
                   start=_date(o.get("from")), end=_date(o.get("to")))
            for o in rec.get("offices") or []
        )
        entry = KBEntry(kb_id=rec["id"], kind="org", code=rec["code"], sector=rec.get("sector"),
                        name=rec.get("name") or rec["id"], wikidata=rec.get("wikidata"), offices=offices,
                        otherwise=(rec["code"], rec.get("sector")) if offices else None, source=path.name)
        for lang, forms in (rec.get("names") or {}).items():
            if lang != "all" and lang not in LANGS:
                raise KBError(f"{where}: unknown language {lang!r}")
            yield entry, lang, _as_list(forms, f"{where}.names.{lang}")


def _roles(path: Path) -> Iterator[tuple[KBEntry, str, list[str]]]:
    for lang, by_sector in (_read(path) or {}).items():
        if lang not in LANGS:
            raise KBError(f"{path.name}: unknown language {lang!r}")
        for sector, forms in by_sector.items():
            entry = KBEntry(kb_id=f"role:{sector}", kind="role", code=None, sector=sector,
                            name=sector, source=path.name)
            # roles are common nouns: match whatever their case in the text
            yield entry, lang, [f.lower() for f in _as_list(forms, f"{path.name}:{lang}.{sector}")]


def data_files(extra: Iterable[Path] = ()) -> list[Path]:
    d = _data_dir()
    return sorted(p for p in d.glob("*.yaml")) + list(extra)


def _compute_version(files: list[Path]) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return f"kb-{h.hexdigest()[:10]}"


def _cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cronaca"


def load(extra: Iterable[Path] = (), *, use_cache: bool = True) -> KnowledgeBase:
    """The bundled knowledge base plus user files (same schemas, by file name).

    Compiling the YAML takes about a second; the compiled form is cached under
    ~/.cache/cronaca keyed by the files' hash, so a changed file is never served stale.
    """
    import os
    import pickle

    files = data_files(extra)
    version = _compute_version(files)
    cache_file = _cache_dir() / f"{version}.pickle"
    if use_cache and cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                kb = pickle.load(fh)
            if isinstance(kb, KnowledgeBase) and kb.version == version:
                return kb
        except Exception:  # a truncated or foreign cache file is rebuilt, never trusted
            pass
    kb = _compile(files, version)
    if use_cache:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache_file)
            _prune_cache(cache_file.parent)
        except OSError:
            pass  # a read-only home: compile every time
    return kb


def _prune_cache(folder: Path, keep: int = 4) -> None:
    """Each knowledge-base edit compiles a new file (~8 MB); keep only the most recently
    written few, so that updating cronaca or editing user files does not fill the disk."""
    old = sorted(folder.glob("kb-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)[keep:]
    for f in old:
        f.unlink(missing_ok=True)


def _compile(files: list[Path], version: str) -> KnowledgeBase:
    entries: list[tuple[KBEntry, str, Iterable[str]]] = []
    offices: dict[str, dict[tuple[str, ...], str]] = {}
    for p in files:
        stem = p.stem
        if stem.startswith("offices"):
            for lang, by_office in (_read(p) or {}).items():
                if lang not in LANGS:
                    raise KBError(f"{p.name}: unknown language {lang!r}")
                for office, titles in by_office.items():
                    for t in _as_list(titles, f"{p.name}:{lang}.{office}"):
                        offices.setdefault(lang, {})[tuple(x.norm for x in tokenize(t, lang))] = office
            continue
        if stem.startswith("states"):
            entries.extend(_states(p, "name"))
        elif stem.startswith("groups"):
            entries.extend(_states(p, "group"))
        elif stem.startswith("people"):
            entries.extend(_people(p))
        elif stem.startswith("orgs"):
            entries.extend(_orgs(p))
        elif stem.startswith("roles"):
            entries.extend(_roles(p))
        else:
            raise KBError(f"{p.name}: unknown knowledge-base file kind "
                          "(expected states*, groups*, people*, orgs*, roles*, offices*)")
    return KnowledgeBase(entries, version, offices)


def extra_paths(spec: str | None = None) -> list[Path]:
    """User knowledge-base files from `CRONACA_KB_EXTRA` (paths to files or folders, ":"-separated)."""
    import os

    spec = os.environ.get("CRONACA_KB_EXTRA", "") if spec is None else spec
    out: list[Path] = []
    for part in filter(None, spec.split(os.pathsep)):
        p = Path(part).expanduser()
        if p.is_dir():
            out.extend(sorted(p.glob("*.yaml")))
        elif p.is_file():
            out.append(p)
        else:
            raise KBError(f"CRONACA_KB_EXTRA names {p}, which does not exist")
    return out


@cache
def default_kb() -> KnowledgeBase:
    """The bundled knowledge base plus the user's files named in CRONACA_KB_EXTRA.

    It lives for the whole process, so its million small objects are moved out of the
    garbage collector's sight (gc.freeze): otherwise every collection, and the one at
    exit, walks them again (about a second per process).
    """
    import gc

    kb = load(extra_paths())
    gc.freeze()
    return kb
