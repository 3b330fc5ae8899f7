"""Merge stage: event mentions from many articles → stories (one real-world event each).

1. Mentions that happened (not negated, not hypothetical) with a placed actor on at least
   one side (``can_join_story``) are grouped per article by unordered dyad and event date:
   what one article says about one meeting (the call itself, the appeals and pledges made
   in it) is one *article story*. Only confident mentions (``STORY_MIN_CONFIDENCE``) make
   article stories; the others (from ``ATTACH_MIN_CONFIDENCE``) of a day their article has
   no confident mention of may only join, after step 2, a story others made (``attach``).
2. Article stories are blocked by dyad and sorted by date; two join when their dates are
   within ``WINDOW_DAYS`` (an undated one may join a dated one), their modes agree (a phone
   call has no place; two places must be the same) and their texts overlap (content-word
   Jaccard, ``stories.similarity``). The people they name need not overlap: outlets name
   different participants of one event (Fox the Speaker, the Times the senators), and
   when two article stories naming no one in common could not join, ``bench/merge.py``
   gave BASIL clusters held by one story 28.0% (now 49.0%), multi-article stories of one
   event 94.2% (94.1%); AllSides 6.6% (7.5%), 77.9% (78.4%); ECB+ 0.0% (0.0%), 96.2%
   (96.2%), same-topic pairs of other events merged 32 (32) of 5,584.
   Cost grows with the mentions of one dyad, never with all pairs of the corpus.
3. Near-duplicate articles (syndicated copies, MinHash Jaccard ≥ ``NEAR_DUPLICATE``) from
   the same outlet count once; ``n_sources`` counts distinct outlets (an article without a
   known outlet counts as its own).

Story ids are stable across runs and arrival orders: a hash of the dyad, the story type
and the story's date (or, when undated, its earliest article).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
from datasketch import MinHash

from newsevents.settings import MIN_CONFIDENCE
from newsevents.stories.similarity import jaccard_many, minhash, word_hashes

WINDOW_DAYS = 1
#: The least confidence an event needs to make a story (``settings.MIN_CONFIDENCE``).
STORY_MIN_CONFIDENCE = MIN_CONFIDENCE
#: The least confidence of an event that joins a story other articles made (``attach``):
#: under ``STORY_MIN_CONFIDENCE`` an event makes no story, but an article whose mention of
#: an act other outlets report with confidence is one more source of it. ``bench/merge.py``
#: when they joined: BASIL clusters held by one story 55.0% -> 71.0%, multi-article stories
#: of one event 94.3% -> 92.5%; AllSides 9.2% -> 13.6% and 79.4% -> 79.5%; ECB+ 0.0%, 96.3%
#: -> 97.0%, same-topic pairs of other events merged 32 of 5,584 both. With an article's
#: unconfident mentions left out whenever it had a confident one of the dyad on any day
#: (a test Spark's date windows cannot make: ``merge_into_stories`` asks of the day),
#: BASIL held 67.0% with 94.3% one event from 0.1, 62.0% from 0.2, and 69.0% with 94.4%
#: from 0 (every factual event, though of those under 0.1 about one in fifteen is right on
#: the gold's test part)
ATTACH_MIN_CONFIDENCE = 0.1
#: Event dates too vague to place an event on a day ("ongoing", a year alone).
UNDAYED_HOW = ("ongoing", "year-only")
#: The side of a dyad the text does not place (stored as NULL: ``stored_dyad``).
UNPLACED = ""


def dyad_of(source: str | None, target: str | None) -> tuple[str, str]:
    """An event's dyad: its two countries in order, or its placed one and ``UNPLACED``.

    >>> dyad_of("RUS", "KOR"), dyad_of(None, "FRA"), dyad_of("FRA", None)
    (('KOR', 'RUS'), ('FRA', ''), ('FRA', ''))
    """
    a, b = sorted((source or UNPLACED, target or UNPLACED))
    return (b, a) if a == UNPLACED else (a, b)


def stored_dyad(dyad: tuple[str, str]) -> tuple[str, str | None]:
    """A dyad as the store's ``actor_a`` and ``actor_b`` (an unplaced side is NULL)."""
    return dyad[0], dyad[1] or None


