"""Sentences and candidate events as data, labelled by the article gold.

``labelled_sentences`` reads the gold's articles from their corpora as ``ingest`` does
(reading, cleaning, the coder's sentence split), codes them with an ``ArticleCoder`` and
writes one ``SentenceRow`` per sentence of every article: how far the coder took it (a
photo caption, no actor named, none of the patterns' words, no trigger, coded), every
candidate event the rules considered (accepted or rejected, with the reason), the events
kept, and the label: the roots of the gold events whose quotes the sentence holds (the
protocol's strict rule, ``evaluation.articles.quoted_in``), or none, and whether the gold
names the sentence as a tempting non-event (with why).

Only the gold's ``train`` part is for learning; ``test`` is for reporting.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.events import Coded
from newsevents.coding.texts import CAPTION, Text, text_of
from newsevents.evaluation.gold import (
    GoldArticle,
    Split,
    default_corpora,
    gold_file,
    line_of,
    load_article_gold,
    quoted_in,
    write_feed,
)
from newsevents.learning.decide import view_of
from newsevents.learning.features import EventView, SentenceView
from newsevents.records import Article, Discard
from newsevents.text.article import build_article
from newsevents.text.read import read_paths

#: how far the coder took a sentence, in pipeline order
Stage = Literal["caption", "no-actor", "no-pattern-words", "no-trigger", "coded"]


@dataclass(frozen=True)
class GoldLabel:
    """A gold event a sentence reports: its acceptable roots and its two countries."""

    n: int
    roots: tuple[str, ...]
    source: str | None
    target: str | None

    def matches(self, code: str, source: str | None, target: str | None) -> bool:
        """The protocol's rule: the root is acceptable and the country pair is the same."""
        return code[:2] in self.roots and {source, target} == {self.source, self.target}


@dataclass(frozen=True)
class SentenceRow:
    """One sentence of a gold article, what the rules made of it and its gold label."""

    article: str
    split: str
    view: SentenceView
    stage: Stage
    gold_roots: tuple[str, ...]  # roots of the gold events quoted here (sorted, unique)
    tempting: str | None  # the gold's reason when it names this sentence a tempting non-event
    gold: tuple[GoldLabel, ...] = ()  # the gold events quoted here

    def right(self, e: EventView) -> bool:
        """Whether the kept event ``e`` is one of the gold events of this sentence."""
        return any(g.matches(e.code, e.source, e.target) for g in self.gold)

    @property
    def is_event(self) -> bool:
        return bool(self.gold_roots)

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["view"] = self.view.as_json()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SentenceRow:
        return cls(
            article=d["article"],
            split=d["split"],
            view=SentenceView.from_json(d["view"]),
            stage=d["stage"],
            gold_roots=tuple(d["gold_roots"]),
            tempting=d.get("tempting"),
            gold=tuple(
                GoldLabel(g["n"], tuple(g["roots"]), g["source"], g["target"])
                for g in d.get("gold") or ()
            ),
        )


def _tempting(record: dict[str, Any], sentence: str) -> str | None:
    for t in record.get("tempting_non_events") or ():
        if quoted_in([str(t.get("quote") or "")], sentence):
            return str(t.get("why") or "non-event")
    return None


def read_gold_texts(gold: Sequence[GoldArticle], corpora: Path, workdir: Path) -> list[Text]:
    """The gold's articles as the coder gets them through ``ingest`` (read and cleaned), each
    under its gold id; an article that cleaning discards is left out."""
    feed = workdir / "article-gold.jsonl"
    order = write_feed(gold, corpora, feed)
    texts: list[Text] = []
    for _unit, item in read_paths([str(feed)]):
        if isinstance(item, Discard):
            continue
        built = build_article(item)
        if isinstance(built, Article):
            texts.append(text_of(built, order[line_of(built.origin) - 1]))
    return texts


def _stage(t: Text, i: int) -> Stage:
    """How far the coder took a sentence it did not code."""
    s, e = t.sentences[i]
    if CAPTION.match(t.text, s, e):
        return "caption"
    if i not in t.cued:
        return "no-actor"
    if i not in t.candidates:
        return "no-pattern-words"
    return "no-trigger"


