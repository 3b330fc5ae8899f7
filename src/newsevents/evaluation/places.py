"""Score the geocoder against the place gold (``tests/golden/places.jsonl``; how it was made:
``tests/golden/PLACES.md``).

Each gold mention is geocoded as ingest geocodes a place: in its article's context (text with
title, the dateline's country), with the qualifier the text puts after it. Accuracy is the
share of all mentions given their GeoNames id (or one of its ``also`` ids); a place the
gazetteer lacks is a miss. The gold is split in two halves by article (``half``): ``train``,
the one the rules were tuned on, and ``test``.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.places.gazetteer import Gazetteer, gazetteer, km
from newsevents.places.geocode import (
    Geocoded,
    PlaceContext,
    dateline_context,
    dateline_parts,
    geocode,
    geocode_in,
)

KINDS = ("all", "dateline", "in-phrase", "train", "test")


def half(article: str) -> str:
    return "train" if hashlib.sha1(article.encode()).digest()[0] % 2 == 0 else "test"


def load_place_gold(gold: Path, corpora: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(gold mention, its corpus article) pairs."""
    rows = [
        json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    want: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        want[r["corpus"]].add(r["article"])
    articles: dict[str, dict[str, Any]] = {}
    for corpus, ids in want.items():
        with (corpora / corpus).open(encoding="utf-8") as fh:
            for line in fh:
                a = json.loads(line)
                if a["id"] in ids:
                    articles[a["id"]] = a
    return [(r, articles[r["article"]]) for r in rows]


def geocode_mention(
    r: dict[str, Any], a: dict[str, Any], contexts: dict[str, PlaceContext]
) -> Geocoded | None:
    text = f"{a.get('title') or ''}\n{a.get('text') or ''}"
    if a["id"] not in contexts:
        contexts[a["id"]] = dateline_context(text, a.get("dateline"))
    ctx = contexts[a["id"]]
    if r["kind"] == "dateline":
        _, qualifier = dateline_parts(a.get("dateline") or r["mention"])
        return geocode(r["mention"], ctx, qualifier, dateline=True)
    return geocode_in(text, r["mention"], ctx)


@dataclass
class PlaceReport:
    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    none: Counter[str] = field(default_factory=Counter)
    km_off: list[float] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def accuracy(self, kind: str = "all") -> float:
        return self.right[kind] / self.total[kind] if self.total[kind] else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            **{f"accuracy_{k}": round(self.accuracy(k), 3) for k in KINDS},
            "mentions": self.total["all"],
            "no_place_found": self.none["all"],
            "wrong_km_median": round(statistics.median(self.km_off), 1) if self.km_off else None,
            "wrong_km_max": round(max(self.km_off), 1) if self.km_off else None,
            "wrong_measured": len(self.km_off),
        }


def score_places(gold: Path, corpora: Path, g: Gazetteer | None = None) -> PlaceReport:
    g = g or gazetteer()
    rep = PlaceReport()
    contexts: dict[str, PlaceContext] = {}
    for r, a in load_place_gold(gold, corpora):
        got = geocode_mention(r, a, contexts)
        ok_ids = {r["geonameid"], *r.get("also", [])} - {None}
        ok = got is not None and got.place.geonameid in ok_ids
        for kind in ("all", r["kind"], half(r["article"])):
            rep.total[kind] += 1
            rep.right[kind] += ok
            rep.none[kind] += got is None
        if ok:
            continue
        truth = g.places.get(r["geonameid"]) if r["geonameid"] else None
        d = km(got.place, truth) if got is not None and truth is not None else None
        if d is not None:
            rep.km_off.append(d)
        rep.errors.append(
            {
                "half": half(r["article"]),
                "article": r["article"],
                "mention": r["mention"],
                "gold": r["geonameid"],
                "got": got.place.geonameid if got else None,
                "name": got.place.name if got else None,
                "country": got.place.country if got else None,
                "how": got.how if got else None,
                "km": round(d, 1) if d is not None else None,
            }
        )
    return rep
