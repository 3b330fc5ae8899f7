"""The last steps of coding one trigger's event, once it has a source and a target.

``SentenceCoder.code_match`` (``coding.events``) drafts an event (``Draft``): is it an act,
its modality, who does it and at whom. Then:

1. ``complete`` places the sides the text leaves unplaced where the act's kind and place say
   where they are (protesters "in Paris" are French; an arrest nobody is named for is the
   authorities' of the country; violence by an unnamed author happens in a country), or
   says why there is no event after all (a release of a record, an actor acting on itself);
2. ``recode`` sets the act's final code (an air strike, a crowd's violence, words for an
   attack, blame and demands in reported speech, a refusal, a future act as an intent or a
   threat), or says why there is none;
3. ``rules_confidence`` is the rules' confidence in it (the event scorer's P(right)
   replaces it where the sentence model decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsevents.coding.context import DocContext
from newsevents.coding.modality import Modality
from newsevents.coding.sides import Sides
from newsevents.coding.syntax import agent_of, stem, subject_of
from newsevents.coding.triggers import Match
from newsevents.coding.words import (
    AERIAL,
    CROWD_COUNTS,
    CROWDS,
    DECISION_VERBS,
    DOCUMENTS,
    INTENT_OF_ROOT,
    PLACE_ROOTS,
    REJECT_OF_ROOT,
    THREAT_OF_ROOT,
)
from newsevents.records import Actor


@dataclass
class Draft:
    """An event of one trigger while ``SentenceCoder.code_match`` works it out."""

    negated: bool
    hypothetical: bool
    source: Actor = field(default_factory=lambda: Actor("", None, None))
    target: Actor | None = None
    how_target: str = ""
    code: str = ""
    notes: list[str] = field(default_factory=list)


#: roots of violence, whose unnamed authors ``complete`` places where the violence happened
VIOLENT_ROOTS = frozenset({"18", "19", "20"})
#: verbs of attack that politicians use in words ("attacked the FBI's integrity", "fired back
#: at May", "slammed the plan")
VERBAL_ATTACK_VERBS = {
    "attack", "fire", "slam", "blast", "assail", "lash", "hit",
    "bombard", "offensive", "battle", "war", "wage", "fight",
}  # fmt: skip
#: sectors that attack in words, not arms
TALKING_SECTORS = {"GOV", "LEG", "OPP", "POL", "JUD", "LAB", "MED", "BUS", "NGO"}
#: words that put an attack on the battlefield
ARMED_WORDS = re.compile(
    r"\b(?:kill\w*|wound\w*|bomb\w*|shell\w*|shot|shoot\w*|gun\w*|rocket\w*|missile\w*|troops?|"
    r"soldiers?|militar\w*|army|armed|forces|police|guerrill\w*|rebels?|militants?|insurgents?|"
    r"weapons?|dead|injur\w*|explosi\w*|artillery|air ?strikes?|raid\w*|ambush\w*)\b",
    re.I,
)


def _verbal_attack(tok: Any, source: Actor) -> bool:
    """An attack by a politician, a party or an office, with nothing armed in the sentence,
    is an attack in words: "Trump has openly attacked the FBI", "Oliver Letwin attacked
    government red tape", "Trump fired back at Theresa May"."""
    if tok.lemma_.lower() not in VERBAL_ATTACK_VERBS:
        return False
    talker = source.sector in TALKING_SECTORS or (
        source.person is not None and source.sector is None
    )
    sent = tok.sent
    # the trigger itself ("bombarded the minister with questions") arms nothing
    words = (
        sent.text[: tok.idx - sent.start_char]
        + " "
        + sent.text[tok.idx - sent.start_char + len(tok.text) :]
    )
    return talker and not ARMED_WORDS.search(words)


#: verbs of violence that take, in other senses, a thing nobody is hurt by ("struck a
#: compromise", "hit a note", "captured the nomination", "stormed the charts")
VIOLENT_VERBS = {"strike", "capture", "hit", "storm", "shoot", "destroy"}
#: their objects in those senses
NOT_HARMED = {
    "compromise", "deal", "agreement", "accord", "bargain", "pact", "balance", "tone", "note",
    "chord", "nomination", "seat", "vote", "bill", "act", "record", "headline", "chart",
    "imagination", "mood", "high", "low", "snag", "wall", "roadblock", "jackpot",
    "video", "film", "scene", "mark", "market", "stride",
}  # fmt: skip


