"""Where an event happened: its sentence's place, or its dateline's.

- the place an "in"/"at" phrase of the trigger's clause names (``Event.location``), geocoded in
  the article's context, with the qualifier the sentence puts after it ("in Perry, Ga.");
- otherwise the dateline's town, when the act plausibly happened where it was reported: what an
  actor of the dateline's country said (statements, appeals, demands, criticism, rejections,
  threats: roots 01, 02 and 10-13; "MOSCOW - Russia said ..."), or a domestic act of that
  country; never a deed abroad ("MOSCOW - Russia struck targets in Syria"), nor a meeting or an
  agreement, which have venues of their own;
- otherwise none: a place is never guessed from an actor's country (a capital names a
  government, "Washington said", not where anything happened).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from newsevents.coding.kb import KnowledgeBase, default_kb
from newsevents.places.geocode import dateline_context, geocode_in
from newsevents.records import Event

#: roots of what is said where it is reported: statements, appeals, demands, criticism,
#: rejections, threats (meetings and agreements have venues of their own)
SPOKEN_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})


@dataclass
class ArticlePlaces:
    """Places the events of one article: its text (title included) and dateline, the context
    every name is read in, computed once."""

    text: str
    dateline: str | None = None
    kb: KnowledgeBase = field(default_factory=default_kb)
    article_id: str = ""

    def __post_init__(self) -> None:
        self.ctx = dateline_context(self.text, self.dateline, self.kb)

    def locate(self, e: Event) -> Event:
        """``e`` with its place and how it was chosen (unchanged when it has none)."""
        if e.location:
            got = geocode_in(e.sentence, e.location, self.ctx)
            if got is not None:
                return replace(e, place=got.place, place_how=f"sentence: {got.how}")
        d = self.ctx.dateline
        if d is None:
            return e
        sides = {e.source.country, e.target.country if e.target else None} - {None}
        home = d.place.country
        if (e.cameo[:2] in SPOKEN_ROOTS and e.source.country == home) or sides == {home}:
            return replace(e, place=d.place, place_how=f"dateline: {d.how}")
        return e
