"""The commands that code text without a store: `code` (events of texts) and `explain`
(everything the coder saw and decided for one sentence)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newsevents.cli.base import (
    DictOption,
    app,
    err,
    fail,
    make_coder,
    out,
    parse_date_option,
    side,
)


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
    from newsevents.coding.texts import text_of
    from newsevents.records import Discard
    from newsevents.text.article import build_article
    from newsevents.text.formats import parse_jsonl_line

    stream = sys.stdin if file == "-" else None
    if stream is None:
        path = Path(file)
        if not path.is_file():
            raise fail(f"no such file: {file}")
        stream = path.open(encoding="utf-8", errors="replace")
    coder = make_coder(dicts)

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
    from newsevents.coding.record import event_json

    for ev in coder.code_texts(batch):
        sys.stdout.write(json.dumps(event_json(ev, ev.article_id), ensure_ascii=False) + "\n")
    sys.stdout.flush()


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

    when = parse_date_option(on, "--date")
    info = make_coder(dicts).explain(sentence, when)
    if as_json:
        sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    out.print(f"[bold]sentence[/bold]: {sentence}", markup=True, highlight=False)
    _print_reading(info)
    _print_decisions(info)
    _print_events(info)


def _print_reading(info: dict[str, Any]) -> None:
    """How ``explain`` read the sentence: cues, parse, entities, actors, triggers."""
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
            else "passes for its saying (the model may recover the speaker's statement)"
            if info.get("saying")
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
        desc = " + ".join(side(x["country"], x["sector"]) for x in a["actors"])
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


def _print_decisions(info: dict[str, Any]) -> None:
    """Every candidate event, accepted or rejected with the reason, and the sentence model's
    scores."""
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
        if m.get("recovery"):
            out.print(m["recovery"], markup=False)


def _print_events(info: dict[str, Any]) -> None:
    """The events the sentence is coded with, and why."""
    out.rule("events")
    if not info["events"]:
        out.print("no event: a trigger needs a resolved source and target")
    for item in info["events"]:
        e = item["event"]
        flags = [f for f in ("negated", "hypothetical") if e[f]]
        out.print(
            f"{e['cameo']} {e['cameo_name']} | {side(e['source']['country'], e['source']['sector'])} "
            f"-> {side(e['target']['country'], e['target']['sector'])} | date {e['date'] or 'unknown'} "
            f"({e['date_how']}) | location {e['location'] or 'none'} | {', '.join(flags) or 'factual'} | "
            f"notes: {'; '.join(item['notes'])}",
            markup=False,
        )
