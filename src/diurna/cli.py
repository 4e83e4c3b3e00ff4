"""The `diurna` command line: thin commands over the library."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from diurna import __version__
from diurna.config import load_settings
from diurna.errors import DiurnaError
from diurna.output import EVENT_COLUMNS, dumps, event_row
from diurna.records import EVENT_TYPES, Failure
from diurna.runner import Summary, run_extraction
from diurna.store import open_store

app = typer.Typer(help="diurna: news reports in, PLOVER event records out.", no_args_is_help=True,
                  add_completion=False)
err = Console(stderr=True)

DbOption = Annotated[str | None, typer.Option("--db", help="SQLite path or database URL (default: setting db).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="YAML settings file.", exists=True)]


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    tsv = "tsv"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"diurna {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """diurna codes political events (PLOVER, with CAMEO and Goldstein) from news articles, offline."""


def _print_summary(summary: Summary, db: str | None) -> None:
    table = Table(title="diurna extract", show_header=False)
    table.add_row("articles read", str(summary.articles_read))
    table.add_row("articles extracted", str(summary.articles_extracted))
    if db:
        table.add_row("already in store (skipped)", str(summary.articles_already_stored))
    table.add_row("inputs failed", str(len(summary.failures)))
    if summary.duplicates:
        table.add_row("near-duplicates (linked, not coded)", str(summary.duplicates))
    table.add_row("events (not negated)", str(sum(summary.events_by_type.values())))
    for event_type in EVENT_TYPES:
        if summary.events_by_type[event_type]:
            table.add_row(f"  {event_type}", str(summary.events_by_type[event_type]))
    table.add_row("entities", str(summary.entities))
    table.add_row("quotes", str(summary.quotes))
    table.add_row("places", str(summary.places))
    table.add_row("posts", str(summary.posts))
    if db:
        table.add_row("rows added to store", str(summary.rows_added))
    if summary.clusters:
        table.add_row("event clusters", str(summary.clusters))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    table.add_row("articles/s", f"{summary.articles_per_second:.2f}")
    err.print(table)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or '-' for stdin.")],
    output_format: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", help="Print records: jsonl (one article per line), json (an array), tsv (one row "
        "per event). Default: jsonl without --db, a summary only with --db.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Also write to this store (SQLite path or URL).")] = None,
    config: ConfigOption = None,
    batch_size: Annotated[int | None, typer.Option(help="Articles per parser batch and transaction.")] = None,
    reprocess: Annotated[bool, typer.Option(help="Code articles again even if already stored.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Worker processes (Ray actors with "
                                                "--engine ray), each loading the pipeline once.")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local (this machine) or ray (Ray Data; needs "
                                           "--out and/or --db).")] = Engine.local,
    ray_address: Annotated[str | None, typer.Option("--ray-address", help="Ray cluster to join (default: start "
                                                    "Ray locally).")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="With --engine ray: write one Parquet dataset "
                                                 "per record type under this folder.")] = None,
    dedup: Annotated[bool | None, typer.Option("--dedup/--no-dedup", help="Link near-duplicate articles "
                                               "instead of coding them (default: setting dedup).")] = None,
    cluster: Annotated[bool | None, typer.Option("--cluster/--no-cluster", help="Recompute event clusters "
                                                 "after the run (with --db; default: setting "
                                                 "cluster_after_extract).")] = None,
) -> None:
    """Extract events, entities, quotes, places and posts from articles."""
    try:
        settings = load_settings(config, batch_size=batch_size, workers=workers, dedup=dedup,
                                 cluster_after_extract=cluster)
    except DiurnaError as exc:
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from exc
    if engine is Engine.ray:
        if output_format is not None or (db is None and out_dir is None):
            err.print("[red]error[/red]: --engine ray writes to --out DIR (Parquet) and/or --db, not stdout")
            raise typer.Exit(2)
    elif out_dir is not None:
        err.print("[red]error[/red]: --out DIR (Parquet) needs --engine ray; use --format for stdout")
        raise typer.Exit(2)
    if output_format is None and db is None and engine is Engine.local:
        output_format = OutputFormat.jsonl

    def report(failure: Failure) -> None:
        err.print(f"[red]error[/red]: {failure.origin}: {failure.code} {failure.reason}", highlight=False,
                  soft_wrap=True)

    store = open_store(db) if db else None
    progress = Progress(TextColumn("extracting"), BarColumn(), TextColumn("{task.completed} articles"),
                        TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn(), console=err,
                        disable=not err.is_terminal, transient=True)
    try:
        with progress:
            task = progress.add_task("extract", total=None, rate=0.0)

            def advance(_extraction: object) -> None:
                elapsed = progress.tasks[task].elapsed or 0.0
                done = progress.tasks[task].completed + 1
                progress.update(task, completed=done, rate=done / elapsed if elapsed else 0.0)

            if engine is Engine.ray:
                from diurna.distributed import run_ray

                summary = run_ray(paths, settings, store=store, out_dir=out_dir, address=ray_address,
                                  reprocess=reprocess, on_failure=report, shutdown=True)
            else:
                summary = run_extraction(
                    paths, settings, store=store, out=sys.stdout if output_format else None,
                    out_format=output_format.value if output_format else None, reprocess=reprocess,
                    on_failure=report, on_article=advance,
                )
    except DiurnaError as exc:
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from exc
    finally:
        if store is not None:
            store.close()
    if db or not output_format:
        _print_summary(summary, db)
    elif summary.failures:
        err.print(f"{len(summary.failures)} input(s) failed, {summary.articles_extracted} article(s) extracted")
    if summary.failures:
        raise typer.Exit(1)


@app.command("cluster")
def cluster_command(
    db: DbOption = None,
    config: ConfigOption = None,
    window: Annotated[int | None, typer.Option("--window", min=0, help="Days after a cluster's first date "
                                               "(default: setting cluster_window_days).")] = None,
) -> None:
    """Recompute event clusters (same type and dyad, close in date and place, across articles)."""
    from diurna.dedup import compute_clusters

    settings = load_settings(config, db=db, cluster_window_days=window)
    with open_store(settings.db) as store:
        stats = compute_clusters(store, settings.cluster_window_days)
    err.print(f"{stats.clusters} clusters of {stats.events} events ({stats.multi_article} from several articles)")


@app.command()
def events(
    db: DbOption = None,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="PLOVER event type (repeatable).")] = None,
    actor_country: Annotated[list[str] | None, typer.Option(help="Actor country code (repeatable).")] = None,
    recipient_country: Annotated[list[str] | None, typer.Option(help="Recipient country code.")] = None,
    since: Annotated[str | None, typer.Option(help="First date, YYYY-MM-DD (inclusive).")] = None,
    until: Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD (inclusive).")] = None,
    include_negated: Annotated[bool, typer.Option(help="Also list negated (did not happen) events.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    output_format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, csv or jsonl.")] = (
        TableFormat.table),
) -> None:
    """List stored events, filtered."""
    settings = load_settings(None, db=db)
    unknown = [t for t in event_type or [] if t.upper() not in EVENT_TYPES]
    if unknown:
        err.print(f"[red]error[/red]: unknown event type(s) {unknown}; PLOVER types: {', '.join(EVENT_TYPES)}")
        raise typer.Exit(2)
    with open_store(settings.db) as store:
        rows = store.query_events(
            event_type=[t.upper() for t in event_type] if event_type else None,
            actor_country=[c.upper() for c in actor_country] if actor_country else None,
            recipient_country=[c.upper() for c in recipient_country] if recipient_country else None,
            since=since, until=until, include_negated=include_negated, limit=limit,
        )
    records = [event_row(row.article_id, row.event) for row in rows]
    if output_format is TableFormat.jsonl:
        for row in rows:
            typer.echo(json.dumps({"article_id": row.article_id, **row.event.model_dump(mode="json")},
                                  ensure_ascii=False))
    elif output_format is TableFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        columns = ("date", "event_type", "actor_name", "actor_country", "recipient_name", "recipient_country",
                   "aux", "trigger", "article_id")
        table = Table(*columns, title=f"{len(records)} events")
        for record in records:
            table.add_row(*(str(record[c] or "") for c in columns))
        Console().print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (as printed by extract or events).")],
    db: DbOption = None,
) -> None:
    """Print one stored article with everything extracted from it, as JSON."""
    settings = load_settings(None, db=db)
    with open_store(settings.db) as store:
        extraction = store.get_extraction(article_id)
    if extraction is None:
        err.print(f"[red]error[/red]: no article {article_id!r} in {settings.db}")
        raise typer.Exit(1)
    typer.echo(dumps(extraction))


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="A folder of diurna article gold (tests/gold/articles) or a PLOVER "
                                          "records JSON file (PLOVER_GSR_CAMEO.json).", exists=True)],
    report: Annotated[Path | None, typer.Option("--report", help="Write the full JSON report here.")] = None,
    config: ConfigOption = None,
) -> None:
    """Score diurna against gold data: per-type precision/recall/F1; country, sector, mode, context and aux
    accuracy on matched events."""
    from diurna.evaluate import evaluate
    from diurna.pipeline import Pipeline

    result = evaluate(gold, Pipeline(load_settings(config)))
    if report is not None:
        report.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console = Console()
    sections = result["splits"].items() if result["kind"] == "articles" else [("plover", result)]
    for name, scores in sections:
        head = scores["events"] if "events" in scores else scores["micro"]
        table = Table("type", "gold", "predicted", "precision", "recall", "F1",
                      title=f"{name}: P {head['precision']:.3f} R {head['recall']:.3f} F1 {head['f1']:.3f}")
        for event_type, tally in scores["by_type"].items():
            table.add_row(event_type, str(tally["gold"]), str(tally["predicted"]), f"{tally['precision']:.3f}",
                          f"{tally['recall']:.3f}", f"{tally['f1']:.3f}")
        console.print(table)
        extras = {k: v for k, v in scores.items() if k.endswith("accuracy") or k in {"macro_f1",
                  "negated_reported_as_occurred"}}
        for key in ("quotes", "people", "places", "posts"):
            if key in scores:
                extras[f"{key} recall"] = scores[key]["recall"]
        console.print("  ".join(f"{k}: {v}" for k, v in extras.items()))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless behind a proxy).")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (/api/v1) and the dashboard over a store."""
    import uvicorn

    from diurna.api import create_app

    settings = load_settings(None, db=db)
    err.print(f"serving {settings.db} on http://{host}:{port}/ (API under /api/v1)")
    uvicorn.run(create_app(settings.db), host=host, port=port, log_level="info")


