"""The event scorer: an event's ``confidence`` is P(the event is right).

Right is the article protocol's strict rule: the sentence reports a gold event with this
root (or an acceptable one) and this country pair. One logistic regression reads what the
rules and the sentence model know of the event (``EVENT_FEATURES``): the sentence model's
P(event) and its P(root) for the event's root, how each side was found and placed, the
root, the trigger, the sentence's cues and place in the article. ``make train`` fits it on
the events coded in the gold's ``train`` articles, with the sentence model's scores taken
out of fold (a model that never saw the article), so that it learns how far to trust the
sentence model on text it has not seen; then Platt's logistic map of its log-odds (fitted on
its out-of-fold output) makes the probabilities calibrated. Coding scores with numpy alone.

An event is rated once its whole article is coded: besides its sentence, the scorer reads
how the article's other events bear it out (``ARTICLE_FEATURES``, ``in_article``): an act
whose pair, or pair and root, other sentences of the article report too is more often
right than one the article names once in passing (out of fold on the train articles: ROC
AUC 0.759 -> 0.778, log loss 0.543 -> 0.526).

``contributions`` says which features moved an event's score most, against the average
training event (``explain`` shows them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from newsevents.learning.features import (
    CUES,
    FORMS,
    REASON_FAMILIES,
    ROOTS,
    EventView,
    SentenceView,
    cue_flags,
    reason_flags,
)

if TYPE_CHECKING:
    from newsevents.learning.model import Scores

#: how a source was resolved (``actors.Resolved.how`` and the coder's own)
SOURCE_HOWS = (
    "person", "igo", "institution", "country", "role", "pair", "pronoun", "poss", "home",
    "leader", "speaker", "place", "unknown", "weapon", "recovered", "statement",
)  # fmt: skip
#: how a target was found, the first word of the coder's note ("prep-against+domestic")
TARGET_HOWS = (
    "object", "prep", "passive", "symmetric", "fallback", "place", "obligated", "poss",
    "compound", "appos", "agent", "recovered", "statement", "named",
)  # fmt: skip
#: marks on the target's note
TARGET_MARKS = ("thing", "unplaced", "domestic", "place")
SECTORS = ("GOV", "MIL", "LEG", "REB", "MED", "COP", "IGO", "OPP", "JUD", "NGO", "BUS", "CVL")
#: how the article's other events bear an event out (``in_article``)
ARTICLE_FEATURES = (
    "pair_sentences",  # other sentences with an event of the same stored pair
    "pair_root_sentences",  # ... of the same pair and root
    "pair_root_earlier",  # an earlier sentence has an event of the same pair and root
    "top_pair",  # the pair is the one the article's events hold most often
    "pair_share",  # the share of the article's events that hold the pair
    "article_events",  # the article's events per sentence
)


def _names() -> tuple[str, ...]:
    names = [
        "p_event",
        "logit_p_event",
        "p_root",
        "root_is_best",
        "best_root_p",
        "rerooted",
        "rule_confidence",
        "noun_trigger",
        "specificity",
        "source_unplaced",
        "target_unplaced",
        "no_target",
        "domestic",
        "filled",
        "igo_side",
        "reported",
        "coordinated",
        "pos_rel",
        "pos_first",
        "log_words",
        "log_sentences",
        "events_in_sentence",
        "pairs_in_sentence",
        "rejected_candidates",
    ]
    names += [f"source_how_{h}" for h in SOURCE_HOWS]
    names += [f"target_how_{h}" for h in TARGET_HOWS]
    names += [f"target_mark_{m}" for m in TARGET_MARKS]
    names += [f"source_{s}" for s in SECTORS]
    names += [f"target_{s}" for s in SECTORS]
    names += [f"root_{r}" for r in ROOTS]
    names += [f"cue_{k}" for k in CUES]
    names += [f"reason_{k}" for k in REASON_FAMILIES]
    names += [f"form_{k}" for k in FORMS]
    names += list(ARTICLE_FEATURES)
    return tuple(names)


#: the event features, in order (the model file stores this list)
EVENT_FEATURES = _names()


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p)) / 5


def event_features(e: EventView, code: str, v: SentenceView, s: Scores) -> np.ndarray:
    """What the scorer reads of event ``e`` of sentence ``v``, coded ``code`` in the end (the
    sentence model may have changed its root), the sentence scored ``s``; the article's
    features (``ARTICLE_FEATURES``) are left at 0 for ``in_article`` to fill."""
    f: dict[str, float] = {}
    f["p_event"] = s.p_event
    f["logit_p_event"] = _logit(s.p_event)
    f["p_root"] = s.p_root(code)
    best = max(s.roots, key=s.roots.__getitem__) if s.roots else code[:2]
    f["root_is_best"] = float(best == code[:2])
    f["best_root_p"] = s.roots.get(best, 0.0)
    f["rerooted"] = float(code != e.code)
    f["rule_confidence"] = e.confidence
    f["noun_trigger"] = float(e.kind == "noun")
    f["specificity"] = min(e.specificity, 4) / 4
    f["source_unplaced"] = float(e.final_source is None)
    f["target_unplaced"] = float(e.final_target is None)
    f["no_target"] = float(not e.has_target)
    f["domestic"] = float(e.final_source is not None and e.final_source == e.final_target)
    f["filled"] = float((e.final_source, e.final_target) != (e.source, e.target))
    f["igo_side"] = float("IGO" in (e.source_sector, e.target_sector))
    f["reported"] = float(e.reported)
    f["coordinated"] = float(e.coordinated)
    n = max(1, v.n_sentences)
    f["pos_rel"] = v.index / n
    f["pos_first"] = float(v.index == 0)
    f["log_words"] = math.log1p(len(v.text.split())) / 5
    f["log_sentences"] = math.log1p(n) / 5
    factual = [x for x in v.events if x.factual]
    f["events_in_sentence"] = min(len(factual), 5) / 5
    f["pairs_in_sentence"] = min(len({(x.final_source, x.final_target) for x in factual}), 5) / 5
    f["rejected_candidates"] = min(sum(c.decision != "accepted" for c in v.candidates), 5) / 5
    f[f"source_how_{e.source_how}"] = 1.0
    head = re.split(r"[-+]", e.target_how, maxsplit=1)[0]
    f[f"target_how_{head}"] = 1.0
    for m in TARGET_MARKS:
        if re.search(rf"[-+]{m}\b", e.target_how):
            f[f"target_mark_{m}"] = 1.0
    f[f"source_{e.source_sector}"] = 1.0
    f[f"target_{e.target_sector}"] = 1.0
    f[f"root_{code[:2]}"] = 1.0
    for k, on in cue_flags(v.text).items():
        f[f"cue_{k}"] = float(on)
    for k, on in reason_flags(v).items():
        f[f"reason_{k}"] = float(on)
    f[f"form_{e.form}"] = 1.0
    return np.array([f.get(name, 0.0) for name in EVENT_FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class EventKey:
    """Where an event of an article stands: its sentence, the pair it is stored with (either
    way round) and its root."""

    sentence: int
    pair: frozenset[str | None]
    root: str

    @classmethod
    def of(cls, e: EventView, code: str, sentence: int) -> EventKey:
        return cls(sentence, frozenset((e.final_source, e.final_target)), code[:2])


_FIRST_ARTICLE_FEATURE = len(EVENT_FEATURES) - len(ARTICLE_FEATURES)


def in_article(x: np.ndarray, keys: Sequence[EventKey], n_sentences: int) -> np.ndarray:
    """The feature rows ``x`` (one per event the scorer rates in one article, ``keys``
    saying where each stands) with the article's features filled in."""
    out = np.array(x, dtype=np.float64, copy=True)
    if not keys:
        return out
    pairs = Counter(k.pair for k in keys)
    top = max(pairs.values())
    per_sentence = min(len(keys) / max(1, n_sentences), 2.0) / 2
    for row, k in enumerate(keys):
        others = [o for o in keys if o.sentence != k.sentence and o.pair == k.pair]
        same_root = [o for o in others if o.root == k.root]
        out[row, _FIRST_ARTICLE_FEATURE:] = (
            min(len({o.sentence for o in others}), 5) / 5,
            min(len({o.sentence for o in same_root}), 5) / 5,
            float(any(o.sentence < k.sentence for o in same_root)),
            float(pairs[k.pair] == top),
            pairs[k.pair] / len(keys),
            per_sentence,
        )
    return out


