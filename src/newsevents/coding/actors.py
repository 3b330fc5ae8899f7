"""Actors stage: noun phrases in a parsed sentence → ``Actor`` (country + sector), with
in-document coreference.

Resolution order for a noun phrase: a known person (knowledge base, by the article's
date) or a person introduced earlier in the document; an international organization; an
institution; a country, demonym or capital with a role word ("Russian Ambassador" →
RUS GOV, "Seoul" → KOR GOV); a bare role word or title ("the minister", "the
President") → the last actor in that role; a group word ("the two leaders", "both
countries", "the two sides") → the pair in play; a pronoun → the last person (he, she)
or the pair (they). "The South" / "the North" count only in a Korean context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from newsevents.coding.context import DocContext
from newsevents.coding.kb import HONORIFICS, Entry, KnowledgeBase
from newsevents.coding.syntax import subject_of
from newsevents.coding.words import NON_ACTOR_HEADS, NP_DEPS, PAIR_HEADS
from newsevents.records import Actor

NOT_ACTOR_ENTITIES = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"}
SPEECH_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
DOMESTIC_SECTORS = {"GOV", "LEG", "JUD", "COP", "OPP", "MIL", "CVL", "BUS", "MED", "LAB", "EDU"}


@dataclass(frozen=True)
class Resolved:
    actors: tuple[Actor, ...]  # one, or two for a pair ("the two sides")
    how: str  # person, igo, institution, country, role, pair, pronoun, poss
    tokens: tuple[int, ...] = ()  # token indexes of the phrase

    @property
    def actor(self) -> Actor:
        return self.actors[0]


def np_tokens(head: Any) -> list[Any]:
    """The core tokens of the noun phrase headed by ``head`` (no clauses, no preps but 'of')."""
    out = [head]
    stack = [head]
    while stack:
        tok = stack.pop()
        for c in tok.children:
            if (
                c.dep_ in NP_DEPS
                or (c.dep_ == "prep" and c.lower_ == "of" and tok.i == head.i)
                or c.dep_ == "pobj"
                and tok.dep_ == "prep"
                and tok.lower_ == "of"
            ):
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _entities_in(tokens: list[Any]) -> list[Any]:
    """The entities of the tokens' doc that share a token with them, in the doc's order."""
    idx = {t.i for t in tokens}
    return [
        e for start, end, e in _ents_of(tokens[0].doc) if any(i in idx for i in range(start, end))
    ]


def _ents_of(doc: Any) -> tuple[tuple[int, int, Any], ...]:
    """(start, end, span) of the doc's entities, kept for the doc last asked about
    (``doc.ents`` makes new spans at every call, and a sentence's phrases are resolved many
    times over). Actors are resolved only once the entity stage has run, so a doc's
    entities do not change after. The cache is not kept on the doc: its spans would point
    back at it, and such a cycle outlives its batch until the garbage collector runs."""
    last = _LAST_ENTS[0]  # read once: another thread may replace it meanwhile
    if last[0] is not doc:
        last = _LAST_ENTS[0] = (doc, tuple((e.start, e.end, e) for e in doc.ents))
    return last[1]  # type: ignore[no-any-return]


_LAST_ENTS: list[tuple[Any, tuple[tuple[int, int, Any], ...]]] = [(None, ())]


#: the dependencies of a noun phrase's head: a capitalized word in one is a name, whatever
#: part of speech the small model gives it ("Trump on Thursday lauded ..." tags Trump a verb)
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "conj", "appos", "dative"})


def _name_like(t: Any) -> bool:
    """Whether ``t`` is tagged as a noun, or is a capitalized word heading a noun phrase."""
    return t.pos_ in ("PROPN", "NOUN") or (t.text[:1].isupper() and t.dep_ in NOMINAL_DEPS)


def _lone_surname(head: Any, kb: KnowledgeBase) -> bool:
    """Whether ``head`` is a capitalized word that is only a knowledge-base surname, with no
    first name of its own ("Nawaz Sharif" is not the Sharif the knowledge base knows). The
    small model tags a lone "Trump" as a noun, a verb or "Modi" as a place, so all count."""
    return (
        _name_like(head)
        and head.text[:1].isupper()
        and head.lower_ in kb.surnames
        and head.ent_type_ in ("", "PERSON", "ORG", "GPE", "NORP")
        and not kb.lookup(head.text)
        and not any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" for c in head.children)
        and not _in_longer_name(head)
    )


def _in_longer_name(t: Any) -> bool:
    """Whether ``t`` is one word of a longer name the NER found: "Johnson & Johnson's",
    "Morgan Stanley", "Ford Motor" (a title such as "Mr" or "President" does not count)."""
    for e in t.doc.ents:
        if e.start <= t.i < e.end:
            return any(
                x.i != t.i and x.is_alpha and x.text[:1].isupper() and x.lower_ not in HONORIFICS
                for x in e
            )
    return False


def _role_in(tokens: list[Any], kb: KnowledgeBase) -> tuple[str | None, str | None]:
    """The most specific role word in the phrase and its sector (e.g. 'foreign minister')."""
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    known = kb.role_words()
    in_words = [w in known for w in words]
    in_lemmas = [w in known for w in lemmas]
    if not any(in_words) and not any(in_lemmas):
        return None, None
    for n in (3, 2, 1):
        for seq, ok in ((words, in_words), (lemmas, in_lemmas)):
            for i in range(len(seq) - n + 1):
                if all(ok[i : i + n]):
                    phrase = " ".join(seq[i : i + n])
                    sector = kb.sector_of_role(phrase)
                    if sector:
                        return phrase, sector
    return None, None


#: words that make a demonym a region's: "Central American", "Latin American", "South African"
#: is a country only where the knowledge base names it whole
REGION_WORDS = {
    "central",
    "latin",
    "north",
    "south",
    "east",
    "west",
    "southeast",
    "northeast",
    "pan",
    "sub-saharan",
}


def _of_a_region(ent: Any) -> bool:
    """Whether a demonym entity is the tail of a region's name ("CENTRAL AMERICAN")."""
    doc = ent.doc
    return ent.start > 0 and len(ent) == 1 and doc[ent.start - 1].lower_ in REGION_WORDS


