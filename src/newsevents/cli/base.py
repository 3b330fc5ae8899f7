"""What every command shares: the app, its consoles, the common options, failing with a
one-line message, printing rows as a table, CSV or JSON lines, and the entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from newsevents import __version__, settings
from newsevents.storage.store import default_db_path
from newsevents.text.dates import to_date

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="newsevents: clean, dated, sourced political event data (CAMEO + PLOVER) from news.",
)


out = Console(width=None if sys.stdout.isatty() else 160)


err = Console(stderr=True)


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB store file [default: $NEWSEVENTS_DB or newsevents.duckdb]"),
]


WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        "-w",
        min=0,
        help="Processes for event coding (forked, sharing the model; 0 = one per CPU); "
        "local engine only.",
    ),
]


def worker_count(n: int) -> int:
    return n or os.cpu_count() or 1


class Format(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def db_path(db: str | None) -> str:
    return db or default_db_path()


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def make_coder(dicts: list[Path] | None, n_process: int = 1, lazy: bool = False) -> Any:
    """The event coder, with the user's extra dictionaries; a bad dictionary is an error
    message, not a traceback. ``lazy``: the model is loaded only when there is something to
    code (``LazyCoder``)."""
    from newsevents.coding.coder import ArticleCoder, LazyCoder
    from newsevents.coding.kb import DataFileError

    try:
        if lazy:
            return LazyCoder(extra_dicts=dicts or [], n_process=n_process)
        return ArticleCoder(extra_dicts=dicts or [], n_process=n_process)
    except DataFileError as exc:
        raise fail(f"dictionary: {exc}") from None


def parse_date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    # YYYY-MM-DD only: "01-02-2023" is the 1st of February to some and January 2nd to others
    d = to_date(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
    if d is None:
        raise fail(f"{name} {value!r} is not a date (use YYYY-MM-DD)")
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
                w.writerow({k: csv_value(v) for k, v in r.items()})
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


def csv_value(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(map(str, v))
    return v


def print_version(value: bool) -> None:
    if value:
        out.print(f"newsevents {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass


#: the folder of the corpus files an article gold names (eval, sentences, train)
CorporaOption = Annotated[
    Path | None,
    typer.Option(
        "--corpora",
        envvar=settings.setting("corpora").env,
        help="Article gold: the folder of the corpus files its ids refer to "
        "(default: corpora/ beside the gold's folder).",
    ),
]


DictOption = Annotated[
    list[Path] | None,
    typer.Option("--dict", help="Extra actor/verb dictionary (YAML, or a TABARI .txt actor file)."),
]


def side(country: str | None, sector: str | None) -> str:
    """An actor as a code: country and sector ("KORGOV"), "?" for what is not known
    ("?COP": police of no known country), never Python's None."""
    return f"{country or '?'}{sector or ''}"


def short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


#: exit code of a failure no command foresaw (1 is "nothing could be read", 2 a usage or
#: input error with its message)
EXIT_BUG = 3


def run() -> None:
    """The console entry point: the app, with a failure no command foresaw as one line on
    stderr and exit code 3, never a traceback (``NEWSEVENTS_DEBUG=1`` shows it)."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if settings.value("debug"):
            raise
        err.print(
            f"error: unexpected failure ({type(exc).__name__}: {exc}). This is a bug; "
            "NEWSEVENTS_DEBUG=1 shows where it happened.",
            markup=False,
        )
        sys.exit(EXIT_BUG)
