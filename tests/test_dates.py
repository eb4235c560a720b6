import pytest

from cronaca.pipeline.dates import find_dates


def values(text, lang, pub=None):
    return [(text[s:e], v, p, b) for s, e, v, p, b in find_dates(text, lang, pub)]


@pytest.mark.parametrize(
    ("text", "lang", "pub", "expected"),
    [
        ("Il 25 dicembre 2025, Putin", "it", None, [("25 dicembre 2025", "2025-12-25", "day", "explicit")]),
        ("nel giugno del 2024 a Pyongyang", "it", None, [("giugno del 2024", "2024-06-01", "month", "explicit")]),
        ("che nel 2024 la Corea", "it", None, [("2024", "2024-01-01", "year", "explicit")]),
        ("il 1° ottobre 2023", "it", None, [("1° ottobre 2023", "2023-10-01", "day", "explicit")]),
        ("ieri sera", "it", "2021-03-11", [("ieri", "2021-03-10", "day", "relative")]),
        ("la scorsa settimana", "it", "2025-12-31", [("la scorsa settimana", "2025-12-22", "week", "relative")]),
        ("sabato 8 maggio", "it", "2021-05-10", [("8 maggio", "2021-05-08", "day", "relative"),
                                                ("sabato", "2021-05-08", "day", "relative")]),
        ("il 28 dicembre", "it", "2022-01-03", [("28 dicembre", "2021-12-28", "day", "relative")]),
    ],
)
def test_find_dates(text, lang, pub, expected):
    got = values(text, lang, pub)
    assert sorted(got) == sorted(expected)


def test_relative_dates_need_a_publication_date():
    assert values("ieri la polizia ha arrestato", "it") == []


def test_since_year_is_not_an_event_period():
    assert values("la prima visita dal 2000", "it") == []
