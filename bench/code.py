"""Benchmark: event coding speed against plain spaCy parsing of the same texts.

Runs, in one process and on the same articles: (1) our coder (sentence split, pre-filter,
parse of candidate sentences only, actors, events) and (2) plain ``nlp.pipe`` over the
whole texts with the full English pipeline (tagger, parser, NER). Prints sentences/s and
articles/s for both, their ratio, the fraction of sentences parsed, and peak RSS.
Usage: ``python bench/code.py [--limit N] [--corpus FILE]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import spacy

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.nlp import MODEL
from newsevents.coding.texts import Text
from newsevents.text.dates import to_date

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def load(path: Path, limit: int) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text"):
                out.append(rec)
            if len(out) >= limit:
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPORA / "isot_reuters_politics_2017.jsonl")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--workers", type=int, default=1, help="spaCy processes for the coder")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    recs = load(args.corpus, args.limit)
    coder = ArticleCoder(n_process=args.workers)
    texts = [Text(str(r["id"]), r["text"], to_date(r.get("published"))) for r in recs]
    t0 = time.perf_counter()
    n_events = sum(1 for _ in coder.code_texts(texts))
    ours = time.perf_counter() - t0
    coder.close()
    st = coder.stats

    nlp = spacy.load(MODEL)
    t0 = time.perf_counter()
    n_sents = 0
    for doc in nlp.pipe((r["text"] for r in recs), batch_size=32):
        n_sents += sum(1 for _ in doc.sents)
    base = time.perf_counter() - t0

    print(f"corpus: {args.corpus.name}, {len(recs)} articles, {st.sentences} sentences")
    print(
        f"coder:    {len(recs) / ours:7.1f} articles/s {st.sentences / ours:8.1f} sentences/s "
        f"({ours:.1f} s, {n_events} events; {st.parsed_fraction:.1%} of sentences parsed, "
        f"{st.recognized_fraction:.1%} through the entity stage)"
    )
    print(
        f"nlp.pipe: {len(recs) / base:7.1f} articles/s {n_sents / base:8.1f} sentences/s ({base:.1f} s)"
    )
    print(f"ratio coder/nlp.pipe: {base / ours:.2f}x")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
