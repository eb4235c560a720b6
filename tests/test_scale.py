"""Inputs at scale and reliability: readers, parallel ingest, kill -9 recovery, fuzzing."""

import importlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cronaca.api import ingest, process
from cronaca.ingest import ReadError, read_paths
from cronaca.model import Article
from cronaca.pipeline import Config, default_pipeline
from cronaca.store import Store

readers = importlib.import_module("cronaca.ingest")  # the module; `cronaca.ingest` the name is the function
DEMO = Path(str(resources.files("cronaca").joinpath("demo").joinpath("rus_prk_demo.jsonl")))
RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Agenzia Prova</title>
<item><title>Putin a Pyongyang</title><link>https://example.org/a</link><guid>a-1</guid>
<pubDate>Wed, 19 Jun 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Il presidente russo Vladimir Putin ha incontrato Kim Jong Un a Pyongyang.&lt;/p&gt;</description></item>
<item><title>Vuoto</title><link>https://example.org/b</link><description></description></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def pipeline():
    return default_pipeline()


# warcio's *writer* (used here only to make a test archive) leaves a spooled temp file open
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_csv_feed_and_warc_inputs(tmp_path):
    (tmp_path / "a.csv").write_text('doc_id,text,pub_date\nc1,"Il 19 giugno 2024 Putin ha incontrato Kim.",2024-06-20\n'
                                    'c2,,2024-06-20\n')
    (tmp_path / "bad.csv").write_text("id,body\n1,x\n")
    (tmp_path / "f.rss").write_text(RSS)
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = ("<html><head><title>Vertice</title></head><body><article><h1>Vertice</h1><p>"
            + "Il presidente russo Vladimir Putin ha incontrato Kim Jong Un a Pyongyang il 19 giugno 2024. " * 3
            + "</p></article></body></html>").encode()
    with (tmp_path / "w.warc.gz").open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        import io

        w.write_record(w.create_warc_record("https://example.org/vertice", "response",
                                            payload=io.BytesIO(html), http_headers=headers))
    items = list(read_paths([tmp_path]))
    arts = {a.doc_id: a for a in items if isinstance(a, Article)}
    errs = {e.source: e.reason for e in items if isinstance(e, ReadError)}
    assert arts["c1"].pub_date == "2024-06-20" and arts["c1"].text.startswith("Il 19 giugno")
    assert any("'text'" in r for s, r in errs.items() if s.endswith("a.csv:3"))
    assert any("header row with a 'text' column" in r for s, r in errs.items() if s.endswith("bad.csv"))
    assert arts["a-1"].outlet == "Agenzia Prova" and arts["a-1"].pub_date == "2024-06-19"
    assert "Kim Jong Un" in arts["a-1"].text and "<p>" not in arts["a-1"].text
    assert any(s.endswith("f.rss#2") for s in errs)
    warc = arts["https://example.org/vertice"]
    assert "Putin" in warc.text and warc.url == "https://example.org/vertice"


