import pytest

from cronaca.lang import SUPPORTED, pack, verb_forms
from cronaca.ontology import cameo_table, check_event


def test_italian_verb_forms_carry_tense():
    f = verb_forms("it", "firmare")
    assert f["firmato"] == "part" and f["firmerà"] == "fut" and f["firmerebbe"] == "cond" and f["firmò"] == "past"
    assert verb_forms("it", "cercare")["cercherà"] == "fut"


def test_english_verb_forms():
    assert set(verb_forms("en", "sign")) == {"sign", "signs", "signed", "signing"}
    assert "supplied" in verb_forms("en", "supply")


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_pack_loads_with_valid_codes(lang):
    p = pack(lang)
    assert p.triggers, lang
    table = cameo_table()
    for t in p.triggers:
        check_event(t.event, t.mode)
        assert t.cameo in table, (lang, t.id, t.cameo)
    for key in ("negation", "hypothetical", "months", "attribution_prefix", "recipient_preps", "agent_preps"):
        assert p.data.get(key), (lang, key)
    assert len(p.data["months"]) == 12
