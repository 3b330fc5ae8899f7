"""Events stage: a parsed sentence + actors → coded event mentions (CAMEO + PLOVER).

How a sentence is coded (``SentenceCoder.code``):

1. **Triggers** (``coding.triggers``). Every verb is matched against the verb patterns: the pattern's first
   word is the verb's lemma, the others must occur in the verb's *frame* (its object,
   particle, prepositions and their objects, open complements, up to three levels).
   The most specific pattern wins. Nouns heading noun patterns ("talks with", "Putin's
   visit to Seoul") are triggers when no verb pattern covers them.
2. **Source and target** come from the dependency structure: subject (or the ``by``
   agent of a passive verb) → source; direct object, dative, or the object of ``with``,
   ``to``, ``on``, ``against``, ``for``… → target; a possessive on the object counts
   ("requested Russia's support" → RUS). A subject "A and B" or a group word ("the two
   sides") makes a symmetric event A → B when the act is reciprocal (``RECIPROCAL_ROOTS``:
   "A and B met / clashed / signed a deal"); otherwise the target comes from the structure
   and is never a co-subject ("A and B condemned C" is A → C). A verb without its own
   subject (an open complement, a conjunct) takes its governor's subject. An act named as
   the object of a judging verb ("condemned the attack", ``JUDGING_ROOTS``) is not the
   judge's own act.
3. **Reported speech.** In "X said (that) Y will …" the event is Y's (CAMEO codes the
   reported action, not the act of saying it) and ``reported_by`` is X; a pronoun
   subject of the reported clause ("Putin said he …", "Seoul said it …") is X.
4. **Modality** (``coding.modality``). A negated trigger (``not``, ``never``, or under "refuse/fail to") is
   ``negated``. A conditional or speculative one (``if``, ``could``, ``might``, ``may``,
   ``would`` outside reported speech) is ``hypothetical``. A future or intended
   cooperative act (``will``, ``plan to``, ``agree to``, "would" in reported speech) is
   coded, as CAMEO prescribes, as the matching *intent* code of root 03 (a future
   meeting → 036, future aid → 033…), and a future violent act as a threat (13). Declining
   a cooperative act is CAMEO's rejection (12): a negated decision ("did not agree",
   "failed to reach agreement", ``DECISION_VERBS``), or a refusal of any cooperative act
   ("refused to resume talks", "will not lift the embargo", ``REFUSING_HEADS``).
5. **Date, place, topics.** The event's date comes from the sentence ("on Monday",
   "earlier in the day", absolute dates) resolved against the publication date
   (``date_how``); the place from an ``in``/``at`` phrase naming a known place; topics from
   keyword lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from newsevents.coding.actors import ActorResolver, Resolved
from newsevents.coding.cameo import Lexicon, Pattern
from newsevents.coding.context import DocContext
from newsevents.coding.kb import KnowledgeBase
from newsevents.coding.modality import Modality, lasting, modality
from newsevents.coding.settle import VIOLENT_ROOTS, Draft, complete, recode, rules_confidence
from newsevents.coding.sides import Sides
from newsevents.coding.syntax import (
    agent_of,
    in_clause_of,
    naming,
    noun_agent,
    object_of,
    question,
    stem,
    subject_of,
)
from newsevents.coding.triggers import Match, TriggerMatcher
from newsevents.coding.words import (
    ARRIVALS,
    JUDGING_ROOTS,
    PLACE_PREPS,
    RECIPROCAL_ROOTS,
    SAID_FORMS,
    SPEECH_VERBS,
    TOPIC_ROOTS,
    WEAPON_HEADS,
    WORDS_ROOTS,
)
from newsevents.records import Actor
from newsevents.text.dates import background_year


def _coordinated(c: Coded) -> list[Coded]:
    """The same act by and against the other members of coordinated sides: "the US, Japan and
    South Korea condemned North Korea" is three events, "China criticised the US and Japan"
    two. A member of the other side's country is no pair of its own."""
    out = []
    sources = (c.source, *c.co_sources)
    targets = (c.target, *c.co_targets)
    for s in sources:
        for t in targets:
            if (s is c.source and t is c.target) or s.country == t.country or s == t:
                continue
            out.append(
                replace(
                    c,
                    source=s,
                    target=t,
                    co_sources=(),
                    co_targets=(),
                    notes=[*c.notes, "a member of a coordinated side"],
                )
            )
    return out