def can_join_story(
    negated: bool,
    hypothetical: bool,
    date_how: str | None,
    confidence: float | None,
    source_country: str | None,
    target_country: str | None,
) -> bool:
    """The one rule for which event mentions may join a story: a factual event between two
    placed actors, dated to a day, confident enough (from ``ATTACH_MIN_CONFIDENCE``; only
    from ``STORY_MIN_CONFIDENCE`` may it make one: ``Mention.confident``). A pair of one
    country joins too
    (domestic politics: "Boehner chided Obama"): what keeps the different acts of one
    country's day apart is the merge's test of identity (the day, the place, the overlap of
    the texts), not the dyad. When a same-country pair joined only with two sectors (government against
    opposition), ``bench/merge.py`` gave: BASIL clusters held by one story 15.0% -> 28.0%,
    multi-article stories of one event 94.2% -> 94.2%; AllSides 4.3% -> 6.6% and 73.2% ->
    77.9%; ECB+ 1.2% -> 0.0% (one cluster) and 97.2% -> 96.2%, same-topic pairs of other
    events wrongly put together 25 -> 32 of 5,584.

    ``JOINABLE_SQL`` says the same for the store's SQL (a test holds them equal).

    One placed side is enough: an attack in France by a driver nobody names, an abduction
    by a group the text does not place, are the day's news all the same; such a story has
    its placed side and no other (``UNPLACED`` in its dyad, NULL in the store's
    ``actor_b``), and joins no story of a pair. ``bench/merge.py`` when they joined: AllSides
    clusters held by one story 9.0% -> 9.2%, articles in a story 42.1% -> 42.6%; BASIL and
    ECB+ unchanged, since the event scorer rarely rates such an event at
    ``STORY_MIN_CONFIDENCE`` (out of fold on the article gold's train part, none of its 97
    false ones, and the coder finds 9 of the 154 gold events with one side unplaced).

    >>> can_join_story(False, False, "dateline", 0.6, "USA", "USA")
    True
    >>> can_join_story(False, False, "dateline", 0.6, None, "FRA")
    True
    >>> can_join_story(False, False, "dateline", 0.6, None, None)
    False
    >>> can_join_story(False, False, "ongoing", 0.6, "USA", "RUS")
    False
    """
    if negated or hypothetical or date_how in UNDAYED_HOW:
        return False
    if float(confidence or 0) < ATTACH_MIN_CONFIDENCE:
        return False
    return bool(source_country or target_country)


#: ``can_join_story`` over the events table (columns of ``e``).
JOINABLE_SQL = f"""NOT e.negated AND NOT e.hypothetical
  AND (e.source_country IS NOT NULL OR e.target_country IS NOT NULL)
  AND e.date_how NOT IN ({", ".join(repr(h) for h in UNDAYED_HOW)})
  AND e.confidence >= {ATTACH_MIN_CONFIDENCE}"""
#: The order that keeps each dyad's events together (``Mention.dyad``; an unplaced side as
#: ``UNPLACED``), over the events' columns (``{e}``: their table's prefix, such as "e.").
DYAD_ORDER_SQL = (
    "least(coalesce({e}source_country, ''), coalesce({e}target_country, '')), "
    "greatest(coalesce({e}source_country, ''), coalesce({e}target_country, ''))"
)
NEAR_DUPLICATE = 0.8
#: the least content-word Jaccard of two dated article stories of one dyad within the window
#: (undated: ``SIMILAR_UNDATED``) for them to be one story. 0.10, the coverage groups' bar
#: (``COVER_DATED``): at 0.05, one US dyad's different acts of a busy week merged (of the
#: multi-article stories, one event: BASIL 90.9%, AllSides 59.5%, ECB+ 97.5%; at 0.10 94.8%,
#: 74.5%, 97.5%, while the events one story holds stayed within a cluster; bench/merge.py)
SIMILAR_DATED = 0.10
SIMILAR_UNDATED = 0.2
TYPE_PRIORITY = [
    "04",
    "06",
    "07",
    "05",
    "03",
    "08",
    "02",
    "16",
    "17",
    "18",
    "19",
    "20",
    "15",
    "13",
    "14",
    "12",
    "11",
    "10",
    "09",
    "01",
]