def test_a_jsonl_line_over_the_limit_is_skipped_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 1000)
    rows = [{"doc_id": "ok1", "text": "Putin ha incontrato Kim."}, {"doc_id": "big", "text": "x" * 5000},
            {"doc_id": "ok2", "text": "Kim ha incontrato Putin."}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    items = list(read_paths([tmp_path / "a.jsonl"]))
    assert [a.doc_id for a in items if isinstance(a, Article)] == ["ok1", "ok2"]
    assert [e.source for e in items if isinstance(e, ReadError)] == [f"{tmp_path / 'a.jsonl'}:2"]


def _snapshot(path: Path) -> dict[str, object]:
    """What a store holds, without the times it was written."""
    c = sqlite3.connect(path)
    try:
        return {
            "articles": c.execute("SELECT id, doc_id, kb_version, n_events FROM articles ORDER BY id").fetchall(),
            "events": c.execute("SELECT id, record FROM events ORDER BY id").fetchall(),
            "stories": sorted(tuple(sorted(ids.split(","))) for (ids,) in c.execute(
                "SELECT group_concat(event_id) FROM story_reports GROUP BY story_id")),
            "story_rows": c.execute("SELECT id, event, actors, recipients, date, n_reports, n_sources, confidence "
                                    "FROM stories ORDER BY id").fetchall(),
            "errors": c.execute("SELECT source, reason FROM errors ORDER BY source, reason").fetchall(),
        }
    finally:
        c.close()


def _corpus(tmp_path: Path, copies: int) -> Path:
    rows = [json.loads(x) for x in DEMO.read_text().splitlines()]
    out = tmp_path / "corpus.jsonl"
    with out.open("w") as fh:
        for k in range(copies):
            for r in rows:
                # each copy is another article (another day's edition of the same story)
                fh.write(json.dumps(r | {"doc_id": f"{r['doc_id']}-{k}", "text": r["text"] + f"\n(ed. {k})"}) + "\n")
        fh.write("{broken json\n")
    return out


def test_parallel_ingest_stores_exactly_what_one_worker_does(tmp_path, pipeline):
    corpus = _corpus(tmp_path, 2)
    for w in (1, 2):
        with Store(tmp_path / f"w{w}.sqlite") as s:
            rep = ingest([corpus], s, pipeline=pipeline, workers=w, batch_size=7)
            assert rep.stored == 38 and len(rep.errors) == 1
    assert _snapshot(tmp_path / "w1.sqlite") == _snapshot(tmp_path / "w2.sqlite")


def test_kill_9_during_ingest_then_restart_equals_a_clean_run(tmp_path):
    corpus = _corpus(tmp_path, 8)  # 152 articles
    exe = str(Path(sys.executable).with_name("cronaca"))
    clean = tmp_path / "clean.sqlite"
    subprocess.run([exe, "ingest", str(corpus), "--store", str(clean), "-q", "--workers", "1",
                    "--batch-size", "5"], check=False, capture_output=True)
    total = len(_snapshot(clean)["articles"])
    assert total == 152
    crashed = tmp_path / "crashed.sqlite"
    seed = random.randrange(10**6)
    rnd = random.Random(seed)
    target = rnd.randrange(10, 140)  # articles stored when the process is killed
    proc = subprocess.Popen([exe, "ingest", str(corpus), "--store", str(crashed), "-q", "--workers", "2",
                             "--batch-size", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            c = sqlite3.connect(f"file:{crashed}?mode=ro", uri=True, timeout=1)
            stored = c.execute("SELECT count(*) FROM articles").fetchone()[0]
            c.close()
        except sqlite3.Error:
            stored = 0
        if stored >= target:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, mid-batch
    proc.wait()
    assert stored < total, f"the ingest finished before it could be killed (seed {seed})"
    # restart: what was committed stays, the rest is done, nothing twice
    subprocess.run([exe, "ingest", str(corpus), "--store", str(crashed), "-q", "--workers", "2",
                    "--batch-size", "5"], check=False, capture_output=True)
    a, b = _snapshot(clean), _snapshot(crashed)
    # the broken line is reported once per run: the restart reports it again
    assert a["errors"] == sorted(set(b["errors"]))
    for key in ("articles", "events", "stories", "story_rows"):
        assert a[key] == b[key], f"{key} differ after kill -9 at {stored} articles (seed {seed})"


# --------------------------------------------------------------------------- fuzzing
FUZZ = Config(max_seconds=10)


@pytest.fixture(scope="module")
def fuzz_pipeline():
    return default_pipeline(FUZZ)


def _one(pipeline, text: str, lang: str | None = None) -> tuple[float, object]:
    t = time.perf_counter()
    out = list(process([Article.make(text, lang=lang)], pipeline))
    took = time.perf_counter() - t
    assert len(out) == 1
    return took, out[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=3000), lang=st.sampled_from([None, "it", "en", "fr", "es", "de"]))
def test_arbitrary_unicode_never_crashes_or_hangs(fuzz_pipeline, text, lang):
    took, o = _one(fuzz_pipeline, text, lang)
    assert took < 15
    assert o.error is None or "internal error" not in o.error, o.error


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(["Putin", "ha", "incontrato", "Kim", "a", "Pyongyang", ".", ",", "«", "»",
                                       "il", "19", "giugno", "2024", "attaccato", "Russia", "Ucraina", "\n\n"]),
                      min_size=1, max_size=4000))
