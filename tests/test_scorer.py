"""The event scorer (``newsevents.learning.scorer``): an event's confidence is P(right)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.texts import Text
from newsevents.learning.features import Candidate, EventView, SentenceView
from newsevents.learning.model import ModelFileError, Scores, SentenceModel, default_model
from newsevents.learning.scorer import (
    ARTICLE_FEATURES,
    EVENT_FEATURES,
    EventKey,
    EventScorer,
    event_features,
    in_article,
)
from newsevents.learning.train import CURVE, MIN_KEPT_PRECISION, MIN_RIGHT_KEPT, fit_scorer
from newsevents.settings import MIN_CONFIDENCE


def _on(x: np.ndarray) -> set[str]:
    return {n for n, v in zip(EVENT_FEATURES, x, strict=True) if v}


def test_event_features_follow_the_named_list() -> None:
    assert len(set(EVENT_FEATURES)) == len(EVENT_FEATURES)
    police = EventView(
        "173", None, "GBR", False, False, 0.4, "verb",
        final_source="GBR", final_target="GBR", specificity=2, source_how="role",
        target_how="object+domestic", source_sector="COP", target_sector=None,
    )  # fmt: skip
    v = SentenceView(
        "Police arrested the men on Tuesday, officials said.",
        0,
        12,
        candidates=(Candidate("042", "noun", "rejected", "background: years before"),),
        events=(police,),
    )
    x = event_features(police, "173", v, Scores(0.8, {"17": 0.7, "04": 0.2}))
    assert x.shape == (len(EVENT_FEATURES),)
    on = _on(x)
    assert {
        "domestic", "filled", "pos_first", "root_17", "root_is_best",
        "source_how_role", "target_how_object", "target_mark_domestic", "source_COP", "cue_said",
        "reason_background",
    } <= on  # fmt: skip
    assert "source_unplaced" not in on  # the stored pair is placed: domestic fills it
    assert x[EVENT_FEATURES.index("p_root")] == pytest.approx(0.7)
    # re-rooted by the sentence model: the final root is what is read
    y = event_features(police, "040", v, Scores(0.8, {"17": 0.7, "04": 0.2}))
    assert {"rerooted", "root_04"} <= _on(y) and "root_17" not in _on(y)
    assert y[EVENT_FEATURES.index("p_root")] == pytest.approx(0.2)


def _toy_scorer() -> EventScorer:
    """P(right) 0.88 for a root-11 event, 0.27 for any other."""
    coef = np.zeros(len(EVENT_FEATURES))
    coef[EVENT_FEATURES.index("root_11")] = 3.0
    return EventScorer(coef=coef, bias=-1.0, mean=np.zeros(len(EVENT_FEATURES)))


def test_confidence_is_the_scorers_p_right() -> None:
    coder = ArticleCoder()
    shipped = coder.model
    assert shipped is not None and shipped.scorer is not None
    article = (
        "Japan accused South Korea of lying about the islands on Monday. "
        "Japan and South Korea held talks in Seoul on Tuesday. "
        "Officials said more was to come."
    )
    try:
        coder.model = replace(shipped, threshold=0.0, scorer=_toy_scorer())
        events = list(coder.code_texts([Text("a", article, date(2019, 7, 1))]))
        said = coder.explain("Japan accused South Korea of lying about the islands.")
    finally:
        coder.model = shipped
        coder.close()
    factual = {e.cameo[:2]: e.confidence for e in events if not e.negated and not e.hypothetical}
    assert factual["11"] == pytest.approx(1 / (1 + np.exp(-2.0)), abs=1e-3)
    assert factual["04"] == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-3)
    # explain says what moved the score
    notes = " ".join(n for e in said["events"] for n in e["notes"])
    assert "P(right) by the event scorer" in notes and "root_11=1 +3.00" in notes


def test_an_event_is_read_with_its_article_s_other_events() -> None:
    """The article's features say how its other sentences bear an event out: the same pair
    (either way round) in other sentences, the same pair and root, earlier or not."""
    kor_rus, kor_jpn = frozenset(("KOR", "RUS")), frozenset(("KOR", "JPN"))
    keys = [
        EventKey(0, kor_rus, "04"),
        EventKey(0, kor_rus, "03"),  # the same sentence: no support of its own
        EventKey(2, frozenset(("RUS", "KOR")), "04"),
        EventKey(5, kor_jpn, "11"),
    ]
    x = in_article(np.zeros((4, len(EVENT_FEATURES))), keys, n_sentences=8)
    f = {name: x[:, EVENT_FEATURES.index(name)] for name in ARTICLE_FEATURES}
    assert list(f["pair_sentences"]) == [0.2, 0.2, 0.2, 0.0]
    assert list(f["pair_root_sentences"]) == [0.2, 0.0, 0.2, 0.0]
    assert list(f["pair_root_earlier"]) == [0.0, 0.0, 1.0, 0.0]
    assert list(f["top_pair"]) == [1.0, 1.0, 1.0, 0.0]
    assert list(f["pair_share"]) == [0.75, 0.75, 0.75, 0.25]
    assert list(f["article_events"]) == [0.25] * 4
    # the sentence's own features are left as they were
    assert not x[:, : len(EVENT_FEATURES) - len(ARTICLE_FEATURES)].any()
    # and event_features leaves the article's to in_article
    police = EventView("173", "GBR", "GBR", False, False, 0.4, "verb")
    v = SentenceView("Police arrested the men.", 3, 12, events=(police,))
    assert not set(ARTICLE_FEATURES) & _on(event_features(police, "173", v, Scores(0.5, {})))


def test_an_act_other_sentences_report_too_is_rated_higher() -> None:
    """Coding rates an article's events once the article is coded: more talks of the same
    pair two sentences later raise the first report's P(right)."""
    coder = ArticleCoder()
    shipped = coder.model
    assert shipped is not None and shipped.scorer is not None
    talks = "Japan and South Korea held talks in Seoul on Tuesday."
    filler = "The weather in the region was mild for the season."
    again = "Japan and South Korea also held talks in Tokyo on Wednesday."
    coef = np.zeros(len(EVENT_FEATURES))
    coef[EVENT_FEATURES.index("pair_root_sentences")] = 5.0
    toy = EventScorer(coef=coef, bias=-1.0, mean=np.zeros(len(EVENT_FEATURES)))
    try:
        coder.model = replace(shipped, threshold=0.0, scorer=toy)
        once, twice = (
            [
                e
                for e in coder.code_texts([Text(name, text, date(2019, 7, 2))])
                if e.sentence == talks and e.cameo.startswith("04")
            ]
            for name, text in (
                ("once", f"{talks} {filler} {filler}"),
                ("twice", f"{talks} {filler} {again}"),
            )
        )
    finally:
        coder.model = shipped
        coder.close()
    assert once and twice
    assert once[0].confidence == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-3)
    assert twice[0].confidence == pytest.approx(1 / (1 + np.exp(-0.0)), abs=1e-3)


