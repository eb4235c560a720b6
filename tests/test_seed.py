"""The first user's article, end to end, scored by the SPEC.md rules."""

import json

from cronaca.evaluate import evaluate_docs

from .conftest import FIXTURES


def test_seed_article_against_its_gold(pipeline):
    gold = [json.loads(line) for line in (FIXTURES / "seed_it.jsonl").read_text().splitlines() if line.strip()]
    assert gold[0]["text"] == (FIXTURES / "000_008cad845ac29fab.txt").read_text()
    rep = evaluate_docs(gold, pipeline)["overall"]
    assert rep["core"]["tp"] == 5 and rep["core"]["fn"] == 0  # all five required events
    assert rep["core"]["fp"] == 0  # no unmatched prediction
    assert rep["full"]["tp"] >= 4  # date, place, attribution and modality right
    assert rep["non_event_violations"] == 0  # nothing factual from the speculative sentences
