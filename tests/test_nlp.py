"""The parse stage's own pieces against spaCy's: ``AttributeRules`` must leave every token
exactly as the model's ``attribute_ruler`` does, and the pipeline we build (numpy's BLAS, the
lemmatizer's word lists as sets) must annotate exactly as the model loaded as it ships."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any

import numpy
import pytest
from thinc.api import HashEmbed, Maxout

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.nlp import MODEL, split_sentence_words
from newsevents.speed.fastlayers import PREDICTING, hashembed_predicting, maxout_predicting
from newsevents.speed.spacy_parts import AttributeRules

SHARED = Path(__file__).resolve().parents[2] / "shared"
ISOT = SHARED / "corpora" / "isot_reuters_politics_2017.jsonl"
BBC = SHARED / "corpora" / "bbc.jsonl"


def _texts() -> list[str]:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((SHARED / "samples" / "korea-russia").glob("*.txt"))
    ]
    for corpus in (ISOT, BBC):
        if corpus.is_file():
            with corpus.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in islice(fh, 0, 600, 20)]
    texts.append("Y'all ain't gonna believe it: he's nothin' but trouble, let's go.\n\n  \t Done.")
    return texts


def _sentences() -> list[str]:
    return [t[s:e] for t in _texts() for s, e, _w in split_sentence_words(t)]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return ArticleCoder().nlp


def _parse(nlp: Any, sentences: list[str], name: str, stand_in: Any) -> list[Any]:
    """Each sentence through the model's parse stage (no entity stage), with ``stand_in``
    in place of the component ``name``."""
    docs = []
    for sent in sentences:
        doc = nlp.make_doc(sent)
        for step, proc in nlp.pipeline:
            if step not in ("kb_ruler", "ner"):
                doc = (stand_in if step == name else proc)(doc)
        docs.append(doc)
    return docs


def test_attribute_rules_match_spacys_attribute_ruler(nlp: Any) -> None:
    fast = nlp.get_pipe("attribute_ruler")
    assert isinstance(fast, AttributeRules)  # the model's rules are all of a kind it handles
    sentences = _sentences()
    assert len(sentences) > 500

    def run(ruler: object) -> list[list[tuple[str, ...]]]:
        return [
            [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.norm_) for t in doc]
            for doc in _parse(nlp, sentences, "attribute_ruler", ruler)
        ]

    theirs, ours = run(fast.original), run(fast)
    assert sum(len(s) for s in theirs) > 10_000
    assert ours == theirs


def test_cached_lemmas_match_spacys_lemmatizer(nlp: Any) -> None:
    """The same lemmas, sentence after sentence, with the cache warm (the second pass) and
    with lemmas the attribute ruler set kept."""
    from newsevents.speed.spacy_parts import CachedLemmas

    fast = nlp.get_pipe("lemmatizer")
    assert isinstance(fast, CachedLemmas)
    fast.cache.clear()
    sentences = _sentences()[:400] + [
        "",
        "Who's gonna pay?",
        "The U.S. and S. Korea's ministers met.",
    ]

    def run(lemmatizer: Any) -> list[list[tuple[str, str, str]]]:
        return [
            [(t.text, t.pos_, t.lemma_) for t in doc]
            for doc in _parse(nlp, sentences, "lemmatizer", lemmatizer)
        ]

    theirs = run(fast.original)
    assert sum(len(s) for s in theirs) > 5_000
    assert run(fast) == theirs
    assert len(fast.cache) > 1_000
    assert run(fast) == theirs  # from the cache
    assert any(lemma != text.lower() for s in theirs for text, _p, lemma in s)
    small = CachedLemmas(fast.original, max_entries=50)
    assert run(small) == theirs and len(small.cache) <= 50


def test_our_pipeline_annotates_as_the_shipped_model(nlp: Any) -> None:
    """``use_numpy_blas``, ``predict_faster``, ``index_lemmas_as_sets`` and the faster
    components swapped in by name change speed, not one annotation."""
    import spacy

    shipped = spacy.load(MODEL)
    assert shipped.get_pipe("tok2vec").model.ops.use_blis  # type: ignore[attr-defined]
    assert not nlp.get_pipe("tok2vec").model.ops.use_blis
    assert not nlp.get_pipe("ner").model.ops.use_blis
    forwards = [
        node._func.__name__
        for name in ("tok2vec", "ner")
        for node in nlp.get_pipe(name).model.walk()
        if node.name in PREDICTING
    ]
    assert forwards == ["predicting_forward"] * 20
    index = nlp.get_pipe("lemmatizer").original.lookups.get_table("lemma_index")
    assert all(isinstance(index[k], frozenset) for k in index)
    sentences = _sentences()

    def annotate(pipeline: Any) -> list[tuple[str, ...]]:
        out = []
        for doc in pipeline.pipe(sentences, batch_size=64):
            out += [
                (t.text, t.tag_, t.dep_, str(t.head.i), t.lemma_, t.ent_iob_, t.ent_type_)
                for t in doc
            ]
        return out

    from newsevents.speed.spacy_parts import CachedLemmas

    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRules)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmas)
    assert nlp.pipe_names == [*shipped.pipe_names[:-1], "kb_ruler", "ner"]
    with nlp.select_pipes(disable=["kb_ruler"]):
        ours = annotate(nlp)
    theirs = annotate(shipped)
    assert len(theirs) > 10_000
    assert sum(1 for t in theirs if t[6]) > 1_000  # entities were compared, not only tags
    assert ours == theirs


def test_attribute_rules_refuse_what_they_do_not_handle() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "x"})  # type: ignore[attr-defined]
    assert AttributeRules.of(nlp) is None
    assert AttributeRules.of(spacy.blank("en")) is None  # no ruler at all
    from newsevents.speed.spacy_parts import use_fast_components

    assert use_fast_components(nlp) == []  # spaCy's own component stays
    assert nlp.get_pipe("attribute_ruler") is ruler


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_attribute_rules_on_empty_docs(nlp: Any, text: str) -> None:
    fast = nlp.get_pipe("attribute_ruler")
    assert isinstance(fast, AttributeRules)
    assert len(fast(nlp.make_doc(text))) == len(nlp.make_doc(text))


def test_coding_keeps_the_model_vocabulary_bounded() -> None:
    """A long run must not grow: the model's vocabulary keeps words for good only up to its
    bound (``KEPT_WORDS``), and words first seen past it are freed after each batch; the
    sentence splitter's own vocabulary starts afresh when full."""
    from newsevents.coding.texts import Text

    def texts(tag: str, n: int) -> list[Text]:
        return [
            Text(
                f"{tag}{i}",
                f"Zorblax{tag}{i} met Quuxian{tag}{i} in Seoul on Monday. "
                f"Brindlewort{tag}{i} said the ministers of Wexfordia{tag}{i} "
                "agreed to hold talks.",
                None,
            )
            for i in range(n)
        ]

    coder = ArticleCoder()
    list(coder.code_texts(texts("warm", 1)))  # load lazily built tables first
    coder.max_kept_words = coder.kept_words + 10
    coder.splitter.max_strings = len(coder.splitter.nlp.vocab.strings) + 30
    strings = len(coder.nlp.vocab.strings)
    first = list(coder.code_texts(texts("a", 20)))
    assert coder.kept_words == coder.max_kept_words
    grown = len(coder.nlp.vocab.strings) - strings
    assert 10 <= grown <= 10 * 6  # a kept word brings a few strings: its lower case, shape…
    second = list(coder.code_texts(texts("b", 20)))
    assert len(first) >= 19 and len(second) >= 19  # the texts were coded, not skipped
    assert len(coder.nlp.vocab.strings) == strings + grown
    assert coder.splitter.restarts >= 2
    assert len(coder.splitter.nlp.vocab.strings) <= coder.splitter.max_strings + 30


