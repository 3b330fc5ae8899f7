"""Geocoding against the place gold (tests/golden/places.jsonl, see tests/golden/PLACES.md).

Prints accuracy (right GeoNames id over all mentions; a place the gazetteer lacks is a miss),
by kind and by half of the gold (``train``: the half the rules were tuned on; ``test``: the
other), how far the wrong ones are (km), the gazetteer's load time and memory, and the time
per mention against a bare name lookup (the baseline, same run).

    python bench/geocoding.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsevents.coding.kb import default_kb  # noqa: E402
from newsevents.evaluation.places import KINDS, load_place_gold, score_places  # noqa: E402
from newsevents.places.gazetteer import gazetteer  # noqa: E402

GOLD = ROOT / "tests" / "golden" / "places.jsonl"
CORPORA = ROOT.parent / "shared" / "corpora"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every wrong mention")
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    args = ap.parse_args()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    g = gazetteer()
    load_s = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    default_kb()  # the knowledge base (country names), loaded by coding anyway: not timed
    t0 = time.perf_counter()
    rep = score_places(GOLD, args.corpora, g)
    per = (time.perf_counter() - t0) / rep.total["all"]
    mentions = [r["mention"] for r, _ in load_place_gold(GOLD, args.corpora)]
    t0 = time.perf_counter()
    for m in mentions:
        g.named(m)
    bare = (time.perf_counter() - t0) / len(mentions)
    if args.errors:
        for e in rep.errors:
            print(json.dumps(e, ensure_ascii=False))
    print(f"place gold: {rep.total['all']} mentions")
    for kind in KINDS:
        print(
            f"  {kind:10} accuracy {rep.accuracy(kind):.3f} ({rep.right[kind]}/{rep.total[kind]}), "
            f"no place found {rep.none[kind]}"
        )
    d = rep.as_dict()
    print(
        f"  wrong places the gazetteer holds: {d['wrong_measured']}, km off median {d['wrong_km_median']}, "
        f"max {d['wrong_km_max']}"
    )
    print(
        f"gazetteer: {len(g.places)} places, {len(g.by_name)} names; loaded in {load_s:.2f} s, "
        f"+{(rss1 - rss0) / 1024:.0f} MB peak RSS"
    )
    print(
        f"time per mention: {per * 1e6:.0f} us in context (article context built once per article), "
        f"{bare * 1e6:.1f} us a bare name lookup (baseline)"
    )


if __name__ == "__main__":
    main()