def _inner_triggers(matches: list[Match], verdicts: dict[int, tuple[str, str]]) -> set[int]:
    """The triggers inside another trigger's frame, which belong to it ("agree to
    cooperate"; "discussed trade", "commented on the attack": a topic of talks or remarks);
    each is recorded in ``verdicts`` as part of the other's act."""
    inner: set[int] = set()
    for m in matches:
        for other in matches:
            if other is m or m.trigger.i not in {t.i for t in other.frame[1:]}:
                continue
            in_pattern = stem(m.trigger.lemma_) in {stem(w) for w in other.pattern.words[1:]}
            topic = (
                m.kind == "noun"
                and other.kind == "verb"
                and other.pattern.code[:2] in TOPIC_ROOTS
                and (object_of(m.trigger, other.trigger))
            )
            if (
                in_pattern
                or topic
                or m.trigger.dep_ in ("xcomp", "acomp")
                or (m.pattern.code[:2] == other.pattern.code[:2])
            ):
                inner.add(m.trigger.i)
                verdicts.setdefault(
                    id(m), ("rejected", f"part of the act of '{other.trigger.text}'")
                )
    return inner


def _mark_asked_for(found: list[Coded]) -> None:
    """A thing asked for, promised or threatened ("called for sanctions") has not happened:
    an event noun in the frame of an appeal, intent, demand or threat is hypothetical."""
    for c in found:
        if c.match.kind != "noun":
            continue
        for other in found:
            if (
                other.match.kind == "verb"
                and other.code[:2] in ("02", "03", "10", "13")
                and (c.match.trigger.i in {t.i for t in other.match.frame})
            ):
                c.hypothetical = True
                c.notes.append(f"asked for or promised by '{other.match.trigger.text}'")


def _one_per_pair_and_root(
    found: list[Coded], verdicts: dict[int, tuple[str, str]], explain: bool
) -> list[Coded]:
    """One event per (source, target, root) in a sentence, the most specific first; the
    others recorded in ``verdicts`` (and, for ``explain``, the accepted ones too)."""
    found = sorted(found, key=lambda c: (-c.match.pattern.specificity, -c.confidence))
    seen: set[tuple[str | None, str | None, str]] = set()
    out: list[Coded] = []
    for c in found:
        key = (c.source.country, c.target.country, c.code[:2])
        if key in seen:
            verdicts.setdefault(
                id(c.match),
                ("rejected", "the same pair and root as a more specific event of the sentence"),
            )
            continue
        seen.add(key)
        out.append(c)
        if explain:  # the wording only for explain: ingest never reads it
            _accepted(verdicts, c)
    return out


def _audit_rows(matches: list[Match], verdicts: dict[int, tuple[str, str]]) -> list[dict[str, Any]]:
    """Every candidate of a sentence with what the rules decided and why (``explain``)."""
    rows = []
    for m in matches:
        decision, reason = verdicts.get(id(m), ("rejected", "no event"))
        rows.append(
            {
                "trigger": m.trigger.text,
                "kind": m.kind,
                "pattern": m.pattern.text,
                "code": m.pattern.code,
                "decision": decision,
                "reason": reason,
            }
        )
    return rows


def _accepted(verdicts: dict[int, tuple[str, str]], c: Coded) -> None:
    """Record ``c`` as an accepted event of its trigger (a trigger may give several)."""
    flags = [f for f, on in (("negated", c.negated), ("hypothetical", c.hypothetical)) if on]
    said = f"{c.code} {c.source.country or '?'} -> {c.target.country or '?'}" + (
        f", {' and '.join(flags)}: counted nowhere" if flags else ""
    )
    before = verdicts.get(id(c.match))
    verdicts[id(c.match)] = (
        "accepted",
        f"{before[1]}; {said}" if before and before[0] == "accepted" else said,
    )


def _reject(why: list[str] | None, reason: str) -> None:
    """No event, for ``reason`` (kept in ``why`` when the caller asks)."""
    if why is not None:
        why.append(reason)
    return None


