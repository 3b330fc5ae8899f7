"""Code articles into events: split, pre-filter, parse in batches, resolve, code.

``ArticleCoder`` composes the NLP stages (``nlp``, ``actors``, ``events``) over whole
articles, keeping document context (people introduced, the pair in play) from sentence to
sentence. It is the one object the CLI, the pipeline and the benchmarks use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from newsevents.coding.cameo import Lexicon, build_lexicon, default_lexicon
from newsevents.coding.context import DocContext
from newsevents.coding.events import Coded, SentenceCoder
from newsevents.coding.home import HomeCountry
from newsevents.coding.kb import KnowledgeBase, build_kb, default_kb
from newsevents.coding.nlp import (
    SentenceSplitter,
    build_nlp,
    model_doc,
    split_sentence_words,
    tokenizer_matches,
)
from newsevents.coding.prefilter import ActorCue, Prefilter
from newsevents.coding.record import event_json, make_event
from newsevents.coding.texts import CAPTION, Text, lead_day, texts_of
from newsevents.coding.triggers import Match
from newsevents.learning.decide import (
    STATEMENT_ROOTS,
    ToRate,
    applies,
    decide,
    rate,
    recover,
    recovered_code,
    view_of,
)
from newsevents.learning.model import Scores, SentenceModel, default_model
from newsevents.places.locate import ArticlePlaces, at_meetings
from newsevents.records import Article, Event
from newsevents.speed.memory import PeriodicRelease, frozen_heap

#: ``ArticleCoder.on_sentence``: (article, sentence index, candidates, events kept, the
#: candidates the rules found no side for as home-country acts when none was kept)
SentenceHook = Callable[["Text", int, list[dict[str, Any]], list[Coded], list[Coded]], None]
#: ``ArticleCoder.on_rules``: (article, sentence index, events the rules kept)
RulesHook = Callable[["Text", int, list[Coded]], None]


@dataclass
class CodingStats:
    sentences: int = 0
    parsed: int = 0  # through tagger, parser and lemmatizer
    recognized: int = 0  # and through the entity recognizer, then coded
    events: int = 0

    @property
    def parsed_fraction(self) -> float:
        return self.parsed / self.sentences if self.sentences else 0.0

    @property
    def recognized_fraction(self) -> float:
        return self.recognized / self.sentences if self.sentences else 0.0

    def add(self, other: CodingStats) -> None:
        self.sentences += other.sentences
        self.parsed += other.parsed
        self.recognized += other.recognized
        self.events += other.events


#: Sentences an article needs before its home country is looked for (``coding.home``): a
#: lone sentence or two is no story about a country.
MIN_HOME_SENTENCES = 3
#: Components the entity stage runs; the others run on every candidate sentence first.
ENTITY_STAGE = ("kb_ruler", "ner")
#: Entries the lemmatizer's own cache may hold before it is emptied (a long run stays flat).
LEMMA_CACHE = 20_000
#: Most articles per task handed to a worker process: bigger tasks parse in bigger batches
#: (8% faster at 50 than at 16 on the benchmark, for about 25 MB more per worker).
TASK_ARTICLES = 50
#: Words the model's vocabulary keeps between batches, beyond those it loads with (about
#: 370 bytes each; one worker meets some 33,000 in the candidate sentences of the whole
#: benchmark corpus). Any other word lives in its batch's memory zone only.
KEPT_WORDS = 50_000
#: Fewer articles than this are coded in the calling process (no worker round trip).
MIN_PARALLEL = 8
#: Batches coded between two hand-backs of free memory to the system (``PeriodicRelease``).
RELEASE_EVERY_BATCHES = 20


def knowledge_base(extra: Sequence[Path]) -> KnowledgeBase:
    """The knowledge base with the user's extra dictionaries (the shared default without)."""
    return build_kb(extra) if extra else default_kb()


def lexicon_of(extra: Sequence[Path]) -> Lexicon:
    """The lexicon with the user's extra dictionaries (the shared default without)."""
    return build_lexicon(extra) if extra else default_lexicon()


