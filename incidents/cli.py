"""The `incidents` command: run the pipeline, query and export the warehouse, score extraction.

Errors a user can cause (unknown source, bad config, unreadable file, SQL error) print one
line and exit non-zero; `--debug` shows the traceback. Prefect and GX are imported only
after `apply_environment()`, because they read their settings at import time.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from runtime.config import ConfigError, ad_hoc_source, load_config
from runtime.settings import apply_environment, load_settings
from warehouse.crashpoints import checkpoint

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.splitlines()[0])
# Piped output (a file, a CI log) gets wide tables instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
_DEBUG = {"on": False}


class UserError(Exception):
    """Something the user can fix; shown as one line."""


DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the lake and warehouse live [env INCIDENTS_DATA_DIR, default ./data].")]
LakeUrl = Annotated[str | None, typer.Option(
    "--lake", help="Where the Parquet lake lives: a folder or a URL such as s3://bucket/prefix "
    "[env INCIDENTS_LAKE, default <data-dir>/lake]; S3 credentials and endpoint from AWS_*.",
)]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    _DEBUG["on"] = debug


def _resolve_sources(config_path: Path | None, names: list[str]):
    config = load_config(config_path)
    if not names:
        if not config.sources:
            raise UserError(f"no sources in {config.path}")
        return list(config.sources)
    from sources.spec import SourceError

    specs = []
    for name in names:
        spec = config.source(name)
        if spec is None:
            if not (name.startswith(("http://", "https://")) or Path(name).expanduser().exists()):
                raise UserError(f"unknown source {name!r}: not a source name in {config.path}, a file, a folder or a URL")
            try:
                spec = ad_hoc_source(name)
            except SourceError as exc:
                raise UserError(str(exc)) from None
        specs.append(spec)
    return specs


def _date(flag: str, value: str | None):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{flag} expects a date as YYYY-MM-DD, not {value!r}") from None


def _window(since: str | None, until: str | None):
    from transforms.batch import Window

    if since is None and until is None:
        return None
    w = Window(_date("--since", since), _date("--until", until))
    if w.since and w.until and w.since > w.until:
        raise UserError("--since is after --until")
    return w


def _print_summary(s, settings) -> None:
    t = Table(title=f"run {s.run_id}", show_header=False, box=None)
    t.add_row("sources read", f"{s.sources_read} ({s.sources_unchanged} unchanged)")
    for name, why in s.source_errors.items():
        t.add_row("[red]source failed[/red]", f"{name}: {why}")
    t.add_row("articles", f"{s.articles_read} read, {s.articles_new} new, {s.articles_seen} already seen")
    if s.records_skipped:
        t.add_row("skipped (not articles)", f"{s.records_skipped} service messages / media-only posts")
    if s.articles_outside_window:
        t.add_row("outside --since/--until", str(s.articles_outside_window))
    t.add_row("incidents extracted", str(s.incidents_extracted))
    t.add_row("events in the warehouse", str(s.events))
    t.add_row("rows quarantined", str(s.rows_quarantined))
    if s.recovered:
        t.add_row("recovered", f"loaded files of an interrupted run: {s.recovered}")
    t.add_row("lake", settings.lake_url)
    t.add_row("warehouse", str(settings.warehouse_path))
    out.print(t)
    if s.changed:
        out.print("loaded: " + ", ".join(f"{k} +{v}" for k, v in s.loaded.items()))
    else:
        out.print("no changes: articles, incidents and quarantine are already up to date (nothing written; `source_state` records the check)")


def _check_lake(settings) -> None:
    """Open the lake before the flow starts: a bad URL, an unreachable endpoint or a missing
    bucket is one line, not a failed flow run with a traceback in the log. Called after
    apply_environment (it imports Arrow) and after the workers are forked (a remote lake starts
    the AWS SDK and Arrow's I/O threads, which forked children must not inherit)."""
    from warehouse import lake

    try:
        lake.at(settings.lake_url)
    except lake.LakeError as exc:
        raise UserError(str(exc)) from None


@contextmanager
def _local_prefect(settings) -> Iterator[Callable[[], object]]:
    """The extraction workers (the process pool, or a Dask cluster with `settings.dask`), then
    Prefect's temporary server (unless one is configured); yields the wait for the server, to
    call once the flow's modules are imported."""
    from flows.parallel import start_pool
    from incidents.memory import limit_malloc_arenas
    from incidents.server import start_run_server

    dask = settings.dask
    limit_malloc_arenas()  # before any thread starts, and inherited by the forked workers
    if dask is None:
        start_pool()  # first, while this process has a single thread: see flows/parallel.py
    server = start_run_server()  # it starts up while the caller imports the flow's modules
    try:
        if dask is not None:
            _connect_cluster(dask, settings.workers)  # while the server starts
        yield server.wait if server is not None else (lambda: None)
    finally:
        if dask is not None:
            from flows import cluster

            cluster.disconnect()
        if server is not None:
            server.stop()


def _connect_cluster(address: str, workers: int) -> None:
    """Connect before the flow starts: an unreachable scheduler is one line, not a failed flow run."""
    from flows import cluster

    try:
        cluster.connect(address, workers)
    except cluster.ClusterError as exc:
        raise UserError(str(exc)) from None


Dask = Annotated[str | None, typer.Option(
    "--dask", metavar="ADDRESS",
    help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster "
    "of one worker per core [env INCIDENTS_DASK_ADDRESS; default: the process pool].",
)]


def _with_dask(settings, dask: str | None):
    """The --dask flag over INCIDENTS_DASK_ADDRESS, checked as the variable is."""
    if dask is None:
        return settings
    from dataclasses import replace

    from runtime.settings import dask_address

    try:
        return replace(settings, dask=dask_address(dask, "--dask"))
    except ValueError as exc:
        raise UserError(str(exc)) from None


@app.command()
def run(
    config: Annotated[Path | None, typer.Option("--config", help="Sources file (TOML); default: the shipped sample.")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Source name from the config, or a path/URL (repeatable).")] = None,
    data_dir: DataDir = None,
    since: Annotated[str | None, typer.Option("--since", help="Backfill: only articles published on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Backfill: only articles published on or before this date (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    lake_url: LakeUrl = None,
    dask: Dask = None,
) -> None:
    """Run the pipeline once over the configured (or given) sources."""
    settings = _with_dask(load_settings(data_dir, lake=lake_url), dask)
    apply_environment(settings)  # before _window: it imports Arrow, which reads its settings once
    window = _window(since, until)
    specs = _resolve_sources(config, source or [])
    with _local_prefect(settings) as ready:
        _check_lake(settings)
        from flows.pipeline import ingest

        ready()
        summary = ingest(specs, settings, window)
        checkpoint("cli.flow_returned")  # Prefect's last events and logs are still on their way
    if as_json:
        print(json.dumps(summary.as_dict(), default=str))
    else:
        _print_summary(summary, settings)
    if summary.source_errors:
        raise typer.Exit(1)


@app.command()
def reprocess(
    data_dir: DataDir = None,
    everything: Annotated[bool, typer.Option("--all", help="Re-extract every stored article, not only outdated ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    lake_url: LakeUrl = None,
    dask: Dask = None,
) -> None:
    """Re-extract stored articles with the current extractor; swap their incidents in one step."""
    settings = _with_dask(load_settings(data_dir, lake=lake_url), dask)
    if not settings.warehouse_path.exists():
        raise UserError(f"no warehouse at {settings.warehouse_path}: run `incidents run` first")
    apply_environment(settings)
    with _local_prefect(settings) as ready:
        _check_lake(settings)
        from flows.pipeline import reprocess as reprocess_flow

        ready()
        summary = reprocess_flow(settings, everything)
        checkpoint("cli.flow_returned")
    if as_json:
        print(json.dumps(summary.as_dict(), default=str))
        return
    out.print(
        f"reprocess {summary.run_id}: {summary.articles_read} articles re-extracted, "
        f"{summary.incidents_extracted} incidents, {summary.rows_quarantined} quarantined, {summary.events} events",
        highlight=False,
    )


@app.command()
def serve(
    config: Annotated[Path | None, typer.Option("--config", help="Sources file (TOML) with a [schedule] table.")] = None,
    data_dir: DataDir = None,
    interval: Annotated[int | None, typer.Option("--interval", min=1, help="Run every N seconds instead of the config's cron.")] = None,
) -> None:
    """Run the pipeline on the config's schedule (cron + timezone) until stopped, with Prefect's serve."""
    settings = load_settings(data_dir)
    apply_environment(settings)
    cfg = load_config(config)
    if interval:
        # Prefect's runner looks for due runs every 10 s and its scheduler every 60 s: "every 2 s" would
        # run every 10. A user's own setting wins.
        os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", str(min(interval, 10)))
        os.environ.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", str(min(interval, 60)))
    from datetime import timedelta

    from incidents.server import local_server

    # Prefect's runner stops gracefully on SIGTERM or Ctrl-C; the local server then stops with it.
    with local_server() as api:  # before Prefect is imported: it reads PREFECT_API_URL once
        from prefect.schedules import Cron, Interval

        from flows.pipeline import scheduled_run

        schedule = (
            Interval(timedelta(seconds=interval))
            if interval
            else Cron(cfg.schedule.cron, timezone=cfg.schedule.timezone)
        )
        err.print(f"serving on the Prefect API at {api}; stop with Ctrl-C", highlight=False, soft_wrap=True)
        scheduled_run.serve(
            name="incidents",
            schedules=[schedule],
            parameters={"config": str(cfg.path), "data_dir": str(settings.data_dir)},
            pause_on_shutdown=False,
            print_starting_message=False,
            limit=1,  # never two runs at once on one data directory
        )


@app.command("sql")
def sql_cmd(
    statement: Annotated[str, typer.Argument(help="One SQL statement, run read-only.")],
    data_dir: DataDir = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Ad-hoc read-only SQL on the warehouse."""
    if fmt not in ("table", "csv", "json"):
        raise UserError(f"unknown --format {fmt!r}: use table, csv or json")
    from warehouse import duck

    settings = load_settings(data_dir)
    try:
        result = duck.query(settings.warehouse_path, statement, settings.lake_dir)
    except duck.WarehouseError as exc:
        raise UserError(f"SQL error: {exc}") from None
    rows = result.to_pylist()
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, default=str))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(result.column_names)
        for r in rows:
            w.writerow(["" if v is None else v for v in r.values()])
    else:
        t = Table(*result.column_names)
        for r in rows:
            t.add_row(*("" if v is None else str(v) for v in r.values()))
        out.print(t)


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help="geojson, csv or parquet.")],
    out_path: Annotated[Path, typer.Option("--out", help="The file to write (replaced whole, never half-written).")],
    table: Annotated[str, typer.Option("--table", help="incidents or events.")] = "incidents",
    since: Annotated[str | None, typer.Option("--since", help="Only rows with an event_date on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only rows with an event_date on or before this date (YYYY-MM-DD).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Export the incidents or events table as GeoJSON, CSV or Parquet (read-only)."""
    from warehouse import duck, export

    if fmt not in export.FORMATS:
        raise UserError(f"unknown --format {fmt!r}: use {', '.join(export.FORMATS)}")
    if table not in export.KEYS:
        raise UserError(f"unknown --table {table!r}: use {' or '.join(export.KEYS)}")
    first, last = _date("--since", since), _date("--until", until)
    if first and last and first > last:
        raise UserError("--since is after --until")
    settings = load_settings(data_dir)
    try:
        rows = export.read_rows(settings.warehouse_path, table, first, last)
    except duck.WarehouseError as exc:
        raise UserError(str(exc)) from None
    try:
        missing = export.write(rows, fmt, out_path)
    except OSError as exc:
        raise UserError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    written = rows.num_rows - missing if fmt == "geojson" else rows.num_rows
    out.print(f"exported {written} of {rows.num_rows} {table} rows to {out_path} ({fmt})", highlight=False, soft_wrap=True)
    if fmt == "geojson" and missing:
        err.print(f"{missing} rows without coordinates not in the GeoJSON", highlight=False, soft_wrap=True)


@app.command("report")
def report_cmd(
    out_path: Annotated[Path | None, typer.Option("--out", help="The HTML file to write [default <data-dir>/report.html].")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only events dated on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only events dated on or before this date (YYYY-MM-DD).")] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference",
        help="The daily reference table (missile_attacks_daily.csv) to cross-check interceptions over Ukraine with "
        "[env INCIDENTS_REFERENCE].",
    )] = None,
    data_docs: Annotated[bool, typer.Option(
        "--data-docs/--no-data-docs", help="Build Great Expectations' Data Docs of the last run into <data-dir>/docs/.",
    )] = True,
    data_dir: DataDir = None,
) -> None:
    """Write one self-contained HTML report (charts, map, latest events, cross-check, data quality)."""
    first, last = _date("--since", since), _date("--until", until)
    if first and last and first > last:
        raise UserError("--since is after --until")
    settings = load_settings(data_dir)
    reference = reference if reference is not None else settings.reference
    out_path = (out_path or settings.data_dir / "report.html").expanduser().resolve()
    if not data_docs:
        _write_report(settings, out_path, first, last, reference, None)
        return
    apply_environment(settings)  # GX reads its settings (analytics off) at import time, in the docs process too
    from expectations.docs import DocsError, DocsProcess

    with DocsProcess(settings.data_dir / "docs") as docs:  # imports GX while the warehouse is read
        try:
            _write_report(settings, out_path, first, last, reference, docs)
        except DocsError as exc:
            raise UserError(f"cannot build the Data Docs: {exc}") from None


def _write_report(settings, out_path: Path, first, last, reference: Path | None, docs) -> None:
    """Read the warehouse, draw the page and write it; with `docs` (a DocsProcess), have it build
    the Data Docs of the last run's stored validations meanwhile, and link them."""
    import os
    from datetime import UTC, datetime

    from transforms import reference as ref
    from transforms.report import ReportData, render_report
    from warehouse import duck
    from warehouse.export import _replacing
    from warehouse.report import read_report

    try:
        rows = read_report(settings.warehouse_path, first, last)
    except duck.WarehouseError as exc:
        raise UserError(str(exc)) from None
    docs_link, docs_note = None, "Not built for this report (--no-data-docs)."
    if docs is not None and rows["last_run"]:
        docs.build(rows["validations"])  # built meanwhile; the page links where it will be
        docs_link = Path(os.path.relpath(docs.site_dir / "index.html", out_path.parent)).as_posix()
        docs_note = _docs_note(rows["validations"])
    elif docs is not None:
        docs_note = None
    compared = name = None
    if reference is not None:
        try:
            days, _ = ref.read_reference(reference)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UserError(f"cannot read the reference table {reference}: {exc}") from None
        compared, name = ref.compare(rows["ua_interceptions"], days), reference.name
    data = ReportData(
        totals=rows["totals"], daily=rows["daily"], points=rows["points"], places=rows["places"],
        latest=rows["latest"], quarantine=rows["quarantine"], last_run=rows["last_run"], since=first, until=last,
        generated_at=datetime.now(UTC), reference=compared, reference_name=name, docs_link=docs_link,
        docs_note=docs_note,
    )
    html = render_report(data)
    if docs_link is not None:
        docs.index()  # the site is in place before the page that links it
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with _replacing(out_path) as tmp:
            tmp.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    t = rows["totals"]
    out.print(f"report of {t['events']} events ({t['incidents']} incidents, {t['articles']} articles) written to "
              f"{out_path} ({len(html.encode('utf-8')) / 1024:.0f} KB)", highlight=False, soft_wrap=True)


def _docs_note(validations: dict[str, str]) -> str:
    offline = "Opened offline they show without GX's web styling."
    if not validations:
        return f"The last run validated no new rows (or ran before its validations were kept): the pages show the contracts only. {offline}"
    return ("What the last run's validations found over all its batches, as the run kept it (nothing is validated "
            "again): the rows that broke a contract are its unexpected values there, and among the quarantined rows "
            f"counted by rule above. {offline}")


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Annotated articles, JSON Lines (gold/README.md format).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    texts: Annotated[Path | None, typer.Option(
        "--texts", help="Folder the records' locators point into (annotations kept without text); default ../shared."
    )] = None,
    merge: Annotated[bool, typer.Option(
        "--merge", help="Score the merge into events instead (a gold file with event keys, ../shared/gold/MERGE.md)."
    )] = False,
) -> None:
    """Score extraction against annotated articles, through the flow's extraction code."""
    if merge:
        _eval_merge(gold, texts, as_json)
        return
    from incidents.evaluate import evaluate_file

    try:
        report = evaluate_file(gold, texts)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {gold}: {exc}") from None
    if as_json:
        print(json.dumps({k: report[k] for k in ("articles", "overall", "by_type", "fields")}))
        return
    if report["misses"]:  # first, so the scores end the output (what `tail` shows)
        m = Table("article", "kind", "expected", "got", title="misses")
        for miss in report["misses"]:
            kind = miss["kind"] + (f" {miss['field']}" if miss.get("field") else "")
            m.add_row(miss["article_id"], kind, str(miss.get("expected")), str(miss.get("got")))
        out.print(m)
    t = Table("scope", "precision", "recall", "F1", "tp", "fp", "fn", title=f"{report['articles']} articles")
    for name, m in [("overall", report["overall"]), *report["by_type"].items()]:
        t.add_row(name, *(_ratio(m[k]) for k in ("precision", "recall", "f1")), str(m["tp"]), str(m["fp"]), str(m["fn"]))
    out.print(t)
    accuracy = ", ".join(f"{k} {_ratio(v)}" for k, v in report["fields"].items())
    out.print(f"field accuracy: {accuracy}", highlight=False)


def _eval_merge(gold: Path, texts: Path | None, as_json: bool) -> None:
    """Pairwise precision/recall of the merge into events, over the incidents the extractor finds."""
    from incidents.evaluate_merge import evaluate_merge_file

    try:
        report = evaluate_merge_file(gold, texts)
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(f"cannot read {gold}: {exc}") from None
    if as_json:
        print(json.dumps({k: report[k] for k in ("pairs", "matched", "gold_incidents")}))
        return
    if report["misses"]:  # first, so the scores end the output
        m = Table("miss", "incident", "incident", title="pair misses (article, gold key: extracted incident)")
        for miss in report["misses"]:
            m.add_row(miss["kind"], miss["a"], miss["b"])
        out.print(m)
    p = report["pairs"]
    t = Table("scope", "precision", "recall", "tp", "fp", "fn", title="merge into events")
    t.add_row("pairs", _ratio(p["precision"]), _ratio(p["recall"]), str(p["tp"]), str(p["fp"]), str(p["fn"]))
    out.print(t)
    out.print(
        f"matched {report['matched']} of {report['gold_incidents']} gold incidents "
        f"({report['incidents']} extracted, {report['events']} events)",
        highlight=False,
    )


def _ratio(value: float | None) -> str:
    """A score with nothing to compare is shown as absent, never as a perfect 1.000."""
    return "n/a" if value is None else f"{value:.3f}"


def main() -> None:
    from runtime.lock import Busy
    from sources.spec import SourceError

    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (UserError, ConfigError, SourceError, Busy) as exc:
        if _DEBUG["on"]:
            raise
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except Exception as exc:  # the CLI's last line of defence
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _DEBUG["on"] or "--debug" in sys.argv:
            raise
        err.print(f"[red]error:[/red] {type(exc).__name__}: {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
