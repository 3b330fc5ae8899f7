"""The sentence model: P(the sentence reports an event) and P(root | event) for a sentence.

Two logistic regressions over the same features: the sentence's words (unigrams and
bigrams, TF-IDF weighted, sublinear, L2-normalised, as scikit-learn's ``TfidfVectorizer``
computes them) and the rules' view of it (``features.RULE_FEATURES``). ``make train`` fits
them on the gold's ``train`` part (``learning.train``) and writes one JSON file; this module
reads it and scores with numpy alone (scikit-learn is needed to train, not to run).

Why words and not MiniLM sentence embeddings: measured on the gold's test part, the
embeddings with the rules' features rank sentences little better (ROC AUC 0.793 against
0.779 for words and rules) while embedding a sentence costs about 10 ms on one core, some
30 ms an article: more than the whole coder spends (docs/DATASHEET.md, "The model").
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsevents.learning.features import RULE_FEATURES, SentenceView, rule_features
from newsevents.learning.scorer import EventScorer

#: scikit-learn's default token pattern: words of two or more word characters
TOKEN = re.compile(r"(?u)\b\w\w+\b")
#: the model file ``make train`` writes, shipped in the package
MODEL_FILE = "sentence_model.json"
FORMAT = 1


class ModelFileError(ValueError):
    """The model file is missing, malformed or made for other features."""


def terms(text: str) -> list[str]:
    """The words and word pairs of ``text``, as ``TfidfVectorizer(ngram_range=(1, 2))``."""
    words = TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class Scores:
    """What the model says of one sentence."""

    p_event: float
    roots: dict[str, float] = field(default_factory=dict)  # P(root | event), every root

    def p_root(self, code: str) -> float:
        return self.roots.get(code[:2], 0.0)


@dataclass(frozen=True)
class SentenceModel:
    vocab: dict[str, int]
    idf: np.ndarray
    event_coef: np.ndarray  # |vocab| + |RULE_FEATURES|
    event_bias: float
    root_classes: tuple[str, ...]
    root_coef: np.ndarray  # classes x (|vocab| + |RULE_FEATURES|)
    root_bias: np.ndarray
    threshold: float  # P(event) below which a sentence's rule events are rejected
    reroot_below: float = 0.0  # an event's root with less P than this ...
    reroot_min: float = 1.0  # ... gives way to the model's best root when that has this much
    meta: dict[str, Any] = field(default_factory=dict)
    #: P(an event is right), its confidence (None: events keep the rules' confidence)
    scorer: EventScorer | None = None
    #: P(event) from which a sentence without rule events has a candidate the rules found no
    #: side for recovered (``decide.recover``; None: never)
    recover_at: float | None = None

    def features(self, v: SentenceView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term indices, their TF-IDF weights, rule features) of ``v``."""
        counts = Counter(t for t in terms(v.text) if t in self.vocab)
        idx = np.fromiter((self.vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(
            (1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts)
        )
        w = tf * self.idf[idx]
        norm = float(np.sqrt((w * w).sum()))
        if norm > 0:
            w = w / norm
        return idx, w, rule_features(v).astype(np.float64)

    def score(self, v: SentenceView) -> Scores:
        idx, w, rules = self.features(v)
        n = len(self.vocab)
        z = float(self.event_coef[idx] @ w + self.event_coef[n:] @ rules + self.event_bias)
        zr = self.root_coef[:, idx] @ w + self.root_coef[:, n:] @ rules + self.root_bias
        zr = np.exp(zr - zr.max())
        pr = zr / zr.sum()
        return Scores(
            1.0 / (1.0 + math.exp(-z)),
            {c: float(p) for c, p in zip(self.root_classes, pr, strict=True)},
        )

    # -- the file ---------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        terms_in_order = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            "format": FORMAT,
            "meta": self.meta,
            "rule_features": list(RULE_FEATURES),
            "threshold": self.threshold,
            "reroot_below": self.reroot_below,
            "reroot_min": self.reroot_min,
            "recover_at": self.recover_at,
            "vocab": terms_in_order,
            "idf": [round(float(x), 6) for x in self.idf],
            "event": {
                "bias": round(self.event_bias, 6),
                "coef": [round(float(x), 6) for x in self.event_coef],
            },
            "roots": {
                "classes": list(self.root_classes),
                "bias": [round(float(x), 6) for x in self.root_bias],
                "coef": [[round(float(x), 6) for x in row] for row in self.root_coef],
            },
            "scorer": self.scorer.as_json() if self.scorer else None,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, d: dict[str, Any], where: str = "model") -> SentenceModel:
        try:
            if d.get("format") != FORMAT:
                raise ModelFileError(
                    f"{where}: format {d.get('format')!r}, this program reads {FORMAT}"
                )
            if tuple(d["rule_features"]) != RULE_FEATURES:
                raise ModelFileError(
                    f"{where}: made for other rule features than this program computes: run make train"
                )
            vocab = {t: i for i, t in enumerate(d["vocab"])}
            width = len(vocab) + len(RULE_FEATURES)
            event = np.asarray(d["event"]["coef"], dtype=np.float64)
            roots = np.asarray(d["roots"]["coef"], dtype=np.float64)
            idf = np.asarray(d["idf"], dtype=np.float64)
            if event.shape != (width,) or roots.shape[1:] != (width,) or idf.shape != (len(vocab),):
                raise ModelFileError(f"{where}: coefficient shapes do not match its vocabulary")
            return cls(
                vocab=vocab,
                idf=idf,
                event_coef=event,
                event_bias=float(d["event"]["bias"]),
                root_classes=tuple(d["roots"]["classes"]),
                root_coef=roots,
                root_bias=np.asarray(d["roots"]["bias"], dtype=np.float64),
                threshold=float(d["threshold"]),
                reroot_below=float(d["reroot_below"]),
                reroot_min=float(d["reroot_min"]),
                recover_at=None if d.get("recover_at") is None else float(d["recover_at"]),
                meta=dict(d.get("meta") or {}),
                scorer=_scorer(d.get("scorer"), where),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{where}: not a sentence model file ({exc})") from exc

    @classmethod
    def load(cls, path: Path | None = None) -> SentenceModel:
        if path is None:
            src = resources.files("newsevents") / "data" / "models" / MODEL_FILE
            where, text = MODEL_FILE, src.read_text(encoding="utf-8")
        else:
            try:
                where, text = str(path), path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ModelFileError(f"{path}: {exc.strerror or exc}") from exc
        try:
            return cls.from_json(json.loads(text), where)
        except json.JSONDecodeError as exc:
            raise ModelFileError(f"{where}: not JSON ({exc})") from exc


def _scorer(d: dict[str, Any] | None, where: str) -> EventScorer | None:
    if not d:
        return None
    try:
        return EventScorer.from_json(d, where)
    except ValueError as exc:
        raise ModelFileError(f"{exc}: run make train") from exc


@lru_cache(maxsize=1)
def default_model() -> SentenceModel:
    """The shipped model (loaded once per process)."""
    return SentenceModel.load()
