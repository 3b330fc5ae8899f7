"""Which sentences can hold an event, decided before (and between) the expensive parts.

The event coder fires only where a token's lemma (or its lower-case form, or the base of an
irregular form) starts a verb pattern or heads a noun pattern of the lexicon, and every
other word of that pattern is in the sentence too; or on "call"/"phone"/"ring" a person;
or on a speech verb with "must"/"should" in its clause; and, where the sentence model may
recover a speaker's statement, on a saying ("said", ``words.SAID_FORMS``). ``Prefilter`` tests exactly that
on the bag of words, before any statistics, so it never drops a sentence the coder could
code: each word is expanded to every lemma spaCy could give it (the English lemmatizer's
rules and exceptions for nouns, verbs, adjectives and adverbs, and the lemmas the
attribute ruler assigns), then stemmed as the coder stems. A sentence without such a
pattern is never parsed.

``ActorCue`` is a rule of the coder, not a shortcut: a sentence is coded only if it names
an actor the knowledge base knows (a country, capital, demonym, person or surname of an
office holder, organization or institution, in any case), a role word ("minister", "police", "rebels"; not business words such as "company"), a group word
("the two sides") or, in a Korean context, "the South"/"the North". A sentence whose only
actors are pronouns or names outside the knowledge base is not coded: such events
rarely have a placeable actor, and on news this halves the sentences worth parsing. Both
modes of ``ArticleCoder`` apply it to the same words, the shortcut mode before parsing.

``tests/test_prefilter.py`` checks the promise: coding a sample with and without the
shortcuts gives the same events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from newsevents.coding.cameo import Lexicon
from newsevents.coding.kb import KnowledgeBase, fold
from newsevents.coding.syntax import stem
from newsevents.coding.words import CALL_VERBS, IRREGULAR_BASE, PAIR_HEADS, SAID_FORMS, SPEECH_VERBS

MODALS = {"must", "should"}

#: Role words that do not make a sentence worth coding on their own: a sentence whose only
#: actor is "the company" or "investors" is business news, not political event data
#: (a business named with a country or a person from the knowledge base still counts).
UNCUED_SECTORS = {"BUS"}
LEMMA_POS = ("NOUN", "VERB", "ADJ", "ADV", "PUNCT")
#: Words whose normal form ``ActorCue`` keeps (a long run stays flat).
MAX_NORMS = 100_000


class Prefilter:
    """A superset test of the event coder's trigger matching, on words only."""

    def __init__(self, lexicon: Lexicon, nlp: Language) -> None:
        # the stems each pattern needs, indexed by its trigger's stem
        self.patterns: dict[str, set[frozenset[str]]] = {}
        for key, patterns in list(lexicon.verbs.items()) + list(lexicon.nouns.items()):
            needed = self.patterns.setdefault(stem(key), set())
            needed.update(frozenset(stem(w) for w in p.words) for p in patterns)
        self.speech = frozenset(SPEECH_VERBS)
        self.exceptions: dict[str, dict[str, list[str]]] = {}
        self.rules: dict[str, list[tuple[str, str]]] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups: Any = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            for pos in LEMMA_POS:
                key = pos.lower()
                if lookups.has_table("lemma_exc"):
                    self.exceptions[pos] = dict(lookups.get_table("lemma_exc").get(key, {}))
                if lookups.has_table("lemma_rules"):
                    self.rules[pos] = [
                        (o, n) for o, n in lookups.get_table("lemma_rules").get(key, [])
                    ]
        self.exact, self.regex = _ruler_lemmas(nlp)
        self._lemmas = lru_cache(maxsize=16_384)(self._lemmas_uncached)

    def _lemmas_uncached(self, token: str) -> frozenset[str]:
        """Every lemma the pipeline could give a token (lower-cased), and the lower-cased
        token itself: the lemmatizer's exceptions and every output of its suffix rules, for
        each part of speech (a superset of what ``Lemmatizer.rule_lemmatize`` picks)."""
        word = fold(token)
        out = {word}
        if word in IRREGULAR_BASE:
            out.add(IRREGULAR_BASE[word])
        out.update(self.exact.get(word, ()))
        for rx, lemma in self.regex:
            if rx.match(word):
                out.add(lemma)
        for pos in LEMMA_POS:
            out.update(self.exceptions.get(pos, {}).get(word, ()))
            for old, new in self.rules.get(pos, ()):
                if word.endswith(old) and len(word) > len(old):
                    out.add(word[: len(word) - len(old)] + new)
        return frozenset(out)

    def lemmas(self, words: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for w in words:
            found |= self._lemmas(w)
        return found

    def says(self, words: Iterable[str]) -> bool:
        """Whether the sentence has a saying a speaker's statement may be
        (``SentenceCoder.statements``, which takes the same ``SAID_FORMS``)."""
        return any(w.lower() in SAID_FORMS for w in words)

    def can_hold_event(self, words: Iterable[str]) -> bool:
        """``words``: the sentence's tokens (as spaCy's English tokenizer splits them)."""
        words = list(words)
        lemmas = self.lemmas(words)
        if lemmas & CALL_VERBS:
            return True
        if lemmas & self.speech and any(w.lower() in MODALS for w in words):
            return True
        stems = {stem(x) for x in lemmas}
        for s in stems:
            for needed in self.patterns.get(s, ()):
                if needed <= stems:
                    return True
        return False


def singular(word: str) -> str:
    """ "ministries" → "ministry", "rebels" → "rebel" (a crude plural rule for the cue)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class ActorCue:
    """Whether a sentence's words name an actor: a knowledge-base name or role word."""

    def __init__(self, kb: KnowledgeBase, nlp: Language) -> None:
        tokenizer = nlp.tokenizer
        names: set[str] = set()
        for name in kb.names:
            names.add(name)
            names.update(kb.spellings.get(name, ()))
        names.update(kb.surnames)  # "Putin met Abe": office holders by surname
        # "US", "WHO": a name that is also a common word counts only in capitals
        self.capitals_only = {n.lower() for n in names if n.lower() in STOP_WORDS}
        spellings = set(names)
        spellings.update(w for w, sector in kb.roles.items() if sector not in UNCUED_SECTORS)
        spellings.update(PAIR_HEADS)
        # a context name's head alone ("the South" -> "South": "the South's envoy")
        spellings.update(n.split()[-1] for n, es in kb.names.items() if any(e.context for e in es))
        phrases: set[tuple[str, ...]] = set()
        for sp in spellings:
            for variant in {sp, sp.upper(), sp.title(), sp.lower()}:
                toks = tuple(singular(t.lower_) for t in tokenizer(variant) if not t.is_space)
                if toks:
                    phrases.add(toks)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self._norms: dict[str, str] = {}  # word → the form looked up, worked out once
        for ph in phrases:
            self.by_first.setdefault(ph[0], []).append(ph[1:])

    def __call__(self, words: Sequence[str]) -> bool:
        """``words``: the sentence's tokens (as ``split_sentence_words`` gives them)."""
        known = self._norms
        if len(known) >= MAX_NORMS:
            known.clear()
        norm = []
        for w in words:
            n = known.get(w)
            if n is None:
                n = known[w] = singular(fold(w))
            norm.append(n)
        for i, w in enumerate(norm):
            if w in self.capitals_only and not words[i].isupper():
                continue
            for rest in self.by_first.get(w, ()):
                if tuple(norm[i + 1 : i + 1 + len(rest)]) == rest:
                    return True
        return False


def _ruler_lemmas(nlp: Language) -> tuple[dict[str, set[str]], list[tuple[re.Pattern[str], str]]]:
    """Lemmas the attribute ruler sets by word form ("'s" → be, "n't" → not, "wo" → will)."""
    exact: dict[str, set[str]] = {}
    regex: list[tuple[re.Pattern[str], str]] = []
    if "attribute_ruler" not in nlp.pipe_names:
        return exact, regex
    ruler: Any = nlp.get_pipe("attribute_ruler")
    for p in ruler.patterns:
        lemma = p["attrs"].get("LEMMA")
        if not lemma:
            continue
        for pattern in p["patterns"]:
            for spec in pattern:
                value = spec.get("LOWER", spec.get("ORTH"))
                if isinstance(value, str):
                    exact.setdefault(value.lower(), set()).add(lemma.lower())
                elif isinstance(value, dict) and "IN" in value:
                    for v in value["IN"]:
                        exact.setdefault(str(v).lower(), set()).add(lemma.lower())
                elif isinstance(value, dict) and "REGEX" in value:
                    regex.append((re.compile(value["REGEX"]), lemma.lower()))
                else:  # a rule on tags only: any word may get this lemma
                    regex.append((re.compile(""), lemma.lower()))
    return exact, regex
