"""Benchmark: how far a refit alone moves the article figures (the floors' noise).

Every change of the rules changes the sentences ``make train`` learns from, so the sentence
model and the event scorer are fitted again, and a refit moves events across the
confidence threshold (``settings.MIN_CONFIDENCE``) or flips a setting chosen out of fold
(the recovery threshold from 0.6 to 0.65, say), whatever the change. This script measures
that movement with the rules held still: it reads the gold's train part once, fits the
model on all of it (the baseline, in the same run: what ``make train`` ships) and then
``--refits`` times with one train article left out (articles spread over the sorted list),
and scores the gold's test part with each model, as ``newsevents eval`` does.

It prints each refit's figures in events (right events at the threshold and in all,
gold events found, the settings chosen), the Brier score of the rules' events and its
skill over their share right (the floors' figure) in ten-thousandths, and, per figure, the largest move from the baseline:
``tests/golden/baseline.json``'s ``noise_events`` is read against it.

Usage::

    python bench/refit_noise.py               # 8 refits, about a minute each
    python bench/refit_noise.py --refits 3

Exit code 2 if the gold is missing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsevents.coding.coder import ArticleCoder
from newsevents.evaluation.articles import evaluate_articles
from newsevents.learning.dataset import extra_rows, labelled_sentences
from newsevents.learning.model import SentenceModel
from newsevents.learning.train import train
from newsevents.settings import MIN_CONFIDENCE

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "articles"
#: a step through the sorted train articles that reaches every corpus of the gold
STEP = 47


def figures(coder: ArticleCoder) -> dict[str, float]:
    """The test part's figures with ``coder``'s model, in events (the Brier score of the
    rules' events, its skill, and the skill pooled with the events the model drops rated 0,
    the floors' figure, in ten-thousandths)."""
    rep = evaluate_articles(GOLD, coder, split="test")
    at, _ = rep.at_threshold(MIN_CONFIDENCE)
    conf = rep.as_dict()["confidence"]
    return {
        "rules' Brier x 1e4": round(conf["brier_rules"] * 1e4),
        "rules' Brier skill x 1e4": round(conf["brier_skill_rules"] * 1e4),
        "pooled Brier skill x 1e4": round(conf["pooled"]["brier_skill"] * 1e4),
        "strict right": rep.strict.right,
        "strict predicted": rep.strict.predicted,
        "strict found": rep.strict.found,
        "lenient found": rep.lenient.found,
        "at threshold right": at.right,
        "at threshold events": at.predicted,
        "at threshold found": at.found,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--refits", type=int, default=8, help="refits with one article left out")
    args = ap.parse_args()
    if not (GOLD / "gold.jsonl").exists():
        print(f"no article gold at {GOLD}", file=sys.stderr)
        return 2
    rules = ArticleCoder(learned=False)
    try:
        rows = labelled_sentences(GOLD, rules, "train", None) + extra_rows(rules)
    finally:
        rules.close()
    articles = sorted({r.article for r in rows if r.split == "train"})
    coder = ArticleCoder()
    runs: list[dict[str, object]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(args.refits + 1):
                left_out = articles[(k * STEP + 5) % len(articles)] if k else None
                t0 = time.perf_counter()
                model = train([r for r in rows if r.article != left_out])
                path = Path(tmp) / f"model{k}.json"
                model.save(path)
                coder.model = SentenceModel.load(path)
                run: dict[str, object] = {
                    "left out": left_out or "(none: the baseline)",
                    **figures(coder),
                    "settings": f"{model.threshold}/{model.reroot_below}/{model.reroot_min}"
                    f"/{model.recover_at}",
                    "seconds": round(time.perf_counter() - t0, 1),
                }
                runs.append(run)
                print(json.dumps(run), flush=True)
    finally:
        coder.close()
    base, refits = runs[0], runs[1:]
    print(f"\nmove from the baseline over {len(refits)} refits (events; test part):")
    for key in base:
        if key in ("left out", "settings", "seconds"):
            continue
        moves = [int(r[key]) - int(base[key]) for r in refits]  # type: ignore[call-overload]
        sd = statistics.pstdev(moves) if moves else 0.0
        print(
            f"  {key:22s} baseline {base[key]:>4}  moves {min(moves):+d} .. {max(moves):+d}"
            f"  (sd {sd:.1f}; largest {max(map(abs, moves))})"
        )
    flips = sum(r["settings"] != base["settings"] for r in refits)
    print(f"  settings chosen out of fold differ from the baseline's in {flips} refits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