def code_sentences(
    coder: ArticleCoder, texts: Sequence[Text]
) -> Iterator[tuple[Text, int, Stage, SentenceView]]:
    """Code ``texts`` and yield every sentence with its stage and its view (candidates and
    events kept). The coder runs in this process (its sentence hook sees every sentence)."""
    seen: dict[tuple[str, int], SentenceView] = {}

    def hook(
        t: Text, i: int, audit: list[dict[str, Any]], kept: list[Coded], spare: list[Coded]
    ) -> None:
        s, e = t.sentences[i]
        seen[(t.article_id, i)] = view_of(
            t.text[s:e], i, len(t.sentences), audit, kept, coder.kb, spare
        )

    before, coder.on_sentence = coder.on_sentence, hook
    try:
        for _event in coder._code_serial(list(texts), coder.stats):
            pass
    finally:
        coder.on_sentence = before
    for t in texts:
        for i, (s, e) in enumerate(t.sentences):
            view = seen.get((t.article_id, i))
            if view is not None:
                yield t, i, "coded", view
            else:
                yield t, i, _stage(t, i), view_of(t.text[s:e], i, len(t.sentences), [], [])


def labelled_sentences(
    gold_path: Path,
    coder: ArticleCoder,
    split: Split = "train",
    corpora: Path | None = None,
    limit: int | None = None,
) -> list[SentenceRow]:
    """Every sentence of the gold's ``split`` articles (the first ``limit`` of them, when
    given), labelled (see the module's text)."""
    gold = load_article_gold(gold_path, split)[:limit]
    if not gold:
        raise ValueError(f"no coded articles in {gold_file(gold_path)} (split {split})")
    records = {}
    with gold_file(gold_path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                records[str(r["article"])] = r
    by_id = {g.article: g for g in gold}
    with tempfile.TemporaryDirectory(prefix="newsevents-learn-") as tmp:
        texts = read_gold_texts(gold, corpora or default_corpora(gold_path), Path(tmp))
    rows: list[SentenceRow] = []
    for t, _i, stage, view in code_sentences(coder, texts):
        g = by_id[t.article_id]
        here = [e for e in g.events if quoted_in(e.quotes, view.text)]
        rows.append(
            SentenceRow(
                article=g.article,
                split=g.split,
                view=view,
                stage=stage,
                gold_roots=tuple(sorted({e.root for e in here})),
                tempting=_tempting(records[g.article], view.text),
                gold=tuple(
                    GoldLabel(e.n, tuple(sorted(e.roots)), e.source, e.target) for e in here
                ),
            )
        )
    return rows


def extra_rows(coder: ArticleCoder) -> list[SentenceRow]:
    """The hand-labelled sentences shipped in ``data/learning/extra_sentences.jsonl`` (CAMEO
    roots the gold rarely shows, and no-event sentences of the kinds that fool the rules),
    each coded as a one-sentence article."""
    texts, labels = [], []
    for n, d in enumerate(extra_sentences(), 1):
        texts.append(Text(f"extra-{n}", d["text"], None))
        labels.append((tuple(sorted(set(d["roots"]))), None if d["roots"] else str(d["why"])))
    rows = []
    for t, _i, stage, view in code_sentences(coder, texts):
        roots, why = labels[int(t.article_id.split("-")[1]) - 1]
        if view.index == 0:  # a sentence the splitter cuts in two is labelled by its start
            rows.append(SentenceRow(t.article_id, "extra", view, stage, roots, why))
    return rows


def extra_sentences() -> list[dict[str, Any]]:
    """The shipped hand-labelled sentences: ``{text, roots, why}`` each."""
    src = resources.files("newsevents") / "data" / "learning" / "extra_sentences.jsonl"
    return [
        json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def write_rows(rows: Sequence[SentenceRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r.as_json(), ensure_ascii=False) + "\n")


def summary(rows: Sequence[SentenceRow]) -> dict[str, Any]:
    """How many sentences, event sentences, and of each stage (with how many are events)."""
    stages: dict[str, list[int]] = {}
    for r in rows:
        n = stages.setdefault(r.stage, [0, 0])
        n[0] += 1
        n[1] += r.is_event
    ruled = [r for r in rows if any(e.factual for e in r.view.events)]
    return {
        "sentences": len(rows),
        "event_sentences": sum(r.is_event for r in rows),
        "articles": len({r.article for r in rows if r.split != "extra"}),
        "stages": {k: {"sentences": v[0], "events": v[1]} for k, v in stages.items()},
        "rule_event_sentences": len(ruled),
        "rule_event_sentences_right": sum(r.is_event for r in ruled),
        "candidates": sum(len(r.view.candidates) for r in rows),
    }