def _surname(ent: Any) -> bool:
    """Whether a country, capital or demonym entity is a surname after a title ("Mr German")."""
    return ent.start > 0 and ent.doc[ent.start - 1].lower_.rstrip(".") in HONORIFICS


def _pick(entries: list[Entry], kinds: tuple[str, ...]) -> Entry | None:
    for k in kinds:
        for e in entries:
            if e.kind == k:
                return e
    return None


class _Phrase(NamedTuple):
    """A noun phrase as ``ActorResolver.resolve`` reads it."""

    head: Any
    toks: list[Any]
    idx: tuple[int, ...]
    role_word: str | None
    role_sector: str | None
    ents: list[Any]


def _phrase(head: Any, kb: KnowledgeBase) -> _Phrase:
    toks = np_tokens(head)
    role_word, role_sector = _role_in(toks, kb)
    # the entity the head is part of comes first: in a misparsed "President A and
    # President B", B's phrase holds A too
    ents = sorted(_entities_in(toks), key=lambda e: not (e.start <= head.i < e.end))
    return _Phrase(head, toks, tuple(t.i for t in toks), role_word, role_sector, ents)


def _as_country(ph: _Phrase, named: tuple[str, str, Any]) -> Resolved | None:
    """The actor of the first country, capital or demonym a phrase names (None: a demonym
    that is only an adjective, "Russian vaccine")."""
    head, idx, role_word, role_sector = ph.head, ph.idx, ph.role_word, ph.role_sector
    kind, code, e = named
    if kind == "demonym" and not role_sector and e.root.i != head.i:
        # "Russian vaccine", "Korean Peninsula": an adjective without a role word;
        # but a group of people ("Palestinian factions") is an actor
        if head.pos_ != "PROPN" and head.tag_ != "NNS":
            return None
    if kind == "demonym" and e.root.i == head.i and head.tag_ in ("NNPS", "NNS"):
        role_sector = role_sector or "CVL"  # "the Russians"
    sector = role_sector or ("GOV" if kind == "capital" else None)
    if role_word == "counterpart" and not role_sector:
        sector = "GOV"
    name = e.text if not role_word else f"{e.text} {role_word}"
    actor = Actor(name, code, sector, role_word)
    return Resolved((actor,), kind, idx)


