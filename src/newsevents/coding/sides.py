"""The sides of an event: who acts and at whom, read from the structure around a trigger.

The owner of a weapon or an act used as a subject, the side an unnamed subject is on, the
author of a document, coordinated phrases, the tokens that may name the target (best
first), the place an act happens or is aimed at, and the last resorts for a target. Used
by ``SentenceCoder`` (``coding.events``) for each trigger.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsevents.coding.actors import ActorResolver, Resolved
from newsevents.coding.context import DocContext
from newsevents.coding.kb import KnowledgeBase, fold
from newsevents.coding.syntax import agent_of, clause_tokens, governed_within, stem, subject_of
from newsevents.coding.triggers import Match, TriggerMatcher
from newsevents.coding.words import (
    AFFILIATED,
    CLAUSE_TARGET_ROOTS,
    CROWD_COUNTS,
    DOCUMENTS,
    PLACE_PREPS,
    TARGET_PREPS,
    WEAPON_HEADS,
)
from newsevents.records import Actor

#: events between the same two countries that make an article a story about the pair
BILATERAL_EVENTS = 2
#: role words whose possessor is the other side of the act: "a request from his British
#: counterpart Gordon Brown" is Brown's, not the counterpart's owner's
OPPOSITE_ROLES = {"counterpart"}


def _possessors(t: Any) -> list[Any]:
    """The possessors of a target candidate that may name the target themselves ("Russia's
    envoy"), not the owner of a counterpart."""
    if t.lemma_.lower() in OPPOSITE_ROLES:
        return []
    return [c for c in t.children if c.dep_ == "poss"]


class Sides:
    def __init__(self, kb: KnowledgeBase, resolver: ActorResolver, matcher: TriggerMatcher) -> None:
        self.kb = kb
        self.resolver = resolver
        self.matcher = matcher

    def instrument_owner(self, head: Any, ctx: DocContext) -> list[Resolved]:
        """Who is behind a subject that is a weapon or an act: "a car bombing by the Islamic
        State", "missiles fired by the Israeli military", "Israeli missiles", "Russia's strikes"."""
        if head.pos_ not in ("NOUN", "PROPN") or stem(head.lemma_) not in {
            stem(w) for w in WEAPON_HEADS
        }:
            return []
        for t in head.subtree:
            if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
                for g in t.children:
                    if g.dep_ == "pobj":
                        r = self.resolver.resolve(g, ctx)
                        if r:
                            return [r]
        for c in head.children:
            if c.dep_ in ("poss", "amod", "compound"):
                r = self.resolver.resolve(c, ctx)
                if r and r.how != "pair":
                    return [r]
        return []

    def affiliation(self, head: Any, ctx: DocContext) -> list[Resolved]:
        """Whose side an unnamed subject is on: "gunmen loyal to X", "a bomber linked to X",
        "militants affiliated with X", "hackers working for X"."""
        for c in head.children:
            preps = AFFILIATED.get(c.lemma_.lower(), ()) if c.dep_ in ("acl", "amod") else ()
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in preps:
                    for g in p.children:
                        if g.dep_ == "pobj":
                            r = self.resolver.resolve(g, ctx)
                            if r and r.how != "pair":
                                return [r]
        return []

    def author_of(self, head: Any, ctx: DocContext) -> list[Resolved]:
        """Who speaks through a document: "X issued a statement condemning Y", "a report by X
        accusing Y", "X's letter urging Y", "a resolution X passed criticizing Y"."""
        if head.pos_ != "NOUN" or head.lemma_.lower() not in DOCUMENTS:
            return []
        for c in head.children:
            if c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for g in [c] if c.dep_ == "poss" else [g for g in c.children if g.dep_ == "pobj"]:
                    found = self.resolve_many(g, ctx)
                    if found:
                        return found
        if head.dep_ in ("dobj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
            signed = self.matcher.match_verb(head.head)
            if signed is not None and signed.pattern.code[:2] in ("03", "05", "06"):
                return []  # "signed a declaration ending the war": the signing is the event
            gov = agent_of(head.head) if head.dep_ == "nsubjpass" else None
            if gov is None:
                gov, _ = subject_of(head.head)
            if gov is not None and gov.i != head.i:
                return self.resolve_many(gov, ctx)
        return []

    @staticmethod
    def crowd(head: Any, m: Match) -> list[Resolved]:
        """An unnamed crowd counted, not named, as the subject of a protest ("thousands
        rallied", "hundreds protested"): a side with no country yet, placed where the
        protest happens (``SentenceCoder._complete``)."""
        protest = m.code[:2] == "14" or m.trigger.lemma_.lower() == "protest"
        if not protest or head.lower_.removesuffix("s") not in CROWD_COUNTS:
            return []
        return [Resolved((Actor(head.text.lower(), None, None),), "crowd", (head.i,))]

    def conjuncts(self, tok: Any) -> list[Any]:
        """A phrase and its conjuncts; headline lists ("S. Korea, Russia") count too."""
        out = [tok]
        for c in tok.children:
            if c.dep_ == "conj" or (
                c.dep_ == "appos" and c.pos_ == "PROPN" and tok.pos_ == "PROPN"
            ):
                out.extend(self.conjuncts(c))
            elif c.dep_ == "nmod" and c.i < tok.i and any(g.dep_ == "cc" for g in c.children):
                # "President A and President B" parsed as A modifying B: A is a conjunct
                out[:0] = self.conjuncts(c)
        return out

    def resolve_many(self, tok: Any, ctx: DocContext, loose: bool = False) -> list[Resolved]:
        found: list[Resolved] = []
        for t in self.conjuncts(tok):
            r = self.resolver.resolve_loose(t, ctx) if loose else self.resolver.resolve(t, ctx)
            if r is not None:
                found.append(r)
        return found

    def target_candidates(self, m: Match, exclude: set[int]) -> list[tuple[Any, str]]:
        """Tokens that may name the target, best first, with how they were found."""
        out: list[tuple[Any, str]] = []
        for t in m.frame:
            if t.i in exclude:
                continue
            small_clause_subject = (
                t.dep_ == "nsubj" and t.head.pos_ in ("ADJ", "NOUN") and t.head.dep_ == "ccomp"
            )
            if (
                t.dep_ in ("dobj", "obj", "dative", "attr", "oprd") or small_clause_subject
            ) and t.head.i in {f.i for f in m.frame}:
                out.append((t, "object"))
                out.extend((c, "poss") for c in _possessors(t))
            elif t.dep_ == "pobj" and t.head.lower_ in TARGET_PREPS:
                out.append((t, "prep-" + t.head.lower_))
                out.extend((c, "poss") for c in _possessors(t))
        if m.kind == "noun":
            head_noun = m.trigger
            while head_noun.dep_ == "compound" and head_noun.head.i != head_noun.i:
                head_noun = head_noun.head
            kids = list(m.trigger.children) + (
                list(head_noun.children) if head_noun.i != m.trigger.i else []
            )
            for c in kids:
                if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                    for g in c.children:
                        if g.dep_ == "pobj" and g.i not in exclude:
                            out.append((g, "prep-" + c.lower_))
        if m.kind == "verb" and m.pattern.code[:2] in CLAUSE_TARGET_ROOTS:
            # "X demanded that Y step down": Y is asked
            for c in m.trigger.children:
                if c.dep_ == "ccomp":
                    out.extend(
                        (g, "clause-subject")
                        for g in c.children
                        if g.dep_ in ("nsubj", "nsubjpass") and g.i not in exclude
                    )
        order = {
            "object": 0,
            "prep-with": 1,
            "prep-to": 2,
            "prep-on": 2,
            "prep-against": 2,
            "clause-subject": 2,
            "poss": 3,
        }
        out.sort(key=lambda x: order.get(x[1], 4))
        return out

    def location(self, m: Match) -> str | None:
        """The place named by an ``in``/``at`` phrase of the trigger's own clause that says where
        the act was: one on the trigger, a word of its pattern ("held talks in Tokyo") or its
        partner ("talks with Lavrov in Moscow"), not on another word ("discussed the situation
        in Somalia" happened elsewhere)."""
        tokens = clause_tokens(m.trigger)
        words = {stem(w) for w in m.pattern.words}
        heads = {m.trigger.i} | {t.i for t in m.frame if stem(t.lemma_) in words}
        # "talks with his Russian counterpart, Sergei Lavrov, in Moscow": on the partner
        heads |= {
            g.i
            for c in m.trigger.children
            if c.dep_ == "prep" and c.lower_ in ("with", "between")
            for g in c.children
            if g.dep_ == "pobj"
        }
        if m.kind == "noun":
            tokens += [c for c in m.trigger.head.children if c.dep_ == "prep"]
            tokens += [g for c in tokens if c.dep_ == "prep" for g in c.children]
            heads.add(m.trigger.head.i)
        for t in tokens:
            if t.dep_ == "prep" and t.lower_ in PLACE_PREPS and t.head.i in heads:
                for g in t.children:
                    if g.dep_ != "pobj":
                        continue
                    for e in g.doc.ents:
                        if e.start <= g.i < e.end and self.is_place(e):
                            return e.text
        return None

    def is_place(self, ent: Any) -> bool:
        if ent.label_ in ("GPE", "LOC", "KB_CAPITAL", "KB_COUNTRY"):
            return True
        return any(x.kind in ("capital", "country") for x in self.kb.lookup(ent.text))

    def two_bodies(self, a: Actor, b: Actor) -> bool:
        """Two different named bodies of one country ("Mr Prettejohn urged the FSA"), neither
        of them the country itself: a domestic dyad, not an actor acting on itself."""
        if not a.name or not b.name or fold(a.name) == fold(b.name):
            return False
        for name in (a.name, b.name):
            if any(e.kind in ("country", "capital", "demonym") for e in self.kb.lookup(name)):
                return False
        return True

    @staticmethod
    def owner_of_thing(thing: Actor, source: Actor, ctx: DocContext) -> Actor:
        """An act aimed at a thing ("denounced the investigations", "suggested close
        cooperation", "resigned on Sunday"), not at an actor: its target is whoever the
        thing belongs to in the story. Between two countries in play, the other one; in a
        story about one country, that country; else nobody the text places."""
        if ctx.pairs:
            count, _, (a, b) = max(ctx.pairs.values(), key=lambda v: (v[0], v[1]))
            if count >= BILATERAL_EVENTS and source.country in (a.country, b.country):
                return Actor(
                    thing.name, b.country if a.country == source.country else a.country, None
                )
        return Actor(thing.name, ctx.home, None)

    def place_target(self, m: Match, ctx: DocContext, source: Actor) -> Actor | None:
        for t in clause_tokens(m.trigger) + list(m.frame):
            if t.dep_ == "prep" and t.lower_ in PLACE_PREPS:
                for g in t.children:
                    if g.dep_ == "pobj":
                        r = self.resolver.resolve(g, ctx)
                        if r and r.actor.country and r.actor.country != source.country:
                            return Actor(r.actor.name, r.actor.country, None)
        return None

    def place_only(self, tok: Any) -> bool:
        for e in tok.doc.ents:
            if e.start <= tok.i < e.end:
                entries = self.kb.lookup(e.text)
                return (
                    bool(entries)
                    and all(x.kind == "capital" for x in entries)
                    and tok.head.lower_ in ("in", "at")
                )
        return False

    def fallback_target(
        self,
        m: Match,
        source: Actor,
        ctx: DocContext,
        subjects: Sequence[Actor] = (),
    ) -> tuple[Actor | None, str]:
        """No target in the structure: another actor of the sentence (not one of the
        ``subjects``), else the pair in play."""
        sent = m.trigger.sent
        best: tuple[int, Actor, Any] | None = None
        for e in sent.ents:
            if not e.label_.startswith("KB_") and e.label_ not in ("PERSON", "ORG", "NORP", "GPE"):
                continue
            r = self.resolver.resolve(e.root, ctx)
            if r is None:
                continue
            for a in r.actors:
                if a.country and a.country != source.country and a not in subjects:
                    dist = abs(e.root.i - m.trigger.i)
                    if best is None or dist < best[0]:
                        best = (dist, a, e.root)
        if best:
            near = governed_within(best[2], m.trigger, 3)
            return best[1], "fallback-governed" if near else "fallback-sentence"
        return None, ""
