import datetime as dt
import itertools
import json
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from cronaca.api import ingest
from cronaca.cli import main
from cronaca.monitor import analytics, stories, synthetic
from cronaca.monitor.export import export
from cronaca.monitor.stories import Report, Story
from cronaca.store import EventFilter, Store


def _demo_paths():
    base = resources.files("cronaca").joinpath("demo")
    return [Path(str(base.joinpath(n))) for n in ("000_008cad845ac29fab.txt", "rus_prk_demo.jsonl")]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "s.sqlite"
    with Store(path) as s:
        ingest(_demo_paths(), s)
    return path


def _story_with(store, event, doc_ids):
    found = [s for s in store.stories(EventFilter(type=event))
             if set(doc_ids) <= {r["doc_id"] for r in s["reports"]}]
    return found


def test_the_treaty_and_the_deployment_are_one_story_each(demo_store):
    with Store(demo_store, readonly=True) as s:
        treaty = _story_with(s, "SUPPORT", ["demo-04-it", "demo-05-en", "demo-06-de", "demo-07-es"])
        assert len(treaty) == 1
        t = treaty[0]
        assert t["symmetric"] and set(t["actors"]) | set(t["recipients"]) == {"RUS", "PRK"}
        assert t["date"] == "2024-06-19" and {"de", "en", "es", "it"} <= set(t["languages"])
        # no other RUS-PRK joint SUPPORT story on that day: the reports did not split
        same_day = [x for x in s.stories(EventFilter(type="SUPPORT", since="2024-06-19", until="2024-06-19"))
                    if x["symmetric"]]
        assert len(same_day) == 1
        troops = _story_with(s, "AID", ["demo-08-it", "demo-09-en"])
        assert len(troops) == 1 and troops[0]["actors"][0] == "PRK" and "RUS" in troops[0]["recipients"]
        assert {"it", "en"} <= set(troops[0]["languages"]) and troops[0]["n_reports"] >= 3
        # every report keeps its evidence, and each report belongs to exactly one story
        n_links = s.conn.execute("SELECT count(*) FROM story_reports").fetchone()[0]
        n_distinct = s.conn.execute("SELECT count(DISTINCT event_id) FROM story_reports").fetchone()[0]
        assert n_links == n_distinct and all(r["evidence"] for r in t["reports"])


def test_arms_deliveries_months_apart_stay_apart(demo_store):
    with Store(demo_store, readonly=True) as s:
        containers = _story_with(s, "AID", ["demo-14-it"])
        missiles = _story_with(s, "AID", ["demo-15-en"])
        assert containers and missiles and containers[0]["id"] != missiles[0]["id"]


