"""Import PETRARCH/TABARI (CAMEO) actor and agent dictionaries into cronaca's YAML schemas.

TABARI dictionaries hold phrases in upper case with "_" between words, "+" lines
for synonyms, and codes in brackets, optionally dated: `[AFGGOV 950101-960626]`,
`[USAGOV >20170120]`, `[AFGELI]`. A code is a country (or IGO/NGO/...) in its first
three letters followed by sector chunks (`AFGGOVAGR` -> AFG, GOV). Agents files
(`COMPANY [~BUS]`) give sectors for role nouns.

What the importer keeps: every phrase and synonym, the country code, the first
sector, the date ranges (as offices; an undated code after dated ones becomes
`otherwise`). What it drops, by design: TABARI's stem matching (a phrase without a
trailing "_" also matched longer words), secondary sector chunks, and the plural
braces' irregular forms beyond the ones written out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_CODE = re.compile(r"\[([^\]]+)\]")
_SUBST = re.compile(r"^\s*(![A-Z]+!)\s*=\s*(.+)$")
KNOWN_SECTORS = {"GOV", "MIL", "SPY", "JRN", "LEG", "JUD", "COP", "PTY", "REB", "OPP", "BUS", "CVL", "REL", "ELI",
                 "REF", "MED", "EDU", "NGO", "LAB", "AGR", "CRM", "UAF", "HLH", "ENV", "IGO", "MNC"}


@dataclass
class _Entry:
    names: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (code, from, to)


def _date(raw: str) -> str:
    """TABARI dates: yymmdd or yyyymmdd (two-digit years up to 30 are this century)."""
    import datetime as dt

    raw = raw.strip()
    if len(raw) == 6 and raw.isdigit():
        yy = int(raw[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        iso = f"{year:04d}-{raw[2:4]}-{raw[4:6]}"
    elif len(raw) == 8 and raw.isdigit():
        iso = f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}"
    else:
        raise ValueError(f"unreadable TABARI date {raw!r}")
    dt.date.fromisoformat(iso)  # "900231" is a typo in the source, not a date
    return iso


def _parse_code(raw: str) -> tuple[str, str | None, str | None]:
    parts = raw.split()
    code = parts[0].upper().lstrip("~")
    start = end = None
    if len(parts) > 1:
        span = parts[1]
        if span.startswith(">"):
            start = _date(span[1:])
        elif span.startswith("<"):
            end = _date(span[1:])
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = _date(a), _date(b)
    return code, start, end


def split_code(code: str) -> tuple[str, str | None]:
    """"AFGGOVAGR" -> ("AFG", "GOV"); "IGOUNO" -> ("IGO", None)."""
    country = code[:3]
    rest = [code[i : i + 3] for i in range(3, len(code), 3)]
    sector = next((c for c in rest if c in KNOWN_SECTORS), None)
    return country, sector


def _title(phrase: str, *, person: bool = False) -> str:
    """"PRESIDENT_GEORGE_W._BUSH_" -> "President George W. Bush"; an organisation's short
    acronym ("NATO", "U.N.") stays upper case, a person's surname ("PUTIN") does not."""
    words = [w for w in phrase.replace("_", " ").split() if w]
    if not person and len(words) == 1 and len(words[0].replace(".", "")) <= 4:
        return words[0]
    out = []
    for w in words:
        if len(w.replace(".", "")) <= 1 or (w.isupper() and w.endswith(".")):
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def _strip(line: str) -> str:
    line = re.sub(r"<!--.*?-->", "", line)
    return line.split("#", 1)[0].rstrip()


def read_actors(text: str, problems: list[str] | None = None) -> list[_Entry]:
    """Parse an actors file; codes that cannot be read are skipped and listed in `problems`."""
    entries: list[_Entry] = []
    problems = [] if problems is None else problems
    cur: _Entry | None = None
    in_comment = False
    for n, raw in enumerate(text.splitlines(), 1):
        if "<!--" in raw and "-->" not in raw:
            in_comment = True
            continue
        if in_comment:
            in_comment = "-->" not in raw
            continue
        line = _strip(raw)
        if not line.strip():
            continue
        codes = []
        for c in _CODE.findall(line):
            try:
                codes.append(_parse_code(c))
            except ValueError as e:
                problems.append(f"line {n}: {e}")
        name_part = _CODE.sub("", line).strip()
        name_part = re.sub(r"\{[^}]*\}", "", name_part).strip()
        if raw[:1] in ("\t", " ") and not name_part:
            if cur is not None:
                cur.codes.extend(codes)
            continue
        if name_part.startswith("+"):
            if cur is not None:
                cur.names.append(name_part[1:].strip())
                cur.codes.extend(codes)
            continue
        cur = _Entry(names=[name_part], codes=codes)
        entries.append(cur)
    return [e for e in entries if e.codes and e.names]