#: the rejections the sentence model may overrule (``SentenceCoder.recoverable``): the
#: patterns found an act, the rules no side for it
RECOVERABLE = ("no source", "no target")


@dataclass
class Coded:
    """An event found in one sentence, before it becomes an ``Event`` record."""

    match: Match
    source: Actor
    target: Actor
    code: str
    negated: bool
    hypothetical: bool
    future: bool
    reported_by: Actor | None
    location: str | None
    confidence: float
    notes: list[str] = field(default_factory=list)
    ongoing: bool = False  # "has been discussing": a process, not a dated event
    # the other members of a coordinated side ("the US, Japan and South Korea condemned"):
    # one event per source-target pair
    co_sources: tuple[Actor, ...] = ()
    co_targets: tuple[Actor, ...] = ()
    source_how: str = ""  # how the source was resolved (``Resolved.how``): "entity", "role", ...


#: how a target is found when any noun phrase there may be what an act is aimed at
AIMED_AT = frozenset(
    {
        "object", "prep-with", "prep-to", "prep-on", "prep-against", "prep-into", "prep-of",
        "prep-for", "prep-from",
    }
)  # fmt: skip


def _spare(
    m: Match, source: Actor, target: Actor, how: str, location: str | None, target_how: str = ""
) -> Coded:
    """A factual candidate the rules keep aside for the sentence model to recover
    (``learning.decide.recover``), found ``how`` ("recovered": a home-country act the rules
    found no side for; "statement": a speaker's words); its target found ``target_how``
    (the same when not given)."""
    return Coded(
        match=m,
        source=source,
        target=target,
        code=m.code,
        negated=False,
        hypothetical=False,
        future=False,
        reported_by=None,
        location=location,
        confidence=0.0,
        notes=[f"target: {target_how or how}"],
        source_how=how,
    )


