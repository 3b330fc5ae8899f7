"""Sentences and candidate events as data (``newsevents.learning``): the rules' features,
the coder's sentence hook, the shipped hand-labelled sentences and the gold's labels."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED
from newsevents.cli import app
from newsevents.coding.cameo import default_lexicon
from newsevents.coding.coder import ArticleCoder
from newsevents.coding.texts import Text
from newsevents.learning.dataset import extra_rows, extra_sentences, labelled_sentences
from newsevents.learning.features import (
    ROOTS,
    RULE_FEATURES,
    Candidate,
    EventView,
    SentenceView,
    rule_features,
)
from newsevents.learning.model import TOKEN, ModelFileError, SentenceModel, default_model
from newsevents.learning.train import data_hash, train, within_noise

GOLD = SHARED / "gold" / "articles"
needs_gold = pytest.mark.skipif(
    not (GOLD / "gold.jsonl").is_file(), reason="../shared/gold/articles is not present"
)


@pytest.fixture(scope="module")
def coder() -> Iterator[ArticleCoder]:
    c = ArticleCoder()
    shipped = c.model
    yield c
    c.model = shipped


def test_rule_features_follow_the_named_list() -> None:
    assert len(set(RULE_FEATURES)) == len(RULE_FEATURES)
    plain = SentenceView("Nothing happened here.", 4, 10)
    v = SentenceView(
        "Russia expelled 20 diplomats, officials said.",
        0,
        10,
        candidates=(
            Candidate("161", "verb", "accepted", "161 RUS -> GBR"),
            Candidate("042", "noun", "rejected", "no source: nobody the sentence names does it"),
        ),
        events=(EventView("161", "RUS", "GBR", False, False, 0.6, "verb"),),
    )
    f, g = rule_features(v), rule_features(plain)
    assert f.shape == g.shape == (len(RULE_FEATURES),)
    on = {n for n, x in zip(RULE_FEATURES, f, strict=True) if x}
    assert {
        "event_root_16",
        "candidate_root_16",
        "candidate_root_04",
        "pos_first",
        "cue_said",
        "reason_no_actor",
        "verb_trigger",
    } <= on
    assert "event_root_04" not in on  # a rejected candidate is no event
    assert not {n for n, x in zip(RULE_FEATURES, g, strict=True) if x} & {
        "event_root_16",
        "pos_first",
    }
    # a view survives its JSON form
    assert SentenceView.from_json(json.loads(json.dumps(v.as_json()))) == v


def test_shipped_hand_labelled_sentences_are_valid() -> None:
    rows = extra_sentences()
    roots = {c for c in default_lexicon().codes if len(c) == 2}
    assert len(rows) >= 40
    assert len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        assert r["text"].strip() and r["why"].strip()
        for root in r["roots"]:
            assert root in roots
    assert sum(1 for r in rows if not r["roots"]) >= 15  # no-event kinds that fool the rules


def test_sentence_hook_sees_every_candidate(coder: ArticleCoder) -> None:
    rows = extra_rows(coder)
    assert len(rows) == len(extra_sentences())
    by_text = {r.view.text: r for r in rows}
    expel = by_text[
        "The United States expelled 35 Russian diplomats in retaliation for the hacking."
    ]
    assert expel.stage == "coded" and expel.gold_roots == ("16",)
    assert any(c.decision == "accepted" and c.code.startswith("16") for c in expel.view.candidates)
    assert any(
        e.code.startswith("16") and (e.source, e.target) == ("USA", "RUS")
        for e in expel.view.events
    )
    sport = next(r for r in rows if r.view.text.startswith("Manchester United"))
    assert sport.gold_roots == () and sport.tempting == "sport" and not sport.view.events
    # the hook is the coder's only for the call: ingest never pays for the audit
    assert coder.on_sentence is None


@needs_gold
def test_gold_sentences_are_labelled_by_the_quotes(coder: ArticleCoder) -> None:
    rows = labelled_sentences(GOLD, coder, "train", limit=12)
    gold = [json.loads(line) for line in (GOLD / "gold.jsonl").read_text().splitlines()]
    train = [g for g in gold if g["split"] == "train"][:12]
    assert {r.article for r in rows} <= {g["article"] for g in train}
    assert all(r.split == "train" for r in rows)
    events = [r for r in rows if r.gold_roots]
    assert len(events) >= 10
    # every label is a root of a gold event of that article
    roots = {g["article"]: {e["root"] for e in g["events"]} for g in train}
    assert all(set(r.gold_roots) <= roots[r.article] for r in events)
    # sentences in article order, each with its place
    first = [r for r in rows if r.article == rows[0].article]
    assert [r.view.index for r in first] == list(range(len(first)))
    assert all(r.view.n_sentences == len(first) for r in first)
    assert any(r.tempting and not r.gold_roots for r in rows)  # the gold's named non-events


@needs_gold
def test_sentences_command_writes_the_data(tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    res = CliRunner().invoke(app, ["sentences", str(GOLD), "--out", str(out), "--split", "bogus"])
    assert res.exit_code == 2 and "--split" in res.output
    assert not out.exists()
    for cmd in ("sentences", "train"):
        res = CliRunner().invoke(app, [cmd, str(tmp_path / "nowhere"), "--out", str(out)])
        assert res.exit_code == 2 and "no article gold at" in res.output
        assert not out.exists()


# -- the sentence model -------------------------------------------------------------------


def test_shipped_model_loads_and_names_its_features() -> None:
    m = default_model()
    assert m.meta["data_sha256"] and m.meta["articles"] >= 300
    assert 0.0 < m.threshold < 0.5 and m.reroot_min > m.reroot_below
    assert set(m.root_classes) <= set(ROOTS) and len(m.root_classes) >= 18
    # out of fold, on the training articles, the model beat the rules alone
    assert m.meta["oof_chosen"]["precision"] > m.meta["oof_rules_only"]["precision"]
    assert m.meta["oof_auc"] > 0.75


def test_model_file_refuses_other_features(tmp_path: Path) -> None:
    d = default_model().as_json()
    d["rule_features"] = d["rule_features"][:-1]
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(d))
    with pytest.raises(ModelFileError, match="other rule features"):
        SentenceModel.load(bad)
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="not JSON"):
        SentenceModel.load(bad)
    with pytest.raises(ModelFileError):
        SentenceModel.load(tmp_path / "missing.json")


def test_word_features_are_scikit_learns() -> None:
    """The model scores with numpy alone: its TF-IDF must be TfidfVectorizer's."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        "Russia expelled 20 British diplomats on Monday.",
        "Britain expelled Russian diplomats.",
        "The minister met the Russian ambassador in London.",
        "Diplomats met, and met again.",
    ]
    vec = TfidfVectorizer(
        ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=TOKEN.pattern
    ).fit(texts)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    width = len(vocab) + len(RULE_FEATURES)
    m = SentenceModel(
        vocab, vec.idf_, np.zeros(width), 0.0, ("01",), np.zeros((1, width)), np.zeros(1), 0.1
    )
    want = vec.transform(texts).toarray()
    for text, row in zip(texts, want, strict=True):
        idx, w, _rules = m.features(SentenceView(text, 0, 3))
        got = np.zeros(len(vocab))
        got[idx] = w
        assert np.allclose(got, row)