class ActorResolver:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def person_actor(self, name: str, ctx: DocContext, role_word: str | None) -> Actor | None:
        term = self.kb.person_term(name, ctx.when)
        if term is None:
            return None
        return Actor(
            name=term.name,
            country=term.country,
            sector=term.sector,
            role=term.role or role_word,
            person=term.name,
        )

    def resolve(self, head: Any, ctx: DocContext) -> Resolved | None:
        """Resolve the noun phrase headed by ``head`` to an actor (or a pair): a person, then
        an organization, institution or country the phrase names, then what the document's
        context gives a country name, a group word or a role word alone."""
        if head.pos_ == "PRON" or head.lower_ in SPEECH_PRONOUNS:
            return self._pronoun(head, ctx)
        ph = _phrase(head, self.kb)
        if head.lemma_.lower() in NON_ACTOR_HEADS and not ph.role_sector:
            return None
        found = self._as_person(ph, ctx)
        if found is not None:
            return found
        countries, found = self._as_named(ph, ctx)
        if found is not None:
            return found
        if countries:
            return _as_country(ph, countries[0])
        return self._by_context(ph, ctx)

    def _as_person(self, ph: _Phrase, ctx: DocContext) -> Resolved | None:
        """1. People: a person the phrase names, a surname the article introduced, an office
        holder by surname alone."""
        head, toks, idx = ph.head, ph.toks, ph.idx
        for e in ph.ents:
            if e.label_ in ("KB_PERSON", "PERSON"):
                actor = self._person(e.text, toks, ctx, ph.role_word, ph.role_sector)
                if actor:
                    return Resolved((actor,), "person", idx)
        # a title and a surname the NER missed: "President Moon"
        for t in toks:
            if (t.pos_ == "PROPN" or _name_like(t) and t.i == head.i) and t.lower_ in ctx.persons:
                return Resolved((ctx.persons[t.lower_],), "person", idx)
        # an office holder by surname alone that the NER missed ("Trump met Kim"): only if
        # the date makes the surname one person's
        if _lone_surname(head, self.kb):
            actor = self._person(head.text, [head], ctx, ph.role_word, ph.role_sector)
            if actor:
                return Resolved((actor,), "person", idx)
        return None

    def _as_named(
        self, ph: _Phrase, ctx: DocContext
    ) -> tuple[list[tuple[str, str, Any]], Resolved | None]:
        """2-4. Organizations, institutions and countries the phrase names: an IGO or a placed
        institution, or a role word with the country of its place ("officials in Kabul");
        else the (kind, code, entity) of each country, capital or demonym named."""
        head, toks, idx, role_word, role_sector, _ents = ph
        countries: list[tuple[str, str, Any]] = []  # (kind, code, entity)
        for e in ph.ents:
            entries = self.kb.lookup(e.text)
            if not entries:
                continue
            entries = [x for x in entries if not x.context or x.code in ctx.contexts]
            if not entries:
                continue
            ent = _pick(entries, ("igo",))
            if ent:
                return [], Resolved(
                    (Actor(e.text, ent.code, ent.sector or "IGO", role_word),), "igo", idx
                )
            ent = _pick(entries, ("institution",))
            if ent:
                country = (
                    ent.code or self._country_in(toks, exclude=e) or self._poss_country(head, ctx)
                )
                if country:
                    return [], Resolved(
                        (Actor(e.text, country, ent.sector or role_sector, role_word),),
                        "institution",
                        idx,
                    )
                continue
            ent = _pick(entries, ("country", "capital", "demonym"))
            if (
                ent
                and ent.code
                and not (ent.kind == "demonym" and _of_a_region(e))
                and not _surname(e)
            ):
                code = ent.code
                if ent.kind == "country":
                    code = self.kb.state_in(e.text, code, ctx.home, ctx.contexts)
                countries.append((ent.kind, code, e))
        if not countries and role_sector:
            # "officials in Seoul", "thousands of students in Paraguay": the place on the
            # phrase's head or on a noun of its "of" chain
            for tok in (t for t in toks if t.i == head.i or t.pos_ in ("NOUN", "PROPN")):
                place, where = self._placed_in(tok)
                if place:
                    actor = Actor(f"{head.text} in {where}", place, role_sector, role_word)
                    return [], Resolved((actor,), "country", idx)
        return countries, None

    def _placed_in(self, tok: Any) -> tuple[str | None, str]:
        """The country of an "in/from/at <place>" on ``tok``, and the place's word."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "at"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        place = self._country_in(np_tokens(g))
                        if place:
                            return place, g.text
        return None, ""

    def _by_context(self, ph: _Phrase, ctx: DocContext) -> Resolved | None:
        """5-7. What the document's context resolves: a context name ("the South" in a text
        about Korea), a group word for the pair in play, a role word alone for the last
        actor in that role."""
        head, toks, idx, role_word, role_sector, _ents = ph
        head_lemma = head.lemma_.lower()
        # a context name without an entity: "the South" in a text about Korea
        if ctx.contexts and any(t.lower_ == "the" for t in toks):
            named = [
                x
                for x in self.kb.lookup(f"the {head.text}")
                if x.context and x.code in ctx.contexts
            ]
            if named:
                return Resolved((Actor(f"the {head.text}", named[0].code, "GOV"),), "country", idx)
        # 5. group words: "the two leaders", "both countries", "the two sides"
        if head_lemma in PAIR_HEADS and (
            any(t.lower_ in ("two", "both") for t in toks)
            or head.tag_ in ("NNS", "NNPS")
            and any(t.lower_ == "the" for t in toks)
            and head_lemma in ("side", "leader")
        ):
            pair = ctx.pair()
            if pair:
                return Resolved(pair, "pair", idx)
        # 6. role words alone: "the minister", "the President", "his counterpart"
        if (
            role_sector
            and head.lower_ == (role_word or "").split()[-1]
            or (role_sector and head_lemma in (role_word or ""))
        ):
            if role_word == "counterpart":
                return None  # the counterpart of whom is decided by the event coder
            prev = ctx.last_with(role=role_word, sector=role_sector)
            if prev is not None and head.tag_ not in ("NNS", "NNPS"):
                return Resolved((prev,), "role", idx)
            return None
        return None

    def resolve_loose(self, head: Any, ctx: DocContext, any_np: bool = False) -> Resolved | None:
        """An actor we cannot place in a country but that is clearly an actor: a named
        organization or person, or a phrase headed by a role word ("the opposition party").
        With ``any_np``, any noun phrase (the target of "condemned the attack").
        Its country is None."""
        strict = self.resolve(head, ctx)
        if strict is not None:
            return strict
        if head.pos_ == "PRON" or (not any_np and head.lemma_.lower() in NON_ACTOR_HEADS):
            return None
        if head.ent_type_ in NOT_ACTOR_ENTITIES:
            # "on Sunday", "10 December", "$5 million" are never an actor: the act names no
            # target, which in a story about one country is that country's own affair
            return Resolved((Actor("", None, None),), "thing") if any_np else None
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        toks = np_tokens(head)
        role_word, role_sector = _role_in(toks, self.kb)
        # a name the knowledge base knows but places in no country ("Labour", "the
        # Treasury", "the cabinet": ``country: null``) is as named as an ORG
        named = any(
            e.label_ in ("ORG", "PERSON", "NORP", "GPE", "FAC", "KB_INSTITUTION")
            for e in _entities_in(toks)
        )
        if not (named or role_sector or head.pos_ == "PROPN" or any_np):
            return None
        text = " ".join(
            t.text for t in toks if t.dep_ not in ("det", "punct", "poss") or t.i == head.i
        )
        home = ctx.home_country()
        person = next((e for e in _entities_in(toks) if e.label_ == "PERSON"), None)
        if home and (
            role_sector in DOMESTIC_SECTORS
            and not named
            or ctx.home
            and (role_sector and role_sector != "IGO" or named)
        ):
            # "the governor", "lawmakers", "PCS leader Mark Serwotka", "the guerrillas" in a
            # story about one country are that country's
            actor = Actor(
                text,
                home,
                role_sector,
                role_word,
                person=" ".join(person.text.split()) if person is not None else None,
            )
            if person is not None:
                ctx.register_person(actor.person or text, actor)
            return Resolved((actor,), "home", tuple(t.i for t in toks))
        how = (
            "thing" if any_np and not (named or role_sector or head.pos_ == "PROPN") else "unplaced"
        )
        return Resolved((Actor(text, None, role_sector, role_word),), how, tuple(t.i for t in toks))

    def _person(
        self,
        text: str,
        toks: list[Any],
        ctx: DocContext,
        role_word: str | None,
        role_sector: str | None,
    ) -> Actor | None:
        kb = self.kb
        clean = " ".join(text.replace("’s", "").replace("'s", "").split())
        for entry in kb.lookup(clean):
            if entry.kind == "person":
                actor = self.person_actor(entry.key, ctx, role_word)
                if actor:
                    ctx.register_person(entry.key, actor)
                    for alias in kb.spellings.get(clean.lower(), ()):
                        ctx.register_person(alias, actor)
                    return actor
        key = clean.lower()
        if key in ctx.persons:
            return ctx.persons[key]
        last = clean.split()[-1].lower() if clean.split() else ""
        first = clean.split()[0].lower() if clean.split() else ""
        if len(clean.split()) == 1 and last in ctx.persons:
            return ctx.persons[last]
        # title + surname of a known office holder: "President Moon", "Foreign Minister Chung"
        if len(clean.split()) == 1:
            term = kb.by_surname(clean, ctx.when, role_word)
            if term is not None and not ctx.named.another(term):
                actor = self.person_actor(term.name, ctx, role_word)
                if actor:
                    ctx.register_person(term.name, actor)
                    return actor
        # a new person introduced with a country and a role: "Russian Ambassador Andrey Kulik"
        country = self._country_in(toks)
        if country:
            actor = Actor(clean, country, role_sector, role_word, person=clean)
            ctx.register_person(clean, actor)
            return actor
        if first in ctx.persons and "-" in clean:
            return ctx.persons[first]
        return None

    def _country_in(self, toks: list[Any], exclude: Any = None) -> str | None:
        for e in _entities_in(toks):
            if exclude is not None and e.start == exclude.start:
                continue
            for entry in self.kb.lookup(e.text):
                if entry.kind in ("country", "demonym", "capital") and entry.code:
                    return entry.code
        return None

    def _poss_country(self, head: Any, ctx: DocContext) -> str | None:
        for c in head.children:
            if c.dep_ == "poss":
                r = self.resolve(c, ctx)
                if r:
                    return r.actor.country
        return None

    def _antecedent(self, head: Any, ctx: DocContext) -> Actor | None:
        """The person a personal pronoun stands for when its own sentence names one before it
        ("Trump heads to China after visiting Japan, the last legs of his tour" is Trump's
        tour, whoever the sentence before named): for a subject or a possessor, the latest
        person named as a subject, else the latest named; for an object, the latest person
        named other than as a subject ("Mugabe warned Donnelly that his government would
        expel him" expels Donnelly), and never its own verb's subject ("Li met Merkel and
        praised her")."""
        objective = head.dep_ in ("dobj", "dative", "pobj")
        own_subject = None
        if objective:
            own_subject, _ = subject_of(head.head.head if head.dep_ == "pobj" else head.head)
        named: list[tuple[Actor, bool]] = []
        for tok in head.sent:
            if tok.i >= head.i:
                break
            # the head of a proper noun phrase ("Trump", "President Donald Trump")
            if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "flat") or tok is own_subject:
                continue
            r = self.resolve(tok, ctx)
            if r is None or r.how == "pair" or not r.actor.person or not r.actor.country:
                continue
            named.append((r.actor, tok.dep_ in ("nsubj", "nsubjpass")))
        preferred = [a for a, subject in named if subject != objective]
        if preferred:
            return preferred[-1]
        return named[-1][0] if named else None

    def _pronoun(self, head: Any, ctx: DocContext) -> Resolved | None:
        low = head.lower_
        if low in ("he", "she", "him", "her", "his"):
            person = self._antecedent(head, ctx) or ctx.last_person
            if person:
                return Resolved((person,), "pronoun", (head.i,))
            return None
        if low in ("it", "its", "they", "their", "them"):
            # a state or institution named earlier in the same sentence ("Seoul said it ...")
            for e in reversed([e for e in head.sent.ents if e.end <= head.i]):
                if not e.label_.startswith("KB_") or e.label_ == "KB_PERSON":
                    continue
                r = self.resolve(e.root, ctx)
                if r is not None and r.how in ("country", "capital", "institution", "igo"):
                    if low in ("they", "their", "them") and e.root.tag_ not in ("NNS", "NNPS"):
                        break
                    return Resolved(r.actors, "pronoun", (head.i,))
        if low in ("they", "them", "their"):
            pair = ctx.pair()
            if pair:
                return Resolved(pair, "pair", (head.i,))
        if low in ("it", "its") and ctx.recent:
            for a in reversed(ctx.recent):
                if not a.person:
                    return Resolved((a,), "pronoun", (head.i,))
        return None
