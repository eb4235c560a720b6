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