@needs_gold
def test_shipped_model_was_trained_on_todays_data(coder: ArticleCoder) -> None:
    """The model learned over the rules' output: when the rules change, ``make train``."""
    rules_only = ArticleCoder(learned=False)
    rows = labelled_sentences(GOLD, rules_only, "train") + extra_rows(rules_only)
    assert data_hash(rows) == default_model().meta["data_sha256"], (
        "the rules changed: run make train"
    )


@needs_gold
def test_training_keeps_given_settings() -> None:
    """The out-of-fold evaluation fits each fold with the settings chosen on the whole train
    part: a fold's own choice flips on one event (``evaluation.folds``)."""
    rules_only = ArticleCoder(learned=False)
    rows = labelled_sentences(GOLD, rules_only, "train", None, 60) + extra_rows(rules_only)
    chosen = train(rows)
    given = replace(chosen, threshold=0.15, reroot_below=0.05, reroot_min=0.5, recover_at=0.75)
    kept = train(rows, fixed=given)
    settings = ("threshold", "reroot_below", "reroot_min", "recover_at")
    assert [getattr(kept, k) for k in settings] == [0.15, 0.05, 0.5, 0.75]
    assert kept.meta["oof_chosen"]["threshold"] == 0.15
    assert kept.meta["oof_rules_only"]["threshold"] == 0.0
    # the learned parts are fitted the same way either way
    assert np.array_equal(kept.event_coef, chosen.event_coef)


