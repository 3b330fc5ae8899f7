"""Merge stage: event mentions from many articles → stories (one real-world event each).

1. Mentions that happened (not negated, not hypothetical) between two placed actors are
   grouped per article by unordered dyad and event date: what one article says about one
   meeting (the call itself, the appeals and pledges made in it) is one *article story*.
2. Article stories are blocked by dyad and sorted by date; two join when their dates are
   within ``WINDOW_DAYS`` (an undated one may join a dated one), their modes agree (a phone
   call has no place; two places must be the same), their named participants overlap when
   both name people, and their texts overlap (MinHash estimate of word-shingle Jaccard).
   Cost grows with the mentions of one dyad, never with all pairs of the corpus.
3. Near-duplicate articles (syndicated copies, MinHash Jaccard ≥ ``NEAR_DUPLICATE``) from
   the same outlet count once; ``n_sources`` counts distinct outlets (an article without a
   known outlet counts as its own).

Story ids are stable across runs and arrival orders: a hash of the dyad, the story type
and the story's date (or, when undated, its earliest article).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

import numpy as np
from datasketch import MinHash

from newsevents.settings import MIN_CONFIDENCE

WINDOW_DAYS = 1
#: The least confidence an event needs to join a story (``settings.MIN_CONFIDENCE``).
STORY_MIN_CONFIDENCE = MIN_CONFIDENCE
#: Event dates too vague to place an event on a day ("ongoing", a year alone).
UNDAYED_HOW = ("ongoing", "year-only")


def can_join_story(
    negated: bool,
    hypothetical: bool,
    date_how: str | None,
    confidence: float | None,
    source_country: str | None,
    target_country: str | None,
    source_sector: str | None,
    target_sector: str | None,
) -> bool:
    """The one rule for which event mentions may join a story: a factual event between two
    placed actors, dated to a day, confident enough. A same-country pair joins when its
    sectors differ (a domestic dyad: government against opposition).

    ``JOINABLE_SQL`` says the same for the store's SQL (a test holds them equal).

    >>> can_join_story(False, False, "dateline", 0.6, "USA", "USA", "GOV", "OPP")
    True
    >>> can_join_story(False, False, "dateline", 0.6, "USA", "USA", "GOV", "GOV")
    False
    """
    if negated or hypothetical or date_how in UNDAYED_HOW:
        return False
    if float(confidence or 0) < STORY_MIN_CONFIDENCE:
        return False
    if not source_country or not target_country:
        return False
    return source_country != target_country or (source_sector or "") != (target_sector or "")


#: ``can_join_story`` over the events table (columns of ``e``).
JOINABLE_SQL = f"""NOT e.negated AND NOT e.hypothetical
  AND e.source_country IS NOT NULL AND e.target_country IS NOT NULL
  AND (e.source_country <> e.target_country
       OR coalesce(e.source_sector, '') <> coalesce(e.target_sector, ''))
  AND e.date_how NOT IN ({", ".join(repr(h) for h in UNDAYED_HOW)})
  AND e.confidence >= {STORY_MIN_CONFIDENCE}"""
NEAR_DUPLICATE = 0.8
#: the least content-word Jaccard of two dated article stories of one dyad within the window
#: (undated: ``SIMILAR_UNDATED``) for them to be one story. 0.10, the coverage groups' bar
#: (``COVER_DATED``): at 0.05, one US dyad's different acts of a busy week merged (of the
#: multi-article stories, one event: BASIL 90.9%, AllSides 59.5%, ECB+ 97.5%; at 0.10 94.8%,
#: 74.5%, 97.5%, while the events one story holds stayed within a cluster; bench/merge.py)
SIMILAR_DATED = 0.10
SIMILAR_UNDATED = 0.2
NUM_PERM = 64
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
_WORD = re.compile(r"[a-z0-9][a-z0-9\-']+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "that",
        "this",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "said",
        "says",
        "will",
        "would",
        "has",
        "have",
        "had",
        "not",
        "but",
        "also",
        "which",
        "who",
        "after",
        "over",
        "into",
        "about",
        "than",
        "more",
        "two",
        "year",
        "years",
        "new",
    ]
)


@dataclass(frozen=True)
class Mention:
    event_id: str
    article_id: str
    outlet: str | None
    published: date | None
    date: date | None
    source: str
    target: str
    source_person: str | None
    target_person: str | None
    cameo: str
    location: str | None
    sentence: str
    confidence: float

    @property
    def dyad(self) -> tuple[str, str]:
        a, b = sorted((self.source, self.target))
        return a, b


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)
    dates: Counter[date] = field(default_factory=Counter)
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    phone: bool = False
    sig: MinHash | None = None

    def add(self, m: Mention, sig: MinHash) -> None:
        self.mentions.append(m)
        self.article_ids.add(m.article_id)
        if m.date:
            self.dates[m.date] += 1
        self.people |= {p for p in (m.source_person, m.target_person) if p}
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
        self.people |= other.people
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


def shingles(text: str, k: int = 3) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    if len(words) < k:
        return set(words)
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)} | set(words)


def minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=7)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])  # one vectorized update
    return m


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
                self.cache[x] = _word_hashes(self.texts.get(x, ""))
            arrays.append(self.cache[x])
        if len(arrays) == 1:
            return arrays[0]
        return np.unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.uint64)


def _similarity(a: Cluster, b: Cluster, words: _Words) -> float:
    return float(_jaccard_many(words.of(a.article_ids), [words.of(b.article_ids)])[0])


def _compatible(a: Cluster, b: Cluster, words: _Words) -> bool:
    da, db = a.date, b.date
    if da and db and abs((da - db).days) > WINDOW_DAYS:
        return False
    # a phone call has no place; two different places are two meetings
    if (a.phone and b.places and not a.places) or (b.phone and a.places and not b.places):
        return False
    if a.places and b.places and not (a.places & b.places):
        return False
    if a.people and b.people and not (a.people & b.people):
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
    # 1. per article, per dyad and date
    per_article: dict[tuple[tuple[str, str], str, date | None], Cluster] = {}
    for m in ordered:
        key = (m.dyad, m.article_id, m.date)
        if m.article_id not in sigs:
            sigs[m.article_id] = minhash(texts.get(m.article_id, m.sentence))
        per_article.setdefault(key, Cluster()).add(m, sigs[m.article_id])
    # an article's undated mentions of a dyad join its dated story of that dyad, if one
    for (dyad, art, d), cl in list(per_article.items()):
        if d is None:
            dated = [
                c for (dy, ar, dd), c in per_article.items() if dy == dyad and ar == art and dd
            ]
            if len(dated) == 1:
                dated[0].absorb(cl)
                del per_article[(dyad, art, d)]
    # 2. across articles, blocked by dyad, dated clusters first (in date order)
    blocks: dict[tuple[str, str], list[Cluster]] = defaultdict(list)
    for (dyad, _art, _d), cl in sorted(
        per_article.items(),
        key=lambda kv: (kv[0][0], kv[0][2] is None, kv[0][2] or date.max, kv[0][1]),
    ):
        blocks[dyad].append(cl)
    stories: list[Story] = []
    words = _Words(texts)
    for dyad, clusters in sorted(blocks.items()):
        for session in _sessions(clusters):
            stories.extend(_story(dyad, cl, sigs) for cl in _merge_block(session, words))
    return _unique_ids(stories)


def _merge_block(clusters: list[Cluster], words: _Words) -> list[Cluster]:
    """Greedy merge of one block in order: each cluster joins its most similar compatible
    predecessor, or starts a story."""
    merged: list[Cluster] = []
    for cl in clusters:
        best: tuple[float, Cluster] | None = None
        for cand in merged:
            if cl.article_ids & cand.article_ids and cl.date and cand.date and cl.date != cand.date:
                continue
            if _compatible(cand, cl, words):
                sim = _similarity(cand, cl, words)
                if best is None or sim > best[0]:
                    best = (sim, cand)
        if best is not None:
            best[1].absorb(cl)
        else:
            merged.append(cl)
    return merged


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
    root = story_type(cl.mentions)
    main = [m for m in cl.mentions if m.cameo[:2] == root]
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


# ---------------------------------------------------------------------------------------
# coverage: articles about the same news, whatever events were coded in them

COVER_WINDOW_DAYS = 2
COVER_DATED = 0.10
COVER_UNDATED = 0.30


@dataclass(frozen=True)
class ArticleInfo:
    article_id: str
    published: date | None
    text: str


def coverage_groups(articles: Iterable[ArticleInfo]) -> dict[str, str]:
    """Group articles that report the same news: published within ``COVER_WINDOW_DAYS`` of
    each other with overlapping content words (a higher bar when a date is missing).

    Returns article id → group id (the smallest article id of the group).

    Streaming and compact: ``articles`` is a list (sorted here) or a stream already ordered
    by (undated first, then publication date; article id), as ``stories.py`` reads them
    from the store. No text is kept: an undated article keeps a sorted array of word hashes
    and a MinHash signature (a few KB); a dated one only while it is inside the date window.
    Blocking: dated articles are compared only inside the window; an undated article with
    the articles whose MinHash estimate comes near its bar, then by exact word overlap. Cost
    grows with the articles of a few days plus one vectorized pass per article, never with
    all pairs of the corpus, and memory with the undated articles and the window only.
    """
    if isinstance(articles, Sequence):
        articles = sorted(articles, key=_cover_order)
    groups = Groups()
    parent, union = groups.parent, groups.union

    # undated articles: words and signatures kept; best match so far (the first best wins)
    u_ids: list[str] = []
    u_rows = _Rows()
    best: dict[str, tuple[float, str]] = {}

    def offer(a: int, b: str, sim: float) -> None:
        if sim >= COVER_UNDATED and (u_ids[a] not in best or sim > best[u_ids[a]][0]):
            best[u_ids[a]] = (sim, b)

    vocab = _Vocabulary()
    window = _Window()  # (date, article id) of the dated articles still in reach
    window_rows = _Rows()
    last: tuple[int, date, str] | None = None
    for art in articles:
        if art.article_id in parent:
            continue
        key = _cover_order(art)
        if last is not None and key < last:
            raise ValueError("coverage_groups needs articles ordered as _cover_order orders them")
        last = key
        parent[art.article_id] = art.article_id
        words, hashes = vocab.words(art.text)
        sig = _signature(hashes)
        if art.published is None:
            # an undated article has no window: a stricter bar, and it joins only its best
            # match, so that it can never bridge two reports of different news
            u_ids.append(art.article_id)
            i = len(u_ids) - 1
            if i:
                near, sims = _near(u_rows, sig, COVER_UNDATED - COVER_MARGIN, words, vocab)
                for j, sim in zip(near, sims, strict=True):
                    offer(i, u_ids[int(j)], float(sim))
            u_rows.append(sig, words)
            continue
        while window and (art.published - window.first()[0]).days > COVER_WINDOW_DAYS:
            window.popleft()
            window_rows.popleft()
        if window:
            near, sims = _near(window_rows, sig, COVER_DATED - DATED_MARGIN, words, vocab)
            for j in near[sims >= COVER_DATED]:
                union(art.article_id, window[int(j)][1])
        window.append((art.published, art.article_id))
        window_rows.append(sig, words)
        if u_ids:
            near, sims = _near(u_rows, sig, COVER_UNDATED - COVER_MARGIN, words, vocab)
            for j, sim in zip(near, sims, strict=True):
                offer(int(j), art.article_id, float(sim))
    for a, (_sim, b) in best.items():
        union(a, b)
    return groups.as_dict()


class Groups:
    """Union-find over ids: each group is named by its smallest id."""

    def __init__(self, parent: dict[str, str] | None = None) -> None:
        self.parent: dict[str, str] = parent if parent is not None else {}

    def find(self, x: str) -> str:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def as_dict(self) -> dict[str, str]:
        """Every id → its group, in id order."""
        return {x: self.find(x) for x in sorted(self.parent)}


def _cover_order(a: ArticleInfo) -> tuple[int, date, str]:
    """Undated articles first (by id), then dated ones by date and id."""
    return (0, date.min, a.article_id) if a.published is None else (1, a.published, a.article_id)


#: How far below the bar a MinHash estimate may fall and still be checked exactly
#: (more than three standard errors of a 128-permutation estimate near the bar).
COVER_MARGIN = 0.15
DATED_MARGIN = 0.08
COVER_PERM = 128
_MASK = (1 << 63) - 1
_PERM_A = np.random.default_rng(11).integers(
    1, _MASK, size=COVER_PERM, dtype=np.uint64
) | np.uint64(1)
_PERM_B = np.random.default_rng(12).integers(0, _MASK, size=COVER_PERM, dtype=np.uint64)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _word_hashes(text: str) -> np.ndarray:
    """The article's content words as a sorted array of 64-bit hashes."""
    ws = _content_words(text)
    return np.sort(np.fromiter(map(_word_hash, ws), dtype=np.uint64, count=len(ws)))


