"""The commands over a store: ingest, the listings (articles, discards, show, events,
timeline, stories), settings, export, serve and the batch runner."""

from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from newsevents import settings
from newsevents.cli.base import (
    DbOption,
    Format,
    FormatOption,
    WorkersOption,
    app,
    db_path,
    emit_rows,
    err,
    fail,
    make_coder,
    out,
    parse_date_option,
    short,
    side,
    worker_count,
)
from newsevents.records import RECOVERED_PATTERN
from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import event_queries, queries
from newsevents.storage.store import Store, StoreError


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    db: DbOption = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest single-article file to read.")
    ] = 10 * 1024 * 1024,
    code_events: Annotated[
        bool, typer.Option("--code/--no-code", help="Also code events (CAMEO/PLOVER).")
    ] = True,
    dicts: Annotated[
        list[Path] | None,
        typer.Option("--dict", help="Extra actor/verb dictionary (YAML or TABARI)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: WorkersOption = 0,
) -> None:
    """Read, clean, date and store articles (and code their events).

    Example: [bold]newsevents ingest examples/ --db demo.duckdb[/bold]

    Formats: .txt/.md (one article), .jsonl (fields id, url, title, text, published,
    source), .csv (same columns), .html/.htm, .warc/.warc.gz. Re-ingesting an article is a
    no-op counted as a duplicate. Bad inputs are recorded as discards with a reason.
    Exit code 1 only when nothing at all could be read.
    """
    from newsevents.jobs.ingest import ingest as run_ingest
    from newsevents.text.read import input_sizes

    coder = None
    if code_events:
        coder = make_coder(dicts, n_process=worker_count(workers), lazy=True)
    try:
        store = Store(db_path(db))
    except StoreError as exc:
        raise fail(str(exc)) from exc
    # the bar runs over the inputs' bytes (known before reading), advanced as each file is done
    sizes = {} if quiet or not err.is_terminal else input_sizes(paths)
    progress = _progress(quiet)
    with store, progress:
        task = progress.add_task("ingesting", total=sum(sizes.values()) or None, documents=0)
        current: list[str] = []

        def tick(unit: str) -> None:
            if current and current[0] != unit:
                progress.advance(task, sizes.get(current[0], 0))  # the file before is done
            current[:] = [unit]
            n = progress.tasks[0].fields["documents"] + 1
            progress.update(task, description=Path(unit).name[:40], documents=n)

        try:
            summary = run_ingest(paths, store, coder=coder, max_bytes=max_bytes, on_item=tick)
        finally:
            if coder is not None:
                coder.close()
        n_stories = None
        if coder is not None and (summary.new or summary.coded_late or not store.stories_current()):
            from newsevents.stories.build import update_stories

            progress.update(task, description="merging stories")
            n_stories = len(update_stories(store, coder.lex))
    for line in summary.lines(coded=code_events, stories=n_stories):
        out.print(line)
    out.print(f"store: {db_path(db)}")
    if summary.read == 0:
        raise typer.Exit(1)


def _progress(quiet: bool) -> Any:
    """The progress bar of an ingest, on stderr when it is a terminal: the inputs' bytes,
    the documents read, the time."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[documents]} documents"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )


@app.command()
def articles(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Outlet name contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List stored articles.

    Example: [bold]newsevents articles --since 2020-01-01 --format csv[/bold]
    """
    s, u = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    try:
        with Store(db_path(db), read_only=True) as store:
            rows = store.articles(source=source, since=s, until=u)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    emit_rows(rows, fmt, "articles")


@app.command()
def discards(
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Only this reason (e.g. too-large).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the inputs that did not become articles, each with its reason (counted by reason
    in the ingest summary): what was skipped, and why.

    Example: [bold]newsevents discards --reason malformed-json --format csv[/bold]
    """
    try:
        with Store(db_path(db), read_only=True) as store:
            rows = [r for r in store.discards() if reason is None or r["reason"] == reason]
    except StoreError as exc:
        raise fail(str(exc)) from exc
    emit_rows(
        [{k: r[k] for k in ("origin", "reason", "detail", "discarded_at")} for r in rows],
        fmt,
        "discards",
    )


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of it).")],
    db: DbOption = None,
) -> None:
    """Show one article: metadata, date and how it was found, clean text, removed spans.

    Example: [bold]newsevents show 31b665c1[/bold]
    """
    try:
        with Store(db_path(db), read_only=True) as store:
            art = store.article(article_id)
            if art is None:
                raise fail(f"no article with id {article_id!r} (see `newsevents articles`)")
            spans = store.removed_spans(art["article_id"])
            events = event_queries.article_events(store, art["article_id"])
    except StoreError as exc:
        raise fail(str(exc)) from exc
    out.print(f"[bold]{art['title'] or '(no title)'}[/bold]")
    for key in ("article_id", "origin", "fmt", "source", "url", "language"):
        out.print(f"{key:>12}: {art[key] or '-'}")
    how = art["published_how"]
    evidence = f' from "{art["published_evidence"]}"' if art["published_evidence"] else ""
    out.print(f"{'published':>12}: {art['published'] or 'unknown'} ({how}{evidence})")
    if art["repairs"]:
        out.print(f"{'repairs':>12}: {', '.join(art['repairs'])}")
    out.rule("clean text")
    out.print(art["clean_text"], markup=False, highlight=False)
    out.rule(f"removed spans ({len(spans)})")
    for s in spans:
        snippet = " ".join(s["text"].split())
        if len(snippet) > 100:
            snippet = snippet[:97] + "..."
        out.print(f"[{s['start_char']}:{s['end_char']}] {s['reason']}: ", end="")
        out.print(snippet, markup=False, highlight=False)
    if events:
        out.rule(f"events ({len(events)})")
        for e in events:
            out.print(event_line(e), markup=False)


def event_line(e: dict[str, Any]) -> str:
    """One event of ``show``: date, code, pair, confidence, trigger and flags (counted
    nowhere: negated, hypothetical, under ``settings.MIN_CONFIDENCE``; recovered by the
    sentence model where the rules found no side).

    >>> event_line({"event_date": None, "cameo": "173", "cameo_name": "Arrest",
    ...     "source_country": "GBR", "source_sector": None, "target_country": "GBR",
    ...     "target_sector": "OPP", "negated": False, "hypothetical": False,
    ...     "confidence": 0.3, "trigger": "arrests",
    ...     "pattern": RECOVERED_PATTERN + "noun: arrest → 173"})
    "? 173 Arrest: GBR -> GBROPP, confidence 0.30 ('arrests') [low confidence] [recovered]"
    """
    conf = e.get("confidence")
    flags = [f for f in ("negated", "hypothetical") if e[f]]
    if conf is not None and conf < MIN_CONFIDENCE:
        flags.append("low confidence")
    if str(e.get("pattern") or "").startswith(RECOVERED_PATTERN):
        flags.append("recovered")
    said = f", confidence {conf:.2f}" if conf is not None else ""
    trigger = f" ('{e['trigger']}')" if e.get("trigger") else ""
    return (
        f"{e['event_date'] or '?'} {e['cameo']} {e['cameo_name']}: "
        f"{side(e['source_country'], e['source_sector'])} -> "
        f"{side(e['target_country'], e['target_sector'])}{said}{trigger}"
        + "".join(f" [{f}]" for f in flags)
    )


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Source or target name contains this.")] = None,
    country: Annotated[str | None, typer.Option(help="Source or target country (ISO3).")] = None,
    dyad: Annotated[
        str | None, typer.Option(help="Two countries, e.g. KOR-RUS (either order).")
    ] = None,
    cameo: Annotated[str | None, typer.Option(help="CAMEO code prefix, e.g. 04 or 041.")] = None,
    since: Annotated[str | None, typer.Option(help="Event date on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Event date on or before (YYYY-MM-DD).")] = None,
    include_unreal: Annotated[
        bool, typer.Option("--all", help="Include negated and hypothetical events.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List coded events.

    Example: [bold]newsevents events --dyad KOR-RUS --cameo 04 --since 2020-01-01[/bold]
    """
    pair = None
    if dyad:
        parts = [p.strip().upper() for p in dyad.replace(",", "-").split("-") if p.strip()]
        if len(parts) != 2:
            raise fail(f"--dyad {dyad!r}: give two country codes, e.g. KOR-RUS")
        pair = (parts[0], parts[1])
    if cameo and not cameo.isdigit():
        raise fail(f"--cameo {cameo!r}: give a CAMEO code or prefix such as 04")
    s, u = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    try:
        with Store(db_path(db), read_only=True) as store:
            rows = event_queries.event_rows(
                store,
                actor=actor,
                country=country,
                dyad=pair,
                cameo=cameo,
                since=s,
                until=u,
                include_unreal=include_unreal,
            )
    except StoreError as exc:
        raise fail(str(exc)) from exc
    if fmt is Format.table:
        rows = [
            {
                k: r[k]
                for k in ("date", "cameo", "cameo_name", "source", "target", "location", "outlet")
            }
            | {"sentence": short(r["sentence"], 90)}
            for r in rows
        ]
    emit_rows(rows, fmt, "events")


@app.command()
def timeline(
    actor_a: Annotated[str, typer.Argument(help="A country code (KOR) or an actor name.")],
    actor_b: Annotated[str, typer.Argument(help="The other country code or actor name.")],
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The stories between two actors, one row per real-world event, with its sources and
    how sure its date is (stated, resolved, assumed or unknown; see `newsevents stories`).

    Example: [bold]newsevents timeline KOR RUS --since 2020-01-01[/bold]
    """
    s, u = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    try:
        with Store(db_path(db), read_only=True) as store:
            for x in (actor_a, actor_b):
                if not queries.known_actor(store, x):
                    raise fail(
                        f"no actor {x!r} in the store: give a country code (KOR, kor) or part of an "
                        "actor's name; `newsevents events` lists the coded actors"
                    )
            rows = queries.story_rows(store, actor_a, actor_b, s, u)
            dates = queries.story_dates(store, [r["story_id"] for r in rows])
    except StoreError as exc:
        raise fail(str(exc)) from exc
    rows = [{**r, "date_sure": dates.get(r["story_id"], {}).get("sure", "unknown")} for r in rows]
    if fmt is Format.table:
        rows = [
            {
                "date": r["date"] or "undated",
                "sure": r["date_sure"],
                "type": f"{r['cameo_root']} {r['plover'] or ''}".strip(),
                "dyad": r["dyad"],
                "location": r["location"],
                "summary": short(r["summary"], 100),
                "sources": f"{r['n_sources']} ({', '.join(r['outlets']) or 'unknown outlet'})",
                "articles": r["n_articles"],
            }
            for r in rows
        ]
    emit_rows(rows, fmt, f"timeline {actor_a} - {actor_b}")


@app.command(name="settings")
def settings_cmd(fmt: FormatOption = Format.table) -> None:
    """The settings, their values now, defaults and the environment variables that change
    them (the README's Settings table says the same).

    Example: [bold]NEWSEVENTS_DB=/data/news.duckdb newsevents settings[/bold]
    """
    rows = [
        {
            "name": s.name,
            "value": s.value(),
            "default": s.default,
            "env": s.env or "",
            "help": s.help,
        }
        for s in settings.SETTINGS
    ]
    emit_rows(rows, fmt, "settings")


@app.command()
def stories(
    dyad: Annotated[
        str | None, typer.Option(help="Two country codes, KOR-RUS (either way round).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="A country code on either side.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="A CAMEO root, 01 to 20.")] = None,
    since: Annotated[
        str | None, typer.Option(help="On or after (YYYY-MM-DD); undated stories are left out.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="On or before (YYYY-MM-DD); undated stories are left out.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="The most stories to list.")] = 200,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Stories (one real-world event each) with their member articles' outlets and dates, and
    how sure each story's date is: stated (the text names the day), resolved (a weekday or
    "yesterday", by tense), assumed (the publication's or the lead's day) or unknown.

    Example: [bold]newsevents stories --dyad KOR-RUS[/bold]; [bold]newsevents stories --country KOR
    --since 2021-01-01 --format jsonl[/bold]
    """
    a = b = None
    if dyad is not None:
        parts = [p.strip().upper() for p in re.split(r"[-,/ ]", dyad) if p.strip()]
        if len(parts) != 2:
            raise fail(f"--dyad takes two country codes, KOR-RUS, not {dyad!r}")
        a, b = parts
    if type_ is not None and not (type_.isdigit() and 1 <= int(type_) <= 20):
        raise fail(f"--type takes a CAMEO root, 01 to 20, not {type_!r}")
    root = f"{int(type_):02d}" if type_ else None
    s, u = parse_date_option(since, "--since"), parse_date_option(until, "--until")
    cond, params = queries.story_filter(a, b, country.upper() if country else None, root, s, u)
    try:
        with Store(db_path(db), read_only=True) as store:
            rows = queries.story_list(store, cond, params, limit)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    if fmt is not Format.jsonl:
        rows = [
            {
                "date": r["story_date"] or "undated",
                "sure": r["sure"]
                + (f" ({r['agree']} of {len(r['articles'])})" if len(r["articles"]) > 1 else ""),
                "type": f"{r['cameo_root']} {r['plover'] or ''}".strip(),
                "dyad": queries.dyad_label(r["actor_a"], r["actor_b"]),
                "summary": short(r["summary"], 90) if fmt is Format.table else r["summary"],
                "articles": "; ".join(_member(m) for m in r["articles"]),
                "story_id": r["story_id"],
            }
            for r in rows
        ]
    emit_rows(rows, fmt, "stories")


def _member(m: dict[str, Any]) -> str:
    """A story's member article in a line: outlet, the day it gives and how (and, when its
    publication date was inferred from its story, that)."""
    said = f"{m['outlet'] or 'unknown outlet'} {m['date'] or 'undated'} ({m['date_how']})"
    if m["published_how"] == "inferred":
        said += f", published {m['published']} (inferred)"
    return said


class ExportWhat(str, Enum):
    events = "events"
    stories = "stories"
    articles = "articles"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


@app.command(name="export")
def export_cmd(
    what: Annotated[ExportWhat, typer.Option("--what", help="What to export.")] = ExportWhat.events,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
    db: DbOption = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            help="Events: only those of at least this confidence, P(right) (by default "
            "the ones stories count; 0: every event, the flagged ones too).",
        ),
    ] = MIN_CONFIDENCE,
) -> None:
    """Export events, stories or articles as CSV, JSONL, Parquet, GDELT 2.0 or PLOVER.

    Example: [bold]newsevents export --what stories --format gdelt -o stories.tsv[/bold]

    gdelt: the 61 columns of the GDELT 2.0 event table, one row per story (see README).
    plover: PLOVER JSON records, one per event mention.
    """
    from newsevents.storage.export import export

    try:
        with Store(db_path(db), read_only=True) as store:
            n = export(store, what.value, fmt.value, output, min_confidence)
    except (StoreError, ValueError) as exc:
        raise fail(str(exc)) from exc
    if output:
        err.print(f"wrote {n} {what.value} to {output}")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Interface to bind (loopback unless told otherwise).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    parquet: Annotated[
        Path | None,
        typer.Option("--parquet", help="Serve a folder of Parquet output instead of a store."),
    ] = None,
) -> None:
    """Serve the web app and the JSON API (read-only) over a store.

    Example: [bold]newsevents serve --db demo.duckdb --port 8000[/bold], then open
    http://127.0.0.1:8000/ (API docs at /docs).
    """
    import uvicorn

    from newsevents.web.app import create_app

    try:
        web = create_app(db=None if parquet else db_path(db), parquet=parquet)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    uvicorn.run(web, host=host, port=port, log_level="info")


class Engine(str, Enum):
    local = "local"
    spark = "spark"


@app.command(name="run")
def run_cmd(
    inputs: Annotated[
        list[str], typer.Option("--input", "-i", help="Input file or folder (repeatable).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder of Parquet.")],
    engine: Annotated[Engine, typer.Option(help="local (default) or spark.")] = Engine.local,
    master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[2]",
    workers: WorkersOption = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object (for schedulers).")
    ] = False,
) -> None:
    """Batch run to partitioned Parquet (articles, events, stories), locally or on Spark.

    Example: [bold]newsevents run --engine spark --input feeds/ --output out/ --master local[2][/bold]

    Only new input files are processed (see OUTPUT/_manifest.json); stories are re-merged
    over everything. Serve the result with `newsevents serve --parquet OUTPUT`.
    """
    from newsevents.jobs.run import RunnerBusy, run_local
    from newsevents.jobs.spark import run_spark

    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        raise fail(f"no such input: {', '.join(missing)}")
    try:
        if engine is Engine.spark:
            counts = run_spark(inputs, output, master)
        else:
            counts = run_local(inputs, output, workers=worker_count(workers))
    except RunnerBusy as exc:
        raise fail(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps({**counts, "output": str(output)}) + "\n")
    else:
        out.print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {output}")