@dataclass(frozen=True)
class Mention:
    event_id: str
    article_id: str
    outlet: str | None
    published: date | None
    date: date | None
    source: str | None
    target: str | None
    cameo: str
    location: str | None
    sentence: str
    confidence: float

    @property
    def dyad(self) -> tuple[str, str]:
        """The two sides' countries in order, or the placed one and ``UNPLACED``."""
        return dyad_of(self.source, self.target)

    @property
    def confident(self) -> bool:
        """Whether it may make a story (else it may only join one: ``ATTACH_MIN_CONFIDENCE``)."""
        return self.confidence >= STORY_MIN_CONFIDENCE


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)
    dates: Counter[date] = field(default_factory=Counter)
    places: set[str] = field(default_factory=set)
    phone: bool = False
    sig: MinHash | None = None

    def add(self, m: Mention, sig: MinHash) -> None:
        self.mentions.append(m)
        self.article_ids.add(m.article_id)
        if m.date:
            self.dates[m.date] += 1
        if m.location:
            self.places.add(m.location.lower())
        self.phone |= m.cameo == "041"
        if self.sig is None:
            self.sig = sig.copy()
        else:
            self.sig.merge(sig)

    def absorb(self, other: Cluster) -> None:
        self.mentions += other.mentions
        self.article_ids |= other.article_ids
        self.dates.update(other.dates)
        self.places |= other.places
        self.phone |= other.phone
        if other.sig is not None:
            if self.sig is None:
                self.sig = other.sig.copy()
            else:
                self.sig.merge(other.sig)

    @property
    def date(self) -> date | None:
        return self.dates.most_common(1)[0][0] if self.dates else None


@dataclass(frozen=True)
class Story:
    story_id: str
    dyad: tuple[str, str]
    cameo_root: str
    date: date | None
    date_how: str  # events (from member events' dates) or none
    location: str | None
    summary: str
    n_articles: int
    n_sources: int
    first_seen: date | None
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]

    @property
    def actors(self) -> tuple[str, str | None]:
        """Its dyad as the store's ``actor_a`` and ``actor_b`` (``stored_dyad``)."""
        return stored_dyad(self.dyad)


