"""The article gold (``../shared/gold/articles/gold.jsonl``, coded by ``ARTICLE_PROTOCOL.md``):
reading it, writing its articles as their corpora have them to a feed for ``ingest``, and the
protocol's rule for a sentence that reports a gold event (``quoted_in``)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

Split = Literal["train", "test", "all"]
#: how many characters of a quote's (or a sentence's) start must be found in the other
QUOTE_START = 40


@dataclass(frozen=True)
class GoldEvent:
    article: str
    n: int
    root: str
    roots: frozenset[str]
    source: str | None
    target: str | None
    when: date | None
    core: bool
    quotes: tuple[str, ...]
    what: str

    @property
    def pair(self) -> frozenset[str | None]:
        return frozenset((self.source, self.target))


@dataclass(frozen=True)
class GoldArticle:
    article: str
    corpus: str
    split: str
    political: bool
    events: tuple[GoldEvent, ...]


def gold_file(path: Path) -> Path:
    """The gold JSONL: ``path`` itself, or ``gold.jsonl`` in the folder ``path``."""
    return path / "gold.jsonl" if path.is_dir() else path


def is_article_gold(path: Path) -> bool:
    """True when ``path`` is article gold (a folder with ``gold.jsonl``, or a JSONL file
    whose records name an ``article`` rather than carrying a ``text``)."""
    f = gold_file(path)
    if not f.is_file():
        return False
    with f.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(rec, dict) and "article" in rec and "text" not in rec
    return False


def default_corpora(gold: Path) -> Path:
    """The corpora folder the shared gold refers to: ``shared/corpora`` beside ``shared/gold``."""
    folder = gold if gold.is_dir() else gold.parent
    return folder.resolve().parent.parent / "corpora"


def _country(value: Any) -> str | None:
    return str(value).upper() if value else None


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def load_article_gold(path: Path, split: Split = "all") -> list[GoldArticle]:
    """The coded articles in ``path`` (``gold.jsonl`` or a folder holding it), of ``split``."""
    f = gold_file(path)
    if not f.is_file():
        raise ValueError(
            f"no article gold at {path}: give a folder holding gold.jsonl "
            "(../shared/gold/articles) or that file"
        )
    out: list[GoldArticle] = []
    with f.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                c = json.loads(line)
                aid, corpus = str(c["article"]), str(c["corpus"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{f}:{n}: not an article-gold record ({exc})") from exc
            part = str(c.get("split") or "")
            if split != "all" and part != split:
                continue
            events = []
            for i, e in enumerate(c.get("events") or [], 1):
                root = str(e["root"]).zfill(2)[:2]
                alts = {str(r).zfill(2)[:2] for r in e.get("alt_roots") or []}
                events.append(
                    GoldEvent(
                        article=aid,
                        n=int(e.get("n") or i),
                        root=root,
                        roots=frozenset({root} | alts),
                        source=_country(e.get("source")),
                        target=_country(e.get("target")),
                        when=_day(e.get("date")),
                        core=bool(e.get("core", True)),
                        quotes=tuple(str(q) for q in e.get("quotes") or ()),
                        what=str(e.get("what") or ""),
                    )
                )
            political = bool(c.get("political", bool(events)))
            out.append(GoldArticle(aid, corpus, part, political, tuple(events)))
    return out


def write_feed(gold: Sequence[GoldArticle], corpora: Path, feed: Path) -> list[str]:
    """Write the gold's articles, as their corpus has them, to a JSONL feed; returns the
    ids in line order (line n of the feed is ``ids[n - 1]``)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        wanted[g.corpus].add(g.article)
    rows: dict[str, dict[str, Any]] = {}
    for name, ids in sorted(wanted.items()):
        path = corpora / name
        if not path.is_file():
            raise ValueError(
                f"corpus file not found: {path} (give the corpora folder with --corpora)"
            )
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("id") in ids:
                    rows[rec["id"]] = rec
    missing = sorted({g.article for g in gold} - set(rows))
    if missing:
        raise ValueError(
            f"{len(missing)} gold articles are not in the corpora: {', '.join(missing[:5])}"
        )
    order = [g.article for g in gold]
    with feed.open("w", encoding="utf-8") as fh:
        for aid in order:
            r = rows[aid]
            keep = {k: r.get(k) for k in ("id", "source", "url", "title", "published", "text")}
            fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
    return order


def _norm(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def quoted_in(quotes: Iterable[str], sentence: str) -> bool:
    """The protocol's strict rule: the sentence contains the start of one of the quotes, or
    a quote contains the sentence's start (a quote may run over the coder's sentence end)."""
    s = _norm(sentence)
    if not s:
        return False
    for q in quotes:
        nq = _norm(q)
        if nq and (nq[:QUOTE_START] in s or s[:QUOTE_START] in nq):
            return True
    return False


def line_of(origin: str) -> int:
    """The line of a JSONL feed an item came from (its origin ends in ``#lineN``)."""
    return int(str(origin).rsplit("#line", 1)[1])
