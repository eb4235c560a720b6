from cronaca.evaluate import core_match, evaluate_docs, full_match

TEXT = "A visited B. C attacked D. Maybe E will attack F."


def gold_event(**kw):
    base = {"id": "g", "required": True, "event": "CONSULT", "alt_events": [], "actor": [{"code": "RUS"}],
            "recipient": [{"code": "PRK"}], "symmetric": False, "date": "2024-06-01", "date_precision": "month",
            "event_loc": None, "attribution": None, "modality": "asserted", "evidence": "A visited B."}
    return base | kw


def pred(**kw):
    base = {"event": "CONSULT", "actor": [{"code": "RUS"}], "recipient": [{"code": "PRK"}], "date": "2024-06-19",
            "date_precision": "day", "event_loc": None, "attribution": None, "modality": "asserted",
            "text_info": {"start": 0, "end": 12}}
    return base | kw


def test_core_needs_type_actor_and_recipient_overlap():
    assert core_match(pred(), gold_event())
    assert not core_match(pred(event="SUPPORT"), gold_event())
    assert core_match(pred(event="SUPPORT"), gold_event(alt_events=["SUPPORT"]))
    assert not core_match(pred(recipient=[{"code": "KOR"}]), gold_event())


def test_symmetric_gold_accepts_swapped_or_merged():
    g = gold_event(symmetric=True, actor=[{"code": "RUS"}, {"code": "PRK"}], recipient=[])
    assert core_match(pred(actor=[{"code": "PRK"}], recipient=[{"code": "RUS"}]), g)
    assert core_match(pred(actor=[{"code": "RUS"}, {"code": "PRK"}], recipient=[]), g)


def test_speculative_predictions_never_match_facts():
    assert not core_match(pred(modality="hypothetical"), gold_event())


def test_full_needs_the_period_inside_gold():
    assert full_match(pred(), gold_event())
    assert not full_match(pred(date="2024-07-01"), gold_event())
    assert not full_match(pred(date=None, date_precision="unknown"), gold_event())
    assert not full_match(pred(date="2024-01-01", date_precision="year"), gold_event())


def test_reported_counts_as_asserted_only_without_gold_attribution():
    assert full_match(pred(modality="reported"), gold_event())
    g = gold_event(attribution={"code": "USA"}, modality="reported")
    assert not full_match(pred(modality="asserted"), g)
    assert full_match(pred(modality="reported", attribution={"code": "USA"}), g)


def test_document_tallies_optional_and_violations():
    doc = {"doc_id": "d", "lang": "en", "text": TEXT,
           "events": [gold_event(), gold_event(id="o", required=False, event="ASSAULT", actor=[{"code": "UKR"}],
                                               recipient=[{"code": "RUS"}], evidence="C attacked D.")],
           "non_event_evidence": ["Maybe E will attack F."]}
    preds = {"d": [pred(), pred(event="ASSAULT", actor=[{"code": "UKR"}], recipient=[{"code": "RUS"}],
                                text_info={"start": 13, "end": 26}),
                   pred(event="ASSAULT", actor=[{"code": "USA"}], recipient=[{"code": "IRN"}],
                        text_info={"start": 27, "end": 49})]}
    rep = evaluate_docs([doc], pipeline=None, predictions=preds)["overall"]  # type: ignore[arg-type]
    assert (rep["core"]["tp"], rep["core"]["fp"], rep["core"]["fn"]) == (1, 1, 0)  # optional match: neither
    assert rep["non_event_violations"] == 1


def test_old_and_misspelt_plover_labels_map_to_todays_types():
    from cronaca.adapters import plover_event

    assert plover_event("DEMAND") == ("REQUEST", None)
    assert plover_event("disapprove") == ("ACCUSE", "disapprove")
    assert plover_event("SACTION") == ("SANCTION", None)
    assert plover_event("ASSAULT") == ("ASSAULT", None)


def test_gsr_country_code_typos_are_read_as_iso(tmp_path):
    import json as _json

    from cronaca.adapters import plover_gsr

    f = tmp_path / "gsr.json"
    f.write_text(_json.dumps([{"id": "x1", "event": "CONSULT", "text": "Yeltsin hosted Hashimoto.",
                               "source": [{"code": "RUS"}], "target": [{"code": "JAP"}]}]))
    assert plover_gsr(f)[0]["events"][0]["recipient"][0]["code"] == "JPN"
