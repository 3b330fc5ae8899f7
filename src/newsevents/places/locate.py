"""Where an event happened: its sentence's place, or its dateline's.

- the place an "in"/"at" phrase of the trigger's clause names (``Event.location``), geocoded in
  the article's context, with the qualifier the sentence puts after it ("in Perry, Ga.");
- otherwise the dateline's town, when the act plausibly happened where it was reported: what an
  actor of the dateline's country said (statements, appeals, demands, criticism, rejections,
  threats: roots 01, 02 and 10-13; "MOSCOW - Russia said ..."), or a domestic act of that
  country; never a deed abroad ("MOSCOW - Russia struck targets in Syria"), nor a meeting or an
  agreement, which have venues of their own;
- otherwise, for what two parties said or agreed (roots 01-05) on a day they met, the place of
  their meeting that the article names ("South Korea and Russia agreed Wednesday to cooperate"
  after "talks with his Russian counterpart in Moscow"): ``at_meetings``, over one article's
  events;
- otherwise none: a place is never guessed from an actor's country (a capital names a
  government, "Washington said", not where anything happened).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from newsevents.coding.kb import KnowledgeBase, default_kb
from newsevents.places.geocode import dateline_context, geocode_in
from newsevents.records import Event

#: what an event's place was read from, the first word of its ``place_how`` ("sentence: in
#: phrase", "dateline: the wire's town", "meeting: sentence: ..."), documented in README.md
PlaceFrom = Literal["sentence", "dateline", "meeting"]


def place_how(source: PlaceFrom, how: str | None) -> str:
    """An event's ``place_how``: what its place was read from, and how that was found."""
    return f"{source}: {how}"


#: roots of what is said where it is reported: statements, appeals, demands, criticism,
#: rejections, threats (meetings and agreements have venues of their own)
SPOKEN_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})
#: roots of what two parties say, ask, intend, consult on and agree at a meeting of theirs
AT_MEETING_ROOTS = frozenset({"01", "02", "03", "04", "05"})


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
                return replace(e, place=got.place, place_how=place_how("sentence", got.how))
        d = self.ctx.dateline
        if d is None:
            return e
        sides = {e.source.country, e.target.country if e.target else None} - {None}
        home = d.place.country
        if (e.cameo[:2] in SPOKEN_ROOTS and e.source.country == home) or sides == {home}:
            return replace(e, place=d.place, place_how=place_how("dateline", d.how))
        return e


def _pair(e: Event) -> frozenset[str | None]:
    return frozenset({e.source.country, e.target.country if e.target else None})


def at_meetings(events: Sequence[Event]) -> list[Event]:
    """One article's located ``events``, where an unplaced statement, appeal, intent,
    consultation or agreement of two countries takes the place of their meeting: a
    consultation (root 04) between the same two countries, factual, placed by its own
    sentence, on the same day (or with no day, either of them). Not when the article places
    meetings of the pair in two places."""
    venues: dict[frozenset[str | None], list[Event]] = {}
    for m in events:
        pair = _pair(m)
        if (
            m.cameo[:2] == "04"
            and None not in pair
            and len(pair) == 2
            and not (m.negated or m.hypothetical)
            and m.place is not None
            and (m.place_how or "").startswith("sentence")
        ):
            venues.setdefault(pair, []).append(m)
    if not venues:
        return list(events)
    out: list[Event] = []
    for e in events:
        meetings = venues.get(_pair(e), [])
        if e.place is None and e.cameo[:2] in AT_MEETING_ROOTS and meetings:
            same_day = [m for m in meetings if None in (m.date, e.date) or m.date == e.date]
            if len({m.place.geonameid for m in same_day if m.place}) == 1:
                m = same_day[0]
                e = replace(
                    e,
                    location=m.location,
                    place=m.place,
                    place_how=place_how("meeting", m.place_how),
                )
        out.append(e)
    return out