def test_long_newsy_word_salad(fuzz_pipeline, words):
    took, o = _one(fuzz_pipeline, " ".join(words), "it")
    assert took < 15
    assert o.error is None or "internal error" not in o.error, o.error  # short salads are refused with a reason


@pytest.mark.parametrize("text", [
    "a" * 500_000,                                   # one huge token
    ("Putin " * 100_000).strip(),                    # a huge run of one name
    "Il 19 giugno 2024 " + "x" * 1_000_000 + " Putin ha incontrato Kim.",
    "\u202e\u0000\ufeff" * 10_000 + "Putin ha incontrato Kim.",
    "(" * 50_000 + "Putin" + ")" * 50_000,
])
def test_pathological_texts_finish(fuzz_pipeline, text):
    took, o = _one(fuzz_pipeline, text, "it")
    assert took < 15, took
    assert o.error is None or "internal error" not in o.error


@pytest.mark.parametrize("depth", [100, 5_000, 50_000])
def test_deeply_nested_html_is_read_or_refused_cleanly(tmp_path, fuzz_pipeline, depth):
    html = "<html><body>" + "<div>" * depth + "<p>Il presidente russo Vladimir Putin ha incontrato Kim Jong Un.</p>" \
        + "</div>" * depth + "</body></html>"
    (tmp_path / "n.html").write_text(html)
    t = time.perf_counter()
    out = list(process(read_paths([tmp_path / "n.html"]), fuzz_pipeline))
    assert time.perf_counter() - t < 30
    assert len(out) == 1
    assert out[0].error is None or "internal error" not in out[0].error, out[0].error


def test_watch_picks_up_new_files(tmp_path, pipeline):
    from cronaca.api import watch

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Il 19 giugno 2024 il presidente russo Vladimir Putin ha incontrato Kim Jong Un.")
    calls = []

    def stop() -> bool:
        calls.append(1)
        if len(calls) == 1:  # a file arrives while watching
            (d / "b.txt").write_text("Il 20 giugno 2024 la Corea del Sud ha criticato la Russia.")
            return False
        return True

    with Store(tmp_path / "s.sqlite") as s:
        total = watch(d, s, every=0.01, pipeline=pipeline, stop=stop)
        assert total.stored == 2 and s.counts()["articles"] == 2


def test_poll_reads_a_feed_by_url_and_skips_what_it_has(tmp_path, pipeline):
    import http.server
    import threading

    from cronaca.api import poll

    (tmp_path / "feed.rss").write_text(RSS)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    handler = lambda *a, **kw: Quiet(*a, directory=str(tmp_path), **kw)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/feed.rss"
    try:
        with Store(tmp_path / "s.sqlite") as s:
            first = poll([url], s, once=True, pipeline=pipeline)
            again = poll([url, str(tmp_path / "missing.rss")], s, once=True, pipeline=pipeline)
    finally:
        srv.shutdown()
        srv.server_close()
    assert first.stored == 1 and len(first.errors) == 1  # the empty entry is reported
    assert again.stored == 0 and again.unchanged == 1
    assert any("no such file" in r for _, r in again.errors)


def test_dask_local_cluster_stores_what_local_workers_do(tmp_path, pipeline):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install 'cronaca[dask]')")
    from cronaca.distributed import ingest_dask, load_partitions

    corpus = _corpus(tmp_path, 1)
    with Store(tmp_path / "local.sqlite") as s:
        ingest([corpus], s, pipeline=pipeline, workers=1)
    parts = tmp_path / "parts"
    with Store(tmp_path / "dask.sqlite") as s:
        rep = ingest_dask([corpus], s, workers=2, partitions=parts, batch_size=6, pipeline=pipeline)
        assert rep.stored == 19 and len(rep.errors) == 1
    assert _snapshot(tmp_path / "local.sqlite") == _snapshot(tmp_path / "dask.sqlite")
    # the kept partitions load into another store on their own
    assert len(list(parts.glob("*.parquet"))) == 4
    with Store(tmp_path / "later.sqlite") as s:
        load_partitions(parts, s)
    assert _snapshot(tmp_path / "later.sqlite") == _snapshot(tmp_path / "local.sqlite")
