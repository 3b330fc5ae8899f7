"""The coder's unit of work: what it needs of an article (``Text``), and the day its lead
names (``lead_day``).

``text_of`` makes a ``Text`` of a cleaned ``Article``: its clean text, publication date,
language, the dateline cleaning cut and its title; the coder fills in its sentences, the
ones worth parsing and the ones that name an actor. ``lead_day`` is the first day an
article's opening sentences name, the day of the news a wire lead in the present perfect
leaves out (``coding.record`` dates events by it). ``CAPTION`` tells a photo caption.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from newsevents.coding.nlp import Tokens
from newsevents.records import Article
from newsevents.text.dates import event_date

CAPTION = re.compile(
    r"\s*(?:\(?(?:this|in this|a|the) (?:file )?(?:photo|picture|image|handout photo|screenshot)\b|"
    r"\(?(?:file )?photo\b|photo:)",
    re.I,
)


@dataclass
class Text:
    """What the coder needs of an article."""

    article_id: str
    text: str
    published: date | None
    language: str = "en"
    sentences: list[tuple[int, int]] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)  # indexes into sentences, to parse
    cued: set[int] = field(default_factory=set)  # sentences that name an actor (ActorCue)
    tokens: dict[int, Tokens] = field(default_factory=dict)  # candidates' tokens, if reusable
    dateline: str | None = None  # the wire dateline cleaning cut from the text's start
    title: str | None = None
    #: (``lead_day``, its sentence, whether that sentence reports the news), once computed
    lead: tuple[date | None, int, bool] | None = None


def text_of(a: Article, article_id: str | None = None) -> Text:
    """What the coder needs of a cleaned article (``article_id``: another id to report). A
    doubted publication date (metadata the text contradicts) dates no event: events keep the
    dates their text states."""
    return Text(
        article_id or a.article_id,
        a.clean_text,
        a.published if a.published_how != "doubted" else None,
        a.language,
        dateline=next((r.text for r in a.removed if r.reason == "dateline"), None),
        title=a.title,
    )


def texts_of(articles: Sequence[Article]) -> list[Text]:
    return [text_of(a) for a in articles]


#: sentences at an article's start that may name the day its lead leaves out
LEAD_SENTENCES = 4
#: how a lead names its day (``text.dates.event_date``): a weekday, "yesterday"/"today", or
#: a date ("on 23 February"); a year alone names none
LEAD_HOWS = ("weekday", "relative", "absolute", "month-day")
#: ", which was accused on 30 November,": a day another act's (read without a parse)
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who)\b[^,]*,", re.IGNORECASE)
#: sentences after the one naming the lead's day whose undated past acts are that day's
AFTER_LEAD = 12
#: a second sentence that dates the news itself: "The decision was announced late Friday",
#: "Mwape said in a speech ... yesterday"
_REPORTING = re.compile(
    r"\b(?:announced|said|told|disclosed|revealed|reported|confirmed|stated)\b", re.IGNORECASE
)


def lead_day(t: Text, i: int | None = None) -> tuple[date | None, str]:
    """The first day an article's opening sentences name by weekday or "yesterday"/"today"
    (on or before publication): the day of the news a wire lead in the present perfect
    ("X has charged Y") leaves out; and how sentence ``i`` stands to it: ``"after"`` when it
    follows the one naming it within the lead, where an undated act in the past tense is
    that day's news ("The EC
    yesterday warned Japan ... EC ministers issued a statement deploring ..."), or is the
    ``"lead"``: the lead itself when the second sentence dates its report ("The Treasury said it would permit
    ... The decision was announced late Friday"). Computed once per article, when an event
    first asks."""
    if t.lead is None:
        t.lead = (None, -1, False)
        for n, (s, e) in enumerate(t.sentences[:LEAD_SENTENCES]):
            sentence = _RELATIVE_CLAUSE.sub(",", t.text[s:e])
            when, how = event_date(sentence, t.published)
            if how in LEAD_HOWS and when is not None and t.published and when <= t.published:
                t.lead = (when, n, bool(_REPORTING.search(sentence)))
                break
    day, n, reports = t.lead
    if i is not None and day is not None and n < i < n + AFTER_LEAD:
        return day, "after"
    return day, "lead" if i == 0 and n == 1 and reports else ""
