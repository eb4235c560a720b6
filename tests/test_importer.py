from click.testing import CliRunner

from cronaca.cli import main
from cronaca.kb import load
from cronaca.kb.importer import import_files, read_actors, read_agents, split_code

from .conftest import shared_path

ACTORS = """# a TABARI actors file
ARNOR_ [ARN]
GONDOR_ [GON]
ARAGORN_  # CountryInfo.txt
+KING_ARAGORN_
+ELESSAR
\t[ARNREB 900101-950501]
\t[GONGOV >950501]
\t[GONELI]
BROKEN_ENTRY
\t[GONGOV 9900231-]
MINAS_TIRITH_GUARD [GONMILGRD]
"""
AGENTS = """!PERSON! = MAN, MEN
RANGER [~MIL]
CONGRESS!PERSON! [~LEG]
"""


def test_codes_split_into_country_and_sector():
    assert split_code("AFGGOVAGR") == ("AFG", "GOV")
    assert split_code("IGOUNO") == ("IGO", None)


def test_actors_with_dates_become_people_with_offices():
    problems: list[str] = []
    entries = read_actors(ACTORS, problems)
    names = [e.names[0] for e in entries]
    assert names == ["ARNOR_", "GONDOR_", "ARAGORN_", "MINAS_TIRITH_GUARD"]
    assert problems and "9900231" in problems[0]  # an unreadable date is reported, not fatal
    aragorn = entries[2]
    assert aragorn.names == ["ARAGORN_", "KING_ARAGORN_", "ELESSAR"]
    assert aragorn.codes == [("ARNREB", "1990-01-01", "1995-05-01"), ("GONGOV", "1995-05-01", None), ("GONELI", None, None)]


def test_agents_expand_substitution_sets():
    roles = read_agents(AGENTS)
    assert roles["MIL"] == ["ranger"]
    assert sorted(roles["LEG"]) == ["congressman", "congressmen"]


def test_import_writes_files_the_kb_loads(tmp_path):
    src = tmp_path / "x.actors.txt"
    src.write_text(ACTORS)
    ag = tmp_path / "x.agents.txt"
    ag.write_text(AGENTS)
    counts = import_files([src], [ag], tmp_path / "out", "lotr")
    assert (counts["people"], counts["orgs"]) == (1, 3)
    kb = load(sorted((tmp_path / "out").glob("*.yaml")), use_cache=False)
    (m,) = kb.lookup("King Aragorn", "en")
    assert m.best.entry.at("2000-01-01")[:2] == ("GON", "GOV")
    assert m.best.entry.at("1991-01-01")[:2] == ("ARN", "REB")
    (g,) = kb.lookup("Gondor", "en")
    assert g.best.entry.code == "GON"


def test_cli_import_on_the_phoenix_dictionaries(tmp_path):
    d = shared_path("eval/external/petrarch_phoenix_dictionaries")
    out = tmp_path / "kb"
    r = CliRunner().invoke(main, ["actors", "import-petrarch", str(d / "Phoenix.International.actors.txt"),
                                  "--agents", str(d / "Phoenix.agents.txt"), "--out", str(out), "--prefix", "ph"])
    assert r.exit_code == 0, r.output
    kb = load(sorted(out.glob("*.yaml")), use_cache=False)
    (m,) = kb.lookup("Kofi Annan", "en")
    assert m.best.entry.at("2000-01-01")[0] == "IGO"
