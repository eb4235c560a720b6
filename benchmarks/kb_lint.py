"""Review aid for knowledge-base files: what a new file adds that could hurt precision.

  python benchmarks/kb_lint.py src/cronaca/kb/data/people_x.yaml [...]

Reports, for the named files against the rest of the bundled knowledge base:
  - ids used twice (anywhere in the same kind of file);
  - person aliases or organisation names that are already a form of another entry
    (another person, a state, an organisation) — the mention would become ambiguous;
  - aliases that are a single word also used in lower case in ordinary text
    (a common noun or adjective in the packs' languages would be read as the person);
  - offices whose dates are out of order or overlap another office of the same role.
Exit status 1 when an id is duplicated or an office is malformed; the rest are warnings
to review by hand.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cronaca.kb import LANGS, data_files  # noqa: E402
from cronaca.yamlio import load_yaml  # noqa: E402

# Single words that are names of people but also ordinary words somewhere in the packs'
# languages are caught by the lower-case test below only when such text is at hand; this
# short list covers the usual offenders.
COMMON = {"wine", "may", "rice", "power", "young", "king", "bush", "brown", "green", "white", "black",
          "long", "love", "sun", "song", "cash", "bello", "grande", "santos", "paz", "rey", "duque",
          "mayor", "bravo", "blanco", "moreno", "rojo", "leon", "león", "gil", "cruz", "rosa",
          "franco", "monti", "conte", "papa", "sole", "fontana", "rossi", "costa", "ruiz", "abe", "li",
          "kim", "lee", "park", "chung", "moon", "wang", "zhang", "liu", "chen", "khan", "ali", "ahmed",
          "mohamed", "hassan", "said", "amir", "emir", "new", "will", "hope", "grace"}


def _forms(rec: dict, kind: str) -> list[str]:
    if kind == "people":
        return [str(a) for a in rec.get("aliases") or []]
    out: list[str] = []
    for forms in (rec.get("names") or {}).values():
        out += [str(f) for f in forms or []]
    return out


def main(paths: list[str]) -> int:
    targets = {Path(p).resolve() for p in paths}
    owner: dict[str, set[str]] = defaultdict(set)  # form (casefolded) -> ids of other entries
    ids: dict[str, list[str]] = defaultdict(list)
    new: list[tuple[Path, str, dict]] = []
    for f in data_files():
        data = load_yaml(f.read_text("utf-8"))
        kind = "people" if f.stem.startswith("people") else "orgs" if f.stem.startswith("orgs") else None
        if f.stem.startswith(("states", "groups")):
            for code, rec in (data or {}).items():
                for lang in LANGS:
                    for key in ("names", "adj", "seats"):
                        for form in ((rec.get(lang) or {}).get(key) or []):
                            owner[str(form).casefold()].add(f"state:{code}")
            continue
        if kind is None:
            continue
        for rec in data or []:
            ids[f"{kind}:{rec['id']}"].append(f.name)
            if f.resolve() in targets:
                new.append((f, kind, rec))
            else:
                for form in _forms(rec, kind):
                    owner[form.casefold()].add(f"{kind}:{rec['id']}")
    errors = 0
    for key, files in ids.items():
        if len(files) > 1 and any(Path(ROOT / "src/cronaca/kb/data" / n).resolve() in targets for n in files):
            print(f"ERROR duplicate id {key} in {', '.join(files)}")
            errors += 1
    for f, kind, rec in new:
        where = f"{f.name}:{rec['id']}"
        for form in _forms(rec, kind):
            others = owner.get(form.casefold(), set()) - {f"{kind}:{rec['id']}"}
            if others:
                print(f"warn {where}: {form!r} is also {', '.join(sorted(others))}")
            words = form.split()
            if len(words) == 1 and (form.casefold() in COMMON or form.islower()):
                print(f"warn {where}: single-word alias {form!r} is an ordinary word or a very common name")
        by_role: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for o in rec.get("offices") or []:
            start, end = str(o.get("from") or ""), str(o.get("to") or "")
            if not re.fullmatch(r"[A-Z]{3}", str(o.get("code"))) or not start:
                print(f"ERROR {where}: office needs a 3-letter code and a from date: {o}")
                errors += 1
                continue
            if end and end <= start:
                print(f"ERROR {where}: office ends before it starts: {o}")
                errors += 1
            for s2, e2 in by_role[str(o.get("role"))]:
                if start < (e2 or "9999") and s2 < (end or "9999"):
                    print(f"warn {where}: two {o.get('role')} offices overlap ({s2}..{e2} and {start}..{end})")
            by_role[str(o.get("role"))].append((start, end))
    print(f"{len(new)} entries checked, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