class _Words:
    """Each article's content words as a word-hash array, computed once per merge (not the
    strings: an array is a few KB, a set of strings ten times more)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.cache: dict[str, np.ndarray] = {}

    def of(self, ids: Iterable[str]) -> np.ndarray:
        arrays = []
        for x in ids:
            if x not in self.cache:
                self.cache[x] = word_hashes(self.texts.get(x, ""))
            arrays.append(self.cache[x])
        if len(arrays) == 1:
            return arrays[0]
        return np.unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.uint64)


def _similarity(a: Cluster, b: Cluster, words: _Words) -> float:
    return float(jaccard_many(words.of(a.article_ids), [words.of(b.article_ids)])[0])


def _compatible(a: Cluster, b: Cluster, words: _Words) -> bool:
    da, db = a.date, b.date
    if da and db and abs((da - db).days) > WINDOW_DAYS:
        return False
    # a phone call has no place; two different places are two meetings
    if (a.phone and b.places and not a.places) or (b.phone and a.places and not b.places):
        return False
    if a.places and b.places and not (a.places & b.places):
        return False
    threshold = SIMILAR_DATED if (da and db) else SIMILAR_UNDATED
    return _similarity(a, b, words) >= threshold


def story_type(mentions: Sequence[Mention]) -> str:
    roots = Counter(m.cameo[:2] for m in mentions)
    return min(
        roots, key=lambda r: (TYPE_PRIORITY.index(r) if r in TYPE_PRIORITY else 99, -roots[r])
    )


def merge_into_stories(mentions: Iterable[Mention], texts: dict[str, str]) -> list[Story]:
    """Group mentions into stories. Deterministic and independent of input order.

    ``texts`` maps article ids to their clean text (for content overlap).
    """
    ordered = sorted(mentions, key=lambda m: (m.dyad, m.date or date.max, m.article_id, m.event_id))
    sigs: dict[str, MinHash] = {}
    for m in ordered:
        if m.article_id not in sigs:
            sigs[m.article_id] = minhash(texts.get(m.article_id, m.sentence))
    # 1. per article, per dyad and date: the confident mentions, then the others, of the
    # days (undated: of the dyad) an article has no confident mention of
    confident = [m for m in ordered if m.confident]
    told = {(m.dyad, m.article_id, m.date) for m in confident}
    told |= {(m.dyad, m.article_id, None) for m in confident}
    weak = [m for m in ordered if not m.confident and (m.dyad, m.article_id, m.date) not in told]
    by_article = _article_clusters(confident, sigs)
    joining = _blocks(_article_clusters(weak, sigs))
    # 2. across articles, blocked by dyad, dated clusters first (in date order)
    blocks = _blocks(by_article)
    stories: list[Story] = []
    words = _Words(texts)
    for dyad, clusters in sorted(blocks.items()):
        merged = [cl for session in _sessions(clusters) for cl in _merge_block(session, words)]
        attach(merged, joining.get(dyad, []), words)
        stories.extend(_story(dyad, cl, sigs) for cl in merged)
    return _unique_ids(stories)


ArticleKey = tuple[tuple[str, str], str, date | None]


def _article_clusters(
    mentions: list[Mention], sigs: dict[str, MinHash]
) -> dict[ArticleKey, Cluster]:
    """``mentions`` grouped per article, dyad and date; an article's undated mentions of a
    dyad join its dated group of that dyad, if it has one."""
    per_article: dict[ArticleKey, Cluster] = {}
    for m in mentions:
        per_article.setdefault((m.dyad, m.article_id, m.date), Cluster()).add(m, sigs[m.article_id])
    for (dyad, art, d), cl in list(per_article.items()):
        if d is None:
            dated = [
                c for (dy, ar, dd), c in per_article.items() if dy == dyad and ar == art and dd
            ]
            if len(dated) == 1:
                dated[0].absorb(cl)
                del per_article[(dyad, art, d)]
    return per_article


def _blocks(per_article: dict[ArticleKey, Cluster]) -> dict[tuple[str, str], list[Cluster]]:
    """The article clusters of each dyad, dated ones first, in date order."""
    blocks: dict[tuple[str, str], list[Cluster]] = defaultdict(list)
    for (dyad, _art, _d), cl in sorted(
        per_article.items(),
        key=lambda kv: (kv[0][0], kv[0][2] is None, kv[0][2] or date.max, kv[0][1]),
    ):
        blocks[dyad].append(cl)
    return blocks


def attach(stories: list[Cluster], weak: list[Cluster], words: _Words) -> None:
    """Each article cluster of ``weak`` (mentions under ``STORY_MIN_CONFIDENCE``) joins the
    most similar compatible of ``stories`` of other articles (as they were before any
    joined: the order of ``weak`` changes nothing), or none; a weak cluster never makes a
    story."""
    picks = [(story, cl) for cl in weak if (story := _most_similar(cl, stories, words, _apart))]
    for story, cl in picks:
        story.absorb(cl)


def _merge_block(clusters: list[Cluster], words: _Words) -> list[Cluster]:
    """Greedy merge of one block in order: each cluster joins its most similar compatible
    predecessor, or starts a story."""
    merged: list[Cluster] = []
    for cl in clusters:
        best = _most_similar(cl, merged, words, _not_another_day)
        if best is not None:
            best.absorb(cl)
        else:
            merged.append(cl)
    return merged


def _apart(a: Cluster, b: Cluster) -> bool:
    """Whether no article is in both."""
    return not a.article_ids & b.article_ids


def _not_another_day(a: Cluster, b: Cluster) -> bool:
    """Whether ``a`` and ``b`` are not one article's accounts of two different days."""
    return _apart(a, b) or not (a.date and b.date and a.date != b.date)


def _most_similar(
    cl: Cluster,
    candidates: list[Cluster],
    words: _Words,
    may_join: Callable[[Cluster, Cluster], bool],
) -> Cluster | None:
    """The first of ``candidates`` that ``cl`` ``may_join`` and is compatible with whose
    texts overlap with its most, or None."""
    best: tuple[float, Cluster] | None = None
    for cand in candidates:
        if may_join(cl, cand) and _compatible(cand, cl, words):
            sim = _similarity(cand, cl, words)
            if best is None or sim > best[0]:
                best = (sim, cand)
    return best[1] if best is not None else None


def _sessions(clusters: list[Cluster]) -> list[list[Cluster]]:
    """Split a dyad's date-ordered clusters as ``window_sessions`` splits its mentions; a
    dyad with an undated cluster stays whole, since an undated cluster may join any dated one."""
    if any(cl.date is None for cl in clusters):
        return [clusters]
    out: list[list[Cluster]] = []
    for cl, session in zip(clusters, _cut(cl.date for cl in clusters if cl.date), strict=True):
        if session == len(out):
            out.append([])
        out[-1].append(cl)
    return out


def _cut(dates: Iterable[date]) -> Iterator[int]:
    """The session of each of ascending dates: a new one wherever two consecutive dates are
    more than ``WINDOW_DAYS`` apart."""
    session, last = 0, None
    for d in dates:
        if last is not None and (d - last).days > WINDOW_DAYS:
            session += 1
        yield session
        last = d