def _toy_model() -> SentenceModel:
    """A model with known answers: "anniversary" means no event, "talks" means root 04."""
    vocab = {"anniversary": 0, "talks": 1}
    width = len(vocab) + len(RULE_FEATURES)
    event = np.zeros(width)
    event[0] = -50.0
    roots = np.zeros((2, width))
    roots[0, 1] = 50.0  # "04"
    return SentenceModel(
        vocab,
        np.ones(2),
        event,
        5.0,
        ("04", "11"),
        roots,
        np.zeros(2),
        threshold=0.5,
        reroot_below=0.05,
        reroot_min=0.3,
    )


ARTICLE = (
    "Japan accused South Korea of lying. Japan accused South Korea of blocking talks. "
    "Japan accused South Korea of lying about the anniversary. Officials said more was to come."
)


def test_model_rejects_and_reroots_in_articles(coder: ArticleCoder) -> None:
    shipped = coder.model
    seen: list[list[str]] = []
    try:
        coder.model = None
        rules = [e.cameo for e in coder.code_texts([_text(ARTICLE)])]
        coder.model = _toy_model()
        coder.on_sentence = lambda t, i, audit, kept, spare: seen.append([c.code for c in kept])
        events = list(coder.code_texts([_text(ARTICLE)]))
        coder.on_sentence = None
        lone = coder.explain("Japan accused South Korea of lying about the anniversary.")
    finally:
        coder.model, coder.on_sentence = shipped, None
    assert rules == ["112", "112", "112"]
    # kept as the rules coded it; re-rooted by the wording; the anniversary sentence rejected
    got = [(e.cameo, e.sentence.split(" of ", 1)[1]) for e in events]
    assert got == [("112", "lying."), ("040", "blocking talks.")]
    # the hook sees what the rules found, before the model: the training data never
    # depends on the model trained on it (and the saying "Officials said ...", parsed for
    # a statement, which has no rule event)
    assert seen == [["112"], ["112"], ["112"], []]
    # a lone sentence is the rules' alone, with the model's scores shown
    assert lone["model"]["decides"] is False and lone["model"]["p_event"] < 0.01
    assert [e["event"]["cameo"] for e in lone["events"]] == ["112"]


def _text(body: str) -> Text:
    return Text("a", body, date(2019, 7, 1))


RECOVERABLE_ARTICLE = (
    "Britain's government raised taxes on Monday. British officials defended the rise. "
    "The British opposition criticised the government over the rise. "
    "There were arrests of opposition activists on Tuesday. "
    "There were arrests of French activists on Wednesday."
)


def test_the_model_recovers_an_act_the_rules_found_no_side_for(coder: ArticleCoder) -> None:
    from dataclasses import replace

    from newsevents.records import RECOVERED_PATTERN

    shipped = coder.model
    assert shipped is not None
    got = {}
    try:
        for at in (None, 1.01, 0.0):
            coder.model = replace(shipped, recover_at=at)
            got[at] = list(coder.code_texts([_text(RECOVERABLE_ARTICLE)]))
    finally:
        coder.model = shipped
    # the rules find no side for "arrests": no event without recovery, nor under its P(event)
    assert not any("arrests" in e.sentence for e in got[None] + got[1.01])
    assert [e.cameo for e in got[None]] == [e.cameo for e in got[1.01]]
    recovered = [e for e in got[0.0] if e.pattern.startswith(RECOVERED_PATTERN)]
    # from P(event) 0: the arrests of the article's home country's activists, as a domestic
    # act of that country (Britain), with the scorer's confidence and the sentence's date;
    # not the arrests of French activists (the sentence names another country)
    assert [(e.cameo, e.source.country, e.target and e.target.country) for e in recovered] == [
        ("173", "GBR", "GBR")
    ]
    e = recovered[0]
    assert "opposition activists" in e.sentence and e.date == date(2019, 6, 25)
    assert 0.0 < e.confidence < 1.0
    assert e.pattern == RECOVERED_PATTERN + "noun: arrest → 173"