class ExportFormat(StrEnum):
    plover_jsonl = "plover-jsonl"
    gdelt_tsv = "gdelt-tsv"
    acled_csv = "acled-csv"
    parquet = "parquet"


@app.command("export")
def export_events(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="plover-jsonl, gdelt-tsv, "
                                                        "acled-csv or parquet.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write ('-' for stdout, not for parquet).")],
    db: DbOption = None,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="PLOVER event type (repeatable).")] = None,
    mode: Annotated[list[str] | None, typer.Option(help="Event mode (repeatable).")] = None,
    context: Annotated[list[str] | None, typer.Option(help="Event context (repeatable).")] = None,
    actor_country: Annotated[list[str] | None, typer.Option(help="Actor country code (repeatable).")] = None,
    actor_sector: Annotated[list[str] | None, typer.Option(help="Actor sector code (repeatable).")] = None,
    recipient_country: Annotated[list[str] | None, typer.Option(help="Recipient country code.")] = None,
    recipient_sector: Annotated[list[str] | None, typer.Option(help="Recipient sector code.")] = None,
    entity: Annotated[list[str] | None, typer.Option(help="Entity id in any role (repeatable).")] = None,
    place: Annotated[list[str] | None, typer.Option(help="Location place id (repeatable).")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Location country code (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="First date, YYYY-MM-DD (inclusive).")] = None,
    until: Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD (inclusive).")] = None,
    include_negated: Annotated[bool, typer.Option(help="Also export negated (did not happen) events.")] = False,
) -> None:
    """Export stored events as PLOVER JSON Lines, GDELT-style TSV, ACLED-style CSV or Parquet."""
    from diurna.export import export
    from diurna.store.queries import EventFilters

    settings = load_settings(None, db=db)
    try:
        filters = EventFilters(
            event_type=event_type, mode=mode, context=context, actor_country=actor_country,
            actor_sector=actor_sector, recipient_country=recipient_country, recipient_sector=recipient_sector,
            entity=entity, place=place, country=country, since=since, until=until, include_negated=include_negated,
        )
    except ValueError as exc:
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from exc
    to_stdout = str(out) == "-"
    if to_stdout and output_format is ExportFormat.parquet:
        err.print("[red]error[/red]: parquet needs a file: --out PATH")
        raise typer.Exit(2)
    with open_store(settings.db) as store:
        n = export(store, output_format.value, sys.stdout if to_stdout else out, filters)
    err.print(f"{n} events written to {'stdout' if to_stdout else out}")


