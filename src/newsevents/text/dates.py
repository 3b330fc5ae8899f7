"""Date stage: an article's publication date, and event dates relative to it.

Publication date, in order of trust: metadata (JSON/CSV field, HTML meta), a crawler's
header line (``date 2020-09-28``), a wire dateline (``SEOUL (Agency - 21st September,
2020)``), else none. A date is never invented: an article with no date keeps ``none``.
Metadata is checked against the text, not trusted blindly (a crawl or update date weeks
after the story): a header or dateline that dates the text otherwise wins, and metadata
later than every date the text states by more than ``METADATA_LEAD_DAYS`` is kept but
``doubted``: its events are dated by what their text states, never relative to it.

Relative expressions in a sentence ("on Monday", "earlier in the day", "last week",
"September 30") are resolved against the publication date by ``event_date``; weekday
names are resolved here, not by dateparser, so that past-tense "on Monday" means the
Monday on or before publication and future-tense "on Thursday" the one after.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

from newsevents.records import Dateline, PublicationDate
from newsevents.text.clean import BULLET as _BULLET
from newsevents.text.clean import DATE_HEADER

#: How sure an event's date is, from how it was found (``Event.date_how``): ``stated`` the
#: sentence names the date ("on 23 February", "March 3, 2017"); ``resolved`` it names a day
#: relative to publication ("on Monday", "yesterday"), resolved by tense; ``assumed`` it names
#: none and the day is the publication's or the lead's (``published``, ``article``);
#: ``unknown`` no day (``none``, ``ongoing``, ``year-only``). "N days after" keeps its base's
#: level. ``newsevents eval`` measures each level's accuracy on the article gold.
DateSure = Literal["stated", "resolved", "assumed", "unknown"]
#: how an event's date was found (``Event.date_how``; "-before" added to an act dated "N days
#: after" another, N days before it)
DateHow = Literal[
    "absolute", "month-day", "weekday", "relative", "published", "article", "none", "ongoing",
    "year-only",
]  # fmt: skip
SURENESS: tuple[DateSure, ...] = ("stated", "resolved", "assumed", "unknown")
DATE_SURENESS: dict[str, DateSure] = {  # every DateHow (tests/test_dates.py)
    "absolute": "stated",
    "month-day": "stated",
    "weekday": "resolved",
    "relative": "resolved",
    "published": "assumed",
    "article": "assumed",
    "none": "unknown",
    "ongoing": "unknown",
    "year-only": "unknown",
}
_BEFORE = "-before"


def date_sureness(how: str | None) -> DateSure:
    """How sure a date found as ``how`` is (``DATE_SURENESS``)."""
    return DATE_SURENESS.get((how or "none").removesuffix(_BEFORE), "unknown")


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_NUM = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
# "21st September, 2020", "September 21, 2020", "Sept. 21 2020", "3 JAN 90"
_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+({MONTHS})\.?,?\s+(\d{{4}}|\d{{2}})\b", re.I
)
_MDY = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_MD = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.I)
_DM = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\b(?!\.?,?\s*\d{{2,4}})", re.I
)


def _year(y: str) -> int:
    n = int(y)
    if n < 100:
        n += 1900 if n >= 50 else 2000
    return n


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_absolute(text: str) -> date | None:
    """The first full calendar date (day, month and year) in ``text``, or None.

    >>> parse_absolute("Sputnik - 21st September, 2020")
    datetime.date(2020, 9, 21)
    >>> parse_absolute("March 3, 1987") , parse_absolute("in 1990") is None
    (datetime.date(1987, 3, 3), True)
    """
    found = stated_dates(text)
    return found[0] if found else None


def parse_metadata_date(value: str | None) -> date | None:
    """A date from a metadata field (ISO, RFC 2822 or free text via dateparser)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    m = _ISO.match(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    found = parse_absolute(value)
    if found:
        return found
    import dateparser

    # never relative ("yesterday", "3 days ago"): metadata read today would date an old
    # page by the day it was ingested
    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )
    return parsed.date() if parsed else None


