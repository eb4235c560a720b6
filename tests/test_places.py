from cronaca.model import Article
from cronaca.pipeline import default_pipeline


def places(text, lang="it", pub=None):
    doc = default_pipeline().run(Article.make(text, lang=lang, pub_date=pub))
    return [(doc.text[p.start:p.end], p.place.code, p.place.precision) for p in doc.places]


def test_cities_from_the_world_gazetteer_with_multilingual_names():
    got = places("Il vertice si è tenuto a Pechino e poi a Vladivostok.")
    assert ("Pechino", "CHN", "city") in got and ("Vladivostok", "RUS", "city") in got


def test_small_towns_of_local_news_and_datelines():
    got = places("CARPI. I carabinieri hanno arrestato un uomo a Novi di Modena.")
    assert ("CARPI", "ITA", "city") in got


def test_regions_by_their_head_noun():
    got = places("I combattimenti continuano nella regione di Kursk.")
    assert any(code == "RUS" and prec == "region" for _t, code, prec in got)


def test_words_and_names_are_not_towns():
    got = places("L'Arma dei carabinieri e la giudice Carolina Rossi hanno parlato. Due persone, l'arma.")
    assert not [g for g in got if g[1] not in ("ITA",)]


def test_towns_inside_longer_proper_names_are_not_places():
    got = places("Dopo l'omicidio di George Floyd, il New York Post e il giudice Lucio D'Andria hanno parlato.")
    assert not [g for g in got if g[0] in ("George", "New York", "Andria")], got


def test_state_adjectives_after_place_nouns():
    got = places("Scontri lungo il confine ucraino.")
    assert ("confine ucraino", "UKR", "country") in got


def test_event_place_comes_from_the_paragraph_when_the_clause_has_none():
    doc = default_pipeline().run(Article.make(
        "Nuovi scontri in Libia. I ribelli libici hanno attaccato le truppe di Gheddafi.", lang="it"))
    ev = [e for e in doc.events if e.event == "ASSAULT"]
    assert ev and ev[0].event_loc is not None and ev[0].event_loc.code == "LBY"


def test_a_sentence_opening_participle_is_not_nato():
    doc = default_pipeline().run(Article.make("Nato a Verona nel 1927, fu ministro. La Nato ha deciso.", lang="it"))
    nato = [doc.text[m.start:m.end] for m in doc.mentions if m.entity.code == "IGO"]
    assert nato == ["Nato"] and doc.mentions[0].start > 10


def test_an_italian_town_after_a_masculine_article_is_a_football_club():
    got = places("Il Napoli ha battuto il Milan a Bergamo.")
    assert [g[0] for g in got] == ["Bergamo"], got
