"""Measure event coding against human-labelled sentences.

Two gold formats are read:

- **events** (ours, and the format of the issue tracker): ``{id, text, date, events:
  [{source_country, target_country, cameo}]}``. Scored per event: a predicted event is a
  true positive when its CAMEO root and its dyad match a gold event's (the dyad is
  unordered for symmetric roots 04 and 06). Also scored at root level ignoring actors.
- **labels** (PLV style): ``{id, text, source, target, label}`` with one class per
  sentence (PLOVER names; ACCUSE = roots 09 and 11, ASSAULT = 18-20). Scored as sentence
  classification: the top predicted event's class against the gold class, macro-F1 over
  classes, with and without the actors given (given: only events whose source and target
  overlap the gold actor phrases are considered).

Negated and hypothetical events are not counted as predictions: they did not happen.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.texts import Text
from newsevents.records import Event
from newsevents.text.dates import to_date

SYMMETRIC_ROOTS = {"04", "06"}
LABEL_ROOTS = {
    "AGREE": ["03"],
    "CONSULT": ["04"],
    "SUPPORT": ["05"],
    "COOPERATE": ["06"],
    "AID": ["07"],
    "YIELD": ["08"],
    "CONCEDE": ["08"],
    "ACCUSE": ["09", "11"],
    "REQUEST": ["10", "02"],
    "REJECT": ["12"],
    "THREATEN": ["13"],
    "PROTEST": ["14"],
    "MOBILIZE": ["15"],
    "SANCTION": ["16"],
    "COERCE": ["17"],
    "ASSAULT": ["18", "19", "20"],
}
ROOT_LABEL = {r: lab for lab, roots in LABEL_ROOTS.items() if lab != "CONCEDE" for r in roots}
ROOT_LABEL["02"] = "REQUEST"


def quad_of_root(root: str) -> int:
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 9 else 3 if n <= 14 else 4


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    kind: str
    n_records: int
    overall: PRF = field(default_factory=PRF)
    root_only: PRF = field(default_factory=PRF)
    per_root: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    per_quad: dict[int, PRF] = field(default_factory=lambda: defaultdict(PRF))
    dyad_hits: int = 0
    dyad_total: int = 0
    macro_f1: float | None = None
    macro_f1_actors_given: float | None = None
    accuracy: float | None = None
    quad_macro_f1: float | None = None

    @property
    def dyad_accuracy(self) -> float:
        return self.dyad_hits / self.dyad_total if self.dyad_total else 0.0

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "records": self.n_records,
            "overall": self.overall.as_dict(),
            "root_only": self.root_only.as_dict(),
            "per_root": {k: v.as_dict() for k, v in sorted(self.per_root.items())},
            "per_quad": {str(k): v.as_dict() for k, v in sorted(self.per_quad.items())},
            "dyad_accuracy": round(self.dyad_accuracy, 3),
        }
        for key in ("macro_f1", "macro_f1_actors_given", "accuracy", "quad_macro_f1"):
            if getattr(self, key) is not None:
                d[key] = round(getattr(self, key), 3)
        return d


def load_gold(path: Path) -> list[dict[str, Any]]:
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: malformed JSON: {exc}") from exc
        if not isinstance(rec, dict) or "text" not in rec:
            raise ValueError(f"{path}:{n}: a gold record needs at least 'id' and 'text'")
        rec.setdefault("id", f"line{n}")
        records.append(rec)
    return records


def predict(coder: ArticleCoder, records: Sequence[dict[str, Any]]) -> dict[str, list[Event]]:
    texts = [Text(str(r["id"]), str(r["text"]), to_date(r.get("date"))) for r in records]
    out: dict[str, list[Event]] = defaultdict(list)
    for ev in coder.code_texts(texts):
        out[ev.article_id].append(ev)
    return out


def _happened(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if not e.negated and not e.hypothetical]


def _dyad_match(root: str, ps: str | None, pt: str | None, gs: str | None, gt: str | None) -> bool:
    if (ps, pt) == (gs, gt):
        return True
    return root in SYMMETRIC_ROOTS and (ps, pt) == (gt, gs)


def evaluate_events(records: Sequence[dict[str, Any]], preds: dict[str, list[Event]]) -> Report:
    rep = Report("events", len(records))
    for rec in records:
        gold = [
            (str(g["cameo"])[:2], g.get("source_country"), g.get("target_country"))
            for g in rec.get("events") or []
        ]
        pred = [
            (e.cameo[:2], e.source.country, e.target.country if e.target else None)
            for e in _happened(preds.get(str(rec["id"]), []))
        ]
        # event level: root and dyad
        unmatched = list(gold)
        for p in pred:
            hit = next(
                (
                    g
                    for g in unmatched
                    if g[0] == p[0] and _dyad_match(p[0], p[1], p[2], g[1], g[2])
                ),
                None,
            )
            if hit:
                unmatched.remove(hit)
                rep.overall.tp += 1
                rep.per_root[p[0]].tp += 1
                rep.per_quad[quad_of_root(p[0])].tp += 1
            else:
                rep.overall.fp += 1
                rep.per_root[p[0]].fp += 1
                rep.per_quad[quad_of_root(p[0])].fp += 1
        for g in unmatched:
            rep.overall.fn += 1
            rep.per_root[g[0]].fn += 1
            rep.per_quad[quad_of_root(g[0])].fn += 1
        # root level, ignoring actors
        groots = Counter(g[0] for g in gold)
        proots = Counter(p[0] for p in pred)
        for r in set(groots) | set(proots):
            both = min(groots[r], proots[r])
            rep.root_only.tp += both
            rep.root_only.fp += proots[r] - both
            rep.root_only.fn += groots[r] - both
        # dyad accuracy among root matches
        for g in gold:
            same_root = [p for p in pred if p[0] == g[0]]
            if same_root:
                rep.dyad_total += 1
                if any(_dyad_match(g[0], p[1], p[2], g[1], g[2]) for p in same_root):
                    rep.dyad_hits += 1
    return rep


def _overlap(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    wa = {w.strip(".,'’s").lower() for w in a.split()} - {"the", "a", "of", ""}
    wb = {w.strip(".,'’s").lower() for w in b.split()} - {"the", "a", "of", ""}
    return len(wa & wb) / len(wb) if wb else 0.0


def gold_label(rec: dict[str, Any]) -> str | None:
    label = rec.get("label") or rec.get("plover")
    if label:
        return "YIELD" if label == "CONCEDE" else str(label)
    root = rec.get("cameo_root")
    return ROOT_LABEL.get(str(root)[:2]) if root else None


def _macro_f1(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, PRF]]:
    per: dict[str, PRF] = defaultdict(PRF)
    labels = {g for g, _ in pairs}
    for g, p in pairs:
        if g == p:
            per[g].tp += 1
        else:
            per[g].fn += 1
            per[p].fp += 1
    scores = [per[lab].f1 for lab in labels]
    return (sum(scores) / len(scores) if scores else 0.0), per


def evaluate_labels(records: Sequence[dict[str, Any]], preds: dict[str, list[Event]]) -> Report:
    rep = Report("labels", len(records))
    plain: list[tuple[str, str]] = []
    given: list[tuple[str, str]] = []
    quads: list[tuple[str, str]] = []
    for rec in records:
        gold = gold_label(rec)
        if gold is None:
            continue
        events = sorted(_happened(preds.get(str(rec["id"]), [])), key=lambda e: -e.confidence)
        top = ROOT_LABEL.get(events[0].cameo[:2], "NONE") if events else "NONE"
        plain.append((gold, top))
        gq = str(quad_of_root(LABEL_ROOTS[gold][0])) if gold in LABEL_ROOTS else "?"
        pq = str(quad_of_root(events[0].cameo[:2])) if events else "NONE"
        quads.append((gq, pq))
        # actors given: prefer events whose actors overlap the gold phrases
        src, tgt = rec.get("source"), rec.get("target")
        scored = sorted(
            events,
            key=lambda e: (
                -(
                    _overlap(e.source.name, src)
                    + _overlap(e.target.name if e.target else "", tgt)
                    + 0.01 * e.confidence
                )
            ),
        )
        best = ROOT_LABEL.get(scored[0].cameo[:2], "NONE") if scored else "NONE"
        given.append((gold, best))
        for label_pair in [(gold, top)]:
            g, p = label_pair
            rep.root_only.tp += g == p
            rep.root_only.fp += g != p and p != "NONE"
            rep.root_only.fn += g != p
    rep.macro_f1, per = _macro_f1(plain)
    rep.macro_f1_actors_given, _ = _macro_f1(given)
    rep.quad_macro_f1, _ = _macro_f1(quads)
    rep.accuracy = sum(g == p for g, p in plain) / len(plain) if plain else 0.0
    rep.per_root = per
    rep.overall = rep.root_only
    return rep


def evaluate(coder: ArticleCoder, path: Path) -> Report:
    records = load_gold(path)
    preds = predict(coder, records)
    if any("events" in r for r in records):
        return evaluate_events(records, preds)
    return evaluate_labels(records, preds)
