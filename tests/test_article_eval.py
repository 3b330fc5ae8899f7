"""Article scoring: the protocol's matching rule on hand-made cases, the shared gold read
whole, and ``newsevents eval`` through ingest on real gold articles (floors in
tests/golden/baseline.json; they only go up)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED
from newsevents.cli import app
from newsevents.evaluation.articles import (
    Predicted,
    _dropped,
    brier_score,
    brier_skill,
    evaluate_articles,
    score,
)
from newsevents.evaluation.gold import (
    GoldArticle,
    GoldEvent,
    Split,
    is_article_gold,
    load_article_gold,
    quoted_in,
)
from newsevents.settings import MIN_CONFIDENCE

GOLD = SHARED / "gold" / "articles"
BASELINE = json.loads((Path(__file__).parent / "golden" / "baseline.json").read_text())
needs_gold = pytest.mark.skipif(
    not (GOLD / "gold.jsonl").is_file(), reason="../shared/gold/articles is not present"
)


def _gold(
    n: int,
    root: str,
    src: str | None,
    tgt: str | None,
    quote: str,
    *,
    alts: tuple[str, ...] = (),
    when: date | None = None,
    core: bool = True,
) -> GoldEvent:
    return GoldEvent("a1", n, root, frozenset({root, *alts}), src, tgt, when, core, (quote,), "")


def _pred(
    sentence: str, cameo: str, src: str | None, tgt: str | None, when: date | None = None
) -> Predicted:
    return Predicted("a1", sentence, cameo[:2], cameo, src, tgt, when, 0.5, None)


S_MEET = "Moon Jae-in met Vladimir Putin in Moscow on Friday, officials said."
S_ARREST = "Police in Seoul arrested three protesters on Saturday."
S_BACKGROUND = "The two countries fought a war over the border in 1962."

ARTICLE = GoldArticle(
    "a1",
    "c.jsonl",
    "test",
    True,
    (
        _gold(
            1,
            "04",
            "KOR",
            "RUS",
            "Moon Jae-in met Vladimir Putin in Moscow",
            alts=("03",),
            when=date(2020, 9, 25),
        ),
        _gold(2, "17", "KOR", "KOR", "Police in Seoul arrested three protesters", core=False),
        _gold(3, "11", "USA", "CHN", "a sentence nobody coded"),
    ),
)


def test_strict_and_lenient_matching_by_the_protocol() -> None:
    preds = {
        "a1": [
            _pred(S_MEET, "040", "RUS", "KOR", date(2020, 9, 25)),  # either order: right
            _pred(S_MEET, "036", "KOR", "RUS", date(2020, 9, 24)),  # an alternative root: right too
            _pred(S_ARREST, "173", "KOR", "KOR"),  # domestic: the one country
            _pred(S_BACKGROUND, "190", "IND", "CHN"),  # no gold event quotes it
            _pred(S_ARREST, "112", "KOR", "KOR"),  # a gold sentence, another root
            _pred(S_ARREST, "173", "KOR", None),  # root right, one side unplaced
            _pred(S_BACKGROUND, "040", "KOR", "RUS"),  # lenient only: not its sentence
        ]
    }
    rep = score([ARTICLE], preds, "test")
    assert (rep.strict.right, rep.strict.predicted, rep.strict.found, rep.strict.gold) == (
        3,
        7,
        2,
        3,
    )
    assert (rep.lenient.right, rep.lenient.found) == (4, 2)
    assert rep.loss == {"no_event_sentence": 2, "wrong_root": 1, "wrong_pair": 1}
    assert rep.unplaced_side == 1
    assert (rep.strict_core.found, rep.strict_core.gold) == (1, 2)
    # the date of the first prediction matching the gold event
    assert (rep.date_matched, rep.date_right, rep.date_within_day) == (1, 1, 1)
    assert rep.misses == {"sentence_not_coded": 1}
    assert [r["loss"] for r in rep.false_events] == [
        "no_event_sentence",
        "wrong_root",
        "wrong_pair",
        "no_event_sentence",
    ]
    assert rep.false_events[-1]["lenient_match"] is True
    d = rep.as_dict()
    assert d["loss"]["right"] == round(3 / 7, 3)
    assert d["gold_event_sentences_coded"] == round(2 / 3, 3)
    assert d["per_root"]["17"]["right"] == 1 and d["per_root"]["11"]["found"] == 0
    # the report as eval prints it
    from newsevents.evaluation.report import false_rows, missed_rows, per_root_rows, summary_lines

    lines = summary_lines(d, "test")
    assert lines[0] == "1 articles (test), 3 gold events, 7 coded; 0 articles not stored"
    assert lines[1].startswith("strict   P 0.429  R 0.667")
    assert "wrong root 0.14 | wrong pair 0.14 (unplaced side 0.14)" in lines[4]
    assert lines[5].startswith("missed gold events: sentence not coded 1 |")
    assert {r["root"] for r in per_root_rows(d)} >= {"04", "17", "11"}
    assert [r["loss"] for r in false_rows(rep.false_events)][:1] == ["no_event_sentence"]
    assert [r["why"] for r in missed_rows(rep.missed)] == ["sentence_not_coded"]


def test_the_rules_events_the_model_drops_are_pooled_at_zero() -> None:
    # the rules coded four factual events; the stored ones keep two of them (one re-rooted
    # to 040: its pair, not its root, says it is the same event; of two, the first coded)
    rules = [
        ("x", S_MEET, "190", "KOR", "RUS"),
        ("x", S_MEET, "036", "RUS", "KOR"),
        ("x", S_ARREST, "173", "KOR", "KOR"),
        ("x", S_BACKGROUND, "190", "IND", "CHN"),
    ]
    stored = [_pred(S_MEET, "040", "RUS", "KOR"), _pred(S_ARREST, "173", "KOR", "KOR")]
    dropped = _dropped(rules, stored, "a1")
    assert [(p.cameo, p.source) for p in dropped] == [("036", "RUS"), ("190", "IND")]
    assert all(p.confidence == 0.0 and not p.recovered for p in dropped)
    # a stored root the rules gave is kept before a root no stored event has
    rules = [("x", S_MEET, "190", "KOR", "RUS"), ("x", S_MEET, "040", "KOR", "RUS")]
    assert [p.cameo for p in _dropped(rules, stored[:1], "a1")] == ["190"]
    # a recovered event keeps none of the rules' events
    recovered = [replace(stored[1], recovered=True)]
    assert len(_dropped([("x", S_ARREST, "173", "KOR", "KOR")], recovered, "a1")) == 1

    # in the report: a dropped right event (036 KOR-RUS, an alternative root) costs a whole
    # event's error, a dropped wrong one none; the kept events' own figures do not move
    rep = score([ARTICLE], {"a1": stored}, "test", dropped={"a1": dropped})
    assert rep.dropped == [True, False]
    c = rep.as_dict()["confidence"]
    assert c["pooled"]["events"] == 4 and c["pooled"]["dropped_right"] == 1
    assert c["pooled"]["brier_skill"] == pytest.approx(
        brier_skill([(0.5, True), (0.5, True), (0.0, True), (0.0, False)]), abs=1e-4
    )
    assert c["pooled"]["brier_skill"] < c["brier_skill_rules"]
    assert rep.strict.predicted == 2


def test_a_wrong_date_and_a_missing_article_count() -> None:
    rep = score([ARTICLE], {"a1": [_pred(S_MEET, "040", "KOR", "RUS", date(2020, 9, 27))]})
    assert (rep.date_matched, rep.date_right, rep.date_within_day) == (1, 0, 0)
    rep = score([ARTICLE], {})
    assert rep.strict.predicted == 0 and rep.strict.found == 0 and rep.strict.gold == 3
    assert rep.misses == {"sentence_not_coded": 3}


def test_quote_matching_allows_a_quote_over_a_sentence_end() -> None:
    assert quoted_in(
        ["Moon Jae-in met Vladimir Putin"], "Yesterday Moon Jae-in met Vladimir Putin."
    )
    assert quoted_in(
        ["It was raining. Moon met Putin in Moscow and they signed a deal."], "It was raining."
    )
    assert quoted_in(["Moon “met” Putin"], 'moon "met"  Putin today')
    assert not quoted_in(["Moon met Putin"], "Putin met Moon.")
    assert not quoted_in(["Moon met Putin"], "")


def test_a_sentence_gold_file_is_not_article_gold(tmp_path: Path) -> None:
    assert not is_article_gold(Path(__file__).parent / "golden" / "dev_gold.jsonl")
    assert not is_article_gold(tmp_path / "missing")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": "x"}\n')
    assert is_article_gold(bad)
    with pytest.raises(ValueError, match="bad.jsonl:1: not an article-gold record"):
        load_article_gold(bad)


def test_brier_skill_rates_confidence_not_which_events_are_coded() -> None:
    # two right events rated 0.8 and two wrong ones rated 0.2: Brier 0.04, share right 0.5
    four = [(0.8, True), (0.2, False), (0.8, True), (0.2, False)]
    assert brier_score(four) == pytest.approx(0.04)
    assert brier_skill(four) == pytest.approx(1 - 0.04 / 0.25)
    # a fifth, wrong event rated 0.1 lowers the Brier score; the skill over the new share
    # right (0.4) says the rating is as good as before, a little better
    five = [*four, (0.1, False)]
    assert brier_score(five) == pytest.approx(0.034)
    assert brier_skill(five) == pytest.approx(1 - 0.034 / 0.24)
    # every event given the share right scores no skill; no better than that scores below 0
    assert brier_skill([(0.5, True), (0.5, False)]) == pytest.approx(0.0)
    assert brier_skill([(0.2, True), (0.8, False)]) < 0
    # all right or all wrong: nothing to tell apart
    assert brier_skill([(0.9, True)]) == 0.0 and brier_skill([]) == 0.0


@needs_gold
def test_the_shared_gold_reads_whole() -> None:
    train, test = load_article_gold(GOLD, "train"), load_article_gold(GOLD, "test")
    assert (len(train), len(test)) == (382, 182)
    assert sum(len(a.events) for a in train) == 1643
    assert sum(len(a.events) for a in test) == 749
    assert not {a.article for a in train} & {a.article for a in test}
    assert all(g.quotes and len(g.root) == 2 for a in train + test for g in a.events)


@needs_gold
@pytest.mark.parametrize("split", ["train_out_of_fold", "test"])
def test_article_gold_floors(split: str) -> None:
    from newsevents.coding.coder import ArticleCoder
    from newsevents.evaluation.folds import evaluate_out_of_fold

    part: Split = "train" if split == "train_out_of_fold" else "test"
    if part == "train":
        # the shipped model was fitted on the train part: each article is coded by a model
        # fitted without its fold instead
        d = evaluate_out_of_fold(GOLD).as_dict()
    else:
        coder = ArticleCoder()
        try:
            d = evaluate_articles(GOLD, coder, split=part).as_dict()
        finally:
            coder.close()
    floors = BASELINE["articles"][split]
    # a figure may sit under its floor by the weight of NOISE events in it, no more: each
    # change of the rules refits the two learned stages, and a refit moves a few events
    # across settings.MIN_CONFIDENCE or onto another root (bench/refit_noise.py measures
    # it: up to 4 events of the test part over 8 refits; baseline.json says more)
    noise = BASELINE["articles"]["noise_events"]
    assert 0 <= noise <= 5

    def holds(value: float, floor: float, n: float) -> bool:
        return value >= floor - noise / max(1, n)

    strict, lenient = d["strict"], d["lenient"]
    core = sum(g.core for a in load_article_gold(GOLD, part) for g in a.events)
    assert d["articles_not_stored"] == 0
    assert holds(strict["precision"], floors["strict_precision"], strict["predicted"])
    assert holds(strict["recall"], floors["strict_recall"], strict["gold"])
    assert holds(lenient["precision"], floors["lenient_precision"], lenient["predicted"])
    assert holds(lenient["recall"], floors["lenient_recall"], lenient["gold"])
    assert holds(d["strict_core_recall"], floors["strict_core_recall"], core)
    assert holds(d["date_accuracy"], floors["date_accuracy"], d["dated_matches"])
    confident = d["confidence"]["at_threshold"]
    assert holds(
        confident["strict_precision"], floors["confident_strict_precision"], confident["events"]
    )
    assert holds(confident["strict_recall"], floors["confident_strict_recall"], strict["gold"])
    # dates by how sure they are: every dated match counted once; a stated day is never
    # less often right than an assumed one
    by = d["dates_by_sureness"]
    assert sum(v["matched"] for v in by.values()) == d["dated_matches"]
    assert by["stated"]["accuracy"] >= by["assumed"]["accuracy"] and by["resolved"]["matched"] > 0
    # confidence is P(right): the Brier skill score of every factual event the rules code,
    # those the sentence model drops rated 0 (how much better their confidence rates them
    # than their share right p would) stays over its floor (one event moves the Brier score
    # by at most 1 / the events scored, the skill by that over p(1 - p)), the events the
    # sentence model recovers score better than a coin, and the calibration error of all
    # stays under issue 31's 0.08 (baseline.json says why the recovered events are scored
    # apart, why the dropped ones are pooled in, and why the skill and not the Brier score)
    recovered = d["confidence"]["recovered"]
    pooled = d["confidence"]["pooled"]
    rules = strict["predicted"] - recovered["events"]
    assert pooled["events"] == rules + pooled["dropped"] and pooled["dropped"] > 0
    p = pooled["right_share"]
    assert 0 < p < 1
    assert holds(pooled["brier_skill"], floors["min_brier_skill"], pooled["events"] * p * (1 - p))
    assert recovered["events"] > 0 and recovered["brier"] < 0.25
    assert d["confidence"]["ece"] <= 0.08
    # the curve starts with every event and thins as the threshold rises
    curve = d["confidence"]["curve"]
    assert curve[0]["events"] == d["strict"]["predicted"]
    assert all(a["events"] >= b["events"] for a, b in zip(curve, curve[1:], strict=False))
    # every coded event is right or in exactly one loss class
    c = d["loss"]["counts"]
    assert (
        c["right"] + c["no_event_sentence"] + c["wrong_root"] + c["wrong_pair"]
        == d["strict"]["predicted"]
    )


@needs_gold
def test_eval_command_scores_article_gold_and_writes_errors(tmp_path: Path) -> None:
    # three real gold articles: the command reads them from the corpora, ingests and scores
    rows = [json.loads(x) for x in (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    some = [r for r in rows if r["split"] == "train" and r["events"]][:3]
    small = tmp_path / "gold" / "articles"
    small.mkdir(parents=True)
    (small / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in some), encoding="utf-8")
    errors = tmp_path / "out" / "errors.jsonl"
    plot = tmp_path / "confidence.svg"
    res = CliRunner().invoke(
        app,
        [
            "eval",
            str(small),
            "--split",
            "train",
            "--json",
            "--plot",
            str(plot),
            "--corpora",
            str(SHARED / "corpora"),
            "--errors",
            str(errors),
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout[res.stdout.index("{") :])
    assert d["kind"] == "articles" and d["articles"] == 3
    assert d["strict"]["gold"] == sum(len(r["events"]) for r in some)
    lines = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert {x["kind"] for x in lines} == {"false", "missed"}
    n_false = sum(x["kind"] == "false" for x in lines)
    assert n_false == d["strict"]["predicted"] - d["strict"]["right"]
    assert sum(x["kind"] == "missed" for x in lines) == d["strict"]["gold"] - d["strict"]["found"]
    assert all(x["sentence"] for x in lines if x["kind"] == "false")
    # the reliability diagram: one point per confidence bin holding events (they add up to
    # every event), and the precision-recall curve with the default threshold marked
    bins = d["confidence"]["reliability"]
    assert sum(b["events"] for b in bins) == d["strict"]["predicted"]
    svg = plot.read_text(encoding="utf-8")
    assert svg.count("events, mean confidence") == len(bins)
    assert f"≥{MIN_CONFIDENCE:g} (default)" in svg and svg.rstrip().endswith("</svg>")
    # no corpora where the gold says: a clear error, not a traceback
    res = CliRunner().invoke(
        app, ["eval", str(small), "--split", "train", "--corpora", str(tmp_path)]
    )
    assert res.exit_code == 2 and "corpus file not found" in res.output
    res = CliRunner().invoke(app, ["eval", str(small), "--split", "dev"])
    assert res.exit_code == 2 and "--split must be" in res.output
    res = CliRunner().invoke(
        app, ["eval", str(Path(__file__).parent / "golden" / "dev_gold.jsonl"), "--plot", str(plot)]
    )
    assert res.exit_code == 2 and "article gold" in res.output


@needs_gold
def test_the_train_part_is_scored_out_of_fold(tmp_path: Path) -> None:
    """Each train article coded by a model fitted on the other folds: 40 real gold articles,
    every fold holding some."""
    from newsevents.learning.train import FOLDS, fold_of

    rows = [json.loads(x) for x in (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    some = [r for r in rows if r["split"] == "train"][:40]
    assert {fold_of(r["article"]) for r in some} == set(range(FOLDS))
    small = tmp_path / "gold"
    small.mkdir()
    (small / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in some), encoding="utf-8")
    corpora = ["--corpora", str(SHARED / "corpora")]
    res = CliRunner().invoke(
        app, ["eval", str(small), "--split", "train", "--out-of-fold", "--json", *corpora]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout[res.stdout.index("{") :])
    assert (d["split"], d["articles"], d["articles_not_stored"]) == ("train, out of fold", 40, 0)
    assert d["strict"]["gold"] == sum(len(r["events"]) for r in some)
    assert 0 < d["strict"]["right"] <= d["strict"]["predicted"]
    assert d["confidence"]["at_threshold"]["events"] > 0  # scored by the folds' scorers
    wrong = CliRunner().invoke(app, ["eval", str(small), "--split", "test", "--out-of-fold"])
    assert wrong.exit_code == 2 and "--split train" in wrong.output