def test_recovery_takes_the_candidate_of_the_model_s_root() -> None:
    from dataclasses import replace

    from newsevents.learning.decide import pick
    from newsevents.learning.model import Scores

    model = replace(_toy_model(), recover_at=0.6)
    spare = (
        EventView("173", "GBR", "GBR", False, False, 0.0, "noun"),
        EventView("112", "GBR", "GBR", False, False, 0.0, "verb"),
    )
    sure = Scores(0.9, {"11": 0.7, "17": 0.2, "04": 0.1})
    assert pick(model, sure, spare) == (1, "112")
    # no candidate of the model's root: the first, with that root's base code
    assert pick(model, Scores(0.9, {"04": 0.8, "17": 0.2}), spare) == (0, "040")
    assert pick(model, Scores(0.5, {"11": 0.9}), spare) is None
    assert pick(replace(model, recover_at=None), sure, spare) is None
    assert pick(model, sure, ()) is None


def test_recovery_takes_a_speaker_s_statement_only_as_a_statement() -> None:
    from dataclasses import replace

    from newsevents.learning.decide import pick
    from newsevents.learning.model import Scores

    model = replace(_toy_model(), recover_at=0.6)
    said = EventView("010", "RUS", "RUS", False, False, 0.0, "verb", source_how="statement")
    arrests = EventView("173", "RUS", "RUS", False, False, 0.0, "noun")
    statement = Scores(0.9, {"01": 0.7, "17": 0.2})
    assert pick(model, statement, (arrests, said)) == (1, "010")
    # a candidate of the patterns of the model's root comes first
    assert pick(model, Scores(0.9, {"17": 0.7}), (said, arrests)) == (1, "173")
    # what the speaker said someone did is that someone's act, not the speaker's
    deed = Scores(0.9, {"18": 0.7, "01": 0.2})
    assert pick(model, deed, (said, arrests)) == (1, "180")
    assert pick(model, deed, (said,)) is None
    assert pick(model, Scores(0.5, {"01": 0.9}), (said,)) is None


def test_a_placed_speaker_s_words_are_a_statement_to_recover(coder: ArticleCoder) -> None:
    from newsevents.coding.coder import _run
    from newsevents.coding.context import DocContext

    def statements(text: str) -> list[tuple[str | None, str | None, str]]:
        doc = next(_run(coder.components, [coder.nlp.make_doc(text)], 1))
        ctx = DocContext(coder.kb, date(2019, 7, 1), contexts=coder.kb.contexts_in(text))
        found = [c for sent in doc.sents for c in coder.coder.statements(sent, ctx)]
        return [(c.source.country, c.target and c.target.country, c.notes[-1]) for c in found]

    said = "Russian Foreign Minister Sergei Lavrov said on Tuesday that the talks were useful."
    assert statements(said) == [("RUS", "RUS", "target: statement")]
    # towards the first other country the sentence names
    said = "Russian Foreign Minister Sergei Lavrov said the sanctions of the United States failed."
    assert statements(said) == [("RUS", "USA", "target: named")]
    # not a saying denied, nor a speaker nobody places
    assert statements("Lavrov did not say whether the talks with Japan were useful.") == []
    assert statements("A spokesman said the talks were useful.") == []


def test_a_saying_without_pattern_words_is_parsed_for_its_statement(coder: ArticleCoder) -> None:
    # no verb pattern in the sentence: before, never parsed, so no statement to recover
    said = "Russian Foreign Minister Sergei Lavrov said on Tuesday that the situation was calm."
    assert not coder.prefilter.can_hold_event(said.split()) and coder.prefilter.says(said.split())
    text = _text(f"{said} {said.replace('Tuesday', 'Wednesday')} Lavrov said more. It rained.")
    spare: list[list[tuple[str | None, str]]] = []
    before = coder.stats.parsed
    try:
        coder.on_sentence = lambda t, i, audit, kept, found: spare.append(
            [(c.source.country, c.source_how) for c in found]
        )
        list(coder.code_texts([text]))
    finally:
        coder.on_sentence = None
    info = coder.explain(said)  # explain says why such a sentence is parsed
    assert info["prefilter"] is False and info["saying"] is True
    assert coder.explain("It rained on Tuesday.")["saying"] is False
    assert spare[0] == [("RUS", "statement")] and len(spare) == 3  # not the rain
    assert coder.stats.parsed == before + 3
    # a coder that recovers nothing does not parse such sentences at all
    assert coder.model is not None and coder.model.recover_at is not None
    shipped = coder.model
    try:
        coder.model = None
        parsed = coder.stats.parsed
        list(coder.code_texts([_text(said + " It rained. It rained again.")]))
        assert coder.stats.parsed == parsed
    finally:
        coder.model = shipped


