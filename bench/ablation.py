"""Benchmark: what each coding stage buys on whole real articles, and what it costs.

Scores the article gold (``../shared/gold/articles``, the ``test`` part by default) through
``ingest`` four times in one run, as ``newsevents eval`` does: with the rules alone
(``ArticleCoder(learned=False)``), with the sentence model of ``learning/`` deciding which
events stand but the rules' confidence kept (its event scorer taken out), with the scorer
setting each event's confidence but no event recovered where the rules found no side
(``decide.recover``), and with the whole shipped model (the default coder). For each it prints strict and lenient precision and recall, core recall, the
figures of the events at ``settings.MIN_CONFIDENCE`` (the ones stories count), the expected
calibration error of the confidence, and the articles/s of the scoring run (one process;
reading, cleaning, coding and storing; the model loads are not timed).

Usage: ``python bench/ablation.py [--split test|train|all]``. Figures also go to
``bench/out/ablation.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsevents.coding.coder import ArticleCoder
from newsevents.evaluation.articles import evaluate_articles

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "articles"
OUT = ROOT / "bench" / "out" / "ablation.json"


def run(
    name: str, learned: bool, split: str, scorer: bool = True, recover: bool = True
) -> dict[str, Any]:
    coder = ArticleCoder(learned=learned)
    if coder.model is not None and not scorer:
        coder.model = replace(coder.model, scorer=None)
    if coder.model is not None and not recover:
        coder.model = replace(coder.model, recover_at=None)
    t0 = time.perf_counter()
    try:
        d = evaluate_articles(GOLD, coder, split=split).as_dict()  # type: ignore[arg-type]
    finally:
        coder.close()
    seconds = time.perf_counter() - t0
    c = d["confidence"]
    return {
        "stage": name,
        "articles": d["articles"],
        "events": d["strict"]["predicted"],
        "strict_p": d["strict"]["precision"],
        "strict_r": d["strict"]["recall"],
        "lenient_p": d["lenient"]["precision"],
        "lenient_r": d["lenient"]["recall"],
        "core_r": d["strict_core_recall"],
        "dates": d["date_accuracy"],
        "confident_p": (c["at_threshold"] or {}).get("strict_precision"),
        "confident_r": (c["at_threshold"] or {}).get("strict_recall"),
        "ece": c["ece"],
        "seconds": round(seconds, 1),
        "articles_per_s": round(d["articles"] / seconds, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", choices=["test", "train", "all"], default="test")
    args = ap.parse_args()
    if not (GOLD / "gold.jsonl").is_file():
        print(f"article gold not found: {GOLD}", file=sys.stderr)
        return 2
    rows = [
        run("rules only", False, args.split),
        run("+ sentence model", True, args.split, scorer=False),
        run("+ event scorer", True, args.split, recover=False),
        run("+ recovery", True, args.split),
    ]
    cols = list(rows[0])
    print(f"article gold, {args.split} part, scored through ingest (one process):")
    print("  ".join(f"{c:>14}" for c in cols))
    for r in rows:
        print("  ".join(f"{r[c]!s:>14}" for c in cols))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"split": args.split, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"figures: {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
