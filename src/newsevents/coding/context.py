"""What an article has said so far, as its sentences are coded in order (``DocContext``).

The people it introduced (so that "Mr Moon" and "Moon" are the Moon Jae-in named before),
the actors named most recently (so that "the minister" and "he" are someone), the events
between each pair of countries (so that "the two sides" is the pair the article is about),
the countries it names most, and its home country (``coding.home``), found before coding.
``coding.actors`` resolves phrases against it; ``coding.events`` notes each event in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from newsevents.coding.kb import KnowledgeBase, Namesakes
from newsevents.records import Actor


@dataclass
class DocContext:
    """What the document has said so far: people introduced, recent actors, the pair in play."""

    kb: KnowledgeBase
    when: date | None
    persons: dict[str, Actor] = field(default_factory=dict)  # lowercased name / surname
    #: how the article names the people who share a surname with a known office holder
    #: (``KnowledgeBase.people_named``): a bare surname is the office holder's only if the
    #: article names no one else by it, or names them too
    named: Namesakes = field(default_factory=Namesakes)
    recent: list[Actor] = field(default_factory=list)
    last_person: Actor | None = None
    last_pair: tuple[Actor, Actor] | None = None  # the participants of the last coded event
    pairs: dict[frozenset[str], tuple[int, int, tuple[Actor, Actor]]] = field(default_factory=dict)
    n_events: int = 0
    country_counts: dict[str, int] = field(default_factory=dict)
    home: str | None = None  # the article's home country (``coding.home``), found before coding
    #: countries whose context words the text names (``KnowledgeBase.contexts_in``): their
    #: context names stand for them ("the South" in a text about Korea)
    contexts: frozenset[str] = frozenset()

    def home_country(self) -> str | None:
        """The country the document is about: the article's home when it was found, else the
        country most of the placed actors so far belong to."""
        if self.home:
            return self.home
        if not self.country_counts:
            return None
        code, n = max(self.country_counts.items(), key=lambda kv: kv[1])
        total = sum(self.country_counts.values())
        return code if n >= 3 and n >= 0.6 * total and len(code) == 3 else None

    def note_event(self, source: Actor, target: Actor) -> None:
        if not source.country or not target.country or source.country == target.country:
            return
        self.n_events += 1
        key = frozenset((source.country, target.country))
        count = self.pairs.get(key, (0, 0, (source, target)))[0]
        self.pairs[key] = (count + 1, self.n_events, (source, target))
        self.last_pair = (source, target)

    def note(self, actor: Actor | None) -> None:
        if actor is None or actor.country is None:
            return
        self.country_counts[actor.country] = self.country_counts.get(actor.country, 0) + 1
        self.recent = [a for a in self.recent if a != actor][-11:] + [actor]
        if actor.person:
            self.last_person = actor

    def register_person(self, full_name: str, actor: Actor) -> None:
        parts = full_name.split()
        self.persons[full_name.lower()] = actor
        if parts:
            self.persons[parts[-1].lower()] = actor
            if "-" in full_name and len(parts) >= 2:  # Korean order: surname first
                self.persons[parts[0].lower()] = actor

    def pair(self) -> tuple[Actor, Actor] | None:
        """The pair in play: the dyad of most events so far (the latest on a tie), else the
        last two countries named."""
        if self.pairs:
            best = max(self.pairs.values(), key=lambda v: (v[0], v[1]))
            return best[2]
        if self.last_pair is not None:
            return self.last_pair
        seen: list[Actor] = []
        for a in reversed(self.recent):
            if a.country and all(a.country != b.country for b in seen):
                seen.append(a)
            if len(seen) == 2:
                return seen[1], seen[0]
        return None

    def last_with(self, role: str | None = None, sector: str | None = None) -> Actor | None:
        for a in reversed(self.recent):
            if role and a.role and (role in a.role or a.role in role):
                return a
        if sector:
            for a in reversed(self.recent):
                if a.person and a.sector == sector:
                    return a
        return None
