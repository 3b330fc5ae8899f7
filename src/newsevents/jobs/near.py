"""Near-duplicate articles at ingest: one article read twice in two forms.

The same article crawled as HTML and exported as JSONL differs by a title line, a byline or
a copyright notice, so its id (a hash of the clean text) differs and its events would be
stored twice. Each stored article keeps a MinHash signature of its words (table
``signatures``); a new article whose text is at least ``SAME`` alike (estimated Jaccard of
word shingles) to a stored or earlier one **of the same outlet or URL** (or with no outlet
named) is a duplicate. Copies of a wire story in two outlets stay two articles: stories
count their sources. Texts of fewer than ``MIN_WORDS`` words are never matched (two short
notes alike are not one article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsevents.records import Article
from newsevents.storage.sink import Sink
from newsevents.stories.similarity import NUM_PERM, minhash

#: the least estimated Jaccard similarity of two texts that are one article
SAME = 0.9
#: shorter texts are never matched
MIN_WORDS = 50
_WORDS = re.compile(r"\w+")


def pack(m: MinHash) -> bytes:
    """A signature as bytes (as the ``signatures`` tables keep it)."""
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def unpack(blob: bytes, scheme: str | None = None) -> MinHash:
    """A signature ``pack`` wrote."""
    return MinHash(
        num_perm=NUM_PERM,
        seed=7,
        hashvalues=np.frombuffer(blob, dtype="<u4"),
        scheme=scheme or minhash("").scheme,
    )


def long_enough(text: str) -> bool:
    """Whether a clean text is long enough to be matched (``MIN_WORDS``)."""
    return len(_WORDS.findall(text)) >= MIN_WORDS


def signature_of(text: str) -> tuple[MinHash, bool]:
    """A clean text's signature, and whether the text is long enough to be matched."""
    return minhash(text), long_enough(text)


def _same_outlet(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Two articles may be one: the same URL, the same outlet, or an outlet not named."""
    (src_a, url_a), (src_b, url_b) = a, b
    if url_a and url_b and url_a.strip() == url_b.strip():
        return True
    return not src_a or not src_b or src_a.strip().casefold() == src_b.strip().casefold()


@dataclass
class NearIndex:
    """The signatures of a store's articles, and of the articles read since, in an LSH index."""

    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=SAME, num_perm=NUM_PERM))
    sigs: dict[str, LeanMinHash] = field(default_factory=dict)
    outlets: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: signatures of articles kept since the last ``unsaved()``
    pending: list[tuple[str, bytes]] = field(default_factory=list)

    @classmethod
    def of(cls, store: Sink) -> NearIndex:
        """The index of ``store``'s articles; an article stored without a signature gets
        one now (and keeps it)."""
        index = cls()
        scheme = minhash("").scheme  # the scheme ``minhash`` uses, for the stored values
        for article_id, source, url, blob in store.signatures():
            index._insert(article_id, (source, url), unpack(blob, scheme))
        missing = []
        for article_id, source, url, text in store.unsigned():
            sig = minhash(text or "")
            index._insert(article_id, (source, url), sig)
            missing.append((article_id, pack(sig)))
        store.add_signatures(missing)
        return index

    def _insert(self, article_id: str, outlet: tuple[str | None, str | None], sig: MinHash) -> None:
        if article_id in self.sigs:
            return
        sig = sig if isinstance(sig, LeanMinHash) else LeanMinHash(sig)
        self.sigs[article_id] = sig
        self.outlets[article_id] = outlet
        self.lsh.insert(article_id, sig)

    def duplicate_of(self, a: Article) -> str | None:
        """The stored or earlier article ``a`` is a copy of, else None; ``a`` joins the index
        when it is no copy."""
        return self.copy_of(a.article_id, (a.source, a.url), *signature_of(a.clean_text))

    def copy_of(
        self,
        article_id: str,
        outlet: tuple[str | None, str | None],
        sig: MinHash,
        long_enough: bool,
    ) -> str | None:
        """``duplicate_of`` for an article given by its id, (outlet, URL) and signature (and
        whether its text is long enough to match): what the Spark engine computes in its
        workers (``signature_of``) and decides on the driver."""
        if long_enough:
            for other in sorted(self.lsh.query(sig)):
                if (
                    other != article_id
                    and _same_outlet(outlet, self.outlets[other])
                    and (sig.jaccard(self.sigs[other]) >= SAME)
                ):
                    return str(other)
        self._insert(article_id, outlet, sig)
        self.pending.append((article_id, pack(sig)))
        return None

    def unsaved(self, stored: set[str]) -> list[tuple[str, bytes]]:
        """The signatures of ``stored`` articles not written yet (to write with them)."""
        out = [p for p in self.pending if p[0] in stored]
        self.pending = [p for p in self.pending if p[0] not in stored]
        return out
