"""The ``newsevents`` command line: a thin layer over the library.

Each command opens the store, calls one library function and prints the result.
Library errors become a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .dates import to_date
from .store import Store, StoreError, default_db_path

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="newsevents: clean, dated, sourced political event data (CAMEO + PLOVER) from news.",
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store file [default: $NEWSEVENTS_DB or newsevents.duckdb]"),
]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _db(db: str | None) -> str:
    return db or default_db_path()


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def _parse_date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    d = to_date(value)
    if d is None:
        raise _fail(f"{name} {value!r} is not a date (use YYYY-MM-DD)")
    return d


def emit_rows(rows: list[dict[str, Any]], fmt: Format, title: str = "") -> None:
    """Print rows as a table, CSV or JSON lines."""
    if fmt is Format.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, default=str, ensure_ascii=False) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow({k: _csv_value(v) for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title or None, show_lines=False)
    if not rows:
        out.print(f"[dim]no {title or 'rows'}[/dim]")
        return
    for col in rows[0]:
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r.values()))
    out.print(table)


def _csv_value(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(map(str, v))
    return v


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"newsevents {__version__}")
        raise typer.Exit(0)


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
        list[Path] | None, typer.Option("--dict", help="Extra actor/verb dictionary (YAML or TABARI).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read, clean, date and store articles (and code their events).

    Example: [bold]newsevents ingest examples/ --db demo.duckdb[/bold]

    Formats: .txt/.md (one article), .jsonl (fields id, url, title, text, published,
    source), .csv (same columns), .html/.htm, .warc/.warc.gz. Re-ingesting an article is a
    no-op counted as a duplicate. Bad inputs are recorded as discards with a reason.
    Exit code 1 only when nothing at all could be read.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .pipeline import ingest as run_ingest

    coder = None
    if code_events:
        from .coding import ArticleCoder

        coder = ArticleCoder(extra_dicts=dicts or [])
    try:
        store = Store(_db(db))
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} documents"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    with store, progress:
        task = progress.add_task("ingesting", total=None)

        def tick(unit: str) -> None:
            progress.update(task, advance=1, description=Path(unit).name[:40])

        summary = run_ingest(paths, store, coder=coder, max_bytes=max_bytes, on_item=tick)
    parts = [
        f"read {summary.read}",
        f"new {summary.new}",
        f"duplicate {summary.duplicate}",
        f"discarded {summary.n_discarded}",
    ]
    if code_events:
        parts.append(f"events {summary.events}")
    out.print(", ".join(parts))
    for reason, n in sorted(summary.discarded.items()):
        out.print(f"  discarded {n} as {reason}")
    out.print(f"store: {_db(db)}")
    if summary.read == 0:
        raise typer.Exit(1)


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
    s, u = _parse_date_option(since, "--since"), _parse_date_option(until, "--until")
    try:
        with Store(_db(db), read_only=True) as store:
            rows = store.articles(source=source, since=s, until=u)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    emit_rows(rows, fmt, "articles")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of it).")],
    db: DbOption = None,
) -> None:
    """Show one article: metadata, date and how it was found, clean text, removed spans.

    Example: [bold]newsevents show 31b665c1[/bold]
    """
    try:
        with Store(_db(db), read_only=True) as store:
            art = store.article(article_id)
            if art is None:
                raise _fail(f"no article with id {article_id!r} (see `newsevents articles`)")
            spans = store.removed_spans(art["article_id"])
            events = store.query(
                "SELECT event_date, cameo, cameo_name, source_country, source_sector, "
                "target_country, target_sector, negated, hypothetical, sentence FROM events "
                "WHERE article_id = ? ORDER BY span_start",
                [art["article_id"]],
            )
    except StoreError as exc:
        raise _fail(str(exc)) from exc
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
            flags = "".join(
                f" [{f}]" for f in ("negated", "hypothetical") if e[f]
            )
            out.print(
                f"{e['event_date'] or '?'} {e['cameo']} {e['cameo_name']}: "
                f"{e['source_country']}{e['source_sector'] or ''} -> "
                f"{e['target_country'] or '-'}{e['target_sector'] or ''}{flags}",
                markup=False,
            )


def run() -> None:  # pragma: no cover - console entry point helper
    app()
