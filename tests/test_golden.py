"""Quality gates: event coding scores on our development gold set and on the shared PLV
train split may not fall below the floors pinned in tests/golden/baseline.json (floors
only go up; raise them when the coder improves)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.coding.coder import ArticleCoder
from newsevents.evaluation.sentences import evaluate, load_gold

GOLDEN = Path(__file__).parent / "golden"
BASELINE = json.loads((GOLDEN / "baseline.json").read_text())
PLV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "plv_train.jsonl"


@pytest.fixture(scope="module")
def coder() -> ArticleCoder:
    return ArticleCoder()


def test_dev_gold_is_well_formed() -> None:
    records = load_gold(GOLDEN / "dev_gold.jsonl")
    assert len(records) >= 300
    roots = {e["cameo"][:2] for r in records for e in r["events"]}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert len({r["id"] for r in records}) == len(records)
    tags = {t for r in records for t in r.get("tags", [])}
    assert {
        "no_event",
        "negation",
        "reported_speech",
        "hypothetical",
        "metonymy",
        "passive",
    } <= tags


def test_dev_gold_floors(coder: ArticleCoder) -> None:
    rep = evaluate(coder, GOLDEN / "dev_gold.jsonl").as_dict()
    floors = BASELINE["dev_gold"]
    assert rep["overall"]["f1"] >= floors["event_f1"]
    assert rep["overall"]["precision"] >= floors["event_precision"]
    assert rep["root_only"]["f1"] >= floors["root_f1"]
    assert rep["dyad_accuracy"] >= floors["dyad_accuracy"]


def test_no_event_sentences_stay_quiet(coder: ArticleCoder) -> None:
    records = [r for r in load_gold(GOLDEN / "dev_gold.jsonl") if "no_event" in r.get("tags", [])]
    from newsevents.evaluation.sentences import predict

    preds = predict(coder, records)
    noisy = [
        r["id"]
        for r in records
        if any(not e.negated and not e.hypothetical for e in preds.get(r["id"], []))
    ]
    assert len(noisy) <= BASELINE["dev_gold"]["max_false_alarms_on_no_event"]


@pytest.mark.skipif(not PLV.is_file(), reason="../shared/gold/plv_train.jsonl is not present")
def test_plv_train_floors(coder: ArticleCoder) -> None:
    rep = evaluate(coder, PLV).as_dict()
    floors = BASELINE["plv_train"]
    assert rep["macro_f1"] >= floors["macro_f1"]
    assert rep["macro_f1_actors_given"] >= floors["macro_f1_actors_given"]
    assert rep["quad_macro_f1"] >= floors["quad_macro_f1"]
