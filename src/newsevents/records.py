"""Records passed between pipeline stages: the contract of the whole package.

Every record is a frozen dataclass. Stages take records and return new ones; nothing
mutates a record in place. Field names match the DuckDB columns in ``store.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

#: how an article's publication date was found (``Article.published_how``); ``doubted``:
#: the page's metadata, which the text contradicts (``text.dates.publication_date``)
PublishedHow = Literal["metadata", "doubted", "header", "dateline", "inferred", "none"]
#: the ``published_how`` of a date that dates no story: one the stories inferred for an undated
#: article (no evidence of its own), or metadata the text contradicts
NOT_DATING: tuple[PublishedHow, ...] = ("inferred", "doubted")
PUBLISHED_HOW: tuple[str, ...] = get_args(PublishedHow)
#: why an input became no article (``Discard.reason``); the README's table says each one
DiscardReason = Literal[
    "not-found", "empty-folder", "hidden", "documentation", "unreadable", "unsupported-format",
    "empty", "binary", "undecodable", "too-large", "malformed-json", "malformed-csv",
    "malformed-parquet", "malformed-warc", "no-articles", "not-html", "html-unparseable",
    "no-text", "reader-failed", "clean-failed", "empty-after-cleaning",
]  # fmt: skip
DISCARD_REASONS: tuple[str, ...] = get_args(DiscardReason)


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before cleaning.

    ``origin`` says where it came from (``path`` or ``path#line`` or ``path#record``).
    ``metadata`` carries whatever the container knew (title, url, source, published).
    """

    origin: str
    text: str
    fmt: str  # txt, jsonl, csv, html, warc, stdin
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None  # as found in metadata, unparsed
    external_id: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Discard:
    """Input that could not become an article, with the reason. Nothing is lost silently."""

    origin: str
    reason: DiscardReason
    detail: str = ""


@dataclass(frozen=True)
class RemovedSpan:
    """A span of the (repaired) raw text that cleaning removed, with why."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True)
class Dateline:
    """A wire dateline opening a story, as cleaning found and cut it ("SEOUL, March 23
    (Reuters) -"): read once, by cleaning; the publication date and the outlet come from it."""

    text: str  # as it stands in the text
    city: str
    date: str | None  # a date written between the city and the parenthesis
    paren: str  # what the parenthesis holds: an agency, a date, or both


@dataclass(frozen=True)
class Cleaned:
    """Result of cleaning one text."""

    text: str  # the cleaned text
    base: str  # the text the spans refer to (raw text after encoding repair)
    removed: tuple[RemovedSpan, ...] = ()
    repairs: tuple[str, ...] = ()  # e.g. "mojibake", "replacement-char"
    dateline: Dateline | None = None  # the first dateline cut


@dataclass(frozen=True)
class PublicationDate:
    value: date | None
    how: PublishedHow
    evidence: str = ""  # the text that gave the date


@dataclass(frozen=True)
class Article:
    article_id: str
    origin: str
    fmt: str
    source: str | None
    url: str | None
    title: str | None
    published: date | None
    published_how: PublishedHow
    published_evidence: str
    language: str
    raw_text: str
    clean_text: str
    removed: tuple[RemovedSpan, ...] = field(default=(), repr=False)
    repairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A resolved actor: a country (ISO3 or IGO code) and a sector, with the name used."""

    name: str
    country: str | None
    sector: str | None
    role: str | None = None
    person: str | None = None  # canonical person name when a known person

    @property
    def actor_id(self) -> str:
        return f"{self.country or '---'}{self.sector or ''}"


@dataclass(frozen=True, slots=True)
class Place:
    """A GeoNames entry (``newsevents.places``): ``adm1`` is the GeoNames first-order division
    code ("US.TX"), ``country`` ISO 3166 alpha-3; ``population`` of a division or country is that
    of its towns the gazetteer holds; ``feature`` is country, adm1 or city."""

    geonameid: int
    name: str
    country: str
    adm1: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int


#: how the pattern of an event the sentence model recovered starts (``Event.pattern``;
#: ``learning.decide.recover``): the store says which events the rules did not find
RECOVERED_PATTERN = "recovered by the sentence model from "


@dataclass(frozen=True)
class Event:
    """One coded event mention, with its evidence."""

    event_id: str
    article_id: str
    sentence: str
    span: tuple[int, int]  # character span of the sentence in the article's clean text
    date: date | None
    date_how: str
    source: Actor
    target: Actor | None
    cameo: str
    cameo_name: str
    plover: str | None
    plover_mode: str | None
    quad_class: int
    goldstein: float
    location: str | None
    topics: tuple[str, ...]
    negated: bool
    hypothetical: bool
    reported_by: Actor | None
    confidence: float
    trigger: str = ""
    pattern: str = ""
    #: where it happened (``newsevents.places.locate``) and how that was chosen
    place: Place | None = None
    place_how: str | None = None


_SPACE = re.compile(r"\s+")


def normalize_for_id(text: str) -> str:
    """Normalize text so trivially different copies hash alike.

    >>> normalize_for_id("  Hello,\\n  World ") == normalize_for_id("hello, world")
    True
    """
    if not text.isascii():  # ASCII is its own NFKC form
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    return _SPACE.sub(" ", text).strip()


def article_id_for(clean_text: str) -> str:
    """The article id: a hash of the normalized clean text (16 hex digits)."""
    return hashlib.sha256(normalize_for_id(clean_text).encode("utf-8")).hexdigest()[:16]
