from cronaca.text import norm, split_sentences, tokenize


def test_italian_elision_and_numbers():
    toks = [t.text for t in tokenize("dell’Esercito ha inviato oltre 10.000 soldati, l'ONU", "it")]
    assert toks == ["dell’", "Esercito", "ha", "inviato", "oltre", "10.000", "soldati", ",", "l'", "ONU"]


def test_english_clitics_and_acronyms():
    toks = [t.text for t in tokenize("North Korea's troops didn't reach the U.S. base", "en")]
    assert toks == ["North", "Korea", "'s", "troops", "did", "n't", "reach", "the", "U.S.", "base"]


def test_offsets_are_views_into_the_text():
    text = "Il 25 dicembre 2025, Putin ha scritto."
    for t in tokenize(text, "it"):
        assert text[t.start : t.end] == t.text


def test_norm_unifies_apostrophes_and_case():
    assert norm("L’Ucraina") == norm("l'ucraina")


def test_sentences_respect_abbreviations_and_paragraphs():
    text = "Il sig. Rossi è arrivato a Roma. Poi è partito.\nNuovo paragrafo qui."
    toks = tokenize(text, "it")
    sents = split_sentences(text, toks, ["sig"])
    assert [text[s.start : s.end] for s in sents] == [
        "Il sig. Rossi è arrivato a Roma.",
        "Poi è partito.",
        "Nuovo paragrafo qui.",
    ]
    assert [s.paragraph for s in sents] == [0, 0, 1]
    assert all(toks[s.tok_start].start == s.start for s in sents)


def test_english_led_and_based_compounds_split_off_the_name():
    toks = [t.text for t in tokenize("the US-led war and a Somalia-based group, but well-known anti-war", "en")]
    assert toks[:4] == ["the", "US", "-", "led"] and "Somalia" in toks and "well-known" in toks and "anti-war" in toks