def test_incremental_merging_equals_a_rebuild(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        ingest(_demo_paths()[:1], s)
        ingest(_demo_paths()[1:], s)
        before = {frozenset(r["event_id"] for r in st["reports"]) for st in s.stories()}
        n = s.rebuild_stories()
        after = {frozenset(r["event_id"] for r in st["reports"]) for st in s.stories()}
        assert n == s.counts()["events"] - s.conn.execute(
            "SELECT count(*) FROM events WHERE modality IN ('negated', 'hypothetical')").fetchone()[0]
    # the treaty's reports end up together either way
    treaty_before = next(g for g in before if len(g) >= 7)
    assert treaty_before in after


def test_recoding_an_article_rebuilds_its_stories(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as s:
        ingest(_demo_paths(), s)
        stories_before = s.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        # the same articles under another knowledge-base version replace their reports
        rows = s.conn.execute("SELECT id FROM articles").fetchall()
        s.conn.execute("UPDATE articles SET kb_version = 'old' WHERE id = ?", (rows[0][0],))
        ingest(_demo_paths(), s)
        assert s.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == stories_before
        orphans = s.conn.execute("SELECT count(*) FROM stories WHERE id NOT IN "
                                 "(SELECT story_id FROM story_reports)").fetchone()[0]
        assert orphans == 0


def _report(**kw):
    base = dict(event_id="e1", article_id="a1", event="AID", mode=None, cameo="070", quad_class=2, goldstein=7.0,
                plover_score=5.0, symmetric=False, actors=("PRK",), recipients=("RUS",), date="2024-10-18",
                precision="day", basis="explicit", modality="asserted", confidence=0.8, loc_code=None,
                loc_name=None, lat=None, lon=None, lang="it", source="x", seen="2024-10-18", qty_unit=None)
    base.update(kw)
    return Report(**base)


def test_merge_rules_keep_promises_joint_acts_and_places_apart():
    r = _report()
    s = Story(id="s1", event="AID", family="factual", symmetric=False, lo=0, hi=0)
    s.add(r, r.period())
    assert s.accepts(_report(event_id="e2", date="2024-10-19"), _report(date="2024-10-19").period())
    future = _report(modality="future")
    assert not s.accepts(future, future.period())
    joint = _report(symmetric=True, cameo="057")
    assert not s.accepts(joint, joint.period())
    # "X and Y did it" is "X did it with Y" when the act's code is the same
    same_act = _report(symmetric=True)
    assert s.accepts(same_act, same_act.period())
    far = _report(date="2025-03-01")
    assert not s.accepts(far, far.period())
    # an act reported later ("the Pentagon said on 28 October ... had sent") reaches back
    told = _report(date="2024-10-28", modality="reported")
    assert s.accepts(told, told.period())
    s.add(_report(loc_code="RUS", loc_name="Kursk"), _report().period())
    elsewhere = _report(loc_code="UKR", loc_name="Kyiv")
    assert not s.accepts(elsewhere, elsewhere.period())


def test_agreeing_sources_raise_confidence():
    s = Story(id="s1", event="AID", family="factual", symmetric=False, lo=0, hi=0)
    s.add(_report(), _report().period())
    one = s.confidence()
    s.add(_report(event_id="e2", source="y"), _report().period())
    assert s.confidence() > one
    same_source = Story(id="s2", event="AID", family="factual", symmetric=False, lo=0, hi=0)
    same_source.add(_report(), _report().period())
    same_source.add(_report(event_id="e2"), _report().period())
    assert same_source.confidence() == one


@pytest.fixture
def synthetic_store(tmp_path):
    path = tmp_path / "syn.sqlite"
    with Store(path) as s:
        c = s.conn
        c.execute("BEGIN IMMEDIATE")
        ids = synthetic.insert_reports(c, synthetic.real_events(3000, start=dt.date(2024, 1, 1), days=120))
        stories.merge_events(c, ids)
        c.execute("COMMIT")
    return path


def test_synthetic_reports_merge_back_into_their_real_events(synthetic_store):
    with Store(synthetic_store, readonly=True) as s:
        n_stories = s.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        # day-dated reports merge within a day's slack, never further; few real events
        # collide on type, dyad and day
        mixed = s.conn.execute(
            "SELECT count(*) FROM (SELECT r.story_id FROM story_reports r JOIN events e ON e.id = r.event_id "
            "GROUP BY r.story_id HAVING julianday(max(e.date)) - julianday(min(e.date)) > 1)").fetchone()[0]
        assert mixed == 0
        assert 2700 <= n_stories <= 3000


def test_dyad_frame_counts_stories_once_and_fills_gaps(synthetic_store):
    with Store(synthetic_store, readonly=True) as s:
        f = analytics.dyad_frame(s, "RUS", "PRK", by="week")
        assert f.height > 10
        days = f["period"].to_list()
        assert all((b - a).days == 7 for a, b in itertools.pairwise(days))
        direct = s.conn.execute(
            "SELECT count(DISTINCT story_id) FROM story_dyads WHERE (a='RUS' AND b='PRK') OR (a='PRK' AND b='RUS')"
        ).fetchone()[0]
        assert f["stories"].sum() == direct
        assert f["reports"].sum() >= f["stories"].sum()
        coop = f["q1"] + f["q2"]
        conf = f["q3"] + f["q4"]
        row = f.filter(pl.col("stories") > 0).row(0, named=True)
        i = f["period"].to_list().index(row["period"])
        assert row["cci"] == pytest.approx((coop[i] - conf[i]) / (coop[i] + conf[i]))


def test_alerts_flag_a_burst(synthetic_store):
    with Store(synthetic_store) as s:
        c = s.conn
        c.execute("BEGIN IMMEDIATE")
        burst = [{"key": f"burst-{i}", "event": "ASSAULT", "cameo": "190", "a": "X70", "b": "X71",
                  "day": "2024-04-20", "reports": 2} for i in range(12)]
        # distinct places keep them distinct events
        ids = synthetic.insert_reports(c, iter(burst), seed=7)
        for k, eid in enumerate(ids):
            c.execute("UPDATE events SET loc_code = ?, loc_name = ? WHERE id = ?", (f"P{k // 2}", f"P{k // 2}", eid))
        stories.merge_events(c, ids)
        c.execute("COMMIT")
        a = analytics.alerts_frame(s, by="week", min_count=3)
    hit = a.filter((pl.col("a") == "X70") & (pl.col("b") == "X71"))
    assert hit.height == 1 and hit["kind"][0] in ("new", "spike") and hit["stories"][0] >= 3


def test_network_edges_are_weighted_by_stories(synthetic_store):
    with Store(synthetic_store, readonly=True) as s:
        net = analytics.network_frame(s)
        assert net.height > 10
        assert (net["a"] < net["b"]).all()
        assert net["stories"].to_list() == sorted(net["stories"].to_list(), reverse=True)


def test_exports_keep_codes_as_strings(demo_store, tmp_path):
    with Store(demo_store, readonly=True) as s:
        n = export(s, tmp_path / "e.csv")
        df = pl.read_csv(tmp_path / "e.csv", infer_schema=False)
        assert df.height == n == s.counts()["events"]
        assert df["EventCode"].str.len_chars().min() == 3  # "040", not 40
        assert {"GLOBALEVENTID", "SQLDATE", "Actor1Code", "QuadClass", "GoldsteinScale", "SOURCEURL"} <= set(df.columns)
        export(s, tmp_path / "s.parquet", what="stories")
        st = pl.read_parquet(tmp_path / "s.parquet")
        assert st["NumMentions"].sum() == s.conn.execute("SELECT count(*) FROM story_reports").fetchone()[0]
        export(s, tmp_path / "e.jsonl")
        recs = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
        assert len(recs) == n and all("text_info" in r for r in recs)
        with pytest.raises(ValueError):
            export(s, tmp_path / "e.xlsx")
        assert not list(tmp_path.glob("*.part"))


def test_monitoring_commands(demo_store, tmp_path):
    r = CliRunner()
    env = {"CRONACA_STORE": str(demo_store)}
    out = r.invoke(main, ["stories", "--type", "AID", "--format", "jsonl"], env=env)
    assert out.exit_code == 0, out.output
    recs = [json.loads(x) for x in out.stdout.splitlines()]
    assert recs and all(x["event"] == "AID" and x["reports"] for x in recs)
    png = tmp_path / "d.png"
    out = r.invoke(main, ["dyad", "RUS", "PRK", "--by", "year", "--format", "csv", "--plot", str(png)], env=env)
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0].startswith("period,stories,reports")
    assert png.read_bytes()[:4] == b"\x89PNG"
    for cmd in (["alerts", "--by", "month", "--min-count", "2"], ["network", "--format", "csv"],
                ["export", str(tmp_path / "x.csv"), "--what", "stories"]):
        out = r.invoke(main, cmd, env=env)
        assert out.exit_code == 0, (cmd, out.output)
    assert "GLOBALEVENTID" in (tmp_path / "x.csv").read_text().splitlines()[0]


def test_a_store_from_before_stories_gets_its_reports_merged_on_upgrade(tmp_path):
    path = tmp_path / "old.sqlite"
    with Store(path) as s:
        ingest(_demo_paths()[1:], s)
        n_stories = s.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        # make it look like a schema-1 store
        s.conn.execute("DROP INDEX events_order")
        for t in ("story_dyads", "story_keys", "story_reports", "stories"):
            s.conn.execute(f"DROP TABLE {t}")
        s.conn.execute("DELETE FROM schema_migrations WHERE version >= 2")
    with Store(path) as s:
        assert s.schema_version() >= 3
        assert s.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == n_stories
