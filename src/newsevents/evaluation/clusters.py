"""Clusterings scored against labelled clusters: BCubed and pairwise precision and recall of
articles put together, and stories against the events of clustered corpora
(``bench/merge.py``: BASIL, AllSides, ECB+, where articles with one ``cluster`` value
report one real-world event)."""

from __future__ import annotations

import itertools
from collections import defaultdict


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of the clustering ``pred`` (item -> cluster) against
    ``gold`` (item -> cluster), averaged over the items of ``gold``."""
    by_pred: defaultdict[str, set[str]]
    by_gold: defaultdict[str, set[str]]
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for k, c in pred.items():
        by_pred[c].add(k)
    for k, c in gold.items():
        by_gold[c].add(k)
    p = r = 0.0
    for k in gold:
        same_pred, same_gold = by_pred[pred[k]], by_gold[gold[k]]
        inter = len(same_pred & same_gold)
        p += inter / len(same_pred)
        r += inter / len(same_gold)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the pairs of items ``pred`` puts together."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        sp, sg = pred[a] == pred[b], gold[a] == gold[b]
        tp += sp and sg
        fp += sp and not sg
        fn += sg and not sp
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def story_report(
    members: list[tuple[str, str]], gold: dict[str, str], storied: set[str] | None = None
) -> dict[str, float]:
    """Stories against the corpus's event clusters (``members``: (story, article id) pairs).

    A multi-article story is *one event* when all its articles are of one cluster; a cluster of
    three or more articles is *held* when one story holds at least 80% of them (issue 30's
    goals: 90% one event, 80% held); member BCubed scores each (story, article) membership
    with the article's cluster as its event (background mentions joined across clusters
    lower its precision). ``storied``: the articles with an event that may make a story
    (confident, factual, a side placed); the clusters all of whose articles have one are
    counted apart (``held_storied``): how well the merge holds what the coder found, where
    ``held`` also counts the articles the coder found no such event in."""
    by_story: dict[str, set[str]] = defaultdict(set)
    for story, article in members:
        by_story[story].add(article)
    multi = [arts for arts in by_story.values() if len(arts) >= 2]
    one_event = sum(len({gold[a] for a in arts}) == 1 for arts in multi)
    by_cluster: dict[str, set[str]] = defaultdict(set)
    for a, c in gold.items():
        by_cluster[c].add(a)
    big = [arts for arts in by_cluster.values() if len(arts) >= 3]

    def is_held(arts: set[str]) -> bool:
        return any(len(arts & s) >= 0.8 * len(arts) for s in by_story.values())

    held = sum(is_held(arts) for arts in big)
    big_storied = [arts for arts in big if storied is not None and arts <= storied]
    in_story = {a for arts in by_story.values() for a in arts}
    pairs = {f"{s}|{a}": s for s, arts in by_story.items() for a in arts}
    truth = {k: gold[k.split("|", 1)[1]] for k in pairs}
    bp, br, bf = bcubed(pairs, truth) if pairs else (0.0, 0.0, 0.0)
    return {
        "stories": len(by_story),
        "multi_article": len(multi),
        "one_event": one_event / len(multi) if multi else 0.0,
        "clusters_3plus": len(big),
        "held": held / len(big) if big else 0.0,
        "clusters_3plus_storied": len(big_storied),
        "held_storied": (
            sum(is_held(arts) for arts in big_storied) / len(big_storied) if big_storied else 0.0
        ),
        "articles_in_a_story": len(in_story) / len(gold) if gold else 0.0,
        "member_bcubed_p": bp,
        "member_bcubed_r": br,
        "member_bcubed_f1": bf,
    }
