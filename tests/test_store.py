import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from cronaca.api import ingest
from cronaca.store import EventFilter, Store, StoreError

SEED = "Il 19 giugno 2024 il presidente russo Vladimir Putin ha incontrato Kim Jong Un a Pyongyang."


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(SEED)
    rows = [
        {"doc_id": "x1", "lang": "it", "pub_date": "2024-10-29",
         "text": "La Corea del Nord ha inviato oltre 10.000 soldati in Russia."},
        {"doc_id": "x2", "lang": "it", "text": "Il 24 ottobre 2024 la Duma di Stato ha approvato la ratifica del trattato con la Corea del Nord."},
    ]
    (d / "b.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return d


def test_migrations_are_recorded(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        assert s.schema_version() >= 1
        mode = s.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_ingest_is_idempotent(tmp_path, corpus):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        r1 = ingest([corpus], s)
        c1 = s.counts()
        r2 = ingest([corpus], s)
        assert s.counts() == c1
    assert r1.stored == 3 and r1.events == c1["events"] > 0
    assert r2.stored == 0 and r2.unchanged == 3


def test_filters_and_doc_ids(tmp_path, corpus):
    with Store(tmp_path / "s.sqlite") as s:
        ingest([corpus], s)
        aid = list(s.events(EventFilter(actor="PRK", type="AID")))
        assert [e["doc_id"] for e in aid] == ["x1"]
        assert aid[0]["recipient"][0]["code"] == "RUS"
        assert list(s.events(EventFilter(since="2024-06-01", until="2024-06-30")))
        assert not list(s.events(EventFilter(since="2030-01-01")))
        assert s.article("x1")["pub_date"] == "2024-10-29"


def test_dyad_counts_both_directions_and_joint_acts(tmp_path, corpus):
    with Store(tmp_path / "s.sqlite") as s:
        ingest([corpus], s)
        periods = {p["period"]: p for p in s.dyad("RUS", "PRK")}
        assert periods["2024-06"]["q1"] >= 1  # the meeting
        assert periods["2024-10"]["q2"] >= 1  # troops (PRK -> RUS)
        assert all(p["events"] == sum(p[f"q{i}"] for i in range(1, 5)) for p in periods.values())
        directed = [i["event"] for p in s.dyad("RUS", "PRK", directed=True) for i in p["items"]]
        assert "AID" not in directed  # the troops went PRK -> RUS
        assert "SUPPORT" in directed  # the Duma's ratification: RUS -> PRK


def test_reader_sees_committed_state_while_a_writer_holds_a_transaction(tmp_path, corpus):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        ingest([corpus], s)
        n = s.counts()["events"]
        s.conn.execute("BEGIN IMMEDIATE")
        s.conn.execute("DELETE FROM event_entities")
        s.conn.execute("DELETE FROM events")
        # another process reads while the write is uncommitted
        code = textwrap.dedent(f"""
            from cronaca.store import Store
            with Store({str(path)!r}, readonly=True) as r:
                print(r.counts()["events"])
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert int(out.stdout.strip()) == n
        s.conn.execute("ROLLBACK")


def test_readonly_open_of_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="cronaca ingest"):
        Store(tmp_path / "none.sqlite", readonly=True)


def test_not_a_store(tmp_path):
    p = tmp_path / "x.sqlite"
    p.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store(p)


def test_failed_batch_leaves_the_store_unchanged(tmp_path, corpus, monkeypatch):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        def boom(self, rec, article_id):
            raise sqlite3.OperationalError("disk full (simulated)")
        monkeypatch.setattr(Store, "_insert_record", boom)
        with pytest.raises(sqlite3.OperationalError):
            ingest([corpus], s)
        assert s.counts() == {"articles": 0, "events": 0, "errors": 0}
