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


@pytest.mark.parametrize(
    ("text", "lang", "pub", "expected"),
    [
        ("il 25/10/2012 alle 13:40", "it", None, [("25/10/2012", "2012-10-25", "day", "explicit")]),
        ("nella giornata del 25/0/12", "it", None, [("25/0/12", "2012-01-01", "year", "explicit")]),
        ("in a 2010 commando raid", "en", "2013-03-22", [("2010", "2010-01-01", "year", "explicit")]),
        ("four years ago", "en", "2013-03-21", [("four years ago", "2009-01-01", "year", "relative")]),
        ("tre giorni fa", "it", "2021-05-10", [("tre giorni fa", "2021-05-07", "day", "relative")]),
        ("the swine flu of 2009-2010", "en", None, [("2009", "2009-01-01", "year", "explicit"),
                                                     ("2010", "2010-01-01", "year", "explicit")]),
    ],
)
def test_more_forms(text, lang, pub, expected):
    assert sorted(values(text, lang, pub)) == sorted(expected)


def test_a_month_later_in_the_year_is_last_years_unless_the_future_is_spoken_of():
    from cronaca.pipeline.dates import resolve_dates

    past = resolve_dates("Police arrested both men in August.", "en", "2013-03-22")
    future = resolve_dates("The trial will open in August.", "en", "2013-03-22")
    assert [(v[:7], p) for _s, _e, v, p, _b in past] == [("2012-08", "month")]
    assert [(v[:7], p) for _s, _e, v, p, _b in future] == [("2013-08", "month")]


def test_relative_italian_day_with_a_partial_date():
    # "sabato 8 maggio" in a paper of 10 May 2021: that Saturday
    assert ("8 maggio", "2021-05-08", "day", "relative") in values("sabato 8 maggio", "it", "2021-05-10")


def test_month_ranges_take_the_period_that_holds_them():
    assert values("tra marzo e maggio 2024", "it") == [("tra marzo e maggio 2024", "2024-01-01", "year", "explicit")]
    assert values("between June and June 2023", "en") == [("between June and June 2023", "2023-06-01", "month",
                                                            "explicit")]
