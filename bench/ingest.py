"""Benchmark: ingest (read → clean → date → store) over Reuters-21578.

Prints articles/s and peak RSS for our ingest, and, in the same run, a baseline that only
reads and parses the JSONL lines (the floor any ingest pays), so the two compare on the
same machine state. Usage: ``python bench/ingest.py [--limit N] [--code]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from newsevents.jobs.ingest import ingest
from newsevents.storage.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "reuters21578.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--code", action="store_true", help="also code events")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        src = args.corpus
        if args.limit:
            src = Path(tmp) / "subset.jsonl"
            with args.corpus.open(encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
                for i, line in enumerate(fh):
                    if i >= args.limit:
                        break
                    out.write(line)
        t0 = time.perf_counter()
        n_base = 0
        with src.open(encoding="utf-8") as fh:
            for line in fh:
                if json.loads(line).get("text"):
                    n_base += 1
        base_s = time.perf_counter() - t0

        coder = None
        if args.code:
            from newsevents.coding.coder import ArticleCoder

            coder = ArticleCoder()
        t0 = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as store:
            summary = ingest([str(src)], store, coder=coder)
        ours_s = time.perf_counter() - t0
    rate = summary.read / ours_s if ours_s else 0.0
    base_rate = n_base / base_s if base_s else 0.0
    print(
        f"corpus: {args.corpus.name} ({summary.read} articles read, {summary.new} new, "
        f"{summary.duplicate} duplicate, {summary.n_discarded} discarded, {summary.events} events)"
    )
    print(f"ingest:   {rate:,.1f} articles/s ({ours_s:.1f} s)")
    print(f"baseline: {base_rate:,.1f} articles/s (JSON parse only, {base_s:.2f} s)")
    print(f"ratio ingest/baseline: {rate / base_rate if base_rate else 0:.4f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
