"""How alike two texts are: word shingles and MinHash signatures (``datasketch``) for
near-duplicate articles, and content-word sets as sorted hash arrays, with their own
vectorized MinHash, for the overlap of stories and of coverage groups (exact Jaccard checked
only where the estimate comes near a bar)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 64

WORD = re.compile(r"[a-z0-9][a-z0-9\-']+")

STOP = frozenset(
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


def shingles(text: str, k: int = 3) -> set[str]:
    words = [w for w in WORD.findall(text.lower()) if w not in STOP]
    if len(words) < k:
        return set(words)
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)} | set(words)


def minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=7)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])  # one vectorized update
    return m


COVER_PERM = 128

_MASK = (1 << 63) - 1

_PERM_A = np.random.default_rng(11).integers(
    1, _MASK, size=COVER_PERM, dtype=np.uint64
) | np.uint64(1)

_PERM_B = np.random.default_rng(12).integers(0, _MASK, size=COVER_PERM, dtype=np.uint64)


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 2}


def word_hashes(text: str) -> np.ndarray:
    """The article's content words as a sorted array of 64-bit hashes."""
    ws = content_words(text)
    return np.sort(np.fromiter(map(word_hash, ws), dtype=np.uint64, count=len(ws)))


@lru_cache(maxsize=50_000)
def word_hash(word: str) -> int:
    """A stable 64-bit hash of a word (news vocabulary repeats: most calls hit the cache)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def nearby(
    rows: Rows, sig: np.ndarray, bar: float, words: np.ndarray, vocab: Vocabulary
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


def signature(hashes: np.ndarray) -> np.ndarray:
    """A MinHash signature of a word-hash array (universal hashing, vectorized)."""
    if hashes.size == 0:
        return np.full(COVER_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiply-shift hashing: wraps modulo 2**64 on purpose
        values = (_PERM_A[:, None] * hashes[None, :] + _PERM_B[:, None]) >> np.uint64(3)
    return values.min(axis=1)


def jaccard_many(a: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """The Jaccard similarity of ``a`` with each of ``others`` (sorted unique hash arrays; 0
    when either is empty), in one vectorized pass: each word of the others is looked up in
    ``a`` by binary search."""
    if not others:
        return np.empty(0)
    sizes = np.fromiter((o.size for o in others), dtype=np.int64, count=len(others))
    if not a.size:
        return np.zeros(len(others))
    every = np.concatenate(others)
    return jaccard_of_hits(
        a.size, sizes, a[np.minimum(np.searchsorted(a, every), a.size - 1)] == every
    )


def jaccard_of_hits(size: int, sizes: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Jaccard similarities of a set of ``size`` elements with others of ``sizes``, given
    ``hit``: for the others' elements laid end to end, whether each is in the set."""
    ends = np.cumsum(sizes)
    found = np.concatenate(([0], np.cumsum(hit, dtype=np.int64)))
    inter = found[ends] - found[ends - sizes]
    union = size + sizes - inter
    return np.where(sizes > 0, inter / np.maximum(union, 1), 0.0)


class Vocabulary:
    """The coverage pass's content words as small dense ids, for exact overlaps.

    With the dated bar as low as it is, the MinHash estimate lets through tens of rows per
    article, whose exact overlap is counted word by word: on the benchmark corpus, 260
    million words a pass. Looking a word up in a table indexed by its id costs a fraction
    of a binary search among the article's hashes (``jaccard_many``), and gives the same
    counts. Word ids live for one pass; the table grows with the vocabulary of the corpus
    (a few MB), not with its size. Signatures still hash the words themselves
    (``word_hash``), so the MinHash estimates are those of ``word_hashes``.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.hashes = np.empty(1024, dtype=np.uint64)  # each id's word hash
        self.seen = np.zeros(1024, dtype=bool)  # the words of the article being compared

    def words(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The content words of ``text`` (as ``word_hashes`` finds them): their ids, and
        their 64-bit hashes sorted."""
        ids = self.ids
        ws = content_words(text)
        for w in ws:
            if w not in ids:
                if len(ids) == len(self.hashes):
                    self.hashes = np.concatenate((self.hashes, np.empty_like(self.hashes)))
                self.hashes[len(ids)] = word_hash(w)
                ids[w] = len(ids)
        found = np.array([ids[w] for w in ws], dtype=np.int32)
        return found, np.sort(self.hashes[found])

    def jaccard_many(self, a: np.ndarray, sizes: np.ndarray, others: np.ndarray) -> np.ndarray:
        """The Jaccard similarity of the id set ``a`` with each of the sets of ``sizes``
        laid end to end in ``others`` (0 when either is empty), as ``jaccard_many``
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
        return jaccard_of_hits(a.size, sizes, hit)


class Rows:
    """A growable queue of articles' signatures and word ids (``nearby``).

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
                moved(a, self.start, self.end, size) for a in (self.buf, self.low, self.spans)
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


def moved(a: np.ndarray, start: int, end: int, size: int) -> np.ndarray:
    """Rows ``start:end`` of ``a`` moved to the top of an array of ``size`` rows (``a``
    itself when the size is unchanged)."""
    out = a if size == len(a) else np.empty((size, *a.shape[1:]), dtype=a.dtype)
    out[: end - start] = a[start:end]
    return out
