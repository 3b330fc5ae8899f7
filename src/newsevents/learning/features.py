"""What the sentence model reads of a sentence besides its embedding: the rules' view.

A ``SentenceView`` is one sentence as the rules left it: its place in the article, every
candidate event the patterns found (accepted or rejected, with the reason) and the events
kept. ``rule_features`` turns it into the fixed vector ``RULE_FEATURES`` names: the same
function runs when the training data is built and when an article is coded, so the two
cannot drift apart (``tests/test_learning.py`` pins the list; the model file carries it).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from newsevents.coding.events import Coded
from newsevents.coding.kb import KnowledgeBase
from newsevents.coding.record import domestic

ROOTS = tuple(f"{i:02d}" for i in range(1, 21))

#: families of the rules' rejection reasons (a word each reason of the family holds)
REASON_FAMILIES = {
    "question": ("question", "asked"),
    "background": ("background", "years before", "history"),
    "plan": ("predicted", "expected", "plan", "owed", "obligation", "has to"),
    "naming": ("naming", "name"),
    "part": ("part of the act",),
    "same": ("same pair and root",),
    "no_actor": ("no source", "no target", "no actor", "not an actor", "thing"),
    "sense": ("sense", "of a thing", "acting on itself", "unnamed weapon"),
}

#: words of the sentence that mark talk of what is not (yet) a new act
CUES = {
    "future": r"\b(?:will|would|shall|could|might|may|plans? to|planned|intends?|expected|likely)\b",
    "said": r"\b(?:said|says|told|stated|added)\b",
    "past_year": r"\b(?:19[0-9]{2}|200[0-9]|201[0-9])\b",
    "ago": r"\b(?:ago|last year|previously|earlier this year|since)\b",
    "if": r"\b(?:if|unless|whether)\b",
    "negation": r"\b(?:not|no|never|n't|denied|refused)\b",
    "quote": r"[\"“”]",
    "question": r"\?",
    "number": r"\b\d[\d,.]*\s*(?:%|percent|million|billion)",
}
_CUES = {k: re.compile(v, re.I) for k, v in CUES.items()}


#: the trigger's form, by its part-of-speech tag (out of fold on the train articles, the event
#: scorer gained from it, log loss 0.522 -> 0.519; the trigger's clause and its auxiliaries,
#: tried too, lost)
FORMS = ("past", "participle", "gerund", "base", "present", "noun", "other")
_FORM_OF = {
    "VBD": "past",
    "VBN": "participle",
    "VBG": "gerund",
    "VB": "base",
    "VBP": "present",
    "VBZ": "present",
    "NN": "noun",
    "NNS": "noun",
    "NNP": "noun",
}


def form_of(tok: Any) -> str:
    """Which of ``FORMS`` the trigger token ``tok`` takes."""
    return _FORM_OF.get(tok.tag_, "other")


@dataclass(frozen=True)
class Candidate:
    """A candidate event the patterns found in a sentence, and what the rules decided."""

    code: str
    kind: str
    decision: str  # accepted | rejected
    reason: str

    @classmethod
    def of(cls, audit: dict[str, Any]) -> Candidate:
        return cls(
            str(audit.get("code") or ""),
            str(audit.get("kind") or ""),
            str(audit.get("decision") or ""),
            str(audit.get("reason") or ""),
        )


@dataclass(frozen=True)
class EventView:
    """An event the rules kept in a sentence: its code and pair as the patterns left them, and
    what the event scorer (``learning.scorer``) reads besides: the pair it is stored with (an
    unplaced side filled by ``events.domestic``), how each side was found, its sectors."""

    code: str
    source: str | None
    target: str | None
    negated: bool
    hypothetical: bool
    confidence: float
    kind: str
    final_source: str | None = None
    final_target: str | None = None
    specificity: int = 1
    source_how: str = ""
    target_how: str = ""
    source_sector: str | None = None
    target_sector: str | None = None
    has_target: bool = True
    reported: bool = False
    coordinated: bool = False
    #: the trigger's form (``form_of``): a past tense reports an act, a participle after a
    #: noun often only describes someone ("a diplomat accused of rape")
    form: str = ""
    #: the trigger's lemma, lower-cased ("accuse", "visit")
    lemma: str = ""

    @classmethod
    def of(cls, c: Coded, kb: KnowledgeBase | None = None, sentence: str = "") -> EventView:
        source, target = domestic(c.source, c.target, kb, sentence) if kb else (c.source, c.target)
        how = next((n[8:] for n in reversed(c.notes) if n.startswith("target: ")), "")
        return cls(
            c.code,
            c.source.country,
            c.target.country if c.target else None,
            c.negated,
            c.hypothetical,
            float(c.confidence),
            c.match.kind,
            final_source=source.country,
            final_target=target.country if target else None,
            specificity=int(c.match.pattern.specificity),
            source_how=c.source_how,
            target_how=how,
            source_sector=c.source.sector,
            target_sector=c.target.sector if c.target else None,
            has_target=c.target is not None and bool(c.target.name or c.target.country),
            reported=c.reported_by is not None,
            coordinated=any("coordinated side" in n for n in c.notes),
            form=form_of(c.match.trigger),
            lemma=c.match.trigger.lemma_.lower(),
        )

    @property
    def factual(self) -> bool:
        return not self.negated and not self.hypothetical


@dataclass(frozen=True)
class SentenceView:
    """One sentence of an article, as the rules left it."""

    text: str
    index: int
    n_sentences: int
    candidates: tuple[Candidate, ...] = ()
    events: tuple[EventView, ...] = ()
    #: the candidates the rules found no side for, as acts of the article's home country on
    #: both sides, when the sentence has no rule event (``SentenceCoder.recoverable``)
    recoverable: tuple[EventView, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SentenceView:
        return cls(
            text=d["text"],
            index=int(d["index"]),
            n_sentences=int(d["n_sentences"]),
            candidates=tuple(Candidate(**c) for c in d.get("candidates") or ()),
            events=tuple(EventView(**e) for e in d.get("events") or ()),
            recoverable=tuple(EventView(**e) for e in d.get("recoverable") or ()),
        )


def _names() -> tuple[str, ...]:
    names = [
        "pos_rel",
        "pos_first",
        "pos_lead3",
        "log_sentences",
        "log_words",
        "n_candidates",
        "n_accepted",
        "n_rejected",
        "n_factual",
        "n_flagged",
        "max_confidence",
        "verb_trigger",
        "noun_trigger",
        "unplaced_side",
        "domestic",
    ]
    names += [f"cue_{k}" for k in CUES]
    names += [f"reason_{k}" for k in REASON_FAMILIES]
    names += [f"event_root_{r}" for r in ROOTS]
    names += [f"candidate_root_{r}" for r in ROOTS]
    return tuple(names)


#: the rule features, in order (the model file stores this list; a mismatch refuses to load)
RULE_FEATURES = _names()


def cue_flags(text: str) -> dict[str, bool]:
    """Which of ``CUES`` the sentence ``text`` holds."""
    return {k: bool(rx.search(text)) for k, rx in _CUES.items()}


def reason_flags(v: SentenceView) -> dict[str, bool]:
    """Which families of rejection reasons (``REASON_FAMILIES``) the rules gave in ``v``."""
    reasons = [c.reason.lower() for c in v.candidates if c.decision != "accepted"]
    return {
        fam: any(w in r for r in reasons for w in words) for fam, words in REASON_FAMILIES.items()
    }


def rule_features(v: SentenceView) -> np.ndarray:
    """The rules' view of ``v`` as a vector ordered as ``RULE_FEATURES``."""
    f: dict[str, float] = {}
    n = max(1, v.n_sentences)
    f["pos_rel"] = v.index / n
    f["pos_first"] = float(v.index == 0)
    f["pos_lead3"] = float(v.index < 3)
    f["log_sentences"] = math.log1p(n) / 5
    f["log_words"] = math.log1p(len(v.text.split())) / 5
    accepted = [c for c in v.candidates if c.decision == "accepted"]
    rejected = [c for c in v.candidates if c.decision != "accepted"]
    factual = [e for e in v.events if e.factual]
    f["n_candidates"] = min(len(v.candidates), 5) / 5
    f["n_accepted"] = min(len(accepted), 5) / 5
    f["n_rejected"] = min(len(rejected), 5) / 5
    f["n_factual"] = min(len(factual), 5) / 5
    f["n_flagged"] = min(len(v.events) - len(factual), 5) / 5
    f["max_confidence"] = max((e.confidence for e in v.events), default=0.0)
    f["verb_trigger"] = float(any(e.kind == "verb" for e in v.events))
    f["noun_trigger"] = float(any(e.kind == "noun" for e in v.events))
    f["unplaced_side"] = float(any(e.source is None or e.target is None for e in factual))
    f["domestic"] = float(any(e.source == e.target and e.source for e in factual))
    for k, on in cue_flags(v.text).items():
        f[f"cue_{k}"] = float(on)
    for fam, on in reason_flags(v).items():
        f[f"reason_{fam}"] = float(on)
    for e in factual:
        f[f"event_root_{e.code[:2]}"] = 1.0
    for c in v.candidates:
        f[f"candidate_root_{c.code[:2]}"] = 1.0
    return np.array([f.get(name, 0.0) for name in RULE_FEATURES], dtype=np.float32)