class SentenceCoder:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.kb = kb
        self.lex = lexicon
        self.resolver = ActorResolver(kb)
        self.matcher = TriggerMatcher(lexicon)
        self.sides = Sides(kb, self.resolver, self.matcher)

    # -- coding --------------------------------------------------------------------------

    def code(
        self,
        sent: Any,
        ctx: DocContext,
        audit: list[dict[str, Any]] | None = None,
        wanting: list[Match] | None = None,
    ) -> list[Coded]:
        """The events of one sentence. ``audit`` (when given) receives every candidate the
        patterns found, accepted or rejected, with the reason (``explain`` shows them);
        ``wanting`` (when given), the candidates rejected for want of a side
        (``RECOVERABLE``)."""
        matches = self.matcher.triggers(sent)
        verdicts: dict[int, tuple[str, str]] = {}  # id(match) -> (decision, reason)
        inner = _inner_triggers(matches, verdicts)
        found: list[Coded] = []
        for m in matches:
            if m.trigger.i in inner:
                continue
            why: list[str] = []
            c = self.code_match(m, ctx, why)
            if c is not None:
                found.append(c)
                found.extend(_coordinated(c))
            else:
                verdicts[id(m)] = ("rejected", why[0] if why else "no event")
                if wanting is not None and why and why[0].startswith(RECOVERABLE):
                    wanting.append(m)
        _mark_asked_for(found)
        out = _one_per_pair_and_root(found, verdicts, explain=audit is not None)
        if audit is not None:
            audit.extend(_audit_rows(matches, verdicts))
        for c in out:
            ctx.note(c.source)
            ctx.note(c.target)
            if not c.negated and not c.hypothetical:
                ctx.note_event(c.source, c.target)
        return out

    def recoverable(self, wanting: list[Match], ctx: DocContext) -> list[Coded]:
        """The candidates ``wanting`` (rejected for want of a side) as acts of the article's
        home country on both sides, for the sentence model to recover
        (``learning.decide.recover``); none without a home, nor where the act is negated,
        hypothetical or to come."""
        home = ctx.home
        if not home or not wanting:
            return []
        side = self._country_side(home)
        out = []
        foreign: dict[int, bool] = {}  # per sentence (by its start), asked once
        for m in wanting:
            mod = modality(m.trigger if m.kind == "verb" else m.trigger.head)
            if mod.negated or mod.hypothetical or mod.future:
                continue
            sent = m.trigger.sent
            if sent.start not in foreign:
                foreign[sent.start] = self._names_another_country(sent, ctx, home)
            if foreign[sent.start]:
                continue
            out.append(_spare(m, side, side, "recovered", self.sides.location(m)))
        return out

    def _country_side(self, code: str) -> Actor:
        """The country ``code`` itself as a side, under its name."""
        return Actor(str(self.kb.countries.get(code, {}).get("name") or code), code, None)

    def statements(self, sent: Any, ctx: DocContext) -> list[Coded]:
        """What a placed speaker says in ``sent`` ("X said ...", "X told reporters ...") as
        the speaker's statement, for the sentence model to recover when the sentence has no
        rule event (``learning.decide.recover``; it takes only the roots of words,
        ``STATEMENT_ROOTS``): the protocol codes an official statement of position as an
        act of the speaker's country, here towards the first other country the sentence
        names, or towards the speaker's own. None for a negated, hypothetical or
        future saying, nor for a speaker the text does not place."""
        for tok, subj in _speakings(sent):
            mod = modality(tok)
            if mod.negated or mod.hypothetical or mod.future:
                continue
            sources = self.sides.resolve_many(subj, ctx)
            speaker = next((a for r in sources for a in r.actors if a.country), None)
            if speaker is None:
                continue
            said_of = self._first_other_country(sent, ctx, speaker.country, subj)
            m = Match(
                tok, Pattern("010", (tok.lemma_.lower(),), "verb", "statement"), [tok], "verb"
            )
            if said_of is not None:
                return [_spare(m, speaker, said_of, "statement", None, "named")]
            return [_spare(m, speaker, self._country_side(speaker.country), "statement", None)]
        return []

    def may_state(self, doc: Any) -> bool:
        """Whether a parsed ``doc`` (named entities not needed) has a saying ``statements``
        could take: a speech verb heading its sentence, with an active subject."""
        return any(next(_speakings(sent), None) is not None for sent in doc.sents)

    def _first_other_country(
        self, sent: Any, ctx: DocContext, country: str | None, speaker: Any
    ) -> Actor | None:
        """The first actor ``sent`` names, outside the speaker's phrase, of a country other
        than ``country``."""
        mine = {t.i for t in speaker.subtree}
        for ent in sent.ents:
            if ent.root.i in mine:
                continue
            r = self.resolver.resolve(ent.root, ctx)
            for a in r.actors if r is not None else ():
                if a.country and a.country != country:
                    return a
        return None

    def _names_another_country(self, sent: Any, ctx: DocContext, home: str) -> bool:
        """Whether the sentence names an actor of a country other than ``home`` (or an
        international organization): then the act it reports is not only home's affair."""
        for ent in sent.ents:
            if ent.label_.startswith("KB_"):
                r = self.resolver.resolve(ent.root, ctx)
                if r is not None and any(a.country and a.country != home for a in r.actors):
                    return True
        return False

    def code_match(self, m: Match, ctx: DocContext, why: list[str] | None = None) -> Coded | None:
        """The event ``m`` reports, or None; ``why`` (when given) receives the reason. In
        steps: is it an act at all, its modality and reporter, its source, its target, the
        places and countries that complete them, its final code, its confidence."""
        tok = m.trigger
        reason = self._not_an_act(m, ctx) or self._purpose_of_an_act(m)
        if reason:
            return _reject(why, reason)
        mod = modality(tok if m.kind == "verb" else tok.head)
        reporter = self._reporter(mod, ctx)
        d = Draft(mod.negated, mod.hypothetical)
        sources, passive = self._sources(m, ctx, reporter, d)
        if not sources:
            return _reject(why, "no source: nobody the sentence names does it")
        actors = [a for r in sources for a in r.actors]
        d.source = actors[0]
        co_targets = self._target(m, ctx, sources, actors, passive, d)
        if d.target is None:
            return _reject(why, "no target: no actor, thing or place it is aimed at")
        reason = complete(self.sides, m, ctx, sources[0].how, d)
        if reason:
            return _reject(why, reason)
        reason = recode(m, mod, reporter, d)
        if reason:
            return _reject(why, reason)
        source, target = d.source, d.target
        first = actors[0]
        co_sources = (
            ()
            if d.how_target == "symmetric" or source is not first
            else tuple(a for a in actors[1:] if a.country and a.country != first.country)
        )
        return Coded(
            co_sources=co_sources,
            co_targets=tuple(co_targets),
            source_how=sources[0].how,
            match=m,
            source=source,
            target=target,
            code=d.code,
            negated=d.negated,
            hypothetical=d.hypothetical and not mod.future,
            future=mod.future,
            reported_by=reporter,
            location=self.sides.location(m),
            confidence=rules_confidence(m, mod.purpose, sources[0].how, d),
            notes=d.notes + [f"target: {d.how_target}"],
            ongoing=m.kind == "verb"
            and tok.tag_ == "VBG"
            and any(c.lower_ == "been" for c in tok.children),
        )

    @staticmethod
    def _not_an_act(m: Match, ctx: DocContext) -> str | None:
        """Why the trigger ``m`` reports no act (a question, a naming, background years
        before the article, a state lasting years), or None."""
        tok = m.trigger
        if m.kind == "verb" and (question(tok) or naming(tok)):
            # "asked whether ...", "called him a so-called judge": no request
            return "a question or a naming, not a request of an act"
        year = background_year(tok.sent.text, ctx.when)
        if year is not None and in_clause_of(year, tok):
            return f"background: set in {year}, years before the article"
        if m.kind == "verb" and lasting(tok, m.code[:2] in WORDS_ROOTS):
            return "a state lasting months or years, not a new act"
        return None

    def _purpose_of_an_act(self, m: Match) -> str | None:
        """Why a verb is the purpose of a meeting or visit the sentence reports ("met the
        ambassador to discuss the situation and agree to continue ...": the meeting is the
        act, what it was for is its topic), or None."""
        if m.kind != "verb":
            return None
        clause = m.trigger
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "advcl" or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
        ):
            return None
        if clause.head.pos_ != "VERB":
            return None
        act = self.matcher.match_verb(clause.head)
        if act is None or act.code[:2] != "04":
            return None
        return f"the purpose of the act '{clause.head.text}', not an act of its own"

    def _reporter(self, mod: Modality, ctx: DocContext) -> Actor | None:
        """Who says the clause, when it is reported speech ("X said (that) ...")."""
        if mod.speech is None:
            return None
        subj, _ = subject_of(mod.speech)
        if subj is None:
            return None
        r = self.resolver.resolve(subj, ctx) or self.resolver.resolve_loose(subj, ctx)
        return r.actor if r else None

    def _sources(
        self, m: Match, ctx: DocContext, reporter: Actor | None, d: Draft
    ) -> tuple[list[Resolved], bool]:
        """Who does the act of ``m`` (none: no event), and whether its verb is passive."""
        if m.kind != "verb":
            return self._noun_sources(m, ctx, d.notes), False
        sources, passive = self._verb_sources(m, ctx, reporter)
        return sources or self._unnamed_sources(m, ctx, reporter, d.notes), passive

    def _verb_sources(
        self, m: Match, ctx: DocContext, reporter: Actor | None
    ) -> tuple[list[Resolved], bool]:
        """The sides a verb's subject (or a passive's agent) names, and whether it is
        passive: "he" in reported speech is the speaker; an unplaced subject may be someone's
        side ("fighters loyal to the Taliban")."""
        subj, passive = subject_of(m.trigger)
        if passive:
            agent = agent_of(m.trigger)
            return (self.sides.resolve_many(agent, ctx) if agent is not None else []), True
        if subj is None:
            return [], False
        if subj.lower_ in ("he", "she", "it", "they", "we") and reporter is not None:
            return [Resolved((reporter,), "speaker")], False
        sources = self.sides.resolve_many(subj, ctx)
        if not any(a.country for r in sources for a in r.actors):
            sources = self.sides.affiliation(subj, ctx) or sources
        return sources, False

    def _noun_sources(self, m: Match, ctx: DocContext, notes: list[str]) -> list[Resolved]:
        """Who does the act an event noun names: its possessor or modifier ("Russia's
        strikes", "a US mediation effort"), its agent ("the attack by FMLN rebels"), or the
        subject of the verb that governs it ("X launched an attack"; not of a judging verb:
        "X condemned the attack" is no act of X's)."""
        tok = m.trigger
        # "a mediation effort": the event noun modifies the head of its phrase
        head_noun = tok
        while head_noun.dep_ == "compound" and head_noun.head.i != head_noun.i:
            head_noun = head_noun.head
        kids = list(tok.children) + (list(head_noun.children) if head_noun.i != tok.i else [])
        for c in kids:
            if c.dep_ in ("poss", "compound", "amod") and c.i != tok.i:
                r = self.resolver.resolve(c, ctx)
                if r:
                    return [r]
        # "the attack on X by FMLN rebels", "criticism by Baker of ...": the noun's agent
        agent = noun_agent(tok) or (noun_agent(head_noun) if head_noun.i != tok.i else None)
        if agent is not None:
            sources = self.sides.resolve_many(agent, ctx)
            if sources:
                notes.append("source: the act's agent (by ...)")
                return sources
        if head_noun.dep_ not in ("dobj", "pobj", "nsubj", "attr"):
            return []
        gov = head_noun.head if head_noun.dep_ != "pobj" else head_noun.head.head
        subj, _ = subject_of(gov)
        judged = self.matcher.match_verb(gov) if gov.i != tok.i else None
        if subj is None or judged is not None and judged.pattern.code[:2] in JUDGING_ROOTS:
            return []
        sources = self.sides.resolve_many(subj, ctx)
        if gov.lemma_.lower() in SPEECH_VERBS | {"make"} and sources:
            notes.append("source from the governing verb")
        return sources

    def _unnamed_sources(
        self, m: Match, ctx: DocContext, reporter: Actor | None, notes: list[str]
    ) -> list[Resolved]:
        """A verb's source when its subject names no actor: the speaker of reported speech
        with no subject of its own; the owner of a weapon or act, the side, the author of a
        document, a looser reading of the subject, a counted crowd; the state where a
        passive arrest happened, or an unknown author; an unnamed weapon."""
        tok = m.trigger
        subj, passive = subject_of(tok)
        if reporter is not None and subj is None:
            return [Resolved((reporter,), "speaker")]
        head = agent_of(tok) if passive else subj
        if head is not None:
            found = (
                self.sides.instrument_owner(head, ctx)
                or self.sides.affiliation(head, ctx)
                or self.sides.author_of(head, ctx)
                or self.sides.resolve_many(head, ctx, loose=True)
                or self.sides.crowd(head, m)
            )
            if found:
                return found
            if passive and m.code[:2] in VIOLENT_ROOTS and head.pos_ == "NOUN":
                # "shot dead by unidentified attackers", "killed by gunmen": an agent no rule
                # places is an unnamed author, placed as violence nobody is named for
                notes.append("passive with an agent nobody places: source unknown")
                return [Resolved((Actor("unknown", None, None),), "unknown")]
        if head is None and passive and subj is not None:
            # "X was killed": the event happened, its author is not named; an arrest
            # or a seizure "in Niger" is the work of that state
            place = (
                self.sides.place_target(m, ctx, Actor("", None, None))
                if m.code[:2] == "17"
                else None
            )
            if place is not None:
                notes.append("passive without agent: the state where it happened")
                return [Resolved((Actor(place.name, place.country, "GOV"),), "place")]
            notes.append("passive without agent: source unknown")
            return [Resolved((Actor("unknown", None, None),), "unknown")]
        if subj is not None and stem(subj.lemma_) in {stem(w) for w in WEAPON_HEADS}:
            # "a car bomb killed ...": the instrument stands in for an unnamed author
            return [Resolved((Actor(subj.text, None, None),), "weapon")]
        return []

    def _target(
        self,
        m: Match,
        ctx: DocContext,
        sources: list[Resolved],
        actors: list[Actor],
        passive: bool,
        d: Draft,
    ) -> list[Actor]:
        """Set ``d.target`` (and how it was found) to whom or what the act of ``m`` is aimed
        at; return the other members of a coordinated target."""
        tok = m.trigger
        source = d.source
        target: Actor | None = None
        how_target = ""
        # "A and B met": B is the target of a reciprocal act; "A and B condemned X" is not A
        # against B (the target comes from the structure, and is never one of the subjects)
        if (
            len(actors) >= 2
            and actors[1].country != source.country
            and m.code[:2] in RECIPROCAL_ROOTS
        ):
            target, how_target = actors[1], "symmetric"
        # target from the structure
        exclude = {i for r in sources for i in r.tokens}
        co_targets: list[Actor] = []
        if passive:
            subj, _ = subject_of(tok)
            if subj is not None:
                r = self.resolver.resolve(subj, ctx) or self.resolver.resolve_loose(subj, ctx)
                if r and r.actor != source:
                    target, how_target = r.actor, "passive-subject"
        if target is None:
            target, how_target, co_targets = self._structural_target(m, ctx, exclude, source)
        if target is None:
            target, how_target = self.sides.fallback_target(m, source, ctx, actors)
        if target is None and (hit := self._unplaced_target(m, ctx, exclude, source)):
            target, how_target = hit
        if target is None:
            # the place the action is aimed at ("donor of aid in Iraq", "lay down arms in Lebanon")
            place = self.sides.place_target(m, ctx, source)
            if place is not None:
                target, how_target = place, "place"
        d.target, d.how_target = target, how_target
        return co_targets if target is not None else []

    def _structural_target(
        self, m: Match, ctx: DocContext, exclude: set[int], source: Actor
    ) -> tuple[Actor | None, str, list[Actor]]:
        """The first placed actor among the trigger's objects and prepositions (not places),
        how it was found, and the other members of a coordinated target."""
        for cand, how in self.sides.target_candidates(m, exclude):
            if how.startswith("prep-") and how[5:] in PLACE_PREPS or _origin(m, how):
                continue
            if (
                cand.dep_ == "pobj"
                and cand.head.lower_ in ("at", "in", "from", "of")
                and m.kind == "verb"
                and self.sides.place_only(cand)
            ):
                continue
            rs = [r for r in self.sides.resolve_many(cand, ctx) if r.actor != source]
            if not rs:
                continue
            if rs[0].how == "pair":
                target = next((a for a in rs[0].actors if a.country != source.country), None)
                if target is not None:
                    return target, how, []
                continue
            # "mediated between Israel and Hamas" is one act between the two
            co = [r.actor for r in rs[1:] if r.how != "pair"] if how != "prep-between" else []
            return rs[0].actor, how, co
        return None, "", []

    def _unplaced_target(
        self, m: Match, ctx: DocContext, exclude: set[int], source: Actor
    ) -> tuple[Actor | None, str] | None:
        """An actor the text does not place in a country, or the thing the act is aimed at
        (given to its owner, if it has one), among the trigger's objects and prepositions,
        and how it was found; None when there is neither."""
        for cand, how in self.sides.target_candidates(m, exclude):
            if how.startswith("prep-") and how[5:] in PLACE_PREPS or _origin(m, how):
                continue
            rs = [r for r in self.sides.resolve_many(cand, ctx, loose=True) if r.actor != source]
            if not rs and m.code[:2] != "04" and how in AIMED_AT:
                r = self.resolver.resolve_loose(cand, ctx, any_np=True)
                rs = [r] if r is not None and r.actor != source else []
            if rs and rs[0].how == "thing":
                return self.sides.owner_of_thing(rs[0].actor, source, ctx), how + "-thing"
            if rs:
                return rs[0].actor, how + "-unplaced"
        return None


def _origin(m: Match, how: str) -> bool:
    """Whether a target candidate is where a traveller comes from ("arrived in Beijing from
    Seoul", "flew in from Tokyo"): the visit is to where they arrive, not to where they left."""
    return how == "prep-from" and m.code == "042" and m.trigger.lemma_.lower() in ARRIVALS


def _speakings(sent: Any) -> Iterator[tuple[Any, Any]]:
    """The speech verbs heading ``sent`` (its root, or a verb joined to it) that have an
    active subject, each with that subject: the sayings a statement may be."""
    for tok in sent:
        if (
            tok.pos_ != "VERB"
            or tok.lower_ not in SAID_FORMS
            or not (tok.dep_ == "ROOT" or tok.dep_ == "conj" and tok.head.dep_ == "ROOT")
        ):
            continue
        subj, passive = subject_of(tok)
        if subj is not None and not passive:
            yield tok, subj
