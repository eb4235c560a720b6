"""The `cronaca` command: thin wrappers over the library (api, store, evaluate)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import click

from . import api
from .model import Event
from .pipeline import Config, default_pipeline
from .store import EventFilter, Store, StoreError, default_store_path

_STORE_HELP = "Store file (default: $CRONACA_STORE or ~/.local/share/cronaca/cronaca.sqlite)."


def _store_opt(f: Any) -> Any:
    return click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="CRONACA_STORE", default=None, help=_STORE_HELP)(f)


def _lang_opts(f: Any) -> Any:
    f = click.option("--lang", default=None, help="Force the language (it, en, fr, es, de) instead of detecting it.")(f)
    f = click.option("--pub-date", default=None, help="Publication date (YYYY-MM-DD) for inputs that lack one; "
                     "anchors 'ieri', 'last week'.")(f)
    return f


def _open(store_path: Path | None, *, readonly: bool = False) -> Store:
    try:
        return Store(store_path or default_store_path(), readonly=readonly)
    except StoreError as e:
        raise click.ClickException(str(e)) from e


def _console() -> Any:
    """Rich output; piped output gets a wide page instead of rich's 80-column default."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


def _err(msg: str) -> None:
    click.echo(msg, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cronaca")
def main() -> None:
    """cronaca: news articles to sourced PLOVER events, offline."""


# --------------------------------------------------------------------------- ingest
@main.command()
@click.argument("paths", nargs=-1, required=True)  # str: an http(s) feed URL is not a path
@_store_opt
@_lang_opts
@click.option("--batch-size", default=100, show_default=True, help="Articles per transaction.")
@click.option("--workers", "-j", type=int, default=None,
              help="Worker processes coding articles (default: all cores; 1 = in this process).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Code articles in local worker processes, or on a Dask cluster (docs/scale.md).")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://HOST:PORT); default: a LocalCluster.")
@click.option("--partitions", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the cluster's Parquet partitions (shared by all workers on a real cluster); "
                   "kept when given.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], store_path: Path | None, lang: str | None, pub_date: str | None,
           batch_size: int, workers: int | None, engine: str, scheduler: str | None, partitions: Path | None,
           quiet: bool) -> None:
    """Extract events from PATHS and store them: .txt, .html, .jsonl, .csv, RSS/Atom feeds
    (files or http(s) URLs), .warc/.warc.gz archives, or folders of them."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    total = api.count_inputs(paths)
    with _open(store_path) as store:
        progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            disable=quiet or not sys.stderr.isatty(), transient=True)
        with progress:
            task = progress.add_task("ingest", total=total)
            n_workers = workers if workers is not None else (os.cpu_count() or 1)
            if engine == "dask":
                from .distributed import ingest_dask

                report = ingest_dask(paths, store, scheduler=scheduler, workers=n_workers, partitions=partitions,
                                     lang=lang, pub_date=pub_date, progress=lambda n: progress.advance(task, n))
            else:
                report = api.ingest(paths, store, lang=lang, pub_date=pub_date, batch_size=batch_size,
                                    progress=lambda n: progress.advance(task, n), workers=n_workers)
        for source, reason in report.errors:
            _err(f"error: {source}: {reason}")
        click.echo(f"{report.read} read, {report.stored} stored, {report.unchanged} unchanged, "
                   f"{report.events} events, {len(report.errors)} errors -> {store.path}")
    if report.failed:
        sys.exit(1)


def _every(value: str) -> float:
    try:
        return api.parse_every(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


def _report_line(rep: api.IngestReport) -> None:
    import datetime as dt

    now = dt.datetime.now().strftime("%H:%M:%S")
    for source, reason in rep.errors:
        _err(f"error: {source}: {reason}")
    if rep.read:
        click.echo(f"{now} {rep.read} read, {rep.stored} stored, {rep.unchanged} unchanged, {rep.events} events, "
                   f"{len(rep.errors)} errors")


@main.command(name="load-parts")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_store_opt
def load_parts(folder: Path, store_path: Path | None) -> None:
    """Store the Parquet partitions a cluster wrote to FOLDER (see `ingest --engine dask --partitions`)."""
    from .distributed import load_partitions

    with _open(store_path) as store:
        rep = load_partitions(folder, store)
    _report_line(rep)
    if rep.failed:
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_store_opt
@click.option("--every", default="10s", show_default=True, help="How often to look (30s, 15m, 1h).")
@click.option("--workers", "-j", type=int, default=1, show_default=True)
@click.option("--once", is_flag=True, help="Look once and exit.")
def watch(folder: Path, store_path: Path | None, every: str, workers: int, once: bool) -> None:
    """Ingest FOLDER's files, then new and changed files as they appear (Ctrl-C stops)."""
    with _open(store_path) as store:
        try:
            api.watch(folder, store, every=_every(every), once=once, workers=workers, on_report=_report_line)
        except KeyboardInterrupt:
            _err("stopped")


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@_store_opt
@click.option("--every", default="15m", show_default=True, help="How often to read the feeds (30s, 15m, 1h).")
@click.option("--once", is_flag=True, help="Read once and exit.")
def poll(feeds: tuple[str, ...], store_path: Path | None, every: str, once: bool) -> None:
    """Read RSS/Atom FEEDS (http(s) URLs or files) now and every so often; new entries are stored."""
    with _open(store_path) as store:
        try:
            api.poll(list(feeds), store, every=_every(every), once=once, on_report=_report_line)
        except KeyboardInterrupt:
            _err("stopped")


# --------------------------------------------------------------------------- extract
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_lang_opts
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Show how each field was decided (lexicon entry, rules, spans).")
@click.option("--keep-speculative", is_flag=True, help="Also print hypothetical and negated events.")
def extract(paths: tuple[Path, ...], lang: str | None, pub_date: str | None, fmt: str, explain: bool,
            keep_speculative: bool) -> None:
    """Print the events in PATHS without storing them."""
    config = Config(keep_hypothetical=keep_speculative, keep_negated=keep_speculative)
    failed = False
    rows: list[Event] = []
    for o in api.extract_paths(paths, lang=lang, pub_date=pub_date, config=config):
        if o.error:
            _err(f"error: {o.source}: {o.error}")
            failed = True
            continue
        if fmt == "jsonl":
            for ev in o.events:
                click.echo(json.dumps(ev.to_json(explain=explain), ensure_ascii=False))
        else:
            rows.extend(o.events)
    if fmt == "table":
        _event_table([e.to_json(explain=explain) for e in rows], explain=explain)
    if failed:
        sys.exit(1)


def _ents(xs: Iterable[dict[str, Any]]) -> str:
    return "+".join(f"{x['code']}{'/' + x['sector'] if x.get('sector') else ''}" for x in xs) or "-"


def _event_table(recs: list[dict[str, Any]], *, explain: bool = False, evidence: bool = True) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not recs:
        console.print("no events")
        return
    t = Table(show_lines=evidence)
    for col in ("date", "event", "actor", "recipient", "place", "source / modality", "conf", "doc"):
        t.add_column(col)
    if evidence:
        t.add_column("evidence", overflow="fold", max_width=60)
    for r in recs:
        loc = r.get("event_loc") or {}
        attr = r.get("attribution") or {}
        date = f"{r.get('date') or '?'} ({r.get('date_precision')})"
        ev = r["event"] + (f"/{r['mode']}" if r.get("mode") else "")
        src = (f"{attr.get('code')} " if attr else "") + r.get("modality", "")
        row = [Text(date), Text(ev), Text(_ents(r["actor"])), Text(_ents(r["recipient"])),
               Text(loc.get("name") or "-"), Text(src), Text(f"{r['confidence']:.2f}"), Text(str(r["doc_id"]))]
        if evidence:
            row.append(Text(r["text_info"]["evidence"]))
        t.add_row(*row)
    console.print(t)
    if explain:
        for r in recs:
            console.print(Text(f"\n{r['event']} {_ents(r['actor'])} -> {_ents(r['recipient'])} [{r['doc_id']}]", style="bold"))
            for line in r.get("explain", []):
                console.print(Text(f"  - {line}"))


# --------------------------------------------------------------------------- events
_CSV_COLS = ["id", "doc_id", "date", "date_precision", "date_basis", "event", "mode", "cameo", "goldstein",
             "quad_class", "actor_codes", "actor_sectors", "recipient_codes", "recipient_sectors", "location",
             "location_code", "lat", "lon", "attribution_code", "modality", "confidence", "evidence"]


def _csv_row(r: dict[str, Any]) -> list[Any]:
    loc = r.get("event_loc") or {}
    attr = r.get("attribution") or {}
    return [r["id"], r["doc_id"], r.get("date"), r.get("date_precision"), r.get("date_basis"), r["event"],
            r.get("mode"), r.get("cameo"), r.get("goldstein"), r.get("quad_class"),
            ";".join(a["code"] for a in r["actor"]), ";".join(a.get("sector") or "" for a in r["actor"]),
            ";".join(a["code"] for a in r["recipient"]), ";".join(a.get("sector") or "" for a in r["recipient"]),
            loc.get("name"), loc.get("code"), loc.get("lat"), loc.get("lon"), attr.get("code"), r.get("modality"),
            r.get("confidence"), r["text_info"]["evidence"]]


@main.command()
@_store_opt
@click.option("--actor", help="Actor code (e.g. RUS).")
@click.option("--recipient", help="Recipient code (e.g. PRK).")
@click.option("--type", "etype", help="PLOVER event type (e.g. AID).")
@click.option("--since", help="First date, YYYY-MM-DD.")
@click.option("--until", help="Last date, YYYY-MM-DD.")
@click.option("--limit", type=int, default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
def events(store_path: Path | None, actor: str | None, recipient: str | None, etype: str | None,
           since: str | None, until: str | None, limit: int | None, fmt: str) -> None:
    """List stored events, filtered."""
    with _open(store_path, readonly=True) as store:
        recs = store.events(EventFilter(actor=actor, recipient=recipient, type=etype, since=since, until=until,
                                        limit=limit))
        if fmt == "jsonl":
            for r in recs:
                click.echo(json.dumps(r, ensure_ascii=False))
        elif fmt == "csv":
            w = csv.writer(sys.stdout)
            w.writerow(_CSV_COLS)
            for r in recs:
                w.writerow(_csv_row(r))
        else:
            _event_table(list(recs))


# --------------------------------------------------------------------------- stories, dyads, alerts
def _filter_opts(f: Any) -> Any:
    for opt in reversed([
        click.option("--actor", help="Actor code (e.g. RUS)."),
        click.option("--recipient", help="Recipient code (e.g. PRK)."),
        click.option("--type", "etype", help="PLOVER event type (e.g. AID)."),
        click.option("--since", help="First date, YYYY-MM-DD."),
        click.option("--until", help="Last date, YYYY-MM-DD."),
        click.option("--limit", type=int, default=None),
    ]):
        f = opt(f)
    return f


@main.command()
@_store_opt
@_filter_opts
@click.option("--min-sources", type=int, default=1, show_default=True, help="Only stories told by this many sources.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--rebuild", is_flag=True, help="Merge every stored report again first (after changing rules).")
def stories(store_path: Path | None, actor: str | None, recipient: str | None, etype: str | None, since: str | None,
            until: str | None, limit: int | None, min_sources: int, fmt: str, rebuild: bool) -> None:
    """Story-events: each real event once, with its reports, documents, languages and outlets."""
    if rebuild:
        with _open(store_path) as store:
            n = store.rebuild_stories()
            _err(f"rebuilt stories from {n} reports")
    with _open(store_path, readonly=True) as store:
        recs = store.stories(EventFilter(actor=actor, recipient=recipient, type=etype, since=since, until=until,
                                          limit=limit), min_sources=min_sources)
        if fmt == "jsonl":
            for r in recs:
                click.echo(json.dumps(r, ensure_ascii=False))
            return
        _story_table(recs)


def _story_table(recs: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not recs:
        console.print("no stories")
        return
    t = Table(show_lines=True)
    for col in ("date", "event", "actor", "recipient", "place", "reports", "sources", "languages", "conf",
                "documents", "disagreements"):
        t.add_column(col)
    for r in recs:
        docs = list(dict.fromkeys(x["doc_id"] for x in r.get("reports", [])))
        t.add_row(Text(f"{r['date'] or '?'} ({r['date_precision']})"),
                  Text(r["event"] + (f"/{r['mode']}" if r.get("mode") else "")),
                  Text("+".join(r["actors"]) or "-"), Text("+".join(r["recipients"]) or "-"),
                  Text((r.get("place") or {}).get("name") or "-"), Text(str(r["n_reports"])), Text(str(r["n_sources"])),
                  Text(",".join(r["languages"])), Text(f"{r['confidence']:.2f}"), Text(", ".join(docs)),
                  Text(", ".join(sorted(r["disagreements"])) or "-"))
    console.print(t)


@main.command()
@click.argument("a")
@click.argument("b")
@_store_opt
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True)
@click.option("--directed", is_flag=True, help="Only A -> B (and joint acts); default: both directions.")
@click.option("--since", help="First date, YYYY-MM-DD.")
@click.option("--until", help="Last date, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw the timeline to this PNG file.")
@click.option("--evidence/--no-evidence", default=True, show_default=True,
              help="List each story with its reports and evidence (table format).")
def dyad(a: str, b: str, store_path: Path | None, by: str, directed: bool, since: str | None, until: str | None,
         fmt: str, plot_path: Path | None, evidence: bool) -> None:
    """The A-B timeline: unique stories and their reports per period, by QuadClass and type, with
    Goldstein and PLOVER-score sums and means and the cooperation-conflict index."""
    with _open(store_path, readonly=True) as store:
        _print_dyad(store, a, b, by=by, directed=directed, since=since, until=until, fmt=fmt, evidence=evidence,
                    plot_path=plot_path)


def _print_dyad(store: Store, a: str, b: str, *, by: str, directed: bool, fmt: str, evidence: bool,
                since: str | None = None, until: str | None = None, plot_path: Path | None = None) -> None:
    from .monitor import analytics

    frame = analytics.dyad_frame(store, a, b, by=by, directed=directed, since=since, until=until)
    if plot_path is not None:
        analytics.plot_dyad(frame, a, b, str(plot_path), by=by)
        _err(f"plot written to {plot_path}")
    if fmt in ("csv", "jsonl"):
        _frame_out(frame, fmt, "")
        return
    out = frame.with_columns(frame["period"].cast(str))
    from rich.table import Table
    from rich.text import Text

    console = _console()
    t = Table(title=f"{a.upper()} - {b.upper()} by {by} ({'directed' if directed else 'both directions'}): "
                    "stories (real events) and reports")
    cols = [("period", "period"), ("stories", "stories"), ("reports", "reports"), ("q1", "verbal coop"),
            ("q2", "material coop"), ("q3", "verbal confl"), ("q4", "material confl"),
            ("goldstein_mean", "Goldstein mean"), ("plover_sum", "PLOVER sum"), ("cci", "coop-confl index")]
    for _, label in cols:
        t.add_column(label, justify="left" if label == "period" else "right")
    for row in out.filter(frame["stories"] > 0).iter_rows(named=True):
        t.add_row(*[_fmt_cell(row[k]) for k, _ in cols])
    console.print(t)
    if not frame.height:
        console.print(f"no stories between {a.upper()} and {b.upper()}")
    if evidence:
        for s in store.dyad_stories(a, b, directed=directed, since=since, until=until, limit=None,
                                    newest_first=False, dated_only=True):
            loc = (s.get("place") or {}).get("name")
            head = (f"{s['date']} {s['event']}{'/' + s['mode'] if s.get('mode') else ''} "
                    f"{'+'.join(s['actors'])} -> {'+'.join(s['recipients']) or '-'}{' @ ' + loc if loc else ''}: "
                    f"{s['n_reports']} reports, {s['n_articles']} articles, {s['n_sources']} sources, "
                    f"languages {','.join(s['languages'])}, confidence {s['confidence']:.2f}")
            console.print(Text(head, style="bold"))
            for r in s["reports"]:
                console.print(Text(f"    [{r['doc_id']} {r['language']}, {r['modality']}] \u201c{r['evidence']}\u201d"))


def _fmt_cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _frame_out(frame: Any, fmt: str, title: str) -> None:
    """Print a polars frame as a table, CSV or JSON lines."""
    import polars as pl

    out = frame.with_columns([pl.col(c).cast(str) for c, t in frame.schema.items() if t == pl.Date])
    if fmt == "csv":
        click.echo(out.write_csv(), nl=False)
    elif fmt == "jsonl":
        for row in out.iter_rows(named=True):
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        from rich.table import Table

        t = Table(title=title)
        for c in out.columns:
            t.add_column(c)
        for row in out.iter_rows():
            t.add_row(*[_fmt_cell(v) for v in row])
        _console().print(t)


@main.command()
@_store_opt
@click.option("--since", help="Only alerts for periods from this date, YYYY-MM-DD.")
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="week", show_default=True)
@click.option("--window", type=int, default=8, show_default=True, help="Baseline: this many periods before.")
@click.option("--z", type=float, default=3.0, show_default=True, help="Spike threshold in baseline deviations.")
@click.option("--min-count", type=int, default=3, show_default=True, help="Fewest stories that can alert.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def alerts(store_path: Path | None, since: str | None, by: str, window: int, z: float, min_count: int,
           fmt: str) -> None:
    """Spikes, new dyads and cooperation-conflict shifts against each dyad's trailing baseline."""
    from .monitor import analytics

    with _open(store_path, readonly=True) as store:
        frame = analytics.alerts_frame(store, by=by, since=since, window=window, z=z, min_count=min_count)
    if not frame.height and fmt == "table":
        click.echo("no alerts")
        return
    _frame_out(frame, fmt, f"alerts by {by} (baseline {window} periods, z {z}, at least {min_count} stories)")


@main.command()
@_store_opt
@click.option("--since", help="First date, YYYY-MM-DD.")
@click.option("--until", help="Last date, YYYY-MM-DD.")
@click.option("--directed", is_flag=True, help="Keep A -> B and B -> A apart.")
@click.option("--min-stories", type=int, default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def network(store_path: Path | None, since: str | None, until: str | None, directed: bool, min_stories: int,
            fmt: str) -> None:
    """The actor network: who deals with whom, weighted by stories, with each edge's cci."""
    from .monitor import analytics

    with _open(store_path, readonly=True) as store:
        frame = analytics.network_frame(store, directed=directed, since=since, until=until, min_stories=min_stories)
    _frame_out(frame, fmt, "actor network (edges weighted by stories)")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_store_opt
@_filter_opts
@click.option("--what", type=click.Choice(["events", "stories"]), default="events", show_default=True,
              help="Reports (one row per coded event) or story-events.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default=None,
              help="Default: from OUT's suffix.")
def export(out: Path, store_path: Path | None, actor: str | None, recipient: str | None, etype: str | None,
           since: str | None, until: str | None, limit: int | None, what: str, fmt: str | None) -> None:
    """Write events or stories to OUT: PLOVER JSONL, CSV with GDELT column names, or Parquet."""
    from .monitor.export import export as do_export

    with _open(store_path, readonly=True) as store:
        try:
            n = do_export(store, out, what=what, fmt=fmt, f=EventFilter(actor=actor, recipient=recipient, type=etype,
                                                                         since=since, until=until, limit=limit))
        except ValueError as e:
            raise click.ClickException(str(e)) from e
    click.echo(f"{n} {what} -> {out}")


# --------------------------------------------------------------------------- errors, eval, demo
@main.command()
@_store_opt
def errors(store_path: Path | None) -> None:
    """List the inputs that failed, with their reasons."""
    with _open(store_path, readonly=True) as store:
        errs = store.errors()
        for e in errs:
            click.echo(f"{e['at']}  {e['source']}: {e['reason']}")
        if not errs:
            click.echo("no errors recorded")


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--adapter", type=click.Choice(["spec", "plover-gsr", "petrarch", "petrarch-es"]), default="spec",
              show_default=True, help="Read GOLD in another format (PLOVER GSR JSON, PETRARCH validation XML).")
def eval_cmd(gold: tuple[Path, ...], fmt: str, adapter: str) -> None:
    """Score cronaca against GOLD files (SPEC.md format): core/full P/R/F1 and field accuracies."""
    from .adapters import ADAPTERS
    from .evaluate import evaluate_docs, format_report, read_gold

    docs = read_gold(gold) if adapter == "spec" else [d for g in gold for d in ADAPTERS[adapter](g)]
    report = evaluate_docs(docs, default_pipeline())
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report))


