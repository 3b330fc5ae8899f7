"""Sentences and candidate events as data (``newsevents.learning``): the rules' features,
the coder's sentence hook, the shipped hand-labelled sentences and the gold's labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED
from newsevents.cli import app
from newsevents.coding.cameo import default_lexicon
from newsevents.coding.coder import ArticleCoder
from newsevents.learning.dataset import extra_rows, extra_sentences, labelled_sentences
from newsevents.learning.features import (
    RULE_FEATURES,
    Candidate,
    EventView,
    SentenceView,
    rule_features,
)

GOLD = SHARED / "gold" / "articles"
needs_gold = pytest.mark.skipif(
    not (GOLD / "gold.jsonl").is_file(), reason="../shared/gold/articles is not present"
)


@pytest.fixture(scope="module")
def coder() -> ArticleCoder:
    return ArticleCoder()


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
