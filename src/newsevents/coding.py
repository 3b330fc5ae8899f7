"""Code articles into events: split, pre-filter, parse in batches, resolve, code.

``ArticleCoder`` composes the NLP stages (``nlp``, ``actors``, ``events``) over whole
articles, keeping document context (people introduced, the pair in play) from sentence to
sentence. It is the one object the CLI, the pipeline and the benchmarks use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .actors import DocContext
from .cameo import Lexicon, build_lexicon, default_lexicon
from .events import SentenceCoder, make_event
from .kb import KnowledgeBase, build_kb, default_kb
from .nlp import Prefilter, build_nlp, split_sentences
from .records import Article, Event

CAPTION = re.compile(
    r"\s*(?:\(?(?:this|in this|a|the) (?:file )?(?:photo|picture|image|handout photo|screenshot)\b|"
    r"\(?(?:file )?photo\b|photo:)",
    re.I,
)


@dataclass
class CodingStats:
    sentences: int = 0
    parsed: int = 0
    events: int = 0

    @property
    def parsed_fraction(self) -> float:
        return self.parsed / self.sentences if self.sentences else 0.0


@dataclass
class Text:
    """What the coder needs of an article."""

    article_id: str
    text: str
    published: date | None
    language: str = "en"
    sentences: list[tuple[int, int]] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)  # indexes into sentences


class ArticleCoder:
    def __init__(
        self,
        extra_dicts: Iterable[Path] = (),
        kb: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        prefilter: bool = True,
        batch_size: int = 64,
        n_process: int = 1,
    ) -> None:
        extra = list(extra_dicts)
        self.kb = kb or (build_kb(extra) if extra else default_kb())
        self.lex = lexicon or (build_lexicon(extra) if extra else default_lexicon())
        self.nlp = build_nlp(self.kb)
        self.prefilter = Prefilter(self.kb, self.lex) if prefilter else None
        self.coder = SentenceCoder(self.kb, self.lex)
        self.batch_size = batch_size
        self.n_process = n_process
        self.stats = CodingStats()

    def __call__(self, articles: Sequence[Article]) -> list[Event]:
        return list(self.code_articles(articles))

    def code_articles(self, articles: Sequence[Article]) -> Iterator[Event]:
        texts = [
            Text(a.article_id, a.clean_text, a.published, a.language)
            for a in articles
        ]
        yield from self.code_texts(texts)

    def _prepare(self, t: Text) -> None:
        if t.language not in ("en", "und"):
            return
        t.sentences = list(split_sentences(t.text))
        self.stats.sentences += len(t.sentences)
        for i, (s, e) in enumerate(t.sentences):
            sentence = t.text[s:e]
            if CAPTION.match(sentence):
                continue  # photo captions describe a picture, not an event
            if self.prefilter is None or self.prefilter.can_hold_event(sentence):
                t.candidates.append(i)

    def code_texts(self, texts: Sequence[Text]) -> Iterator[Event]:
        for t in texts:
            self._prepare(t)
        jobs = [(t, i) for t in texts for i in t.candidates]
        self.stats.parsed += len(jobs)
        docs = self.nlp.pipe(
            (t.text[t.sentences[i][0] : t.sentences[i][1]] for t, i in jobs),
            batch_size=self.batch_size,
            n_process=self.n_process if len(jobs) >= 4 * self.batch_size else 1,
        )
        ctx: DocContext | None = None
        current: str | None = None
        for (t, i), doc in zip(jobs, docs, strict=True):
            if t.article_id != current:
                current = t.article_id
                ctx = DocContext(self.kb, t.published, korean="korea" in t.text.lower())
            assert ctx is not None
            s, e = t.sentences[i]
            for sent in doc.sents:
                for coded in self.coder.code(sent, ctx):
                    self.stats.events += 1
                    yield make_event(coded, self.lex, self.kb, t.article_id, doc.text, (s, e),
                                     t.published)
                self._note_entities(sent, ctx)

    def _note_entities(self, sent: Any, ctx: DocContext) -> None:
        for ent in sent.ents:
            if ent.label_.startswith("KB_") or ent.label_ == "PERSON":
                r = self.coder.resolver.resolve(ent.root, ctx)
                if r is not None and r.how != "pair":
                    for a in r.actors:
                        ctx.note(a)

    # -- single sentences (the `explain` command) -----------------------------------------

    def explain(self, sentence: str, when: date | None = None) -> dict[str, Any]:
        """Everything the coder saw and decided for one sentence."""
        doc = self.nlp(sentence)
        ctx = DocContext(self.kb, when, korean="korea" in sentence.lower())
        tokens = [
            {"i": t.i, "text": t.text, "lemma": t.lemma_, "pos": t.pos_, "dep": t.dep_,
             "head": t.head.i}
            for t in doc
        ]
        entities = [{"text": e.text, "label": e.label_} for e in doc.ents]
        actors = []
        for e in doc.ents:
            r = self.coder.resolver.resolve(e.root, ctx)
            if r:
                actors.append({"text": e.text, "how": r.how,
                               "actors": [a.__dict__ for a in r.actors]})
        matches = []
        events = []
        ctx = DocContext(self.kb, when, korean="korea" in sentence.lower())
        for sent in doc.sents:
            for m in self.coder.triggers(sent):
                matches.append({"trigger": m.trigger.text, "kind": m.kind,
                                "pattern": m.pattern.text, "code": m.pattern.code,
                                "frame": [t.text for t in m.frame]})
            for coded in self.coder.code(sent, ctx):
                ev = make_event(coded, self.lex, self.kb, "explain", sentence,
                                (0, len(sentence)), when)
                events.append({"event": event_json(ev, "explain"), "notes": coded.notes})
        prefilter = self.prefilter.kinds(sentence) if self.prefilter else None
        return {"sentence": sentence, "date": when.isoformat() if when else None,
                "prefilter": sorted(prefilter) if prefilter is not None else None,
                "tokens": tokens, "entities": entities, "actors": actors,
                "triggers": matches, "events": events}


def actor_json(a: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"name": a.name, "country": a.country, "sector": a.sector}


def event_json(e: Event, record_id: str) -> dict[str, Any]:
    """The stable JSON form of an event (the `code` command's output line)."""
    return {
        "id": record_id,
        "event_id": e.event_id,
        "sentence": e.sentence,
        "span": list(e.span),
        "date": e.date.isoformat() if e.date else None,
        "date_how": e.date_how,
        "source": actor_json(e.source),
        "target": actor_json(e.target),
        "cameo": e.cameo,
        "cameo_name": e.cameo_name,
        "plover": e.plover,
        "plover_mode": e.plover_mode,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "location": e.location,
        "topics": list(e.topics),
        "negated": e.negated,
        "hypothetical": e.hypothetical,
        "reported_by": actor_json(e.reported_by),
        "confidence": e.confidence,
    }