class ArticleCoder:
    """Codes articles into events.

    Only sentences that name an actor (``ActorCue``: a knowledge-base name or a role word)
    are coded. Four shortcuts keep the cost low, none of which changes a coded event
    (``shortcuts`` off runs every stage on every sentence; ``tests/test_prefilter.py``
    compares the two):

    1. a sentence that names no actor, or lacks the words of every pattern
       (``Prefilter``), is not parsed;
    2. a parsed sentence where no trigger matches (``TriggerMatcher.may_hold_event``) skips
       the entity stage (the knowledge-base ruler and the statistical NER, the costliest
       component) and is not coded;
    3. a sentence to parse is not tokenized again: the sentence splitter's tokens, made by
       the same rules, become its ``Doc`` (``nlp.model_doc``; ``tests/test_nlp.py`` checks
       the two tokenizations agree);
    4. with ``n_process`` > 1, articles are coded in forked worker processes, in order.

    The document context (people introduced, the pair in play) is built from the sentences
    that can hold an event, in both modes.
    """

    def __init__(
        self,
        extra_dicts: Iterable[Path] = (),
        kb: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        shortcuts: bool = True,
        batch_size: int = 128,
        n_process: int = 1,
        learned: bool = True,
    ) -> None:
        extra = list(extra_dicts)
        self.kb = kb or knowledge_base(extra)
        self.lex = lexicon or lexicon_of(extra)
        self.nlp = build_nlp(self.kb)
        self.shortcuts = shortcuts
        self.prefilter = Prefilter(self.lex, self.nlp)
        self.splitter = SentenceSplitter()
        # the splitter's tokens stand in for the model tokenizer's where its rules are the same
        self.reuse_tokens = tokenizer_matches(self.nlp.tokenizer, self.splitter.nlp.tokenizer)
        self.actor_cue = ActorCue(self.kb, self.nlp)
        self.home = HomeCountry(self.kb)
        # the pipeline's components, the faster ones swapped in by name (speed.spacy_parts):
        # what batch coding and ``explain`` run
        self.components: list[tuple[str, Any]] = list(self.nlp.pipeline)
        self.coder = SentenceCoder(self.kb, self.lex)
        #: the sentence model (``learning``) that has the last word on the rules' events of a
        #: sentence; None: the rules alone (``learned=False``)
        self.model: SentenceModel | None = default_model() if learned else None
        self.batch_size = batch_size
        self.n_process = max(1, n_process)
        self.stats = CodingStats()
        self._release_free_memory = PeriodicRelease(RELEASE_EVERY_BATCHES)
        self._pool: Any = None
        self.kept_words = 0  # words added to the model's vocabulary for good (``_keep_words``)
        self.max_kept_words = KEPT_WORDS
        #: called, when set, for every coded sentence with the article, the sentence's index,
        #: every candidate event considered (accepted or rejected, with the reason) and the
        #: events kept: the learning stage reads sentences and candidates as data through it
        self.on_sentence: SentenceHook | None = None
        #: called, when set, with the events the rules kept in each coded sentence, before
        #: the sentence model's say; unlike ``on_sentence`` it changes nothing of what is
        #: coded (evaluation reads what the model drops through it)
        self.on_rules: RulesHook | None = None

    def __call__(self, articles: Sequence[Article]) -> list[Event]:
        return list(self.code_articles(articles))

    def code_articles(self, articles: Sequence[Article]) -> Iterator[Event]:
        yield from self.code_texts(texts_of(articles))

    def code_texts(self, texts: Sequence[Text]) -> Iterator[Event]:
        if self.n_process > 1 and len(texts) >= MIN_PARALLEL:
            yield from placed(texts, self._code_parallel(texts), self.kb)
        else:
            yield from placed(texts, self._code_serial(texts, self.stats), self.kb)

    def submit(self, articles: Sequence[Article]) -> Callable[[], list[Event]]:
        """Start coding ``articles`` and return a function that waits for their events.

        With worker processes the coding runs in them while the caller goes on (the
        pipeline reads and stores the next chunk meanwhile); without, it runs when the
        returned function is called."""
        texts = texts_of(articles)
        if self.n_process > 1 and len(texts) >= MIN_PARALLEL:
            pending = self._pool_or_start().map_async(_code_task, self._tasks(texts))
            return lambda: list(placed(texts, self._collect(pending.get()), self.kb))
        return lambda: list(placed(texts, self._code_serial(texts, self.stats), self.kb))

    # -- worker processes -----------------------------------------------------------------

    def _pool_or_start(self) -> Any:
        global _WORKER
        if self._pool is None:
            import multiprocessing

            _WORKER = self  # inherited by the forked workers, model and all
            with frozen_heap():
                self._pool = multiprocessing.get_context("fork").Pool(self.n_process)
            _WORKER = None
        return self._pool

    def _code_parallel(self, texts: Sequence[Text]) -> Iterator[Event]:
        yield from self._collect(self._pool_or_start().imap(_code_task, self._tasks(texts)))

    def _tasks(self, texts: Sequence[Text]) -> list[list[Text]]:
        """Even tasks of at most ``TASK_ARTICLES``, at least one for each worker."""
        size = max(1, min(TASK_ARTICLES, -(-len(texts) // self.n_process)))
        return [list(texts[i : i + size]) for i in range(0, len(texts), size)]

    def _collect(self, results: Iterable[tuple[list[Event], CodingStats]]) -> Iterator[Event]:
        """The events of worker tasks, in order, adding their counts to ``self.stats``."""
        for events, stats in results:
            self.stats.add(stats)
            yield from events

    def close(self) -> None:
        """Stop the worker processes (if any)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __del__(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.terminate()

    # -- one process ----------------------------------------------------------------------

    def _prepare(self, t: Text, stats: CodingStats) -> None:
        # what an earlier coding of the same text found is found again, not added to
        t.sentences.clear()
        t.candidates.clear()
        t.cued.clear()
        t.tokens.clear()
        t.lead = None
        if t.language not in ("en", "und"):
            return
        reuse = self.shortcuts and self.reuse_tokens
        for i, (s, e, words, tokens) in enumerate(self.splitter.sentences(t.text, tokens=reuse)):
            t.sentences.append((s, e))
            if CAPTION.match(t.text, s, e):
                continue  # photo captions describe a picture, not an event
            cued = self.actor_cue(words)
            if cued:
                t.cued.add(i)
            if not self.shortcuts or cued and self._worth_parsing(words):
                t.candidates.append(i)
                found = tokens() if tokens is not None else None
                if found is not None:
                    t.tokens[i] = found
        stats.sentences += len(t.sentences)

    def _code_serial(self, texts: Sequence[Text], stats: CodingStats) -> Iterator[Event]:
        for t in texts:
            self._prepare(t, stats)
        self._keep_words(texts)
        # strings spaCy adds to its vocabulary for these texts are freed afterwards, so a
        # long run does not grow (events hold plain Python strings, not spaCy objects)
        with self.nlp.memory_zone():
            yield from self._code_in_zone(texts, stats)
        # the lemmatizer caches every (word, tag, morphology) it has seen: bound it
        lemmatizer: Any = self.nlp.get_pipe("lemmatizer")
        lemmatizer = getattr(lemmatizer, "original", lemmatizer)  # spaCy's, if stood in for
        if len(getattr(lemmatizer, "cache", ())) > LEMMA_CACHE:
            lemmatizer.cache.clear()
        self._release_free_memory()

    def _keep_words(self, texts: Sequence[Text]) -> None:
        """Make the words of the sentences to parse part of the model's vocabulary for good,
        up to ``max_kept_words`` words in all.

        A word first met inside a memory zone is freed with it and made again in every
        later batch, its 23 attributes computed anew. The attributes are the word's own, so
        a kept word parses exactly as a fresh one (``tests/test_nlp.py``)."""
        if self.kept_words >= self.max_kept_words:
            return
        vocab = self.nlp.vocab
        words = {w for t in texts for tokens in t.tokens.values() for w in tokens.words}
        for word in words:
            if word not in vocab:
                vocab[word]  # outside a memory zone: kept
                self.kept_words += 1
                if self.kept_words >= self.max_kept_words:
                    return

    def _worth_parsing(self, words: Sequence[str]) -> bool:
        """Whether a sentence's words may hold an event (``Prefilter``), or a saying whose
        statement the model may recover."""
        return self.prefilter.can_hold_event(words) or self._recovers and self.prefilter.says(words)

    @property
    def _recovers(self) -> bool:
        """Whether coding needs the candidates the rules found no side for: the sentence hook
        sees them, a model with ``recover_at`` recovers from them."""
        return self.on_sentence is not None or (
            self.model is not None and self.model.recover_at is not None
        )

    def _code_in_zone(self, texts: Sequence[Text], stats: CodingStats) -> Iterator[Event]:
        jobs = [(t, i) for t in texts for i in t.candidates]
        stats.parsed += len(jobs)
        docs: Iterator[Any] = _numbered(self.nlp, jobs)
        late = [(n, p) for n, p in self.components if n in ENTITY_STAGE]
        early = [(n, p) for n, p in self.components if n not in ENTITY_STAGE]
        if not self.shortcuts:
            early, late = early + late, []
        docs = _run(early, docs, self.batch_size)

        def codable(doc: Any) -> bool:
            t, i = jobs[doc.user_data["job"]]
            return i in t.cued and (
                self.coder.matcher.may_hold_event(doc)
                or self._recovers
                and self.coder.may_state(doc)
            )

        docs = (d for d in docs if codable(d))
        docs = _run(late, docs, self.batch_size)
        ctx: DocContext | None = None
        current: str | None = None
        # the article's events, rated together once it is coded (``decide.rate``)
        found: list[tuple[Coded, Text, int, str]] = []
        pending: list[ToRate] = []
        for doc in docs:
            t, i = jobs[doc.user_data["job"]]
            stats.recognized += 1
            if t.article_id != current:
                yield from self._events(found, pending)
                found, pending = [], []
                current = t.article_id
                home = (
                    self.home(t.text, t.dateline, t.title)
                    if len(t.sentences) >= MIN_HOME_SENTENCES
                    else None
                )
                ctx = DocContext(
                    self.kb,
                    t.published,
                    contexts=self.kb.contexts_in(t.text),
                    home=home.country if home else None,
                    named=self.kb.people_named(t.text),
                )
            assert ctx is not None
            audit: list[dict[str, Any]] | None = [] if self.on_sentence or self.model else None
            kept: list[Coded] = []
            wanting: list[Match] = []
            for sent in doc.sents:
                kept.extend(self.coder.code(sent, ctx, audit, wanting))
                self._note_entities(sent, ctx)
            spare = []
            if self._recovers and not kept:
                spare = self.coder.recoverable(wanting, ctx)
                for sent in doc.sents:
                    spare.extend(self.coder.statements(sent, ctx))
            if self.on_sentence is not None and audit is not None:
                self.on_sentence(t, i, audit, kept, spare)  # the rules' findings, before the model
            if self.on_rules is not None:
                self.on_rules(t, i, kept)
            rating: list[ToRate] = []
            if self.model is not None and audit is not None:
                if kept:
                    view = view_of(doc.text, i, len(t.sentences), audit, kept, self.kb)
                    kept, _scores, rating = decide(self.model, view, kept)
                elif spare and self.model.recover_at is not None:
                    view = view_of(doc.text, i, len(t.sentences), audit, [], self.kb, spare)
                    kept, rating = recover(self.model, view, spare)
            pending.extend(replace(r, position=r.position + len(found)) for r in rating)
            found.extend((coded, t, i, doc.text) for coded in kept)
            stats.events += len(kept)
        yield from self._events(found, pending)

    def _events(
        self, found: list[tuple[Coded, Text, int, str]], pending: list[ToRate]
    ) -> Iterator[Event]:
        """The records of one article's events (each with the text, sentence number and
        sentence it was found in), those ``pending`` names rated together."""
        if not found:
            return
        coded = [c for c, _t, _i, _s in found]
        if self.model is not None and self.model.scorer is not None and pending:
            coded = rate(self.model.scorer, coded, pending, len(found[0][1].sentences))
        for c, (_c, t, i, sentence) in zip(coded, found, strict=True):
            yield make_event(
                c,
                self.lex,
                self.kb,
                t.article_id,
                sentence,
                t.sentences[i],
                t.published,
                lead_day=partial(lead_day, t, i),
            )

    def _note_entities(self, sent: Any, ctx: DocContext) -> None:
        for ent in sent.ents:
            if ent.label_.startswith("KB_") or ent.label_ == "PERSON":
                r = self.coder.resolver.resolve(ent.root, ctx)
                if r is not None and r.how != "pair":
                    for a in r.actors:
                        ctx.note(a)

    # -- single sentences (the `explain` command) -----------------------------------------

    def explain(self, sentence: str, when: date | None = None) -> dict[str, Any]:
        """Everything the coder saw and decided for one sentence, parsed by the very
        components batch coding runs (``self.components``: spaCy's, with the faster
        replacements), so that explain shows what ingest codes."""
        doc = next(_run(self.components, [self.nlp.make_doc(sentence)], 1))
        words = [w for _s, _e, ws in split_sentence_words(sentence) for w in ws]
        cued = self.actor_cue(words)
        matches: list[dict[str, Any]] = []
        candidates: list[dict[str, Any]] = []  # every trigger: accepted or rejected, and why
        events: list[dict[str, Any]] = []
        model_says: dict[str, Any] | None = None
        ctx = DocContext(
            self.kb,
            when,
            contexts=self.kb.contexts_in(sentence),
            named=self.kb.people_named(sentence),
        )
        for sent in doc.sents:
            here = [
                {
                    "trigger": m.trigger.text,
                    "kind": m.kind,
                    "pattern": m.pattern.text,
                    "code": m.pattern.code,
                    "frame": [t.text for t in m.frame],
                }
                for m in self.coder.matcher.triggers(sent)
            ]
            matches.extend(here)
            if not cued:
                candidates.extend(
                    {
                        **{k: m[k] for k in ("trigger", "kind", "pattern", "code")},
                        "decision": "rejected",
                        "reason": "the sentence names no actor (no knowledge-base name or role word)",
                    }
                    for m in here
                )
                continue
            wanting: list[Match] = []
            kept = self.coder.code(sent, ctx, candidates, wanting)
            if self.model is not None and kept:
                kept, model_says = self._model_says(sent.text, kept, candidates)
            elif self.model is not None:
                said = self.coder.statements(sent, ctx)
                if wanting or said:
                    model_says = self._would_recover(sent.text, wanting, said, candidates)
            for coded in kept:
                ev = make_event(
                    coded, self.lex, self.kb, "explain", sentence, (0, len(sentence)), when
                )
                events.append({"event": event_json(ev, "explain"), "notes": coded.notes})
        return {
            "sentence": sentence,
            "date": when.isoformat() if when else None,
            "prefilter": self.prefilter.can_hold_event(words),
            # in an article, a saying is parsed for the statement the model may recover
            "saying": self._recovers and self.prefilter.says(words),
            "actor_cue": cued,
            **self._reading(doc, when),
            "triggers": matches,
            "candidates": candidates,
            "events": events,
            "model": model_says,
        }

    def _reading(self, doc: Any, when: date | None) -> dict[str, Any]:
        """The parse of ``doc``, its entities and the actors they resolve to, for ``explain``."""
        ctx = DocContext(
            self.kb,
            when,
            contexts=self.kb.contexts_in(doc.text),
            named=self.kb.people_named(doc.text),
        )
        tokens = [
            {
                "i": t.i,
                "text": t.text,
                "lemma": t.lemma_,
                "pos": t.pos_,
                "dep": t.dep_,
                "head": t.head.i,
            }
            for t in doc
        ]
        actors = []
        for e in doc.ents:
            r = self.coder.resolver.resolve(e.root, ctx)
            if r:
                actors.append(
                    {"text": e.text, "how": r.how, "actors": [a.__dict__ for a in r.actors]}
                )
        return {
            "tokens": tokens,
            "entities": [{"text": e.text, "label": e.label_} for e in doc.ents],
            "actors": actors,
        }

    def _model_says(
        self, text: str, kept: list[Coded], candidates: list[dict[str, Any]]
    ) -> tuple[list[Coded], dict[str, Any]]:
        """The events of a one-sentence text the sentence model lets stand, and its scores."""
        assert self.model is not None
        view = view_of(text, 0, 1, list(candidates), kept, self.kb)
        kept, scores, pending = decide(self.model, view, kept, candidates)
        if self.model.scorer is not None:
            kept = rate(self.model.scorer, kept, pending, 1)
        return kept, {
            "p_event": round(scores.p_event, 3),
            "threshold": self.model.threshold,
            "decides": applies(view),
            "roots": _top_roots(scores),
        }

    def _would_recover(
        self,
        text: str,
        wanting: list[Match],
        said: list[Coded],
        candidates: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """The sentence model's scores of a one-sentence text with no rule event but
        candidates the rules found no side for (``wanting``) or a placed speaker's statement
        (``said``), and what it would recover in an article (``decide.recover``)."""
        assert self.model is not None
        s = self.model.score(view_of(text, 0, 1, list(candidates), [], self.kb))
        at = self.model.recover_at
        codes = [w.code for w in wanting] + [c.code for c in said]
        flags = [False] * len(wanting) + [True] * len(said)
        picked = recovered_code(s, codes, flags) or (None if not wanting else (0, codes[0]))
        if at is None:
            recovery = None
        elif picked is None:
            best = max(s.roots, key=s.roots.__getitem__) if s.roots else "?"
            recovery = (
                f"the model recovers no statement here: its likeliest root, {best}, is no "
                f"statement's ({', '.join(sorted(STATEMENT_ROOTS))})"
            )
        elif picked[0] >= len(wanting):
            c = said[picked[0] - len(wanting)]
            recovery = (
                f"in an article, the model recovers the statement of '{c.source.name}' "
                f"('{c.match.trigger.text}') from P(event) {at:.2f} (here {s.p_event:.2f}) as "
                f"{picked[1]}, {c.source.country} -> {c.target.country if c.target else None}"
            )
        else:
            k, code = picked
            recovery = (
                f"in an article with a home country, where this sentence names no other "
                f"country, the model recovers '{wanting[k].trigger.text}' from P(event) "
                f"{at:.2f} (here {s.p_event:.2f}) as {code}, home -> home, unless negated, "
                "hypothetical or to come"
            )
        return {
            "p_event": round(s.p_event, 3),
            "threshold": self.model.threshold,
            "decides": False,
            "roots": _top_roots(s),
            "recovery": recovery,
        }


def _top_roots(s: Scores) -> dict[str, float]:
    """The model's three likeliest roots of a sentence, for ``explain``."""
    return {k: round(v, 3) for k, v in sorted(s.roots.items(), key=lambda x: -x[1])[:3]}


class LazyCoder:
    """An ``ArticleCoder`` made when it is first asked to code: a run whose articles are all
    stored already (a nightly ingest over the same feeds) loads no model. The knowledge base
    and lexicon are built at once, so a bad dictionary is still an error before any input
    is read."""

    def __init__(self, extra_dicts: Iterable[Path] = (), n_process: int = 1) -> None:
        extra = list(extra_dicts)
        self.kb = knowledge_base(extra)
        self.lex = lexicon_of(extra)
        self.n_process = n_process
        self._coder: ArticleCoder | None = None

    @property
    def coder(self) -> ArticleCoder:
        if self._coder is None:
            self._coder = ArticleCoder(kb=self.kb, lexicon=self.lex, n_process=self.n_process)
        return self._coder

    @property
    def loaded(self) -> bool:
        return self._coder is not None

    def __call__(self, articles: Sequence[Article]) -> list[Event]:
        return self.coder(articles)

    def submit(self, articles: Sequence[Article]) -> Callable[[], list[Event]]:
        return self.coder.submit(articles)

    def close(self) -> None:
        if self._coder is not None:
            self._coder.close()


_WORKER: ArticleCoder | None = None


def _code_task(texts: list[Text]) -> tuple[list[Event], CodingStats]:
    """Runs in a worker process: code a few articles with the coder inherited by the fork."""
    if _WORKER is None:
        raise RuntimeError("worker process started without a coder")
    stats = CodingStats()
    return list(_WORKER._code_serial(texts, stats)), stats


def placed(texts: Sequence[Text], events: Iterable[Event], kb: KnowledgeBase) -> Iterator[Event]:
    """``events`` of ``texts`` with their places (``places.locate``), an article's events
    together (a statement takes its meeting's place). Run where the events are collected, in
    the job's own process: the worker processes, the busier side, never load the
    gazetteer."""
    by_id = {t.article_id: t for t in texts}
    batch: list[Event] = []
    for e in events:
        if batch and batch[0].article_id != e.article_id:
            yield from _placed_article(by_id[batch[0].article_id], batch, kb)
            batch = []
        batch.append(e)
    if batch:
        yield from _placed_article(by_id[batch[0].article_id], batch, kb)


def _placed_article(t: Text, events: list[Event], kb: KnowledgeBase) -> list[Event]:
    places = ArticlePlaces(f"{t.title or ''}\n{t.text}", t.dateline, kb, article_id=t.article_id)
    return at_meetings([places.locate(e) for e in events])


def _numbered(nlp: Any, jobs: Sequence[tuple[Text, int]]) -> Iterator[Any]:
    for k, (t, i) in enumerate(jobs):
        tokens = t.tokens.get(i)
        if tokens is not None:  # the splitter's tokens: the same doc, without tokenizing again
            doc = model_doc(nlp, tokens)
        else:
            doc = nlp.make_doc(t.text[t.sentences[i][0] : t.sentences[i][1]])
        doc.user_data["job"] = k
        yield doc


def _run(components: list[tuple[str, Any]], docs: Iterable[Any], batch_size: int) -> Iterator[Any]:
    """Chain pipeline components lazily over a stream of docs, as ``nlp.pipe`` does."""
    out: Iterable[Any] = docs
    for _name, proc in components:
        out = proc.pipe(out, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, out)
    yield from out