def read_agents(text: str) -> dict[str, list[str]]:
    """Agents file -> {sector: [phrases]}, with !SET! substitutions expanded."""
    subst: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = _strip(raw)
        m = _SUBST.match(line)
        if m:
            subst[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        codes = _CODE.findall(line)
        if not codes or "~" not in codes[0]:
            continue
        phrase = re.sub(r"\{[^}]*\}", "", _CODE.sub("", line)).strip()
        if not phrase:
            continue
        sector = codes[0].strip().lstrip("~")[:3].upper()
        variants = [phrase]
        for key, alts in subst.items():
            variants = [v.replace(key, a) for v in variants for a in alts] if any(key in v for v in variants) else variants
        for v in variants:
            out.setdefault(sector, []).append(v.replace("_", " ").strip().lower())
    return out


def to_yaml_records(entries: Iterable[_Entry], source: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(people, orgs): an entry with dated codes is a person with offices, otherwise an org."""
    people: list[dict[str, Any]] = []
    orgs: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, e in enumerate(entries):
        base = re.sub(r"[^a-z0-9]+", "_", e.names[0].lower()).strip("_") or f"entry{n}"
        ident = f"{source}:{base}"
        while ident in seen:
            ident += "_"
        seen.add(ident)
        dated = [c for c in e.codes if c[1] or c[2]]
        aliases = list(dict.fromkeys(_title(x, person=bool(dated)) for x in e.names if x.strip("_ ")))
        if dated:
            offices = []
            for code, start, end in dated:
                country, sector = split_code(code)
                o: dict[str, Any] = {"code": country, "sector": sector, "role": "office", "from": start or "1900-01-01"}
                if end:
                    o["to"] = end
                offices.append(o)
            undated = [c for c in e.codes if not (c[1] or c[2])]
            rec: dict[str, Any] = {"id": ident, "name": aliases[0], "aliases": aliases, "offices": offices}
            if undated:
                country, sector = split_code(undated[-1][0])
                rec["otherwise"] = {"code": country, "sector": sector}
            people.append(rec)
        else:
            country, sector = split_code(e.codes[0][0])
            orgs.append({"id": ident, "name": aliases[0], "code": country, "sector": sector,
                         "names": {"en": aliases}})
    return people, orgs


def import_files(actor_files: Iterable[Path], agent_files: Iterable[Path], out_dir: Path,
                 prefix: str = "petrarch") -> dict[str, Any]:
    """Write people_<prefix>.yaml, orgs_<prefix>.yaml and roles_<prefix>.yaml; returns counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries: list[_Entry] = []
    problems: list[str] = []
    for f in actor_files:
        found: list[str] = []
        entries.extend(read_actors(Path(f).read_text("utf-8", errors="replace"), found))
        problems.extend(f"{Path(f).name}: {x}" for x in found)
    people, orgs = to_yaml_records(entries, prefix)
    roles: dict[str, list[str]] = {}
    for f in agent_files:
        for sec, phrases in read_agents(Path(f).read_text("utf-8", errors="replace")).items():
            roles.setdefault(sec, []).extend(phrases)
    header = f"# Imported by `cronaca actors import-petrarch` ({prefix}); edit the source dictionary, not this file.\n"
    roles_doc = {"en": {k: sorted(set(v)) for k, v in roles.items()}} if roles else {}
    for kind, doc in (("people", people), ("orgs", orgs), ("roles", roles_doc)):
        body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
        (out_dir / f"{kind}_{prefix}.yaml").write_text(header + body, "utf-8")
    return {"people": len(people), "orgs": len(orgs), "role_phrases": sum(len(v) for v in roles.values()),
            "skipped_codes": len(problems), "problems": problems}
