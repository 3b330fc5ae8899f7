"""Coverage groups: articles that report the same news, whatever events were coded in them
(published within a few days of each other, with overlapping content words)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from newsevents.stories.similarity import Rows, Vocabulary, nearby, signature

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
    u_rows = Rows()
    best: dict[str, tuple[float, str]] = {}

    def offer(a: int, b: str, sim: float) -> None:
        if sim >= COVER_UNDATED and (u_ids[a] not in best or sim > best[u_ids[a]][0]):
            best[u_ids[a]] = (sim, b)

    vocab = Vocabulary()
    window = _Window()  # (date, article id) of the dated articles still in reach
    window_rows = Rows()
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
        sig = signature(hashes)
        if art.published is None:
            # an undated article has no window: a stricter bar, and it joins only its best
            # match, so that it can never bridge two reports of different news
            u_ids.append(art.article_id)
            i = len(u_ids) - 1
            if i:
                near, sims = nearby(u_rows, sig, COVER_UNDATED - COVER_MARGIN, words, vocab)
                for j, sim in zip(near, sims, strict=True):
                    offer(i, u_ids[int(j)], float(sim))
            u_rows.append(sig, words)
            continue
        while window and (art.published - window.first()[0]).days > COVER_WINDOW_DAYS:
            window.popleft()
            window_rows.popleft()
        if window:
            near, sims = nearby(window_rows, sig, COVER_DATED - DATED_MARGIN, words, vocab)
            for j in near[sims >= COVER_DATED]:
                union(art.article_id, window[int(j)][1])
        window.append((art.published, art.article_id))
        window_rows.append(sig, words)
        if u_ids:
            near, sims = nearby(u_rows, sig, COVER_UNDATED - COVER_MARGIN, words, vocab)
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