def _harmless_sense(tok: Any) -> str | None:
    """Why a verb of violence is none here: its object is no one it can hurt ("struck a
    conciliatory note"), or None."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in VIOLENT_VERBS:
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.lemma_.lower() in NOT_HARMED:
        return f"'{tok.lemma_.lower()} {obj.lemma_.lower()}' is no violence"
    return None


#: what one gives, provides or offers in words, not in substance ("gave a speech to business
#: leaders", "gave an interview to the BBC", "provided details to the committee"): no aid
WORDS_GIVEN = {
    "speech", "address", "lecture", "talk", "interview", "statement", "conference", "briefing",
    "testimony", "evidence", "account", "warning", "signal", "sermon", "toast", "presentation",
    "answer", "reply", "hint", "indication", "impression", "detail", "update", "example",
    "opinion", "view", "verdict", "assessment", "reason", "explanation", "comment", "remark",
    "thought", "advice", "glimpse", "insight", "overview", "description", "performance",
}  # fmt: skip


#: what "provide" alone gives when it is aid: money, goods, help ("provided $400 million",
#: "provided their annual donations"); not "provides income", "provided a link", "provide
#: fair treatment", "provided the counsel with emails"
AID_GIVEN = {
    "aid", "assistance", "help", "support", "donation", "fund", "funding", "money", "grant",
    "resource", "equipment", "supply", "food", "water", "medicine", "shelter", "relief",
    "training", "loan", "credit", "budget", "cash", "dollar", "euro", "pound", "yen", "yuan",
    "million", "billion", "bn", "m", "$", "£", "€", "vaccine", "tent", "blanket", "fuel",
}  # fmt: skip


def _words_given(m: Match) -> str | None:
    """Why an act of aid is none here: what was given is words ("gave a speech to business
    leaders"), or what "provide" alone gives is no money, goods or help ("provides the
    Queen's income", "provided a link to the report"); or None."""
    tok = m.trigger
    if tok.pos_ != "VERB":
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None and m.pattern.words == ("provide",):
        obj, passive = subject_of(tok)
        obj = obj if passive else None
    if obj is None:
        return None
    lemma = obj.lemma_.lower()
    if lemma in WORDS_GIVEN:
        return f"'{tok.lemma_.lower()} {lemma}' gives words: a sense of the verb that is no aid"
    if m.pattern.words == ("provide",) and not (
        lemma in AID_GIVEN
        or any(t.lemma_.lower() in AID_GIVEN or t.ent_type_ == "MONEY" for t in obj.subtree)
    ):
        return (
            f"'provide {lemma}' gives no money, goods or help: a sense of the verb that is no aid"
        )
    return None


#: codes whose object must be people: the act done to a document or a thing is another act
PEOPLE_ONLY_CODES = {
    "084": "a release",
    "173": "an arrest",
    "174": "an expulsion",
    "181": "an abduction",
}


#: things released, published or seized that are records, never people
RECORDS = {
    "analysis",
    "report",
    "statement",
    "ad",
    "advert",
    "email",
    "detail",
    "data",
    "video",
    "figure",
    "result",
    "document",
    "letter",
    "list",
    "plan",
    "study",
    "finding",
    "information",
    "photo",
    "image",
    "recording",
    "transcript",
    "tape",
    "memo",
    "record",
    "text",
    "version",
    "guideline",
    "budget",
    "proposal",
    "fund",
    "money",
    "footage",
    "poll",
    "survey",
    "book",
    "album",
    "film",
    "song",
    "product",
    "software",
    "update",
    "map",
    "chart",
    "account",
    "file",
}


def _last_word(name: str) -> str:
    w = name.split()[-1].lower() if name.split() else ""
    return w[:-1] if w.endswith("s") and w[:-1] in RECORDS else w


def complete(sides: Sides, m: Match, ctx: DocContext, source_how: str, d: Draft) -> str | None:
    """Place the sides of ``d`` the text leaves unplaced where the act's kind and place
    say where they are; or why there is no event after all."""
    source, target, how_target, notes = d.source, d.target, d.how_target, d.notes
    assert target is not None
    if (
        how_target.startswith("object-thing")
        and m.code[:3] in PEOPLE_ONLY_CODES
        and (_last_word(target.name) in RECORDS)
    ):
        # "released a one-page analysis", "released emails": a release of persons needs persons
        return f"{PEOPLE_ONLY_CODES[m.code[:3]]} of a thing, not of people"
    root = m.code[:2]
    if root in VIOLENT_ROOTS and m.kind == "verb":
        reason = _harmless_sense(m.trigger)
        if reason:
            return reason
    if root == "07" and m.kind == "verb" and (reason := _words_given(m)):
        return reason
    if root in PLACE_ROOTS and (source.country is None or target.country is None):
        # protests and violence are placed by where they happen: protesters "in Paris"
        # are French and protest against France's government; gunmen attack "in Kabul"
        place = sides.place_target(m, ctx, Actor("", None, None))
        if place is not None:
            if source.country is None and root in ("14", "17"):
                source = Actor(source.name, place.country, source.sector or "OPP", source.role)
            if target.country is None:
                sector = "GOV" if root == "14" else target.sector
                target = Actor(target.name, place.country, sector, target.role)
                how_target += "+place"
    if source_how == "crowd" and source.country is None:
        # "tens of thousands held vigils across Australia": a counted crowd protests in
        # the country it protests to, else the article's
        country = target.country if len(target.country or "") == 3 else ctx.home
        if country is None:
            return "a crowd the text does not place"
        source = Actor(source.name, country, "OPP")
    if root in ("14", "17") and target.country is None and target.sector and source.country:
        # "police arrested activists": repression and protest happen inside one country
        target = Actor(target.name, source.country, target.sector, target.role)
        how_target += "+domestic"
    if source_how == "unknown" and root == "17":
        # "he was arrested", "they were charged": coercion nobody is named for is the work
        # of the authorities of the country it happens in, the victim's or the article's
        country = target.country if len(target.country or "") == 3 else ctx.home
        if country:
            source = Actor("the authorities", country, "GOV")
            notes.append("passive coercion without agent: the authorities of the country")
    if source_how in ("unknown", "weapon") and root in VIOLENT_ROOTS and source.country is None:
        # "six guerrillas and one soldier were killed in recent fighting": violence nobody
        # is named for happens in a country, the victims' or the article's; its unnamed
        # authors are coded there, as the text supports (the protocol's rule)
        country = target.country if len(target.country or "") == 3 else ctx.home
        if country:
            source = Actor(source.name, country, None)
            if target.country is None:
                target = Actor(target.name, country, target.sector, target.role)
            notes.append("violence by an unnamed author: placed in the country where it happened")
    if source_how == "weapon" and target.country is None:
        return "an unnamed weapon against an unplaced victim: nobody to code"
    two_people = bool(source.person and target.person and source.person != target.person)
    if target.country == source.country and (
        target.sector == source.sector
        and not two_people
        and not sides.two_bodies(source, target)
        or target.person
        and target.person == source.person
    ):
        return "an actor acting on itself, or on its own country as a whole"
        # (two named people of one government are a domestic dyad: "Peres blamed Netanyahu")
    d.source, d.target, d.how_target = source, target, how_target
    return None


def _kind_of_act(m: Match, source: Actor, notes: list[str]) -> str:
    """The code the wording of ``m``'s act gives it, before modality and reported speech:
    an attack from the air (195), a crowd's violence (145) or protest (141), a politician's
    attack in words (111); else the pattern's code."""
    tok = m.trigger
    code = m.code
    if m.kind != "verb":
        return code
    if code[:2] in ("18", "19"):
        subj, _ = subject_of(tok)
        agent = agent_of(tok) or subj
        if (
            agent is not None
            and stem(agent.lemma_) in {stem(w) for w in AERIAL}
            and not any(c.lower_ == "suicide" for c in agent.children)
        ):  # a suicide bomber is a person
            notes.append("attack from the air")
            code = "195"
        elif agent is not None and stem(agent.lemma_) in {stem(w) for w in CROWDS}:
            notes.append("violence by a crowd: a violent protest")
            code = "145"
    if code[:2] == "11" and tok.lemma_.lower() == "protest":
        subj, _ = subject_of(tok)
        if subj is not None and subj.lower_.removesuffix("s") in CROWDS | CROWD_COUNTS:
            # "thousands protested against the bills": a crowd protesting demonstrates
            notes.append("a crowd's protest: a demonstration")
            code = "141"
    if code[:2] in ("18", "19") and _verbal_attack(tok, source):
        notes.append("a politician's attack in words: criticism")
        code = "111"
    return code


def recode(m: Match, mod: Modality, reporter: Actor | None, d: Draft) -> str | None:
    """Set ``d.code`` to the act's final code (an air strike, a crowd's violence, words
    for an attack, blame and demands in reported speech, a refusal, a future act as an
    intent or a threat); or why there is no event after all."""
    tok = m.trigger
    source, target, how_target, notes = d.source, d.target, d.how_target, d.notes
    negated, hypothetical, future = d.negated, d.hypothetical, mod.future
    code = _kind_of_act(m, source, notes)
    obligation, refusal = mod.obligation, mod.refusal
    if (
        code[:2] == "11"
        and reporter is not None
        and tok.lemma_.lower() == "be"
        and source != reporter
    ):
        # "X said Y was responsible": X accuses Y
        source, target = reporter, source
        notes.append("blame in reported speech: the speaker accuses")
    if (
        negated
        and code[:2] in REJECT_OF_ROOT
        and m.kind == "verb"
        and (tok.lemma_.lower() in DECISION_VERBS or refusal)
    ):
        # declining to cooperate is itself an event: CAMEO's 12 (reject)
        notes.append(f"negated {code} coded as rejection")
        code, negated = REJECT_OF_ROOT[code[:2]], False
    if (
        obligation
        and reporter is not None
        and not negated
        and not (source.country == reporter.country and source.sector == reporter.sector)
    ):
        # "X said Y must/should do Z": X demands (must) or urges (should) it of Y (when Y
        # is X itself, "we must…" is no demand: it stays hypothetical)
        notes.append(
            f"'{obligation}' in reported speech coded as {'demand' if obligation == 'must' else 'appeal'}"
        )
        if source != reporter:
            source, target, how_target = reporter, source, "obligated-subject"
        code, hypothetical = ("100" if obligation == "must" else "020"), False
    if future and not negated:
        root = code[:2]
        if root in INTENT_OF_ROOT and INTENT_OF_ROOT[root]:
            notes.append(f"future {code} coded as intent")
            code = INTENT_OF_ROOT[root]
        elif root in THREAT_OF_ROOT:
            notes.append(f"future {code} coded as threat")
            code = THREAT_OF_ROOT[root]
    if (
        code[:2] == "02"
        and how_target.startswith("fallback-sentence")
        and target is not None
        and target.country
    ):
        # "seeks to ensure international cooperation in resuming dialogue with North Korea": an
        # appeal is made to someone; a country merely named elsewhere in the sentence is not
        # addressed (an unnamed "parties" addressee stays, unplaced)
        return "an appeal addressed to nobody the sentence names as its addressee"
    d.source, d.target, d.how_target = source, target, how_target
    d.code, d.negated, d.hypothetical = code, negated, hypothetical
    return None


def rules_confidence(m: Match, purpose: bool, source_how: str, d: Draft) -> float:
    """The rules' confidence in the event ``d`` of ``m`` (the event scorer's P(right)
    replaces it where the sentence model decides)."""
    tok, how_target, source, target = m.trigger, d.how_target, d.source, d.target
    assert target is not None
    confidence = 0.55 + 0.08 * min(m.pattern.specificity - 1, 2)
    if purpose:
        confidence -= 0.15
    if (
        m.kind == "verb"
        and tok.dep_ in ("acl", "relcl")
        and tok.head.lemma_.lower() not in DOCUMENTS
    ):
        # a participle describing an actor ("the coalition fighting rebels"); one of a
        # document is what its author says ("issued a statement deploring ...")
        confidence -= 0.15
    if how_target.startswith("fallback"):
        confidence -= 0.2
    if source.country is None or target.country is None:
        confidence -= 0.15
    if source_how in ("pronoun", "role", "pair", "speaker"):
        confidence -= 0.05
    if source_how in ("unknown", "weapon"):
        confidence -= 0.2
    if m.kind == "noun":
        confidence -= 0.05
    return round(max(0.05, min(confidence, 0.99)), 2)