def test_shipped_model_recovers_where_recovery_was_right_as_often_as_the_rules() -> None:
    m = default_model()
    r = m.meta["oof_recovery"]
    assert m.recover_at is not None and r["recover_at"] == m.recover_at
    # out of fold, the recovered events were right at least as often as the rules' events
    # the model keeps, and more of them were right than that share of them
    assert r["precision"] >= m.meta["oof_chosen"]["precision"] and r["gain"] > 0


def test_explain_says_what_the_model_would_recover(coder: ArticleCoder) -> None:
    info = coder.explain("There were arrests of opposition activists on Tuesday.")
    assert not info["events"]
    assert [c["reason"][:9] for c in info["candidates"]] == ["no source"]
    m = info["model"]
    assert m is not None and m["decides"] is False
    recover_at = coder.model.recover_at if coder.model else None
    assert f"'arrests' from P(event) {recover_at:.2f}" in m["recovery"]
    assert "home -> home" in m["recovery"]


def test_explain_says_which_statement_the_model_would_recover(coder: ArticleCoder) -> None:
    from newsevents.learning.model import Scores

    shipped = coder.model
    assert shipped is not None and shipped.recover_at is not None
    fields = {f: getattr(shipped, f) for f in shipped.__dataclass_fields__}

    def says(roots: dict[str, float]) -> str:
        class Scored(type(shipped)):  # type: ignore[misc]
            def score(self, v: object) -> Scores:
                return Scores(0.9, roots)

        coder.model = Scored(**fields)
        try:
            info = coder.explain(
                "Russian Foreign Minister Sergei Lavrov said on Tuesday it was late."
            )
        finally:
            coder.model = shipped
        assert not info["events"]
        return str(info["model"]["recovery"])

    # where the model finds a statement likeliest: the speaker's, to his own country
    said = says({"01": 0.8, "18": 0.1})
    assert "recovers the statement of 'Sergey Lavrov' ('said')" in said
    assert said.endswith("(here 0.90) as 010, RUS -> RUS")
    # where it finds violence likeliest, the speaker's words are not the violence
    assert "recovers no statement here: its likeliest root, 18" in says({"18": 0.8, "01": 0.1})


def test_recovery_threshold_is_the_lowest_within_noise_of_the_best() -> None:
    def row(t: float, kept: int, right: int, floor: float = 0.3247) -> dict[str, float]:
        return {"recover_at": t, "kept": kept, "right": right, "gain": right - floor * kept}

    # out of fold with the UK parties placed: 0.65 gains most (31.0), 0.60 1.9 less; the 43
    # events between them (12 right) have a standard error of 2.9: 0.60
    grid = [row(0.55, 265, 107), row(0.6, 225, 102), row(0.65, 182, 90), row(0.7, 144, 74)]
    assert within_noise(grid)["recover_at"] == 0.6
    # 0.55 falls 9.9 short, over the 3.6 of the 83 events it adds: not taken
    assert within_noise(grid[:1] + grid[2:])["recover_at"] == 0.65
    # a clear best stays: the 43 events 0.60 adds hold 2 right ones
    clear = [row(0.6, 225, 92), row(0.65, 182, 90)]
    assert within_noise(clear)["recover_at"] == 0.65


def test_an_act_with_an_author_placed_nowhere_is_no_event_of_an_article() -> None:
    from newsevents.learning.decide import authorless

    def view(src: str | None, tgt: str | None, how: str = "") -> EventView:
        return EventView("040", src, tgt, False, False, 0.5, "verb", src, tgt, source_how=how)

    # "a prosecutor working with the team met ...": no one to count the meeting for
    assert authorless(view(None, "USA"), "040") and authorless(view(None, None), "173")
    # an attack by unidentified gunmen on a placed side happens somewhere: it stays
    assert not authorless(view(None, "NGA"), "190") and not authorless(view(None, "FRA"), "145")
    # but not when no side is placed at all
    assert authorless(view(None, None), "190")
    # an international NGO stays unplaced by the protocol; a placed author is no question
    assert not authorless(view(None, "SYR", "igo"), "042")
    assert not authorless(view("USA", None), "010")
