"""Dyad timelines, the actor network and alerts, over story-events, as polars data frames.

Everything counts *stories* (real events) first and *reports* second, so a story told by
fifty outlets weighs once in a timeline, while the report count still shows how loudly it
was told.

Cooperation-conflict index (cci) of a set of stories: (cooperative - conflictual) /
(cooperative + conflictual), where cooperative stories have QuadClass 1 or 2 (verbal or
material cooperation) and conflictual ones 3 or 4. It runs from -1 (all conflict) to +1
(all cooperation) and is null for a period with no story.

Alerts compare each period of an undirected dyad with its trailing baseline, the `window`
periods before it (missing periods count as zero):
- **spike**: at least `min_count` stories and more than mean + z * max(sd, 1) of the
  baseline (the floor of 1 keeps a quiet dyad from alerting on every second story);
- **new**: at least `min_count` stories where the baseline had none;
- **shift**: at least `min_count` stories now and in the baseline, and the cci moved by
  `shift` or more (for instance from cooperation to conflict).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from ..store import Store

_EVERY = {"day": "1d", "week": "1w", "month": "1mo", "year": "1y"}
_STORY_COLS = ["a", "b", "story_id", "date", "event", "quad_class", "goldstein", "plover_score", "n_reports",
               "n_sources", "symmetric"]


def _check_by(by: str) -> str:
    if by not in _EVERY:
        raise ValueError(f"unknown period {by!r}; use one of {', '.join(_EVERY)}")
    return _EVERY[by]


def dyad_stories(store: Store, a: str | None = None, b: str | None = None, *, directed: bool = False,
                 since: str | None = None, until: str | None = None) -> pl.DataFrame:
    """One row per (story, directed pair) with a date; filtered to the dyad A-B when given."""
    sql = ["SELECT d.a, d.b, s.id, s.date, s.event, s.quad_class, s.goldstein, s.plover_score, s.n_reports, "
           "s.n_sources, s.symmetric FROM story_dyads d JOIN stories s ON s.id = d.story_id WHERE d.date IS NOT NULL"]
    args: list[Any] = []
    if a and b:
        a, b = a.upper(), b.upper()
        if directed:
            sql.append("AND d.a = ? AND d.b = ?")
            args += [a, b]
        else:
            sql.append("AND ((d.a = ? AND d.b = ?) OR (d.a = ? AND d.b = ?))")
            args += [a, b, b, a]
    if since:
        sql.append("AND d.date >= ?")
        args.append(since)
    if until:
        sql.append("AND d.date <= ?")
        args.append(until)
    rows = store.conn.execute(" ".join(sql), args).fetchall()
    schema = {"a": pl.Utf8, "b": pl.Utf8, "story_id": pl.Utf8, "date": pl.Utf8, "event": pl.Utf8,
              "quad_class": pl.Int64, "goldstein": pl.Float64, "plover_score": pl.Float64, "n_reports": pl.Int64,
              "n_sources": pl.Int64, "symmetric": pl.Int64}
    df = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
    return df.with_columns(pl.col("date").str.slice(0, 10).str.to_date(strict=False).alias("day")) \
        .filter(pl.col("day").is_not_null())


def _aggregate(df: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return df.group_by(keys).agg(
        pl.col("story_id").n_unique().cast(pl.Int64).alias("stories"),
        pl.col("n_reports").sum().alias("reports"),
        *[(pl.col("quad_class") == q).sum().cast(pl.Int64).alias(f"q{q}") for q in (1, 2, 3, 4)],
        pl.col("goldstein").sum().alias("goldstein_sum"),
        pl.col("goldstein").mean().alias("goldstein_mean"),
        pl.col("plover_score").sum().alias("plover_sum"),
        pl.col("plover_score").mean().alias("plover_mean"),
    ).with_columns(_cci())


def _cci() -> pl.Expr:
    coop = pl.col("q1") + pl.col("q2")
    conf = pl.col("q3") + pl.col("q4")
    return pl.when(coop + conf > 0).then((coop - conf) / (coop + conf)).otherwise(None).alias("cci")


def dyad_frame(store: Store, a: str, b: str, *, by: str = "month", directed: bool = False,
               since: str | None = None, until: str | None = None, fill: bool = True) -> pl.DataFrame:
    """The A-B timeline: per period, unique stories and their reports, by QuadClass and PLOVER type,
    Goldstein and PLOVER-score sums and means, and the cooperation-conflict index.

    Undirected by default (A->B, B->A and joint acts, each story once); `directed` keeps A->B
    (joint acts of A and B included). With `fill`, periods without stories are rows of zeros,
    so the timeline is continuous.
    """
    every = _check_by(by)
    df = dyad_stories(store, a, b, directed=directed, since=since, until=until)
    # undirected: a story joins the dyad once, whichever way round it was coded
    df = df.unique(subset=["story_id"], keep="first").with_columns(pl.col("day").dt.truncate(every).alias("period"))
    out = _aggregate(df, ["period"])
    types = df.group_by(["period", "event"]).agg(pl.len().alias("count"))
    if types.height:
        wide = types.pivot(on="event", index="period", values="count").fill_null(0) \
            .with_columns(pl.exclude("period").cast(pl.Int64))
        # group_by does not keep an order: name the type columns in a fixed (alphabetical) one
        wide = wide.select("period", *sorted(c for c in wide.columns if c != "period"))
        wide = wide.rename({c: f"type_{c}" for c in wide.columns if c != "period"})
        out = out.join(wide, on="period", how="left")
    if fill and out.height:
        grid = pl.DataFrame({"period": pl.date_range(out["period"].min(), out["period"].max(),  # type: ignore[arg-type]
                                                     interval=every, eager=True)})
        out = grid.join(out, on="period", how="left")
        counts = [c for c in out.columns if c in ("stories", "reports", "q1", "q2", "q3", "q4", "goldstein_sum",
                                                   "plover_sum") or c.startswith("type_")]
        out = out.with_columns([pl.col(c).fill_null(0) for c in counts])
    if not out.height:
        out = pl.DataFrame(schema={"period": pl.Date, "stories": pl.Int64, "reports": pl.Int64, "q1": pl.Int64,
                                   "q2": pl.Int64, "q3": pl.Int64, "q4": pl.Int64, "goldstein_sum": pl.Float64,
                                   "goldstein_mean": pl.Float64, "plover_sum": pl.Float64,
                                   "plover_mean": pl.Float64, "cci": pl.Float64})
    return out.sort("period")


def network_frame(store: Store, *, directed: bool = False, since: str | None = None, until: str | None = None,
                  min_stories: int = 1) -> pl.DataFrame:
    """Who deals with whom: one edge per pair, weighted by stories (and reports), with its cci."""
    df = dyad_stories(store, since=since, until=until)
    if not directed:
        df = df.with_columns(pl.min_horizontal("a", "b").alias("a"), pl.max_horizontal("a", "b").alias("b")) \
            .unique(subset=["a", "b", "story_id"])
    out = _aggregate(df, ["a", "b"]).filter(pl.col("stories") >= min_stories)
    return out.sort(["stories", "reports", "a", "b"], descending=[True, True, False, False])


def alerts_frame(store: Store, *, by: str = "week", since: str | None = None, window: int = 8, z: float = 3.0,
                 min_count: int = 3, shift: float = 0.5) -> pl.DataFrame:
    """Spikes, new dyads and cooperation-conflict shifts against a trailing baseline (see the module doc)."""
    every = _check_by(by)
    df = dyad_stories(store).with_columns(pl.min_horizontal("a", "b").alias("a"),
                                          pl.max_horizontal("a", "b").alias("b")) \
        .unique(subset=["a", "b", "story_id"]).with_columns(pl.col("day").dt.truncate(every).alias("period"))
    schema = {"period": pl.Date, "a": pl.Utf8, "b": pl.Utf8, "kind": pl.Utf8, "stories": pl.Int64,
              "baseline_mean": pl.Float64, "baseline_sd": pl.Float64, "cci": pl.Float64, "cci_baseline": pl.Float64,
              "message": pl.Utf8}
    if not df.height:
        return pl.DataFrame(schema=schema)
    per = _aggregate(df, ["a", "b", "period"]).select("a", "b", "period", "stories", "q1", "q2", "q3", "q4")
    grid = pl.DataFrame({"period": pl.date_range(per["period"].min(), per["period"].max(),  # type: ignore[arg-type]
                                                 interval=every, eager=True)})
    pairs = per.select("a", "b").unique()
    full = pairs.join(grid, how="cross").join(per, on=["a", "b", "period"], how="left") \
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in ("stories", "q1", "q2", "q3", "q4")]) \
        .sort(["a", "b", "period"])
    base = lambda e: e.shift(1).rolling_sum(window, min_samples=1).over(["a", "b"])  # noqa: E731
    full = full.with_columns(
        pl.col("stories").shift(1).rolling_mean(window, min_samples=1).over(["a", "b"]).fill_null(0.0)
        .alias("baseline_mean"),
        pl.col("stories").shift(1).rolling_std(window, min_samples=2).over(["a", "b"]).fill_null(0.0)
        .alias("baseline_sd"),
        base(pl.col("stories")).fill_null(0).alias("baseline_total"),
        ((pl.col("q1") + pl.col("q2") - pl.col("q3") - pl.col("q4")) / pl.col("stories")).alias("cci"),
        ((base(pl.col("q1")) + base(pl.col("q2")) - base(pl.col("q3")) - base(pl.col("q4")))
         / base(pl.col("stories"))).alias("cci_baseline"),
    )
    enough = pl.col("stories") >= min_count
    kind = (pl.when(enough & (pl.col("baseline_total") == 0)).then(pl.lit("new"))
            .when(enough & (pl.col("stories") > pl.col("baseline_mean") + z * pl.max_horizontal("baseline_sd",
                                                                                                   pl.lit(1.0))))
            .then(pl.lit("spike"))
            .when(enough & (pl.col("baseline_total") >= min_count)
                  & ((pl.col("cci") - pl.col("cci_baseline")).abs() >= shift)).then(pl.lit("shift"))
            .otherwise(None))
    out = full.with_columns(kind.alias("kind")).filter(pl.col("kind").is_not_null())
    if since:
        out = out.filter(pl.col("period") >= dt.date.fromisoformat(since[:10]))
    out = out.with_columns(pl.format("{}-{}: {} {} stories (baseline {} per {})", "a", "b", "kind", "stories",
                                     pl.col("baseline_mean").round(1), pl.lit(by)).alias("message"))
    return out.select(list(schema)).sort(["period", "stories"], descending=[True, True])


def plot_dyad(frame: pl.DataFrame, a: str, b: str, path: str, *, by: str = "month") -> None:
    """Stacked cooperation/conflict stories per period with the cci, saved as a PNG."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - matplotlib is a declared dependency
        raise RuntimeError("plotting needs matplotlib: pip install 'cronaca[plot]'") from e
    periods = frame["period"].to_list()
    coop = (frame["q1"] + frame["q2"]).to_list() if frame.height else []
    conf = (frame["q3"] + frame["q4"]).to_list() if frame.height else []
    fig, ax = plt.subplots(figsize=(10, 4))
    width = {"day": 0.8, "week": 5, "month": 25, "year": 300}.get(by, 20)
    ax.bar(periods, coop, width=width, color="#2b8cbe", label="cooperation (Q1+Q2)")
    ax.bar(periods, [-x for x in conf], width=width, color="#e34a33", label="conflict (Q3+Q4)")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_ylabel("stories")
    ax.set_title(f"{a.upper()} - {b.upper()} by {by}")
    ax.legend(loc="upper left")
    ax2 = ax.twinx()
    ax2.plot(periods, frame["cci"].to_list() if frame.height else [], color="black", marker="o", linewidth=1,
             label="cooperation-conflict index")
    ax2.set_ylim(-1.05, 1.05)
    ax2.set_ylabel("cci")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
