import re

import pytest

from cronaca.kb import LANGS, KBError, default_kb, load
from cronaca.kb import data_files as kb_files
from cronaca.yamlio import load_yaml

SPECIAL = {"WST", "IGO", "NGO", "MNC", "UNK", "XKX"}
SECTORS = {"GOV", "MIL", "SPY", "JRN", "LEG", "JUD", "COP", "PTY", "REB", "OPP", "BUS", "CVL", "REL", "ELI",
           "REF", "MED", "EDU", "NGO", "LAB", "AGR", "CRM", "UAF", "IGO", "PRM", "PRE", "SOC", "UNK", None}


def test_every_data_file_follows_its_schema():
    for path in kb_files():
        data = load_yaml(path.read_text("utf-8"))
        if path.stem.startswith(("states", "groups")):
            for code, rec in data.items():
                assert re.fullmatch(r"[A-Z]{3}", code), (path.name, code)
                assert set(rec) <= {"wikidata", "name", *LANGS}, (path.name, code)
                if rec.get("wikidata"):
                    assert re.fullmatch(r"Q\d+", rec["wikidata"]), (path.name, code)
                for lang in LANGS:
                    block = rec.get(lang) or {}
                    assert set(block) <= {"names", "adj", "seats", "ambiguous"}, (path.name, code, lang)
                    forms = [f for k in ("names", "adj", "seats") for f in block.get(k) or []]
                    assert all(isinstance(f, str) and f.strip() for f in forms), (path.name, code, lang)
                    assert set(block.get("ambiguous") or []) <= set(forms), (path.name, code, lang)
        elif path.stem.startswith("people"):
            for rec in data:
                # aliases may be empty: such a person is found by office ("i Capitani Reggenti"), not by name
                assert rec["id"] and rec["name"] and isinstance(rec.get("aliases", []), list), rec
                for o in rec["offices"]:
                    assert re.fullmatch(r"[A-Z]{3}", o["code"]) and o.get("sector") in SECTORS, rec["id"]
                    assert o.get("to") is None or str(o["from"]) < str(o["to"]), rec["id"]
        elif path.stem.startswith("orgs"):
            for rec in data:
                assert re.fullmatch(r"[A-Z]{3}", rec["code"]) and rec.get("sector") in SECTORS, rec["id"]
        elif path.stem.startswith("roles"):
            for lang, by_sector in data.items():
                assert lang in LANGS
                assert set(by_sector) <= SECTORS


def test_no_form_names_two_states_in_one_language():
    seen: dict[tuple[str, str], str] = {}
    for path in kb_files():
        if not path.stem.startswith("states"):
            continue
        for code, rec in load_yaml(path.read_text("utf-8")).items():
            for lang in LANGS:
                block = rec.get(lang) or {}
                amb = set(block.get("ambiguous") or [])
                for f in (block.get("names") or []) + (block.get("adj") or []):
                    if f in amb:
                        continue
                    key = (lang, f.casefold())
                    assert seen.setdefault(key, code) == code, (key, seen[key], code)


def test_all_iso_states_are_covered():
    import pycountry

    kb = default_kb()
    codes = {e.code for e in kb.entries.values() if e.kind in ("name", "adj", "seat")}
    missing = {c.alpha_3 for c in pycountry.countries} - codes
    assert not missing, sorted(missing)


@pytest.mark.parametrize(
    ("phrase", "lang", "code", "kind"),
    [
        ("nordcoreani", "it", "PRK", "adj"),
        ("sudcoreane", "it", "KOR", "adj"),
        ("Corea del Nord", "it", "PRK", "name"),
        ("Cremlino", "it", "RUS", "seat"),
        ("North Korean", "en", "PRK", "adj"),
        ("nord-coréens", "fr", "PRK", "adj"),
        ("Esercito Popolare Coreano", "it", "PRK", "org"),
        ("Kcna", "it", "PRK", "org"),
    ],
)
def test_lookup(phrase, lang, code, kind):
    (m,) = default_kb().lookup(phrase, lang)
    assert m.best.entry.code == code and m.best.entry.kind == kind


def test_acronyms_match_case_exactly():
    kb = default_kb()
    assert kb.lookup("ONU", "it")
    assert not kb.lookup("un", "en")  # "UN" must not fire on a lower-case word


def test_offices_are_time_aware():
    (m,) = default_kb().lookup("Donald Trump", "en")
    e = m.best.entry
    assert e.at("2019-06-01")[:2] == ("USA", "GOV")
    assert e.at("2022-06-01")[:2] == ("USA", "ELI")  # a former president is not the government
    assert e.at("2025-06-01")[:2] == ("USA", "GOV")


def test_user_files_extend_the_kb(tmp_path):
    extra = tmp_path / "people_mine.yaml"
    extra.write_text("- id: ada\n  name: Ada Rossi\n  aliases: [Ada Rossi]\n"
                     "  offices: [{code: ITA, sector: LEG, role: mp, from: 2020-01-01}]\n")
    kb = load([extra])
    (m,) = kb.lookup("Ada Rossi", "it")
    assert m.best.entry.at("2024-01-01")[:2] == ("ITA", "LEG")
    assert kb.version != default_kb().version


def test_bad_user_file_is_named_in_the_error(tmp_path):
    bad = tmp_path / "orgs_bad.yaml"
    bad.write_text("- id: x\n  names: {en: [X]}\n")
    with pytest.raises(KBError, match=r"orgs_bad\.yaml"):
        load([bad])


def test_compiled_cache_keeps_only_recent_versions(tmp_path):
    import os

    from cronaca.kb import _prune_cache

    for i in range(7):
        f = tmp_path / f"kb-{i:010d}.pickle"
        f.write_bytes(b"x")
        os.utime(f, (1000 + i, 1000 + i))
    (tmp_path / "gaz-other.pickle").write_bytes(b"y")  # not the knowledge base's: untouched
    _prune_cache(tmp_path, keep=4)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["gaz-other.pickle"] + [f"kb-{i:010d}.pickle" for i in (3, 4, 5, 6)]