@app.command("errors")
def errors_command(
    db: DbOption = None,
    code: Annotated[str | None, typer.Option("--code", help="Only failures with this error code (e.g. E007).")] = None,
    output_format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, csv or jsonl.")] = (
        TableFormat.table),
) -> None:
    """List the inputs that failed (recorded by extract --db), with their error code and reason."""
    import dataclasses

    settings = load_settings(None, db=db)
    with open_store(settings.db) as store:
        rows = store.failures(code=code.upper() if code else None)
    columns = ("origin", "code", "reason", "count", "first_seen", "last_seen")
    if output_format is TableFormat.jsonl:
        for row in rows:
            typer.echo(json.dumps(dataclasses.asdict(row), ensure_ascii=False))
    elif output_format is TableFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(dataclasses.asdict(row) for row in rows)
    else:
        table = Table(*columns, title=f"{len(rows)} failed inputs")
        for row in rows:
            table.add_row(*(str(getattr(row, c)) for c in columns))
        Console().print(table)


@app.command()
def watch(
    feeds_file: Annotated[Path, typer.Argument(help="YAML list of feeds: {url, interval_minutes, source}.",
                                               exists=True, dir_okay=False)],
    db: DbOption = None,
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit (for cron and tests).")] = (
        False),
    state: Annotated[str | None, typer.Option("--state", help="Fetch-state JSON file (default: setting "
                                              "fetch_state, else <db>.fetch.json).")] = None,
) -> None:
    """Poll RSS/Atom feeds and store the new articles (by URL and content hash); Ctrl-C stops cleanly."""
    import signal
    import threading

    from diurna.pipeline import Pipeline
    from diurna.sources.watch import Watcher, load_feeds

    try:
        settings = load_settings(config, db=db, fetch_state=state)
        feeds = load_feeds(feeds_file)
        pipeline = Pipeline(settings)
    except DiurnaError as exc:
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from exc
    stop = threading.Event()

    def interrupted(_signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        err.print("stopping after the current article (Ctrl-C again to abort)")
        stop.set()

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, interrupted)
    err.print(f"watching {len(feeds)} feed(s) into {settings.db}" + (" (one round)" if once else ""))
    store = open_store(settings.db)
    watcher = Watcher(feeds, store, pipeline, settings=settings, stop=stop,
                      log=lambda line: err.print(line, highlight=False, soft_wrap=True, markup=False))
    try:
        results = watcher.run(once=once)
    except KeyboardInterrupt:
        err.print("aborted")
        raise typer.Exit(130) from None
    finally:
        watcher.close()
        store.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    stored = sum(r.stored for r in results)
    failed = sum(r.failed for r in results) + sum(1 for r in results if r.error)
    err.print(f"{stored} article(s) stored, {failed} failure(s)" + (" (stopped)" if stop.is_set() else ""))
    if once and failed:
        raise typer.Exit(1)