@lru_cache(maxsize=50_000)
def _word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (news vocabulary repeats: most calls hit the cache)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _near(
    rows: _Rows, sig: np.ndarray, bar: float, words: np.ndarray, vocab: _Vocabulary
) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose MinHash estimate (the share of equal minima) reaches ``bar``, and the
    exact Jaccard similarity of ``words`` with each of them.

    Equal minima are counted first on their low bytes, an eighth of the memory: a count
    that can only be too high, so a row below the bar there is below it in full, and only
    the rows left are counted exactly."""
    low = rows.low_view() == (sig & np.uint64(0xFF)).astype(np.uint8)
    # the flags are bytes of 0 or 1: summed as 64-bit words, each byte lane holds at most 16,
    # and multiplying by 0x0101… adds the eight lanes up into the top byte
    lanes = low.view(np.uint64).sum(axis=1, dtype=np.uint64)
    rough = (lanes * np.uint64(0x0101010101010101)) >> np.uint64(56)
    maybe = np.flatnonzero(rough / COVER_PERM >= bar)
    exact = np.count_nonzero(rows.view()[maybe] == sig, axis=1)
    near = maybe[exact / COVER_PERM >= bar]
    return near, vocab.jaccard_many(words, *rows.words_of(near))


def _signature(hashes: np.ndarray) -> np.ndarray:
    """A MinHash signature of a word-hash array (universal hashing, vectorized)."""
    if hashes.size == 0:
        return np.full(COVER_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiply-shift hashing: wraps modulo 2**64 on purpose
        values = (_PERM_A[:, None] * hashes[None, :] + _PERM_B[:, None]) >> np.uint64(3)
    return values.min(axis=1)


def _jaccard_many(a: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """The Jaccard similarity of ``a`` with each of ``others`` (sorted unique hash arrays; 0
    when either is empty), in one vectorized pass: each word of the others is looked up in
    ``a`` by binary search."""
    if not others:
        return np.empty(0)
    sizes = np.fromiter((o.size for o in others), dtype=np.int64, count=len(others))
    if not a.size:
        return np.zeros(len(others))
    every = np.concatenate(others)
    return _jaccard_of_hits(
        a.size, sizes, a[np.minimum(np.searchsorted(a, every), a.size - 1)] == every
    )


def _jaccard_of_hits(size: int, sizes: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Jaccard similarities of a set of ``size`` elements with others of ``sizes``, given
    ``hit``: for the others' elements laid end to end, whether each is in the set."""
    ends = np.cumsum(sizes)
    found = np.concatenate(([0], np.cumsum(hit, dtype=np.int64)))
    inter = found[ends] - found[ends - sizes]
    union = size + sizes - inter
    return np.where(sizes > 0, inter / np.maximum(union, 1), 0.0)