#: metadata later than the latest date its text states by more than this many days, when
#: its lead states one, is doubted: a story reports what happened days, not months, before
#: it is published; a page's crawl or update date can be weeks after. Read over the whole
#: text, 11 of the article gold's 564 articles (metadata all right) were doubted for history
#: their bodies date ("the attacks of September 11, 2001"); none when the lead must state one
METADATA_LEAD_DAYS = 31
#: ... and by no more than this: a story whose lead dates it years before its metadata is
#: about history ("the 20th anniversary of the Sept. 11, 2001 attacks"). With the lead's date
#: on an act or the story (``_DAY_OF``), 5 of the 17,367 metadata-dated articles of
#: ../shared/corpora are doubted: one an update date ("PUBLISHED FEBRUARY 23, 2021:" under
#: metadata of July 27), four Reuters-21578 reports of acts months old; their relative dates
#: go undated, not wrong
MAX_LEAD_DAYS = 366
#: the characters of a text's start that hold its lead
LEAD_CHARS = 300


def _month_day_in(text: str) -> tuple[int, int, int] | None:
    """The month, day and position of the first year-less date ``text`` names ("Nov 3",
    "21 September"; month first when both forms occur), or None."""
    m = _MD.search(text)
    if m:
        return _MONTH_NUM[m.group(1).lower()], int(m.group(2)), m.start()
    n = _DM.search(text)
    if n:
        return _MONTH_NUM[n.group(2).lower()], int(n.group(1)), n.start()
    return None


def _wire_day(written: str, metadata: date) -> date | None:
    """The day a year-less wire dateline date names ("Nov 3", "21 September"): the latest
    such day no more than a day after the metadata's (time zones)."""
    named = _month_day_in(written)
    return _month_day(metadata, named[0], named[1], future=False)[0] if named else None


def _lead(text: str) -> str:
    """The start of a text's first paragraph: where a story names its news."""
    return text.lstrip().split("\n\n", 1)[0][:LEAD_CHARS]


def _stated(text: str) -> list[tuple[int, date]]:
    """Each full calendar date ``text`` states, with where it starts, in order."""
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    for m in _DMY.finditer(text):
        d = _safe_date(_year(m.group(3)), _MONTH_NUM[m.group(2).lower()], int(m.group(1)))
        if d:
            found.append((m.start(), d))
    for m in _MDY.finditer(text):
        d = _safe_date(int(m.group(3)), _MONTH_NUM[m.group(1).lower()], int(m.group(2)))
        if d:
            found.append((m.start(), d))
    return sorted(found)


def stated_dates(text: str) -> list[date]:
    """Every full calendar date (day, month and year) ``text`` states.

    >>> stated_dates("Talks on March 3, 1987 and 2 April 1987; in 1990.")
    [datetime.date(1987, 3, 3), datetime.date(1987, 4, 2)]
    """
    return [d for _, d in _stated(text)]


#: what puts a date on the day an act happened or a story appeared ("met on November 3,
#: 2017", "PUBLISHED FEBRUARY 23, 2021:"), not on a period ("the quarter ended December 31,
#: 1986") or a thing ("the Sept. 11, 2012, attack")
_DAY_OF = re.compile(r"\b(?:on|published|posted|updated|dated)\s*:?\s*$", re.I)


def _lead_day(text: str) -> bool:
    """Whether a text's lead states the day of an act or of the story itself."""
    lead = _lead(text)
    return any(_DAY_OF.search(lead[:at]) for at, _ in _stated(lead))