def test_kept_words_parse_as_fresh_ones() -> None:
    """A word kept in the model's vocabulary between batches has the attributes it would
    have had fresh, so the same articles give the same events either way."""
    from newsevents.coding.texts import Text

    fresh, keeping = ArticleCoder(), ArticleCoder()
    fresh.max_kept_words = 0
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((SHARED / "samples" / "korea-russia").glob("*.txt"))
    ]

    def coded(coder: ArticleCoder) -> list[Any]:
        out = []
        for _ in range(2):  # the second time, the keeping coder has every word already
            out += list(coder.code_texts([Text(str(i), t, None) for i, t in enumerate(texts)]))
        return out

    events = coded(keeping)
    assert keeping.kept_words > 300 and fresh.kept_words == 0
    assert events and coded(fresh) == events


def test_the_splitter_finds_the_sentencizers_sentences() -> None:
    """``SentenceSplitter._sents`` gives the sentences spaCy's ``sentencizer`` gives."""
    from newsevents.coding.nlp import SentenceSplitter

    splitter = SentenceSplitter()
    paras = [p for t in _texts() for p in t.split("\n\n")]
    paras += [
        "",
        "...",
        "!!! ?",
        "Yes. No!? Maybe...",
        'He said: "Go." Then left.',
        "a.b.c. d",
        "Mr. Kim met Mr. Lee. They talked.",
        "(Reuters) - Talks ended. \u3002 Next ¿sí?",
    ]
    checked = 0
    for para in paras:
        want = [(s.start, s.end) for s in splitter.nlp(para).sents]
        got = [(s.start, s.end) for s in splitter._sents(para)]
        assert got == want, para
        checked += len(want)
    assert checked > 1_000


