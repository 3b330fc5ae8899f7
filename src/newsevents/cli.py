"""The ``newsevents`` command line: a thin layer over the library.

Each command opens the store, calls one library function and prints the result.
Library errors become a one-line message and exit code 2, never a traceback.
"""

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

from newsevents import settings
from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import queries
from newsevents.storage.store import Store, StoreError, default_db_path
from newsevents.text.dates import to_date

from . import __version__

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


def _workers(n: int) -> int:
    return n or os.cpu_count() or 1


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


def _coder(dicts: list[Path] | None, n_process: int = 1, lazy: bool = False) -> Any:
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
        raise _fail(f"dictionary: {exc}") from None


def _parse_date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    # YYYY-MM-DD only: "01-02-2023" is the 1st of February to some and January 2nd to others
    d = to_date(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
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


def _print_version(value: bool) -> None:
    if value:
        out.print(f"newsevents {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass


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
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from newsevents.jobs.ingest import ingest as run_ingest
    from newsevents.text.read import input_sizes

    coder = None
    if code_events:
        coder = _coder(dicts, n_process=_workers(workers), lazy=True)
    try:
        store = Store(_db(db))
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    # the bar runs over the inputs' bytes (known before reading), advanced as each file is done
    sizes = {} if quiet or not err.is_terminal else input_sizes(paths)
    progress = Progress(
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
    parts = [
        f"read {summary.read}",
        f"new {summary.new}",
        f"duplicate {summary.duplicate}"
        + (
            f" ({summary.near_duplicate} a stored article in another form)"
            if summary.near_duplicate
            else ""
        ),
        *([f"coded {summary.coded_late} stored before uncoded"] if summary.coded_late else []),
        f"discarded {summary.n_discarded}",
    ]
    if code_events:
        parts.append(f"events {summary.events}")
    if n_stories is not None:
        parts.append(f"stories {n_stories}")
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
        with Store(_db(db), read_only=True) as store:
            rows = [r for r in store.discards() if reason is None or r["reason"] == reason]
    except StoreError as exc:
        raise _fail(str(exc)) from exc
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
        with Store(_db(db), read_only=True) as store:
            art = store.article(article_id)
            if art is None:
                raise _fail(f"no article with id {article_id!r} (see `newsevents articles`)")
            spans = store.removed_spans(art["article_id"])
            events = queries.article_events(store, art["article_id"])
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
            flags = "".join(f" [{f}]" for f in ("negated", "hypothetical") if e[f])
            out.print(
                f"{e['event_date'] or '?'} {e['cameo']} {e['cameo_name']}: "
                f"{_side(e['source_country'], e['source_sector'])} -> "
                f"{_side(e['target_country'], e['target_sector'])}{flags}",
                markup=False,
            )


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


@app.command()
def code(
    file: Annotated[
        str, typer.Argument(help="JSONL file of {id, text, date?} records, or -.")
    ] = "-",
    dicts: DictOption = None,
) -> None:
    """Code sentences or texts into events, one JSON line per event (the stable interface).

    Example: [bold]echo '{"id": "1", "text": "Japan and Australia held talks in Tokyo on
    Monday.", "date": "2023-03-14"}' | newsevents code[/bold]

    Input: JSONL records with ``id``, ``text`` and optionally ``date`` (YYYY-MM-DD, used to
    resolve "on Monday" and known office holders). Output per event: id, event_id, sentence,
    span, date, date_how, source {name, country, sector}, target, cameo, cameo_name,
    plover, plover_mode, quad_class, goldstein, location, topics, negated, hypothetical,
    reported_by, confidence. Each text is cleaned as ``ingest`` cleans it (headline lists,
    datelines, boilerplate cut; spans are offsets into the cleaned text). A record with no
    event writes nothing; a malformed line, or a text with nothing left after cleaning, is
    reported on stderr and skipped.
    """
    from newsevents.coding.coder import text_of
    from newsevents.text.article import build_article
    from newsevents.text.read import parse_jsonl_line

    from .records import Discard

    stream = sys.stdin if file == "-" else None
    if stream is None:
        path = Path(file)
        if not path.is_file():
            raise _fail(f"no such file: {file}")
        stream = path.open(encoding="utf-8", errors="replace")
    coder = _coder(dicts)

    def records() -> Any:
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            item = parse_jsonl_line(line, f"{file}#line{n}")
            if isinstance(item, Discard):
                err.print(f"skipped {item.origin}: {item.reason}: {item.detail}")
                continue
            built = build_article(item)  # cleaned and dated as ingest does
            if isinstance(built, Discard):
                err.print(f"skipped {built.origin}: {built.reason}: {built.detail}")
                continue
            yield text_of(built, item.external_id or f"line{n}")

    batch: list[Any] = []
    for rec in records():
        batch.append(rec)
        if len(batch) >= 256:
            _emit_events(coder, batch)
            batch = []
    _emit_events(coder, batch)


def _emit_events(coder: Any, batch: list[Any]) -> None:
    from newsevents.coding.coder import event_json

    for ev in coder.code_texts(batch):
        sys.stdout.write(json.dumps(event_json(ev, ev.article_id), ensure_ascii=False) + "\n")
    sys.stdout.flush()


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
            raise _fail(f"--dyad {dyad!r}: give two country codes, e.g. KOR-RUS")
        pair = (parts[0], parts[1])
    if cameo and not cameo.isdigit():
        raise _fail(f"--cameo {cameo!r}: give a CAMEO code or prefix such as 04")
    s, u = _parse_date_option(since, "--since"), _parse_date_option(until, "--until")
    try:
        with Store(_db(db), read_only=True) as store:
            rows = queries.event_rows(
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
        raise _fail(str(exc)) from exc
    if fmt is Format.table:
        rows = [
            {
                k: r[k]
                for k in ("date", "cameo", "cameo_name", "source", "target", "location", "outlet")
            }
            | {"sentence": _short(r["sentence"], 90)}
            for r in rows
        ]
    emit_rows(rows, fmt, "events")


def _side(country: str | None, sector: str | None) -> str:
    """An actor as a code: country and sector ("KORGOV"), "?" for what is not known
    ("?COP": police of no known country), never Python's None."""
    return f"{country or '?'}{sector or ''}"


def _short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


@app.command()
def explain(
    sentence: Annotated[str, typer.Argument(help="One sentence to code.")],
    on: Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD).")] = None,
    dicts: DictOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """Show how a sentence is coded: parse, entities, actors, triggers, every candidate event
    accepted or rejected with the reason, and the result.

    Example: [bold]newsevents explain "Russia and China held talks in Beijing on Monday."
    --date 2024-05-20[/bold]
    """

    when = _parse_date_option(on, "--date")
    info = _coder(dicts).explain(sentence, when)
    if as_json:
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    out.print(f"[bold]sentence[/bold]: {sentence}", markup=True, highlight=False)
    out.print(
        "actor: "
        + (
            "named (a knowledge-base name or role word is present)"
            if info["actor_cue"]
            else "none named (no knowledge-base name or role word): not coded"
        )
    )
    out.print(
        "pre-filter: "
        + (
            "passes (the words of a pattern are present)"
            if info["prefilter"]
            else "would skip it (no pattern's words are present)"
        )
    )
    out.rule("parse")
    for t in info["tokens"]:
        out.print(
            f"{t['i']:>3} {t['text']:<16} {t['lemma']:<14} {t['pos']:<6} {t['dep']:<10} -> {t['head']}",
            markup=False,
            highlight=False,
        )
    out.rule("entities and actors")
    for e in info["entities"]:
        out.print(f"{e['label']:<12} {e['text']}", markup=False)
    for a in info["actors"]:
        desc = " + ".join(_side(x["country"], x["sector"]) for x in a["actors"])
        out.print(f"actor: {a['text']} -> {desc} ({a['how']})", markup=False)
    out.rule("triggers")
    if not info["triggers"]:
        out.print("no trigger word matched a verb or noun pattern")
    for m in info["triggers"]:
        out.print(
            f"{m['kind']} '{m['trigger']}' matched pattern '{m['pattern']}' -> {m['code']} "
            f"(frame: {' '.join(m['frame'])})",
            markup=False,
        )
    out.rule("candidates")
    if not info["candidates"]:
        out.print("no candidate: no trigger word matched a pattern")
    for c in info["candidates"]:
        out.print(
            f"{c['decision']:<8} '{c['trigger']}' ({c['pattern']} -> {c['code']}): {c['reason']}",
            markup=False,
            highlight=False,
        )
    m = info.get("model")
    if m is not None:
        out.rule("sentence model")
        roots = ", ".join(f"{k} {v:.2f}" for k, v in m["roots"].items())
        out.print(
            f"P(event) {m['p_event']:.2f} (threshold {m['threshold']:.2f}); likeliest roots {roots}; "
            + (
                "it decides"
                if m["decides"]
                else "in a text of fewer than 3 sentences the rules decide alone"
            ),
            markup=False,
        )
    out.rule("events")
    if not info["events"]:
        out.print("no event: a trigger needs a resolved source and target")
    for item in info["events"]:
        e = item["event"]
        flags = [f for f in ("negated", "hypothetical") if e[f]]
        out.print(
            f"{e['cameo']} {e['cameo_name']} | {_side(e['source']['country'], e['source']['sector'])} "
            f"-> {_side(e['target']['country'], e['target']['sector'])} | date {e['date'] or 'unknown'} "
            f"({e['date_how']}) | location {e['location'] or 'none'} | {', '.join(flags) or 'factual'} | "
            f"notes: {'; '.join(item['notes'])}",
            markup=False,
        )


@app.command(name="eval")
def eval_cmd(
    gold: Annotated[
        Path,
        typer.Argument(
            help=(
                "Sentence gold (JSONL: {id, text, date, events} or PLV labels), or article gold: "
                "a folder holding gold.jsonl (../shared/gold/articles) or that file."
            )
        ),
    ],
    dicts: DictOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    split: Annotated[
        str, typer.Option("--split", help="Article gold: the part to score (test, train or all).")
    ] = "test",
    corpora: CorporaOption = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Article gold: write every false and missed event, with its sentence, "
            "to this JSONL file.",
        ),
    ] = None,
    show: Annotated[
        int,
        typer.Option("--show", help="Article gold: also print this many false and missed events."),
    ] = 0,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Article gold: draw the reliability diagram and the precision-recall curve "
            "over confidence to this SVG file.",
        ),
    ] = None,
) -> None:
    """Score event coding against gold: precision, recall, F1 overall, per CAMEO root
    and per QuadClass, and dyad accuracy. Article gold is scored through ingest (cleaning
    included), strict (the event's sentence must be one the gold quotes) and lenient, with
    core recall, date accuracy and where the false events come from.

    Example: [bold]newsevents eval tests/golden/dev_gold.jsonl[/bold];
    [bold]newsevents eval ../shared/gold/articles --split test --errors errors.jsonl[/bold]
    """
    from newsevents.evaluation.articles import is_article_gold

    if is_article_gold(gold):
        _eval_articles(gold, dicts, as_json, split, corpora, errors, show, plot)
        return
    if plot is not None:
        raise _fail("--plot draws article gold's confidence: give an article gold folder")
    from newsevents.evaluation.sentences import evaluate

    if not gold.is_file():
        raise _fail(f"no such gold file: {gold}")
    coder = _coder(dicts)
    try:
        report = evaluate(coder, gold)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    d = report.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(d, indent=2) + "\n")
        return
    o = d["overall"]
    out.print(f"{d['records']} records ({d['kind']} gold)")
    out.print(f"overall: P {o['precision']:.3f}  R {o['recall']:.3f}  F1 {o['f1']:.3f}")
    if d["kind"] == "events":
        r = d["root_only"]
        out.print(
            f"root only (ignoring actors): P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
        )
        out.print(f"dyad accuracy: {d['dyad_accuracy']:.3f}")
    else:
        out.print(
            f"macro-F1 {d['macro_f1']:.3f} | with actors given {d['macro_f1_actors_given']:.3f} | "
            f"quad macro-F1 {d['quad_macro_f1']:.3f} | accuracy {d['accuracy']:.3f}"
        )
    rows = [{"root": k, **v} for k, v in d["per_root"].items()]
    emit_rows(rows, Format.table, "per CAMEO root" if d["kind"] == "events" else "per class")
    rows = [{"quad": k, **v} for k, v in d["per_quad"].items()]
    if rows:
        emit_rows(rows, Format.table, "per QuadClass")