def publication_date(
    metadata_value: str | None, text: str, dateline: Dateline | None = None
) -> PublicationDate:
    """Find the publication date of an article and say how it was found: its metadata, a
    date header in its first lines, or the wire dateline cleaning found (``Cleaned.dateline``);
    metadata checked against the text (see the module's docstring).

    >>> publication_date(None, " date 2020-09-28 Moon met Putin").how
    'header'
    >>> from newsevents.text.clean import clean_text
    >>> c = clean_text("SEOUL (News - 21st September, 2020) Talks.")
    >>> publication_date(None, c.base, c.dateline).value
    datetime.date(2020, 9, 21)
    >>> publication_date("2020-11-30", c.base, c.dateline).how
    'dateline'
    >>> publication_date("2018-02-20", "Moon met Putin on November 3, 2017.").how
    'doubted'
    >>> publication_date(None, "The ties were set up in 1990.").how
    'none'
    """
    # the first lines of the story proper (headline lists and bullets skipped)
    lines = [ln for ln in text.splitlines() if ln.strip() and not _BULLET.match(ln)][:3]
    header = next((m for ln in lines if (m := DATE_HEADER.match(ln))), None)
    header_day = parse_absolute(header.group(0)) if header else None
    dateline_day = parse_absolute(dateline.text) if dateline is not None else None
    d = parse_metadata_date(metadata_value)
    if d:
        value = (metadata_value or "").strip()
        if header_day and abs((d - header_day).days) > 1:
            return PublicationDate(
                header_day, "header", f"{header.group(0).strip()} (metadata {value} disagrees)"
            )
        # "WASHINGTON, Nov 3 (Reuters)": a wire's own day, of the year the metadata gives
        if dateline is not None and dateline.date and not dateline_day:
            dateline_day = _wire_day(dateline.date, d)
        if dateline_day and dateline is not None and abs((d - dateline_day).days) > 1:
            return PublicationDate(
                dateline_day, "dateline", f"{dateline.text.strip()} (metadata {value} disagrees)"
            )
        # the news's own day stated in its lead; a date in its body may be history's
        stated = stated_dates(text)
        if stated and _lead_day(text) and not header_day and not dateline_day:
            lead = (d - max(stated)).days
            if METADATA_LEAD_DAYS < lead <= MAX_LEAD_DAYS:
                return PublicationDate(
                    d,
                    "doubted",
                    f"{value}: {lead} days after the latest date the text states "
                    f"({max(stated).isoformat()})",
                )
        return PublicationDate(d, "metadata", metadata_value or "")
    if header_day and header is not None:
        return PublicationDate(header_day, "header", header.group(0).strip())
    if dateline_day and dateline is not None:
        return PublicationDate(dateline_day, "dateline", dateline.text.strip())
    return PublicationDate(None, "none", "")


# ---------------------------------------------------------------------------------------
# event dates

_REL_SAME_DAY = re.compile(
    r"\b(?:earlier (?:in the day|today|this morning)|later (?:in the day|today)|today|"
    r"this (?:morning|afternoon|evening)|tonight)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|since|of|during)\s+((?:19|20)\d{2})\b(?![-–]\d)")
_YESTERDAY = re.compile(r"\b(?:yesterday|last night)\b", re.I)
_TOMORROW = re.compile(r"\btomorrow\b", re.I)
_LAST_WEEK = re.compile(r"\blast week\b", re.I)
_WEEKDAY = re.compile(r"\b(?:(last|next|this|on)\s+)?(" + "|".join(WEEKDAYS) + r")\b", re.I)


#: a past-tense verb just before a date phrase ("said on Tuesday", "proposed Tuesday", "met
#: late on Friday"): the date is that verb's, in the past, whatever the act it reports will be
_PAST_VERB_BEFORE = re.compile(
    r"\b(?:said|told|met|spoke|wrote|gave|took|made|held|sent|began|won|lost|left|came|went|saw|"
    r"found|brought|struck|fought|threw|rose|fell|flew|drew|broke|chose|spent|sought|put|set|"
    r"[a-z]{2,}ed)\s+(?:(?:on|late|early|last)\s+)*$",
    re.I,
)


#: "On Wednesday, Trump said he would ...": a day that opens a clause whose verb is a past
#: report is that report's day, whatever the report says of the future
_PAST_REPORT_AFTER = re.compile(
    r"^,?\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|told|announced|wrote|declared|stated|warned|added)\b"
)


