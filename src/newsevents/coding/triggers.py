"""Triggers: the verbs and nouns of a sentence that match an event pattern (``Match``).

A verb matches a verb pattern when the pattern's first word is the verb's lemma (by stem) and
its other words occur in the verb's *frame*: its object, particle, prepositions and their
objects, open complements, up to three levels; the most specific pattern wins. A noun heading
a noun pattern ("talks with", "Putin's visit to Seoul") is a trigger when no verb pattern
covers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newsevents.coding.cameo import Lexicon, Pattern
from newsevents.coding.modality import asks_for_clause
from newsevents.coding.syntax import calls_person, stem
from newsevents.coding.words import (
    BACKGROUND_PREPS,
    CALL_SOMEONE,
    CALL_VERBS,
    EVENT_CARRIERS,
    FRAME_DEPS,
    IRREGULAR_BASE,
    PATTERN_PREPS,
    SPEECH_VERBS,
)


@dataclass
class Match:
    trigger: Any  # spaCy token
    pattern: Pattern
    frame: list[Any]
    kind: str  # verb or noun

    @property
    def code(self) -> str:
        return self.pattern.code


#: adverbs a verb's frame keeps as particles ("pulled out", "backed down"); other adverbs
#: are no part of what is done
ADVERB_PARTICLES = frozenset({"down", "off", "out", "up", "back", "away"})
#: the particles of phrasal patterns ("give back", "back down", "take over"): a word they
#: stem from ("backing", "outing") is never one of them
PARTICLES = ADVERB_PARTICLES | {"over"}


class TriggerMatcher:
    """The patterns of a lexicon indexed by the stems of their words, and the matching."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        # a verb pattern with the stems of its other words, by its trigger's stem
        self.verb_index: dict[str, list[tuple[Pattern, tuple[str, ...]]]] = {}
        for key, pats in lexicon.verbs.items():
            self.verb_index.setdefault(stem(key), []).extend(
                (p, tuple(stem(w) for w in p.words[1:])) for p in pats
            )
        self.noun_index: dict[str, list[Pattern]] = {}
        for key, pats in lexicon.nouns.items():
            self.noun_index.setdefault(stem(key), []).extend(pats)

    def frame(self, tok: Any, depth: int = 3) -> list[Any]:
        out = [tok]
        stack = [(tok, 0)]
        while stack:
            t, d = stack.pop()
            if d >= depth:
                continue
            for c in t.children:
                if c.dep_ not in FRAME_DEPS:
                    continue
                if c.dep_ == "ccomp" and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                    if c.pos_ in ("ADJ", "NOUN") and d == 0:
                        # a small clause: "found X guilty", "declared Y persona non grata"
                        out.append(c)
                        out.extend(g for g in c.children if g.dep_ == "nsubj")
                    continue  # a new clause with its own subject is its own event
                if c.dep_ == "advmod" and c.pos_ != "ADP" and c.lower_ not in ADVERB_PARTICLES:
                    continue
                out.append(c)
                stack.append((c, d + 1))
        return out

    def match_verb(self, tok: Any, lenient: bool = False) -> Match | None:
        """The verb pattern ``tok`` triggers (``lenient``: as ``may_hold_event`` asks, before
        the named entities are known: the tests that need them pass)."""
        candidates = (
            self.verb_index.get(stem(tok.lemma_), [])
            or self.verb_index.get(stem(IRREGULAR_BASE.get(tok.lower_, "")), [])
            or self.verb_index.get(stem(tok.lower_), [])
        )
        if not candidates:
            return None
        frame = self.frame(tok)
        depth = self._depths(tok, frame, lenient)
        best: tuple[int, int, int] | None = None
        chosen: Pattern | None = None
        for p, rest in candidates:
            ds = [depth.get(w) for w in rest]
            if (
                len(p.words) == 2
                and p.words[1] in PATTERN_PREPS
                and ds[0] is not None
                and ds[0] > 1
            ):
                continue  # "agree with" needs its own "with", not one inside the object
            if all(d is not None for d in ds):
                # most words first; on a tie, the words nearest the verb (its object before
                # a word inside a prepositional phrase), then a word that names what is
                # done before a preposition ("fired shells at" is shelling, not "fire at"),
                # then the file order
                score = (
                    p.specificity,
                    -sum(d for d in ds if d is not None),
                    -sum(w in PATTERN_PREPS for w in p.words[1:]),
                )
                if best is None or score > best:
                    best, chosen = score, p
        if chosen is not None and chosen.words == ("insist",) and not asks_for_clause(tok):
            chosen = None  # "insisted it was complying" asserts; "insisted that Y comply" demands
        if chosen is None and tok.lemma_.lower() in CALL_VERBS and (lenient or calls_person(tok)):
            # "Rivlin called the Ethiopian president": a phone call (leniently, without the
            # named entities, any call may be one)
            chosen = CALL_SOMEONE
        return Match(tok, chosen, frame, "verb") if chosen else None

    def _depths(self, tok: Any, frame: list[Any], lenient: bool = False) -> dict[str, int]:
        """Stem of each frame word → its depth below the trigger (1 = a direct dependent)."""
        out: dict[str, int] = {}
        for t in frame[1:]:
            if (
                not lenient
                and t.dep_ == "prep"
                and any(g.ent_type_ in ("DATE", "TIME") for g in t.children if g.dep_ == "pobj")
            ):
                continue
            d, h = 1, t.head
            while h.i != tok.i and h.head.i != h.i and d < 6:
                d, h = d + 1, h.head
            for key in (stem(t.lemma_), stem(t.lower_)):
                if key in PARTICLES and key != t.lower_:
                    continue  # "gave its backing to" is no "give back"
                out[key] = min(out.get(key, 99), d)
        return out

    def match_noun(self, tok: Any) -> Match | None:
        if tok.ent_type_ in ("DATE", "TIME"):
            return None  # "in March", "a week of talks"... the month, not a march
        candidates = self.noun_index.get(stem(tok.lemma_), []) or self.noun_index.get(
            stem(tok.lower_), []
        )
        if not candidates:
            return None
        doc = tok.doc
        best: Pattern | None = None
        for p in candidates:
            n = len(p.words)
            if tok.i - n + 1 < 0:
                continue
            seq = [stem(doc[i].lemma_) for i in range(tok.i - n + 1, tok.i + 1)]
            alt = [stem(doc[i].lower_) for i in range(tok.i - n + 1, tok.i + 1)]
            want = [stem(w) for w in p.words]
            if (seq == want or alt == want) and (best is None or n > best.specificity):
                best = p
        return Match(tok, best, self.frame(tok, depth=2), "noun") if best else None

    def _carries_event(self, head: Any) -> bool:
        """Whether an event noun that modifies ``head`` still names an event: "an aid package",
        "a peace deal", "ceasefire talks" (not "aid workers", "trade policy")."""
        lemma = head.lemma_.lower()
        return lemma in EVENT_CARRIERS or stem(lemma) in self.noun_index

    def may_hold_event(self, doc: Any) -> bool:
        """Whether any sentence of a parsed ``doc`` has a trigger, decided without the named
        entities: a superset of ``triggers`` (the entity tests only ever remove a match), so
        the entity recognizer need only run where this is true."""
        return any(next(self._triggers(sent, lenient=True), None) is not None for sent in doc.sents)

    def triggers(self, sent: Any) -> list[Match]:
        return list(self._triggers(sent))

    def _triggers(self, sent: Any, lenient: bool = False) -> Iterator[Match]:
        """The matches of ``triggers``, in its order, one at a time (``may_hold_event`` stops
        at the first)."""
        matches: list[Match] = []
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or (tok.dep_ == "ROOT" and tok.pos_ != "NOUN"):
                m = self.match_verb(tok, lenient)
                if m:
                    matches.append(m)
                    yield m
        # "X said Y must/should do Z": a demand or an appeal, whatever Z is
        matched = {m.trigger.i for m in matches}
        for tok in sent:
            if tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            for c in tok.children:
                if c.dep_ != "ccomp" or c.i in matched:
                    continue
                modal = next(
                    (
                        a.lower_
                        for a in c.children
                        if a.dep_ == "aux" and a.lower_ in ("must", "should")
                    ),
                    None,
                )
                if modal and any(g.dep_ == "nsubj" for g in c.children):
                    code = "100" if modal == "must" else "020"
                    m = Match(
                        c,
                        Pattern(code, (c.lemma_.lower(),), "verb", f"{modal} in reported speech"),
                        self.frame(c),
                        "verb",
                    )
                    matches.append(m)
                    yield m
        # nouns that are words of a matched verb pattern ("hold talks") are not events of their own
        covered = {
            t.i
            for m in matches
            for t in m.frame[1:]
            if stem(t.lemma_) in {stem(w) for w in m.pattern.words[1:]}
        }
        nouns: dict[int, Match | None] = {}  # each token's noun match, computed once

        def noun_at(t: Any) -> Match | None:
            if t.i not in nouns:
                nouns[t.i] = self.match_noun(t)
            return nouns[t.i]

        for tok in sent:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in covered:
                continue
            if not lenient and tok.ent_type_.startswith("KB_"):
                continue  # "Fund" in "International Monetary Fund": an actor's name, not an act
            if tok.dep_ == "compound" and not self._carries_event(tok.head):
                continue  # "aid workers", "trade policy", "protest leaders": who or what, not an event
            m = noun_at(tok)
            if m is None:
                continue
            if tok.dep_ == "compound":
                longer = noun_at(tok.head)
                if (
                    longer is not None
                    and tok.head.i - len(longer.pattern.words) < tok.i < tok.head.i
                ):
                    continue  # "war" in "war games", "arms" in "arms sale": the longer name wins
            if tok.dep_ == "pobj" and tok.head.lower_ in BACKGROUND_PREPS and m.code[:2] >= "14":
                continue  # "after the blast", "amid the strikes": an earlier event, referred to
            yield m