def _eval_articles(
    gold: Path,
    dicts: list[Path] | None,
    as_json: bool,
    split: str,
    corpora: Path | None,
    errors: Path | None,
    show: int,
    plot: Path | None,
) -> None:
    from newsevents.evaluation.articles import evaluate_articles, write_errors

    if split not in ("test", "train", "all"):
        raise _fail(f"--split must be test, train or all, not {split!r}")
    coder = _coder(dicts)
    try:
        report = evaluate_articles(gold, coder, corpora, split)  # type: ignore[arg-type]
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        coder.close()
    d = report.as_dict()
    if errors is not None:
        try:
            n = write_errors(report, errors)
        except OSError as exc:
            raise _fail(f"cannot write {errors}: {exc}") from exc
        err.print(f"{n} false and missed events written to {errors}")
    if plot is not None:
        from newsevents.evaluation.plots import confidence_svg

        title = f"Confidence on the article gold's {split} part ({d['strict']['predicted']} events)"
        try:
            plot.write_text(confidence_svg(d["confidence"], title), encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {plot}: {exc}") from exc
        err.print(f"reliability diagram and precision-recall curve drawn to {plot}")
    if as_json:
        sys.stdout.write(json.dumps(d, indent=2, default=str) + "\n")
        return
    out.print(
        f"{d['articles']} articles ({split}), {d['strict']['gold']} gold events, "
        f"{d['strict']['predicted']} coded; {d['articles_not_stored']} articles not stored"
    )
    for kind in ("strict", "lenient"):
        m = d[kind]
        out.print(
            f"{kind:8} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"core R {d[kind + '_core_recall']:.3f}"
        )
    out.print(
        f"dates: {d['date_accuracy']:.3f} right, {d['date_within_a_day']:.3f} within a day "
        f"({d['dated_matches']} found events with a gold date); by how sure: "
        + ", ".join(
            f"{level} {v['accuracy']:.2f} of {v['matched']}"
            for level, v in d["dates_by_sureness"].items()
        )
    )
    loss = d["loss"]
    out.print(
        f"coded events: right {loss['right']:.2f} | no-event sentence {loss['no_event_sentence']:.2f} | "
        f"wrong root {loss['wrong_root']:.2f} | wrong pair {loss['wrong_pair']:.2f} "
        f"(unplaced side {loss['unplaced_side']:.2f})"
    )
    mi = d["missed"]
    out.print(
        f"missed gold events: sentence not coded {mi['sentence_not_coded']} | other root "
        f"{mi['coded_other_root']} | other pair {mi['coded_other_pair']}; gold event sentences "
        f"coded {d['gold_event_sentences_coded']:.2f}"
    )
    out.print(
        f"events in articles with no political event: {d['events_in_non_political_articles']}"
    )
    c = d["confidence"]
    if c["at_threshold"]:
        t = c["at_threshold"]
        out.print(
            f"at confidence >= {c['threshold']:.2f} (stories count these): {t['events']} events, strict "
            f"P {t['strict_precision']:.3f} R {t['strict_recall']:.3f}, lenient P {t['lenient_precision']:.3f} "
            f"R {t['lenient_recall']:.3f}; calibration error {c['ece']:.3f}; confidence >= 0.8: "
            f"{c['high_confidence_events']} events ({c['high_confidence_share']:.2f}), "
            f"{c['high_confidence_precision']:.2f} right"
        )
    emit_rows(c["curve"], Format.table, "by least confidence (precision-recall curve)")
    rows = [
        {
            "root": k,
            **{x: v[x] for x in ("precision", "recall", "right", "predicted", "found", "gold")},
        }
        for k, v in d["per_root"].items()
    ]
    emit_rows(rows, Format.table, "per CAMEO root (strict)")
    if show:
        emit_rows(
            [
                {k: e[k] for k in ("article", "loss", "cameo", "source", "target", "sentence")}
                for e in report.false_events[:show]
            ],
            Format.table,
            "false events (strict)",
        )
        emit_rows(
            [
                {k: e[k] for k in ("article", "why", "root", "source", "target", "what")}
                for e in report.missed[:show]
            ],
            Format.table,
            "missed gold events (strict)",
        )


@app.command("sentences")
def sentences_cmd(
    gold: Annotated[Path, typer.Argument(help="Article gold: a folder holding gold.jsonl.")],
    out_file: Annotated[Path, typer.Option("--out", help="The JSONL file to write.")],
    split: Annotated[
        str, typer.Option("--split", help="The gold's part: train (to learn from), test or all.")
    ] = "train",
    corpora: CorporaOption = None,
    extra: Annotated[bool, typer.Option(help="Add the shipped hand-labelled sentences.")] = True,
    dicts: DictOption = None,
) -> None:
    """Write every sentence of the article gold's articles as data: the coder's stage, every
    candidate event the rules considered (accepted or rejected, with the reason), the events
    kept and the gold label (the roots of the gold events it reports; docs/DATASHEET.md).

    Example: [bold]newsevents sentences ../shared/gold/articles --out sentences.jsonl[/bold]
    """
    from newsevents.learning.dataset import extra_rows, labelled_sentences, summary, write_rows

    if split not in ("test", "train", "all"):
        raise _fail(f"--split must be test, train or all, not {split!r}")
    coder = _coder(dicts)
    try:
        rows = labelled_sentences(gold, coder, split, corpora)  # type: ignore[arg-type]
        if extra:
            rows += extra_rows(coder)
        write_rows(rows, out_file)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc
    d = summary(rows)
    out.print(
        f"{d['sentences']} sentences of {d['articles']} articles ({split}"
        f"{' + hand-labelled' if extra else ''}), {d['event_sentences']} report a gold event; "
        f"{d['candidates']} candidate events; written to {out_file}"
    )
    out.print(
        f"sentences with a rule event: {d['rule_event_sentences']}, of which "
        f"{d['rule_event_sentences_right']} report a gold event"
    )
    emit_rows([{"stage": k, **v} for k, v in d["stages"].items()], Format.table, "by stage")


@app.command("train")
def train_cmd(
    gold: Annotated[Path, typer.Argument(help="Article gold: a folder holding gold.jsonl.")],
    model_file: Annotated[Path, typer.Option("--out", help="The model file to write.")] = Path(
        "src/newsevents/data/models/sentence_model.json"
    ),
    corpora: CorporaOption = None,
) -> None:
    """Fit the sentence model on the gold's train part and the shipped hand-labelled
    sentences (never the test part), choose its threshold out of fold, and write it
    (``make train``; needs scikit-learn).

    Example: [bold]newsevents train ../shared/gold/articles[/bold]
    """
    from newsevents.coding.coder import ArticleCoder
    from newsevents.learning.dataset import extra_rows, labelled_sentences

    try:
        from newsevents.learning.train import train
    except ImportError as exc:
        raise _fail(f"training needs scikit-learn ({exc}): make install") from exc
    coder = ArticleCoder(learned=False)  # the rules' own output is what the model learns over
    try:
        rows = labelled_sentences(gold, coder, "train", corpora) + extra_rows(coder)
        model = train(rows)
        model.save(model_file)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc
    m = model.meta
    out.print(
        f"{m['rows']} sentences ({m['event_rows']} with an event) of {m['articles']} train articles "
        f"and the hand-labelled ones; data sha256 {m['data_sha256'][:12]}"
    )
    out.print(
        f"out of fold: ROC AUC {m['oof_auc']:.3f}; rules alone keep {m['oof_rules_only']['kept']} events "
        f"(P {m['oof_rules_only']['precision']:.3f}, {m['oof_rules_only']['found']} gold found), with the model "
        f"{m['oof_chosen']['kept']} (P {m['oof_chosen']['precision']:.3f}, {m['oof_chosen']['found']} found)"
    )
    if model.scorer is not None:
        sm = model.scorer.meta
        out.print(
            f"event scorer: {sm['events']} events ({sm['right']} right), C {sm['C']}; out of fold ROC AUC "
            f"{sm['oof_auc']:.3f}, calibration error {sm['oof_ece_uncalibrated']:.3f} -> {sm['oof_ece']:.3f} "
            f"(Platt)"
        )
        emit_rows(
            sm["oof_curve"], Format.table, "event scorer, out of fold: events at each confidence"
        )
    out.print(
        f"threshold P(event) {model.threshold:.2f}; re-root under {model.reroot_below:.2f} to a root of at "
        f"least {model.reroot_min:.2f}; written to {model_file}"
    )


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
    s, u = _parse_date_option(since, "--since"), _parse_date_option(until, "--until")
    try:
        with Store(_db(db), read_only=True) as store:
            for x in (actor_a, actor_b):
                if not queries.known_actor(store, x):
                    raise _fail(
                        f"no actor {x!r} in the store: give a country code (KOR, kor) or part of an "
                        "actor's name; `newsevents events` lists the coded actors"
                    )
            rows = queries.story_rows(store, actor_a, actor_b, s, u)
            dates = queries.story_dates(store, [r["story_id"] for r in rows])
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    rows = [{**r, "date_sure": dates.get(r["story_id"], {}).get("sure", "unknown")} for r in rows]
    if fmt is Format.table:
        rows = [
            {
                "date": r["date"] or "undated",
                "sure": r["date_sure"],
                "type": f"{r['cameo_root']} {r['plover'] or ''}".strip(),
                "dyad": r["dyad"],
                "location": r["location"],
                "summary": _short(r["summary"], 100),
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
            raise _fail(f"--dyad takes two country codes, KOR-RUS, not {dyad!r}")
        a, b = parts
    if type_ is not None and not (type_.isdigit() and 1 <= int(type_) <= 20):
        raise _fail(f"--type takes a CAMEO root, 01 to 20, not {type_!r}")
    root = f"{int(type_):02d}" if type_ else None
    s, u = _parse_date_option(since, "--since"), _parse_date_option(until, "--until")
    cond, params = queries.story_filter(a, b, country.upper() if country else None, root, s, u)
    try:
        with Store(_db(db), read_only=True) as store:
            rows = queries.story_list(store, cond, params, limit)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    if fmt is not Format.jsonl:
        rows = [
            {
                "date": r["story_date"] or "undated",
                "sure": r["sure"]
                + (f" ({r['agree']} of {len(r['articles'])})" if len(r["articles"]) > 1 else ""),
                "type": f"{r['cameo_root']} {r['plover'] or ''}".strip(),
                "dyad": f"{r['actor_a']}-{r['actor_b']}",
                "summary": _short(r["summary"], 90) if fmt is Format.table else r["summary"],
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
        with Store(_db(db), read_only=True) as store:
            n = export(store, what.value, fmt.value, output, min_confidence)
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from exc
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

    from .web.app import create_app

    try:
        web = create_app(db=None if parquet else _db(db), parquet=parquet)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
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
        raise _fail(f"no such input: {', '.join(missing)}")
    try:
        if engine is Engine.spark:
            counts = run_spark(inputs, output, master)
        else:
            counts = run_local(inputs, output, workers=_workers(workers))
    except RunnerBusy as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps({**counts, "output": str(output)}) + "\n")
    else:
        out.print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {output}")


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