def window_sessions(mentions: Iterable[Mention]) -> dict[str, tuple[tuple[str, str], int]]:
    """The merge's key below the dyad: event id → (dyad, session).

    Sort a dyad's dated mentions by date and cut wherever two consecutive dates are more
    than ``WINDOW_DAYS`` apart. A story's date is one of its mentions' dates, and two
    clusters join only within ``WINDOW_DAYS``, so no story ever spans a cut: merging each
    session on its own gives the stories of merging the whole dyad, with work that grows
    with the busiest few days instead of the dyad's whole history. A dyad with an undated
    mention is one session (-1): an undated cluster may join any dated one. The Spark
    runner computes the same key with window functions (``runner._spark_stories``).
    """
    by_dyad: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_dyad[m.dyad].append(m)
    out: dict[str, tuple[tuple[str, str], int]] = {}
    for dyad, ms in by_dyad.items():
        if any(m.date is None for m in ms):
            out.update((m.event_id, (dyad, -1)) for m in ms)
            continue
        ms.sort(key=lambda m: m.date or date.max)
        sessions = _cut(m.date for m in ms if m.date)
        out.update((m.event_id, (dyad, session)) for m, session in zip(ms, sessions, strict=True))
    return out


def _story(dyad: tuple[str, str], cl: Cluster, sigs: dict[str, MinHash]) -> Story:
    made = [m for m in cl.mentions if m.confident] or cl.mentions
    root = story_type(made)
    main = [m for m in made if m.cameo[:2] == root]
    summary = max(main, key=lambda m: (m.confidence, -len(m.sentence), m.event_id)).sentence
    # near-duplicate copies from one outlet count once
    groups: list[tuple[str, str]] = []  # (outlet key, representative article)
    shown: dict[str, str] = {}
    for art in sorted(cl.article_ids):
        outlet = next((m.outlet for m in cl.mentions if m.article_id == art and m.outlet), None)
        key = (outlet or f"unknown:{art}").lower()
        shown.setdefault(key, outlet or key)
        dup = any(k == key and sigs[a].jaccard(sigs[art]) >= NEAR_DUPLICATE for k, a in groups)
        if not dup:
            groups.append((key, art))
    outlets = sorted({k for k, _ in groups})
    d = cl.date
    first_seen = min((m.published for m in cl.mentions if m.published), default=None)
    anchor = d.isoformat() if d else min(cl.article_ids)
    sid = hashlib.sha256(f"{dyad[0]}-{dyad[1]}|{root}|{anchor}".encode()).hexdigest()[:12]
    places = Counter(m.location for m in cl.mentions if m.location)
    return Story(
        story_id=sid,
        dyad=dyad,
        cameo_root=root,
        date=d,
        date_how="events" if d else "none",
        location=places.most_common(1)[0][0] if places else None,
        summary=summary,
        n_articles=len(groups),
        n_sources=len(outlets),
        first_seen=first_seen or d,
        event_ids=tuple(sorted(m.event_id for m in cl.mentions)),
        article_ids=tuple(sorted(cl.article_ids)),
        outlets=tuple(shown[o] for o in outlets if not o.startswith("unknown:")),
    )


def _unique_ids(stories: list[Story]) -> list[Story]:
    seen: Counter[str] = Counter()
    out = []
    for s in sorted(stories, key=lambda s: (s.story_id, s.article_ids)):
        seen[s.story_id] += 1
        if seen[s.story_id] > 1:
            from dataclasses import replace

            s = replace(s, story_id=f"{s.story_id}-{seen[s.story_id]}")
        out.append(s)
    return sorted(out, key=lambda s: (s.date or date.max, s.dyad, s.story_id))


class DatedStory(Protocol):
    """What ``inferred_dates`` reads of a story (a ``Story``, or a stored story row)."""

    @property
    def story_id(self) -> str: ...
    @property
    def date(self) -> date | None: ...
    @property
    def article_ids(self) -> Sequence[str]: ...


def inferred_dates(stories: Iterable[DatedStory], undated: set[str]) -> dict[str, tuple[date, str]]:
    """Publication dates inferred for undated articles from the first dated story (in the
    order given) they joined."""
    out: dict[str, tuple[date, str]] = {}
    for s in stories:
        if s.date is None:
            continue
        for a in s.article_ids:
            if a in undated and a not in out:
                out[a] = (s.date, s.story_id)
    return out