@dataclass(frozen=True)
class EventScorer:
    """A logistic regression over ``EVENT_FEATURES`` and its calibration: P(right) is
    ``sigmoid(scale * z + shift)`` where ``z`` is the regression's log-odds."""

    coef: np.ndarray
    bias: float
    mean: np.ndarray  # the average training event's features (for ``contributions``)
    scale: float = 1.0
    shift: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    def p_right(self, x: np.ndarray) -> float:
        z = self.scale * float(self.coef @ x + self.bias) + self.shift
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def contributions(self, x: np.ndarray, top: int = 5) -> list[tuple[str, float, float]]:
        """The features that moved the score most from the average event's: each one's name,
        its value here and its push on the calibrated log-odds (positive: towards right)."""
        push = self.scale * self.coef * (x - self.mean)
        order = np.argsort(-np.abs(push))[:top]
        return [
            (EVENT_FEATURES[i], round(float(x[i]), 3), round(float(push[i]), 3))
            for i in order
            if push[i] != 0
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(EVENT_FEATURES),
            "bias": round(self.bias, 6),
            "coef": [round(float(c), 6) for c in self.coef],
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": round(self.scale, 6),
            "shift": round(self.shift, 6),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], where: str) -> EventScorer:
        if tuple(d["features"]) != EVENT_FEATURES:
            raise ValueError(
                f"{where}: its scorer reads other event features than this program computes"
            )
        coef = np.asarray(d["coef"], dtype=np.float64)
        mean = np.asarray(d["mean"], dtype=np.float64)
        if coef.shape != (len(EVENT_FEATURES),) or mean.shape != coef.shape:
            raise ValueError(f"{where}: the scorer's coefficients do not match its features")
        return cls(
            coef=coef,
            bias=float(d["bias"]),
            mean=mean,
            scale=float(d["scale"]),
            shift=float(d["shift"]),
            meta=dict(d.get("meta") or {}),
        )
