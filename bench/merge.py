"""Benchmark: article-to-story assignment against labelled clusters (BASIL, AllSides, ECB+).

Ingests each corpus into a fresh store (our full pipeline: clean, date, code, merge),
assigns every article to its coverage group (articles linked by a shared story or by
overlapping content within a few days, see ``coverage.coverage_groups``), and compares with the corpus's ``cluster`` labels: pairwise
precision/recall/F1 and BCubed precision/recall/F1. For ECB+ it also counts the
same-topic, different-event pairs that we wrongly put together. A baseline in the same
run puts every article in its own cluster. Usage: ``python bench/merge.py [--limit N]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import tempfile
import time
from pathlib import Path

from newsevents.coding.coder import ArticleCoder
from newsevents.evaluation.clusters import bcubed, pairwise, story_report
from newsevents.jobs.ingest import ingest
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories
from newsevents.stories.merge import JOINABLE_SQL, STORY_MIN_CONFIDENCE

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def assign(
    path: Path, coder: ArticleCoder, limit: int
) -> tuple[dict[str, str], dict[str, str], dict[str, str], list[tuple[str, str]], set[str]]:
    recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()][
        : limit or None
    ]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / path.name
        src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        with Store(Path(tmp) / "m.duckdb") as store:
            ingest([str(src)], store, coder=coder)
            update_stories(store, coder.lex)
            origin = {
                r["article_id"]: int(r["origin"].rsplit("#line", 1)[1]) - 1
                for r in store.query("SELECT article_id, origin FROM articles")
            }
            members = store.query("SELECT story_id, article_id FROM story_members")
            # the articles with an event that may make a story (stories.merge's own rule)
            storied = store.query(
                f"SELECT DISTINCT e.article_id FROM events e WHERE {JOINABLE_SQL} "
                f"AND e.confidence >= {STORY_MIN_CONFIDENCE}"
            )
            coverage = {
                r["article_id"]: r["group_id"] for r in store.query("SELECT * FROM coverage")
            }
    gold, pred, topic = {}, {}, {}
    for aid, line in origin.items():
        rec = recs[line]
        gold[rec["id"]] = rec["cluster"]
        topic[rec["id"]] = rec["cluster"].rsplit("-", 1)[0]
        # the article's coverage group: linked by shared stories and by content and date
        pred[rec["id"]] = coverage.get(aid, aid)
    ids = {aid: recs[line]["id"] for aid, line in origin.items()}
    story_members = [(r["story_id"], ids[r["article_id"]]) for r in members]
    return pred, gold, topic, story_members, {ids[r["article_id"]] for r in storied}


def report(name: str, pred: dict[str, str], gold: dict[str, str], topic: dict[str, str]) -> None:
    singles = {k: k for k in gold}
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    sp, sr, sf = bcubed(singles, gold)
    print(
        f"{name}: {len(gold)} articles, {len(set(gold.values()))} gold clusters, "
        f"{len(set(pred.values()))} predicted"
    )
    print(
        f"  ours     BCubed P {bp:.3f} R {br:.3f} F1 {bf:.3f} | pairwise P {pp:.3f} R {pr:.3f} F1 {pf:.3f}"
    )
    print(f"  baseline BCubed P {sp:.3f} R {sr:.3f} F1 {sf:.3f} (every article alone)")
    hard = [
        (a, b)
        for a, b in itertools.combinations(sorted(gold), 2)
        if topic[a] == topic[b] and gold[a] != gold[b]
    ]
    if hard and any(t.endswith(("ecb", "ecbplus")) or "ecbplus" in t for t in topic.values()):
        wrong = sum(pred[a] == pred[b] for a, b in hard)
        print(
            f"  same-topic different-event pairs: {len(hard)}, wrongly merged {wrong} ({wrong / len(hard):.1%})"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    coder = ArticleCoder()
    for name in ("clusters_basil.jsonl", "clusters_allsides.jsonl", "clusters_ecbplus.jsonl"):
        path = CORPORA / name
        if not path.is_file():
            print(f"missing {path}")
            continue
        t0 = time.perf_counter()
        pred, gold, topic, members, storied = assign(path, coder, args.limit)
        report(name, pred, gold, topic)
        st = story_report(members, gold, storied)
        print(
            f"  stories: {st['stories']} ({st['multi_article']} of several articles, "
            f"{st['one_event']:.1%} of those one event); clusters of 3+ articles: "
            f"{st['clusters_3plus']}, held by one story (80%+ of their articles): {st['held']:.1%}; "
            f"articles in a story {st['articles_in_a_story']:.1%}; of the clusters every article "
            f"of which has an event that may make a story ({st['clusters_3plus_storied']}), held "
            f"{st['held_storied']:.1%}; member BCubed "
            f"P {st['member_bcubed_p']:.3f} R {st['member_bcubed_r']:.3f} F1 {st['member_bcubed_f1']:.3f}"
        )
        print(f"  {len(gold) / (time.perf_counter() - t0):.1f} articles/s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
