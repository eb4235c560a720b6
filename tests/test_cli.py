import json

import pytest
from click.testing import CliRunner

from cronaca.cli import main

SEED_IT = "Il 19 giugno 2024 il presidente russo Vladimir Putin ha incontrato Kim Jong Un a Pyongyang."


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("CRONACA_STORE", str(tmp_path / "store.sqlite"))
    return CliRunner()


@pytest.fixture
def bad_inputs(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "good.txt").write_text(SEED_IT)
    (d / "empty.txt").write_text("")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    (d / "latin1.txt").write_bytes("Il presidente è arrivato a Mosca.".encode("latin-1"))
    (d / "huge.txt").write_text("parola " * 3_000_000)  # ~21 MB of text
    lines = [json.dumps({"doc_id": "ok1", "lang": "it", "text": SEED_IT.replace("19 giugno", "20 giugno")}),
             '{"doc_id": "broken", "text": ',
             json.dumps({"doc_id": "notext", "lang": "it"})]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return d


def test_bad_input_is_reported_and_the_rest_is_stored(runner, bad_inputs, tmp_path):
    r = runner.invoke(main, ["ingest", str(bad_inputs)])
    assert r.exit_code == 1
    errs = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    reasons = "\n".join(errs)
    assert "empty.txt: empty file" in reasons
    assert "binary.txt: binary file" in reasons
    assert "latin1.txt: not valid UTF-8" in reasons
    assert "huge.txt: text too long" in reasons
    assert "feed.jsonl:2: malformed JSON" in reasons
    assert "feed.jsonl:3: missing or empty 'text'" in reasons
    assert len(errs) == 6
    assert "2 stored" in r.stdout
    ev = runner.invoke(main, ["events", "--format", "jsonl"])
    assert ev.exit_code == 0
    docs = {json.loads(line)["doc_id"] for line in ev.stdout.splitlines()}
    assert "ok1" in docs and len(docs) == 2
    errs_cmd = runner.invoke(main, ["errors"])
    assert "binary.txt" in errs_cmd.stdout


def test_clean_batch_exits_zero(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SEED_IT)
    r = runner.invoke(main, ["ingest", str(f)])
    assert r.exit_code == 0, r.output
    assert "1 stored" in r.stdout


def test_extract_jsonl_keeps_input_doc_ids(runner, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"doc_id": "mine-1", "lang": "it", "text": SEED_IT}) + "\n")
    r = runner.invoke(main, ["extract", str(f), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert recs and all(x["doc_id"] == "mine-1" for x in recs)
    assert recs[0]["event"] == "CONSULT" and recs[0]["text_info"]["evidence"] in SEED_IT


def test_extract_explain(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SEED_IT)
    r = runner.invoke(main, ["extract", str(f), "--lang", "it", "--explain", "--format", "jsonl"])
    rec = json.loads(r.stdout.splitlines()[0])
    assert any("lexicon it.consult.meet" in x for x in rec["explain"])


def test_events_csv_and_dyad(runner, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SEED_IT)
    runner.invoke(main, ["ingest", str(f)])
    csv_out = runner.invoke(main, ["events", "--format", "csv", "--actor", "RUS"]).stdout.splitlines()
    assert csv_out[0].startswith("id,doc_id,date") and len(csv_out) == 2
    assert ",042," in csv_out[1] or ",040," in csv_out[1]  # CAMEO codes keep their leading zero
    d = runner.invoke(main, ["dyad", "RUS", "PRK", "--format", "csv"])
    assert d.exit_code == 0
    head, row = d.stdout.splitlines()[:2]
    assert head.startswith("period,stories,reports,q1,q2,q3,q4")
    assert row.startswith("2024-06-01,1,1,1,0,0,0")  # one story, one report, verbal cooperation


def test_store_option_and_missing_store(runner, tmp_path):
    r = runner.invoke(main, ["events", "--store", str(tmp_path / "nope.sqlite")])
    assert r.exit_code != 0 and "cronaca ingest" in r.output


def test_demo_prints_the_rus_prk_timeline(runner, tmp_path):
    r = runner.invoke(main, ["demo", "--store", str(tmp_path / "demo.sqlite")])
    assert r.exit_code == 0, r.output
    assert "RUS - PRK by month" in r.stdout
    assert "2024-06" in r.stdout and "Pyongyang" in r.stdout
    assert "0 errors" in r.stdout


def test_actors_lookup(runner):
    r = runner.invoke(main, ["actors", "lookup", "il leader nordcoreano", "--lang", "it"])
    assert r.exit_code == 0 and "code=PRK" in r.stdout
