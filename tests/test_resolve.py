import json

import pytest
from click.testing import CliRunner

from cronaca.cli import main
from cronaca.kb.resolve import Resolver


@pytest.fixture(scope="module")
def resolver():
    return Resolver()


@pytest.mark.parametrize(
    ("text", "lang", "date", "code", "sector", "qid"),
    [
        ("il presidente americano", "it", "2019-05-01", "USA", "GOV", "Q22686"),  # Trump then
        ("il presidente americano", "it", "2023-05-01", "USA", "GOV", "Q6279"),  # Biden then
        ("the Russian foreign minister", "en", "2024-01-01", "RUS", "GOV", "Q80137"),
        ("il leader nordcoreano", "it", None, "PRK", "GOV", None),
        ("le agenzie di intelligence sudcoreane", "it", None, "KOR", "SPY", None),
        ("soldati nordcoreani", "it", None, "PRK", "MIL", None),
        ("les autorités ukrainiennes", "fr", None, "UKR", "GOV", None),
        ("former President Donald Trump", "en", "2023-01-01", "USA", "ELI", "Q22686"),
    ],
)
def test_resolve(resolver, text, lang, date, code, sector, qid):
    r = resolver.resolve(text, lang=lang, date=date)
    assert (r.code, r.sector) == (code, sector), r.why
    if qid:
        assert r.identifier_id == qid


def test_language_is_optional(resolver):
    r = resolver.resolve("the North Korean leader")
    assert (r.code, r.sector) == ("PRK", "GOV") and r.why.startswith("en:")


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("Prime Minister of France", "FRA", "GOV"),  # a capitalised title is not part of a longer name
        ("a Somalia-based paramilitary group", "SOM", "PRM"),
        ("Rakhine rebels", "MMR", "REB"),  # a first-level region stands for its state
        ("a professor at the University of St Andrews in Scotland", "GBR", "EDU"),
        ("officials in Kabul", "AFG", "GOV"),
        ("targets in Syria", "SYR", None),  # a place after "in" says where, not who
        ("Mariupol", "UKR", "CVL"),  # a place alone as an actor is its people
        ("Sen. Feliciano Valencia", None, "LEG"),  # a surname is not the town of Valencia
        ("Latin America", None, None),  # contains "America", is not the United States
        ("America", "USA", None),
        ("President of the Chadian Human Rights League", "TCD", "SOC"),
    ],
)
def test_phrases_out_of_context(resolver, text, code, sector):
    r = resolver.resolve(text, lang="en", date="2025-08-13")
    assert (r.code, r.sector) == (code, sector), r.why


def test_the_title_of_an_office_must_head_the_phrase(resolver):
    # the League's president is not Chad's head of state
    r = resolver.resolve("President of the Chadian Human Rights League", lang="en", date="2025-08-13")
    assert r.identifier_id is None and "head_of_state" not in r.why


def test_defence_ministers_are_government_not_military(resolver):
    r = resolver.resolve("Jean-Yves Le Drian", lang="en", date="2015-05-10")
    assert (r.code, r.sector) == ("FRA", "GOV")


def test_a_bare_role_has_a_sector_but_no_country(resolver):
    r = resolver.resolve("the police", lang="en")
    assert (r.code, r.sector) == (None, "COP")


def test_cli_resolve_reads_lines_with_optional_dates():
    out = CliRunner().invoke(main, ["actors", "resolve", "--lang", "it"],
                             input="il presidente americano\t2019-05-01\nsoldati nordcoreani\n\n")
    assert out.exit_code == 0, out.output
    recs = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["code"] for r in recs] == ["USA", "PRK"]
    assert set(recs[0]) >= {"text", "code", "sector", "identifier_id", "name"}


def test_a_shared_name_is_whoever_held_office_on_the_date(resolver):
    assert resolver.resolve("President Bush", lang="en", date="1990-06-01").name == "George H. W. Bush"
    assert resolver.resolve("President Bush", lang="en", date="2003-06-01").name == "George W. Bush"


def test_italian_press_spelling_usa(resolver):
    r = resolver.resolve("il presidente Usa", lang="it", date="2010-04-08")
    assert (r.code, r.sector) == ("USA", "GOV") and r.name == "Barack Obama"