@main.command()
@_store_opt
def demo(store_path: Path | None) -> None:
    """Ingest the bundled demo corpus (Russia - North Korea, 2023-2025) and show the RUS-PRK dyad."""
    base = resources.files("cronaca").joinpath("demo")
    paths = [Path(str(base.joinpath(n))) for n in ("000_008cad845ac29fab.txt", "rus_prk_demo.jsonl")]
    with _open(store_path) as store:
        report = api.ingest(paths, store, lang=None)
        click.echo(f"demo: {report.read} articles read, {report.stored} stored, {report.unchanged} unchanged, "
                   f"{report.events} events, {len(report.errors)} errors -> {store.path}")
        for source, reason in report.errors:
            _err(f"error: {source}: {reason}")
        _print_dyad(store, "RUS", "PRK", by="month", directed=False, fmt="table", evidence=True)


@main.command()
@_store_opt
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--ingest-token", envvar="CRONACA_INGEST_TOKEN", default=None,
              help="Enable POST /api/v1/ingest for requests bearing this token (default: ingest is off).")
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes.")
def serve(store_path: Path | None, host: str, port: int, ingest_token: str | None, workers: int) -> None:
    """The web dashboard and the JSON API (/api/v1/, OpenAPI at /openapi.json)."""
    import os

    import uvicorn

    path = store_path or default_store_path()
    with _open(path):  # create the store (and its schema) before serving it
        pass
    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"warning: serving on {host}: anyone who can reach it can read the store")
    os.environ["CRONACA_SERVE_STORE"] = str(path)
    if ingest_token:
        os.environ["CRONACA_INGEST_TOKEN"] = ingest_token
    click.echo(f"cronaca: http://{host}:{port}/ (API http://{host}:{port}/api/v1/, store {path}, "
               f"ingest {'on, token required' if ingest_token else 'off'})")
    uvicorn.run("cronaca.web.server:app", host=host, port=port, workers=workers, log_level="warning",
                factory=False)


