"""The commands of quality and learning: `eval` (against sentence or article gold),
`sentences` (the labelled sentences) and `train` (the sentence model)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsevents.cli.base import (
    CorporaOption,
    DictOption,
    Format,
    app,
    emit_rows,
    err,
    fail,
    make_coder,
    out,
)

if TYPE_CHECKING:
    from newsevents.evaluation.articles import ArticleReport


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
    out_of_fold: Annotated[
        bool,
        typer.Option(
            "--out-of-fold",
            help="Article gold, train part: code each article with a sentence model and scorer "
            "fitted without it (the shipped model saw them all); a few minutes.",
        ),
    ] = False,
) -> None:
    """Score event coding against gold: precision, recall, F1 overall, per CAMEO root
    and per QuadClass, and dyad accuracy. Article gold is scored through ingest (cleaning
    included), strict (the event's sentence must be one the gold quotes) and lenient, with
    core recall, date accuracy and where the false events come from.

    Example: [bold]newsevents eval tests/golden/dev_gold.jsonl[/bold];
    [bold]newsevents eval ../shared/gold/articles --split test --errors errors.jsonl[/bold]
    """
    from newsevents.evaluation.gold import is_article_gold

    if is_article_gold(gold):
        report = _article_report(gold, dicts, split, corpora, out_of_fold)
        _print_articles(report, as_json, errors, show, plot)
        return
    if plot is not None or out_of_fold:
        raise fail("--plot and --out-of-fold are for article gold: give an article gold folder")
    from newsevents.evaluation.sentences import evaluate

    if not gold.is_file():
        raise fail(f"no such gold file: {gold}")
    coder = make_coder(dicts)
    try:
        report = evaluate(coder, gold)
    except ValueError as exc:
        raise fail(str(exc)) from exc
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


def _article_report(
    gold: Path, dicts: list[Path] | None, split: str, corpora: Path | None, out_of_fold: bool
) -> ArticleReport:
    """The article gold's report: its ``split`` scored through ingest by the shipped coder, or
    its train part out of fold (``evaluation.folds``)."""
    from newsevents.evaluation.articles import evaluate_articles

    if split not in ("test", "train", "all"):
        raise fail(f"--split must be test, train or all, not {split!r}")
    if out_of_fold:
        if split != "train" or dicts:
            raise fail("--out-of-fold scores the train part with the shipped rules: --split train")
        from newsevents.evaluation.folds import evaluate_out_of_fold

        try:
            return evaluate_out_of_fold(gold, corpora)
        except ImportError as exc:
            raise fail(f"fitting the folds' models needs scikit-learn ({exc})") from exc
        except (ValueError, OSError) as exc:
            raise fail(str(exc)) from exc
    coder = make_coder(dicts)
    try:
        return evaluate_articles(gold, coder, corpora, split)  # type: ignore[arg-type]
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
    finally:
        coder.close()


def _print_articles(
    report: ArticleReport, as_json: bool, errors: Path | None, show: int, plot: Path | None
) -> None:
    from newsevents.evaluation.articles import write_errors
    from newsevents.evaluation.report import false_rows, missed_rows, per_root_rows, summary_lines

    split = report.split
    d = report.as_dict()
    if errors is not None:
        try:
            n = write_errors(report, errors)
        except OSError as exc:
            raise fail(f"cannot write {errors}: {exc}") from exc
        err.print(f"{n} false and missed events written to {errors}")
    if plot is not None:
        from newsevents.evaluation.plots import confidence_svg

        title = f"Confidence on the article gold's {split} part ({d['strict']['predicted']} events)"
        try:
            plot.write_text(confidence_svg(d["confidence"], title), encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {plot}: {exc}") from exc
        err.print(f"reliability diagram and precision-recall curve drawn to {plot}")
    if as_json:
        sys.stdout.write(json.dumps(d, indent=2, default=str) + "\n")
        return
    for line in summary_lines(d, split):
        out.print(line)
    emit_rows(
        d["confidence"]["curve"], Format.table, "by least confidence (precision-recall curve)"
    )
    emit_rows(per_root_rows(d), Format.table, "per CAMEO root (strict)")
    if show:
        emit_rows(false_rows(report.false_events[:show]), Format.table, "false events (strict)")
        emit_rows(missed_rows(report.missed[:show]), Format.table, "missed gold events (strict)")


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
        raise fail(f"--split must be test, train or all, not {split!r}")
    coder = make_coder(dicts)
    try:
        rows = labelled_sentences(gold, coder, split, corpora)  # type: ignore[arg-type]
        if extra:
            rows += extra_rows(coder)
        write_rows(rows, out_file)
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
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
        raise fail(f"training needs scikit-learn ({exc}): make install") from exc
    coder = ArticleCoder(learned=False)  # the rules' own output is what the model learns over
    try:
        rows = labelled_sentences(gold, coder, "train", corpora) + extra_rows(coder)
        model = train(rows)
        model.save(model_file)
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
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
    if c := m.get("oof_choice"):
        out.print(
            f"the settings are fixed (learning.train.SETTINGS); the best precision losing at most "
            f"{m['max_recall_loss']:.1%} of the gold events found would be P(event) {c['threshold']:.2f}, "
            f"re-root under {c['reroot_below']:.2f} to {c['reroot_min']:.2f} ({c['kept']} events, "
            f"P {c['precision']:.3f}, {c['found']} found)"
        )
    r = m.get("oof_recovery")
    out.print(
        f"recovered where the rules found no side: from P(event) {model.recover_at:.2f}, "
        f"{r['kept']} events out of fold (P {r['precision']:.3f})"
        if r and model.recover_at is not None
        else "no recovery: no P(event) makes recovered events as often right as the rules' events"
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