def test_contributions_rank_by_push_against_the_average_event() -> None:
    coef = np.zeros(len(EVENT_FEATURES))
    coef[EVENT_FEATURES.index("p_event")] = 2.0
    coef[EVENT_FEATURES.index("source_unplaced")] = -1.5
    mean = np.zeros(len(EVENT_FEATURES))
    mean[EVENT_FEATURES.index("p_event")] = 0.7
    s = EventScorer(coef=coef, bias=0.0, mean=mean, scale=2.0)
    x = np.zeros(len(EVENT_FEATURES))
    x[EVENT_FEATURES.index("p_event")] = 0.2
    x[EVENT_FEATURES.index("source_unplaced")] = 1.0
    assert s.contributions(x) == [("source_unplaced", 1.0, -3.0), ("p_event", 0.2, -2.0)]
    assert s.p_right(x) == pytest.approx(1 / (1 + np.exp(-2.0 * (0.4 - 1.5))))


def test_fitted_scorer_is_calibrated_out_of_fold() -> None:
    """On events whose chance of being right is known, the fitted scorer gives it back."""
    rng = np.random.default_rng(7)
    n = 3000
    x = np.zeros((n, len(EVENT_FEATURES)))
    x[:, EVENT_FEATURES.index("p_event")] = rng.random(n)
    x[:, EVENT_FEATURES.index("source_unplaced")] = rng.random(n) < 0.3
    truth = 1 / (
        1 + np.exp(-(4 * x[:, 0] - 2.5 - 1.5 * x[:, EVENT_FEATURES.index("source_unplaced")]))
    )
    y = rng.random(n) < truth
    s = fit_scorer(x, y, [f"a{k % 400}" for k in range(n)])
    p = np.array([s.p_right(row) for row in x])
    assert float(np.abs(p - truth).mean()) < 0.05
    assert s.meta["oof_ece"] <= 0.05 and s.meta["oof_auc"] > 0.7
    curve = s.meta["oof_curve"]
    assert [c["threshold"] for c in curve] == list(CURVE)
    # recall is counted against the gold events given (by default the right events)
    assert all(c["recall"] == c["right_kept"] for c in curve)
    halved = fit_scorer(x, y, [f"a{k % 400}" for k in range(n)], gold=2 * int(y.sum()))
    for a, b in zip(curve, halved.meta["oof_curve"], strict=True):
        assert b["recall"] == pytest.approx(a["right_kept"] / 2, abs=1e-4) and b["f05"] < a["f05"]
    assert all(a["events"] >= b["events"] for a, b in zip(curve, curve[1:], strict=False))
    assert s.coef[EVENT_FEATURES.index("source_unplaced")] < 0 < s.coef[0]


