"""Modality: how a clause holds its act (negated, hypothetical, future, reported, asked for,
a purpose, an obligation, a refusal), and whether a verb reports a done act or a lasting
state ("has worked alongside Yellen for five years"). Read from the dependency parse.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from newsevents.coding.words import (
    ASKING_VERBS,
    FUTURE_HEADS,
    HYPOTHETICAL_AUX,
    NEGATING_HEADS,
    PLAN_NOUNS,
    REFUSING_HEADS,
    SPEECH_VERBS,
)


class Modality(NamedTuple):
    """How a clause holds its act."""

    negated: bool
    hypothetical: bool
    future: bool
    speech: Any | None  # the speech verb governing the clause ("said")
    purpose: bool  # a purpose infinitive ("to encourage ..."): weaker evidence of an act
    obligation: str | None  # "must" or "should" in reported speech
    refusal: bool  # negated by "refuse/decline/reject to" or "will not": decided against


def modality(tok: Any) -> Modality:
    """How the clause of ``tok`` holds its act (``Modality``)."""
    negated = hypothetical = future = purpose = refusal = predicted = False
    speech = None
    obligation = None
    t = tok
    for step in range(6):
        for c in t.children:
            if c.dep_ == "neg" or c.lower_ in ("never",) and c.dep_ == "advmod":
                negated = True
            if c.dep_ == "aux":
                low = c.lower_
                if low in ("will", "'ll", "shall"):
                    future = True
                elif low == "would" or low in HYPOTHETICAL_AUX:
                    hypothetical = True
                    if low in ("must", "should") and obligation is None:
                        obligation = low
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                hypothetical = True
        if t.dep_ in ("xcomp", "acomp") or (step == 0 and t.dep_ == "pobj"):
            head = t.head
            if _predicted_or_owed(head):
                hypothetical = predicted = True  # "is expected to press", "has to call"
            if head.lemma_.lower() in NEGATING_HEADS and step == 0:
                negated = True
                refusal = head.lemma_.lower() in REFUSING_HEADS
            elif head.lemma_.lower() in FUTURE_HEADS and head.lemma_.lower() != "be":
                future = True
            elif _planned(t, head):
                future = True  # "Michael Howard is to make a pitch", "is going to attack"
            t = head
            continue
        if (
            step == 0
            and t.dep_ == "advcl"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        ):
            purpose = True  # "to encourage ...": a purpose, weaker evidence of an act
            # "will depart for Rome to attend the summit": not yet, as its head
            aux = {c.lower_ for c in t.head.children if c.dep_ == "aux"}
            if aux & {"will", "'ll", "shall"}:
                future = True
            elif aux & ({"would"} | set(HYPOTHETICAL_AUX)):
                hypothetical = True
            break
        if t.dep_ == "ccomp" and (
            t.head.lemma_.lower() in ASKING_VERBS
            or (t.head.lemma_.lower() == "insist" and asks_for_clause(t.head))
        ):
            hypothetical = True  # "demanded that Sweden extradite them": asked, not done
            break
        if t.dep_ in ("ccomp",) and t.head.lemma_.lower() in SPEECH_VERBS:
            speech = t.head
            break
        if t.dep_ == "conj":
            t = t.head
            continue
        break
    clause = _participle_clause(tok)
    if clause is not None:
        # a participle's act is as sure as its clause's: "is to make a pitch for the vote,
        # urging people to ...", "would travel to Paris, meeting ..."; its negation is its
        # own, and only a clause that says what is to come makes it future ("has decided to
        # ease restrictions, lifting ...": the lifting is done)
        future = future or _to_come(clause)
        hypothetical = hypothetical or modality(clause).hypothetical
    if predicted:
        future = False  # someone else's expectation, not an intent the actor announced
    if speech is not None and hypothetical and not future:
        # "would" in reported speech is a future seen from the past
        if any(c.lower_ == "would" for c in tok.children):
            hypothetical, future = False, True
    return Modality(
        negated,
        hypothetical,
        future,
        speech,
        purpose,
        obligation if speech is not None else None,
        # "refused to …", "will not …": the actor decides against the act
        negated and (refusal or future),
    )


def asks_for_clause(tok: Any) -> bool:
    """Whether a verb's clause is in the subjunctive ("that North Korea give up"): a verb in
    its base form with a subject and no auxiliary (tagged VBP when its subject is singular,
    or when the verb asking is in the past: "insisted that they leave")."""
    for c in tok.children:
        if c.dep_ != "ccomp" or any(g.dep_ == "aux" for g in c.children):
            continue
        subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
        if subj is not None and (
            c.tag_ == "VB" or c.tag_ == "VBP" and (tok.tag_ == "VBD" or subj.tag_ in ("NN", "NNP"))
        ):
            return True
    return False


def _participle_clause(tok: Any) -> Any | None:
    """The verb of the clause a participle hangs on ("urging" in "is to make a pitch for the
    vote, urging ..."), or None when ``tok`` is no such participle."""
    if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "acl"):
        return None
    if any(c.dep_ == "mark" for c in tok.children):
        return None
    head = tok.head
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX"):
            return head
        if head.head is head:
            return None
        head = head.head
    return None


def _to_come(verb: Any) -> bool:
    """Whether ``verb`` says what is to come: "will make", "is to make", "is going to make"."""
    if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and _planned(verb, verb.head)


def _planned(verb: Any, head: Any) -> bool:
    """Whether ``verb`` is an act its subject is to do: "X is to make", "X is going to make",
    not "the aim is to make"."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    if head.lemma_.lower() == "go":
        return head.tag_ == "VBG" and any(c.lemma_ == "be" for c in head.children)
    if head.lemma_.lower() != "be":
        return False
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.lemma_.lower() not in PLAN_NOUNS


def _predicted_or_owed(head: Any) -> bool:
    """A head that makes the act it governs a prediction or an obligation, not a done act
    nor an announced plan: "is expected to", "is likely to", "has to"."""
    lemma = head.lemma_.lower()
    if lemma == "expect":
        return any(c.dep_ == "auxpass" for c in head.children)
    if lemma == "have":
        return any(
            c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children) for c in head.children
        )
    return lemma in ("likely", "unlikely")


def perfect(tok: Any) -> bool:
    """A present perfect ("has charged", "have agreed"): done, on a day the lead leaves out."""
    return tok.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in tok.children
    )


#: "for the past five years", "for decades", "for months": how long a state has lasted
_SPANS = frozenset({"year", "years", "decade", "decades", "month", "months"})


def lasting(tok: Any, words: bool) -> bool:
    """Whether the verb ``tok``, in the perfect, is said to have gone on for months or years
    ("Powell has worked alongside Yellen for the past five years"; of words, also in the
    progressive: "have been seeking a tax cut for many years", a stance; deeds going on, "has
    been providing aid for years", are dated as ongoing);
    not the term of an act: "was jailed for four years", "will extend the curfew for two months")."""
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    done = perfect(tok) or (
        words and tok.tag_ == "VBG" and "been" in aux and bool(aux & {"has", "have", "'s", "'ve"})
    )
    return done and any(
        c.dep_ == "prep"
        and c.lower_ == "for"
        and any(g.dep_ == "pobj" and g.lower_ in _SPANS for g in c.children)
        for c in tok.children
    )