@main.group()
def actors() -> None:
    """Look up what a phrase resolves to in the knowledge base."""


@actors.command()
@click.argument("text")
@click.option("--lang", default=None, help="Language of TEXT (default: try every pack, keep the best reading).")
@click.option("--date", default=None, help="Date (YYYY-MM-DD) for time-aware offices.")
def lookup(text: str, lang: str | None, date: str | None) -> None:
    """Show what TEXT resolves to, and the knowledge-base entries behind it."""
    from .kb import default_kb
    from .kb.resolve import Resolver

    kb = default_kb()
    r = Resolver(kb).resolve(text, lang=lang, date=date)
    click.echo(f"{text!r} -> code={r.code} sector={r.sector} wikidata={r.identifier_id} name={r.name}")
    click.echo(f"  why: {r.why}")
    lg = lang or (r.why.split(":", 1)[0] if ":" in r.why else "en")
    for m in kb.lookup(text, lg):
        for f in m.forms:
            code, sector, why = f.entry.at(date)
            click.echo(f"  entry {f.text!r}: {f.entry.kind} {f.entry.kb_id} -> code={code} sector={sector} "
                       f"wikidata={f.entry.wikidata} ({why}; {f.entry.source}, {kb.version})")
    if r.code is None and r.sector is None:
        sys.exit(1)