def test_shipped_scorer_is_calibrated_and_sets_the_threshold() -> None:
    s = default_model().scorer
    assert s is not None
    m = s.meta
    assert m["events"] >= 1000 and m["oof_auc"] > 0.7
    assert m["oof_ece"] <= 0.08
    # at settings.MIN_CONFIDENCE, out of fold, the events kept are mostly right and most
    # right ones are kept (when a retrain moves this, choose the setting again)
    at = next(c for c in m["oof_curve"] if c["threshold"] == MIN_CONFIDENCE)
    assert at["precision"] >= MIN_KEPT_PRECISION and at["right_kept"] >= MIN_RIGHT_KEPT
    # the setting is where the out-of-fold F0.5 of precision and the recall of the gold
    # events peaks (settings.MIN_CONFIDENCE says why; the gold events include those no rule
    # finds, so recall sits under the share of the right events kept); a neighbouring
    # threshold may match it within a hundredth after a refit
    assert all(c["recall"] < c["right_kept"] for c in m["oof_curve"] if c["right_kept"])
    for c in m["oof_curve"]:
        p, r = c["precision"], c["recall"]
        assert c["f05"] == pytest.approx(1.25 * p * r / (0.25 * p + r), abs=1e-3)
    assert at["f05"] >= max(c["f05"] for c in m["oof_curve"]) - 0.01


def test_model_file_refuses_a_scorer_of_other_features(tmp_path: Path) -> None:
    d = default_model().as_json()
    d["scorer"]["features"] = d["scorer"]["features"][:-1]
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(d))
    with pytest.raises(ModelFileError, match="other event features.*make train"):
        SentenceModel.load(bad)
    d = default_model().as_json()
    d["scorer"]["coef"] = d["scorer"]["coef"][:3]
    bad.write_text(json.dumps(d))
    with pytest.raises(ModelFileError, match="coefficients"):
        SentenceModel.load(bad)


def test_the_trigger_s_form_is_read_from_the_parse() -> None:
    """A past tense reports an act ("Japan accused Korea"); a participle after its noun only
    describes someone ("The diplomat accused of rape has left")."""
    import spacy

    from newsevents.coding.nlp import MODEL
    from newsevents.learning.features import form_of

    nlp = spacy.load(MODEL)

    def trigger(text: str, word: str) -> object:
        return next(t for t in nlp(text) if t.text == word)

    assert form_of(trigger("Japan accused South Korea of lying on Monday.", "accused")) == "past"
    assert form_of(trigger("The diplomat accused of rape has left India.", "accused")) == (
        "participle"
    )
    assert form_of(trigger("The two sides will meet in Geneva.", "meet")) == "base"
    assert form_of(trigger("Russia is expelling two diplomats.", "expelling")) == "gerund"
    assert form_of(trigger("The talks in Seoul ended on Tuesday.", "talks")) == "noun"
    # an event's view carries it, and the scorer reads it
    police = EventView("173", "GBR", "GBR", False, False, 0.4, "verb", form="participle")
    v = SentenceView("The men arrested by police were freed.", 3, 12, events=(police,))
    on = _on(event_features(police, "173", v, Scores(0.5, {"17": 0.5})))
    assert "form_participle" in on and not {"form_past", "form_noun"} & on