def test_the_splitter_tokens_make_the_model_tokenizer_docs(nlp: Any) -> None:
    """``model_doc`` from the splitter's tokens is the doc ``make_doc`` makes of the
    sentence: same tokens, spaces and norms (tokenizer exceptions set norms: "n't" → not)."""
    from newsevents.coding.nlp import SentenceSplitter, model_doc, tokenizer_matches

    splitter = SentenceSplitter()
    assert tokenizer_matches(nlp.tokenizer, splitter.nlp.tokenizer)
    tricky = (
        "They can't and won't go, y'all.  Gonna   rain\ttoday? Mr. O'Neil's (UK) "
        "colour-blind e-mail: https://example.org/a?b=1 said “no.” (Reuters) - Ok.\n"
        "Next line ‘here’ and 'there'... 3.5% of $1,200 on 12/03/2021 at 5pm. "
        "The U.S.-led talks began.\n\nA new paragraph “quoted” [sic] {x} ends ("
    )
    reused = 0
    for text in [tricky, *_texts()]:
        for s, e, _words, tokens in splitter.sentences(text, tokens=True):
            found = tokens()
            if found is None:  # a sentence edge inside a whitespace-free chunk
                continue
            reused += 1
            ours, theirs = model_doc(nlp, found), nlp.make_doc(text[s:e])
            assert ours.text == theirs.text
            assert [(t.text, t.whitespace_, t.norm_, t.idx) for t in ours] == [
                (t.text, t.whitespace_, t.norm_, t.idx) for t in theirs
            ]
    assert reused > 800


def test_fast_maxout_predicts_as_thincs_and_refuses_training() -> None:
    """The faster maxout forward gives thinc's values, ties and negative zeros included,
    and leaves training to thinc's own."""
    layer = Maxout(nO=7, nI=5, nP=3)
    layer.initialize()
    X = numpy.random.default_rng(0).standard_normal((40, 5)).astype("float32")
    X[:4] = 0.0  # every piece ties at the bias
    layer.set_param("b", numpy.where(numpy.arange(21) % 2, 0.0, -0.0).astype("float32"))
    want, _ = layer(X, is_train=False)
    fast = maxout_predicting(layer._func)
    got, backprop = fast(layer, X, False)
    assert numpy.array_equal(got, want) and numpy.array_equal(
        numpy.signbit(got), numpy.signbit(want)
    )
    with pytest.raises(NotImplementedError):
        backprop(got)
    trained, _ = fast(layer, X, True)  # training runs thinc's own forward
    assert numpy.array_equal(trained, want)


def test_fast_hashembed_predicts_as_thincs() -> None:
    layer = HashEmbed(nO=16, nV=97, seed=7)
    layer.initialize()
    ids = numpy.random.default_rng(1).integers(0, 2**40, 500).astype("uint64")
    want, _ = layer(ids, is_train=False)
    fast = hashembed_predicting(layer._func)
    got, backprop = fast(layer, ids, False)
    assert got.dtype == want.dtype and numpy.array_equal(got, want)
    empty, _ = fast(layer, ids[:0], False)
    assert empty.shape == (0, 16)
    with pytest.raises(NotImplementedError):
        backprop(got)


def test_one_switch_turns_every_speedup_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The setting ``speedups`` off: spaCy's own components and layers, as shipped."""
    import spacy

    from newsevents.coding.coder import knowledge_base
    from newsevents.coding.nlp import build_nlp
    from newsevents.speed.spacy_parts import CachedLemmas

    monkeypatch.setenv("NEWSEVENTS_SPEEDUPS", "off")
    plain = build_nlp(knowledge_base([]))
    shipped = spacy.load(MODEL)
    for name, proc in plain.pipeline:
        if name != "kb_ruler":
            assert type(proc) is type(shipped.get_pipe(name)), name
            assert not isinstance(proc, AttributeRules | CachedLemmas)
    assert plain.get_pipe("tok2vec").model.ops.use_blis  # type: ignore[attr-defined]
    forwards = {n._func.__name__ for n in plain.get_pipe("ner").model.walk()}
    assert "predicting_forward" not in forwards