class _Vocabulary:
    """The coverage pass's content words as small dense ids, for exact overlaps.

    With the dated bar as low as it is, the MinHash estimate lets through tens of rows per
    article, whose exact overlap is counted word by word: on the benchmark corpus, 260
    million words a pass. Looking a word up in a table indexed by its id costs a fraction
    of a binary search among the article's hashes (``_jaccard_many``), and gives the same
    counts. Word ids live for one pass; the table grows with the vocabulary of the corpus
    (a few MB), not with its size. Signatures still hash the words themselves
    (``_word_hash``), so the MinHash estimates are those of ``_word_hashes``.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.hashes = np.empty(1024, dtype=np.uint64)  # each id's word hash
        self.seen = np.zeros(1024, dtype=bool)  # the words of the article being compared

    def words(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The content words of ``text`` (as ``_word_hashes`` finds them): their ids, and
        their 64-bit hashes sorted."""
        ids = self.ids
        ws = _content_words(text)
        for w in ws:
            if w not in ids:
                if len(ids) == len(self.hashes):
                    self.hashes = np.concatenate((self.hashes, np.empty_like(self.hashes)))
                self.hashes[len(ids)] = _word_hash(w)
                ids[w] = len(ids)
        found = np.array([ids[w] for w in ws], dtype=np.int32)
        return found, np.sort(self.hashes[found])

    def jaccard_many(self, a: np.ndarray, sizes: np.ndarray, others: np.ndarray) -> np.ndarray:
        """The Jaccard similarity of the id set ``a`` with each of the sets of ``sizes``
        laid end to end in ``others`` (0 when either is empty), as ``_jaccard_many``
        computes it on hashes."""
        if not sizes.size:
            return np.empty(0)
        if not a.size:
            return np.zeros(sizes.size)
        if len(self.seen) < len(self.ids):
            self.seen = np.zeros(max(len(self.ids), 2 * len(self.seen)), dtype=bool)
        self.seen[a] = True
        try:
            hit = self.seen[others]
        finally:
            self.seen[a] = False
        return _jaccard_of_hits(a.size, sizes, hit)


