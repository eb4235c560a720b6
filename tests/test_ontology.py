import pytest

from cronaca.ontology import EVENT_TYPES, MODES, QUAD_CLASS, cameo_table, check_event, goldstein, plover_score

from .conftest import shared_path


def test_sixteen_types_each_with_a_quad_class():
    assert len(EVENT_TYPES) == 16
    assert set(QUAD_CLASS) == set(EVENT_TYPES)
    assert {QUAD_CLASS[t] for t in EVENT_TYPES} == {1, 2, 3, 4}


def test_goldstein_falls_back_to_root():
    assert goldstein("057") == 8.0
    assert goldstein("0579") == 8.0  # unknown 4-digit code -> its 3-digit parent
    assert goldstein(None) is None


def test_plover_scores_by_mode():
    assert plover_score("CONSULT", "visit") == 4.0
    assert plover_score("CONSULT") == 2.5
    assert plover_score("ACCUSE") < 0  # the manual's +3 is read as the sign typo it is


def test_check_event_rejects_unknown_modes():
    check_event("ASSAULT", "aerial")
    with pytest.raises(ValueError):
        check_event("ASSAULT", "visit")
    with pytest.raises(ValueError):
        check_event("FIGHT", None)


def test_every_mode_in_the_cameo_table_is_a_plover_mode():
    for c in cameo_table().values():
        if c.plover and c.mode:
            assert c.mode in MODES[c.plover], c.code


def test_goldstein_values_agree_with_the_published_table():
    path = shared_path("eval/external/cameo_goldstein/cameo_goldstein.tsv")
    ref = {}
    for line in path.read_text().splitlines():
        parts = line.strip().split("\t")
        if len(parts) == 2 and parts[0].isdigit():
            ref[parts[0]] = float(parts[1])
    ours = cameo_table()
    checked = [c for c in ours if c in ref]
    assert len(checked) >= 60
    assert {c: ours[c].goldstein for c in checked} == {c: ref[c] for c in checked}
