"""Scoring clusterings and stories against labelled clusters (evaluation.clusters)."""

from __future__ import annotations

import pytest

from newsevents.evaluation.clusters import bcubed, pairwise, story_report


def test_bcubed_and_pairwise_by_hand() -> None:
    pred = {"a": "1", "b": "1", "c": "2"}
    gold = {"a": "x", "b": "y", "c": "y"}
    p, r, f = bcubed(pred, gold)
    assert (p, r, f) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert pairwise(pred, gold) == (0.0, 0.0, 0.0)  # the one pair put together is wrong
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)


def test_story_report_counts_one_event_stories_and_held_events() -> None:
    gold = {a: "e1" for a in ("a1", "a2", "a3")} | {b: "e2" for b in ("b1", "b2", "b3", "b4")}
    gold["c1"] = "e3"
    members = [("s1", "a1"), ("s1", "a2"), ("s1", "a3"), ("s2", "b1"), ("s2", "b2")]
    members += [("s2", "c1"), ("s3", "b3")]
    r = story_report(members, gold)
    assert r["stories"] == 3 and r["multi_article"] == 2
    assert r["one_event"] == 0.5  # s1 is one event, s2 mixes e2 with e3
    assert r["clusters_3plus"] == 2 and r["held"] == 0.5  # e1 wholly in s1; e2 at most 2 of 4
    assert r["articles_in_a_story"] == 7 / 8
    assert 0 < r["member_bcubed_p"] < 1 and 0 < r["member_bcubed_r"] < 1
    # the clusters every article of which has an event that may make a story, apart
    assert r["clusters_3plus_storied"] == 0 and r["held_storied"] == 0.0
    some = story_report(members, gold, storied={"a1", "a2", "a3", "b1"})
    assert some["clusters_3plus_storied"] == 1 and some["held_storied"] == 1.0  # e1, held
    every = story_report(members, gold, storied=set(gold))
    assert every["clusters_3plus_storied"] == 2 and every["held_storied"] == 0.5