class _Window:
    """A queue of the articles inside the date window, indexable in constant time."""

    def __init__(self) -> None:
        self.items: list[tuple[date, str]] = []
        self.start = 0

    def __len__(self) -> int:
        return len(self.items) - self.start

    def __getitem__(self, j: int) -> tuple[date, str]:
        return self.items[self.start + j]

    def first(self) -> tuple[date, str]:
        return self.items[self.start]

    def append(self, item: tuple[date, str]) -> None:
        self.items.append(item)

    def popleft(self) -> None:
        self.start += 1
        if self.start > 1024 and self.start * 2 > len(self.items):
            del self.items[: self.start]
            self.start = 0


class _Rows:
    """A growable queue of articles' signatures and word ids (``_near``).

    Signatures are rows of one matrix, viewed without copying, with the low byte of each
    value kept alongside. Word ids are laid end to end in one array, each article's as a
    (start, size) span: the words of the many rows a MinHash estimate lets through are
    gathered in one indexing (``words_of``), not row by row."""

    def __init__(self) -> None:
        self.buf = np.empty((64, COVER_PERM), dtype=np.uint64)
        self.low = np.empty((64, COVER_PERM), dtype=np.uint8)
        self.spans = np.empty((64, 2), dtype=np.int64)
        self.words = np.empty(1 << 14, dtype=np.int32)
        self.start = self.end = 0  # rows in use
        self.used = 0  # word ids in use end here

    def append(self, row: np.ndarray, words: np.ndarray) -> None:
        if self.end == len(self.buf):
            n = self.end - self.start
            size = len(self.buf) * 2 if n * 2 > len(self.buf) else len(self.buf)
            self.buf, self.low, self.spans = (
                _moved(a, self.start, self.end, size) for a in (self.buf, self.low, self.spans)
            )
            self.start, self.end = 0, n
        if self.used + words.size > len(self.words):
            self._make_room(words.size)
        self.buf[self.end] = row
        self.low[self.end] = row & np.uint64(0xFF)
        self.spans[self.end] = (self.used, words.size)
        self.words[self.used : self.used + words.size] = words
        self.used += words.size
        self.end += 1

    def _make_room(self, n: int) -> None:
        """Move the word ids in use to the front, and double the array if still short."""
        first = int(self.spans[self.start, 0]) if self.end > self.start else self.used
        live = self.used - first
        size = len(self.words)
        while live + n > size // 2:
            size *= 2
        words = self.words if size == len(self.words) else np.empty(size, dtype=np.int32)
        words[:live] = self.words[first : self.used]
        self.words, self.used = words, live
        self.spans[self.start : self.end, 0] -= first

    def popleft(self) -> None:
        self.start += 1

    def view(self) -> np.ndarray:
        return self.buf[self.start : self.end]

    def low_view(self) -> np.ndarray:
        return self.low[self.start : self.end]

    def words_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The sizes of the word-id sets of ``rows`` (indexes into ``view``), and the sets
        laid end to end."""
        starts, sizes = self.spans[self.start + rows].T
        if not sizes.size:
            return sizes, np.empty(0, dtype=np.int32)
        # each gathered position: its row's start plus its place inside the row
        ends = np.cumsum(sizes)
        offsets = np.repeat(starts - (ends - sizes), sizes) + np.arange(ends[-1])
        return sizes, self.words[offsets]


def _moved(a: np.ndarray, start: int, end: int, size: int) -> np.ndarray:
    """Rows ``start:end`` of ``a`` moved to the top of an array of ``size`` rows (``a``
    itself when the size is unchanged)."""
    out = a if size == len(a) else np.empty((size, *a.shape[1:]), dtype=a.dtype)
    out[: end - start] = a[start:end]
    return out