@actors.command(name="import-petrarch")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agents", "agent_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A PETRARCH/TABARI agents file (role nouns -> sectors); repeatable.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the YAML files (then: CRONACA_KB_EXTRA=FOLDER).")
@click.option("--prefix", default="petrarch", show_default=True, help="Names the files and prefixes the ids.")
def import_petrarch(files: tuple[Path, ...], agent_files: tuple[Path, ...], out_dir: Path, prefix: str) -> None:
    """Convert PETRARCH/TABARI actor dictionaries (FILES) to cronaca knowledge-base YAML."""
    from .kb import load
    from .kb.importer import import_files

    counts = import_files(files, agent_files, out_dir, prefix)
    for problem in counts["problems"]:
        _err(f"skipped: {problem}")
    kb = load(sorted(out_dir.glob(f"*_{prefix}.yaml")))  # refuse to leave files the KB cannot read
    click.echo(f"{counts['people']} people, {counts['orgs']} organisations, {counts['role_phrases']} role phrases, "
               f"{counts['skipped_codes']} unreadable codes skipped "
               f"-> {out_dir} (knowledge base with them: {kb.version}); use: CRONACA_KB_EXTRA={out_dir}")


@actors.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--lang", default=None, help="Language of the phrases (default: try every pack).")
def resolve(source: Any, lang: str | None) -> None:
    """Resolve one phrase per line (optionally TAB and an ISO date) from SOURCE or stdin to JSON lines."""
    from .kb.resolve import Resolver

    resolver = Resolver()
    for line in source:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        text, _, date = line.partition("\t")
        r = resolver.resolve(text, lang=lang, date=date.strip() or None)
        click.echo(json.dumps(r.to_json(), ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
