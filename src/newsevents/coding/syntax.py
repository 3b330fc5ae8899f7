"""Reading the dependency parse: a verb's subject and agent, what it is about, the clause a
token sits in, questions and namings that are no requests, and the crude stem that matches
pattern words against lemmas."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsevents.coding.kb import fold
from newsevents.coding.words import SUFFIXES

#: verbs of going somewhere: "left for Rome to attend" names where, not who
MOTION_VERBS = frozenset(
    {"depart", "leave", "head", "travel", "fly", "go", "set", "return", "sail"}
)


def question(tok: Any) -> bool:
    """A journalist's or an investigator's question, not a request of an act: "asked
    whether ...", "was asked if ...", "When asked, ...", "asked Gordon about efforts"."""
    if tok.lemma_.lower() != "ask":
        return False
    kids = list(tok.children)
    if any(
        c.dep_ in ("ccomp", "advcl")
        and any(
            g.dep_ == "mark" and g.lower_ in ("whether", "if") or g.tag_ in ("WP", "WRB", "WDT")
            for g in c.children
        )
        for c in kids
    ):
        return True
    if any(c.dep_ == "prep" and c.lower_ == "about" for c in kids) and not any(
        c.dep_ == "xcomp" for c in kids
    ):
        return True
    # "Asked ..., the spokeswoman said", "When asked, Brennan declined": a participle
    # without a subject of its own
    return tok.dep_ == "advcl" and not any(c.dep_.startswith("nsubj") for c in kids)


def in_clause_of(year: int, tok: Any) -> bool:
    """Whether a mention of ``year`` may date the act of ``tok``: not when it sits in a phrase
    describing an actor or a thing that the trigger is not part of ("a veteran held since
    2018", "Zelaya, ousted in a coup in 2009")."""
    own = {tok.i, *(a.i for a in tok.ancestors)}
    for t in tok.sent:
        if t.text != str(year):
            continue
        up = [t, *t.ancestors]
        if not any(a.dep_ in ("acl", "relcl", "appos") and a.i not in own for a in up):
            return True
    return False


def destination(subj: Any, verb: Any) -> bool:
    """ "Chung will depart for Rome to attend the summit", parsed as "for [Rome to attend]":
    the place is where the traveller goes, and the traveller attends."""
    return (
        verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)
        and subj.ent_type_ in ("GPE", "LOC", "KB_CAPITAL", "KB_COUNTRY")
        and verb.head.lemma_.lower() in MOTION_VERBS
    )


def governed_within(tok: Any, head: Any, steps: int) -> bool:
    """Whether ``head`` governs ``tok`` within ``steps`` content words ("called for sanctions
    against Moscow": 2; "seeks to ensure cooperation in resuming dialogue with North Korea": 5),
    prepositions not counted."""
    n = 0
    while tok.i != head.i:
        if tok.head.i == tok.i:
            return False
        if tok.pos_ != "ADP":
            n += 1
        tok = tok.head
    return n <= steps


def naming(tok: Any) -> bool:
    """ "called him a so-called judge", "called the declaration an important step": calling
    something a name is a comment on it, never an appeal."""
    return tok.lemma_.lower() == "call" and any(c.dep_ == "oprd" for c in tok.children)


def object_of(tok: Any, verb: Any) -> bool:
    """Whether ``tok`` is what ``verb`` is about: its object, or the object of its "on",
    "about", "over" ("discussed trade", "talked about sanctions"; not "after talks")."""
    if tok.dep_ == "dobj":
        return tok.head.i == verb.i
    return (
        tok.dep_ == "pobj"
        and tok.head.lower_ in ("on", "about", "over", "regarding")
        and (tok.head.head.i == verb.i)
    )


@lru_cache(maxsize=16_384)
def stem(word: str) -> str:
    """A crude stem for matching pattern words against lemmas and their derivations.

    >>> stem("cooperation") == stem("cooperate"), stem("talks"), stem("sanction")
    (True, 'talk', 'sanct')
    """
    w = fold(word)
    for suf in SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def subject_of(verb: Any) -> tuple[Any | None, bool]:
    """The subject token of a verb and whether the verb is passive."""
    v = verb
    for _ in range(4):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and not destination(c, v):
                return c, passive
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") and v.head.i != v.i:
            v = v.head
            continue
        if v.dep_ in ("relcl", "acl") and v.head.i != v.i:
            return v.head, passive
        break
    return None, False


def agent_of(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def noun_agent(noun: Any) -> Any | None:
    """Who does the act an event noun names, given by "by": "the attack on X by rebels",
    "criticism by Baker of ...". None when the noun has no "by" phrase of a named doer."""
    for c in noun.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by" and c.i > noun.i:
            for g in c.children:
                if g.dep_ == "pobj" and g.pos_ in ("PROPN", "NOUN", "PRON"):
                    return g
    return None


def clause_tokens(tok: Any) -> list[Any]:
    """The trigger's subtree without embedded clauses of their own."""
    out: list[Any] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ not in ("ccomp", "advcl", "relcl", "acl", "parataxis", "conj", "csubj"):
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def calls_person(tok: Any) -> bool:
    return not any(
        c.dep_ in ("oprd", "ccomp", "prt")
        or (
            c.dep_ == "prep"
            and c.lower_ in ("for", "on", "upon")
            and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
        )
        for c in tok.children
    ) and any(
        c.dep_ == "dobj" and c.pos_ == "PROPN" or c.ent_type_ == "PERSON" for c in tok.children
    )