def _after_past_verb(sentence: str, start: int, end: int | None = None) -> bool:
    """Whether the day expression at ``start``..``end`` belongs to a past verb: one just
    before it ("met on Monday"), or the report its clause opens ("On Monday, Xi said")."""
    if _PAST_VERB_BEFORE.search(sentence[max(0, start - 40) : start]):
        return True
    return end is not None and bool(_PAST_REPORT_AFTER.match(sentence[end : end + 60]))


def resolve_weekday(
    weekday: str, published: date, future: bool = False, qualifier: str = ""
) -> date:
    """The date of a weekday named in an article published on ``published``.

    Past events: the latest such day on or before publication; future events (or
    ``next``): the first such day after it.

    >>> resolve_weekday("Monday", date(2020, 9, 28))  # published on a Monday
    datetime.date(2020, 9, 28)
    >>> resolve_weekday("Friday", date(2020, 9, 28))
    datetime.date(2020, 9, 25)
    >>> resolve_weekday("Thursday", date(2020, 9, 28), future=True)
    datetime.date(2020, 10, 1)
    >>> resolve_weekday("Monday", date(2020, 9, 28), future=True)  # later that day
    datetime.date(2020, 9, 28)
    """
    target = WEEKDAYS.index(weekday.lower())
    delta = (published.weekday() - target) % 7
    qualifier = qualifier.lower()
    if future or qualifier == "next":
        # "will meet on Monday" in a Monday's paper is that day; "next Monday" a week on
        ahead = (target - published.weekday()) % 7
        if qualifier == "next" and ahead == 0:
            ahead = 7
        return published + timedelta(days=ahead)
    if qualifier == "last" and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


#: a wire dateline that opens a sentence: "Lima, 10 Dec 88 (EFE) -- [Text]", "SAN JOSE (COSTA
#: RICA), 9 JUN 89 (ACAN-EFE) --": the day it was filed, which the sentence's own words beat
_WIRE_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .()'-]{1,40},\s+\d{1,2}\s+[A-Za-z]{3}\w*\.?\s+\d{2,4}\s*"
    r"(?:\([A-Za-z /-]+\))?\s*--\s*(?:\[text\]\s*)?",
    re.I,
)


def _weekday_of(sentence: str) -> re.Match[str] | None:
    """The weekday that dates the act: never one that names another thing ("her defeat in
    Tuesday's vote, she conceded on Saturday"; "before Wednesday's deadline")."""
    found = [
        m for m in _WEEKDAY.finditer(sentence) if not sentence.startswith(("'s", "’s"), m.end())
    ]
    return found[0] if found else None


def event_date(
    sentence: str, published: date | None, future: bool = False
) -> tuple[date | None, str]:
    """The date of the event a sentence reports, and how it was found.

    ``date_how`` is one of ``absolute``, ``weekday``, ``relative``, ``month-day``,
    ``published`` (no date in the sentence: the article's date), ``year-only`` (only a
    year other than the publication year: a past event, no day), or ``none``.

    >>> event_date("Putin said Monday that ...", date(2020, 9, 28))
    (datetime.date(2020, 9, 28), 'weekday')
    >>> event_date("They met earlier in the day.", date(2021, 2, 12))
    (datetime.date(2021, 2, 12), 'relative')
    >>> event_date("South Korea and Russia agreed Wednesday to ...", None)
    (None, 'none')
    >>> event_date("Republicans proposed on Tuesday to delay the tax.", date(2017, 12, 13), future=True)
    (datetime.date(2017, 12, 12), 'weekday')
    >>> event_date("On Wednesday, Trump said he would consider it.", date(2017, 11, 2), future=True)
    (datetime.date(2017, 11, 1), 'weekday')
    >>> event_date("Lima, 10 Dec 88 (EFE) -- [Text] Two engineers were murdered last Wednesday.",
    ...            date(1988, 12, 10))
    (datetime.date(1988, 12, 7), 'weekday')
    >>> event_date("Kerry announced on Sunday that the U.S. will take 85,000 refugees in 2016.",
    ...            date(2015, 9, 21))
    (datetime.date(2015, 9, 20), 'weekday')
    >>> event_date("The two countries established diplomatic ties in 1990.", date(2015, 9, 21))
    (None, 'year-only')
    >>> event_date("After her defeat in Tuesday's vote, she conceded in a call on Saturday.",
    ...            date(2017, 12, 18))
    (datetime.date(2017, 12, 16), 'weekday')
    >>> event_date("Leaders announced no plans before Wednesday's deadline.", date(2017, 12, 12))
    (datetime.date(2017, 12, 12), 'published')
    """
    sentence = _WIRE_DATELINE.sub("", sentence, count=1)  # the report's day, not the event's
    absolute = parse_absolute(sentence)
    if absolute:
        return absolute, "absolute"
    year = _YEAR.search(sentence)
    if (
        year
        and not _MD.search(sentence)
        and (published is None or int(year.group(1)) != published.year)
        and not (
            published is not None
            and _WEEKDAY.search(sentence)
            and int(year.group(1)) > published.year
        )
    ):
        # "established ties in 1990": a year, never a day (but "announced on Sunday that it
        # will take 85,000 refugees in 2016" is Sunday's act about a later year)
        return None, "year-only"
    if published is None:
        return None, "none"
    m = _weekday_of(sentence)
    if m:
        ahead = future and not _after_past_verb(sentence, m.start(), m.end())
        return resolve_weekday(m.group(2), published, ahead, m.group(1) or ""), "weekday"
    far: tuple[date | None, str] | None = None
    named = _month_day_in(sentence)
    if named:
        month, day, at = named
        found = _month_day(published, month, day, future and not _after_past_verb(sentence, at))
        if found[0] is None or abs((published - found[0]).days) <= FAR_MONTH_DAY:
            return found
        # "who will be mayor on 2 January ... declined to comment last night" (a December
        # report): a day of the month most of a year away is another act's; a nearer day
        # the sentence names dates this one
        far = found
    if _REL_SAME_DAY.search(sentence):
        return published, "relative"
    if _YESTERDAY.search(sentence):
        return published - timedelta(days=1), "relative"
    if _TOMORROW.search(sentence):
        return published + timedelta(days=1), "relative"
    if _LAST_WEEK.search(sentence):
        return published - timedelta(days=7), "relative"
    return far or (published, "published")


def background_year(sentence: str, published: date | None) -> int | None:
    """The earlier year a sentence sets its act in, when it names no nearer day: "killed
    10,000 people in 1998", "has opened missions since 1997" in a 2005 article are history,
    not the article's news. None when the sentence also names a weekday, a day of the month,
    today or yesterday, or no year before the publication year.

    >>> background_year("The embargo was imposed in 1989.", date(2005, 1, 10))
    1989
    >>> background_year("On Tuesday he met Xi, who took power in 2012.", date(2017, 11, 8)) is None
    True
    """
    if published is None:
        return None
    years = [int(y) for y in _YEAR.findall(sentence)]
    if not years or max(years) >= published.year:
        return None
    if (
        _WEEKDAY.search(sentence)
        or _MD.search(sentence)
        or _DM.search(sentence)
        or _REL_SAME_DAY.search(sentence)
        or _YESTERDAY.search(sentence)
        or _LAST_WEEK.search(sentence)
    ):
        return None
    return max(years)


#: days from publication past which a day of the month gives way to a nearer day the
#: sentence names ("last night")
FAR_MONTH_DAY = 183


def _month_day(published: date, month: int, day: int, future: bool) -> tuple[date | None, str]:
    d = _safe_date(published.year, month, day)
    if d is None:
        return published, "published"
    # a month-day after publication (a day's slack for time zones) in a sentence that
    # reports a past act is last year's: "Also on Dec. 22, Trump discussed" on Dec. 2
    if not future and (d - published).days > 1:
        d = _safe_date(published.year - 1, month, day) or d
    if future and (published - d).days > 31:
        d = _safe_date(published.year + 1, month, day) or d
    return d, "month-day"


def to_date(value: str | date | datetime | None) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value  # type: ignore[return-value]
    if isinstance(value, datetime):
        return value.date()
    return parse_metadata_date(value)
