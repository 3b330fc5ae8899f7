"""Faster equivalents of spaCy's own parts, each giving the same tokens (``tests/test_nlp.py``).

``use_numpy_blas`` sends the models' matrix products through numpy's BLAS,
``index_lemmas_as_sets`` holds the lemmatizer's word lists as sets, ``AttributeRules`` is the
model's attribute ruler without spaCy's general ``Matcher`` and ``CachedLemmas`` its rule
lemmatizer with every answer kept. The last two are spaCy components registered by name
(``@Language.factory``: ``newsevents_attribute_rules``, ``newsevents_cached_lemmas``), which
``use_fast_components`` swaps in under the names of the components they stand in for, where
they handle the model's rules: ``nlp.pipeline`` is then what every caller runs, batch coding
and ``explain`` alike. ``speed_up`` does all of it (and ``speed.fastlayers``' faster layers);
``coding.nlp`` calls it unless the setting ``speedups`` is off, which leaves spaCy's own
pipeline.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from newsevents.speed.fastlayers import predict_faster


def speed_up(nlp: Language) -> None:
    """Every speed-up of this package on ``nlp``, a loaded model: the same annotations,
    faster (``tests/test_nlp.py``)."""
    use_numpy_blas(nlp)
    predict_faster(nlp)
    index_lemmas_as_sets(nlp)
    use_fast_components(nlp)


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

        self.original = ruler  # spaCy's own component, which this stands in for
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

    @property
    def patterns(self) -> list[dict[str, Any]]:
        """The ruler's patterns, as spaCy's component gives them (read by ``coding.prefilter``)."""
        return list(self.original.patterns)

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
        self.lemmatizer = self.original = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self.max_entries = max_entries
        self.cache: dict[tuple[int, int, int], str] = {}

    @property
    def lookups(self) -> Any:
        """The lemmatizer's tables, as spaCy's component gives them (``coding.prefilter``)."""
        return self.original.lookups

    @property
    def mode(self) -> str:
        return str(self.original.mode)

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
                    self.lemmatizer.cache.clear()  # spaCy's, which holds what it was asked
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


# -- the two as spaCy components, swapped in by name ---------------------------------------

#: each spaCy component a faster one stands in for → the factory name of the faster one
FAST_COMPONENTS = {
    "attribute_ruler": "newsevents_attribute_rules",
    "lemmatizer": "newsevents_cached_lemmas",
}


@Language.factory("newsevents_attribute_rules")
def make_attribute_rules(nlp: Language, name: str) -> AttributeRules:
    """``AttributeRules`` compiled from ``nlp``'s ``attribute_ruler`` (still in the pipeline)."""
    rules = AttributeRules.of(nlp)
    if rules is None:
        raise ValueError("the pipeline's attribute_ruler has rules AttributeRules cannot apply")
    return rules


@Language.factory("newsevents_cached_lemmas")
def make_cached_lemmas(nlp: Language, name: str) -> CachedLemmas:
    """``CachedLemmas`` over ``nlp``'s rule ``lemmatizer`` (still in the pipeline)."""
    lemmas = CachedLemmas.of(nlp)
    if lemmas is None:
        raise ValueError("the pipeline has no rule lemmatizer for CachedLemmas to cache")
    return lemmas


def use_fast_components(nlp: Language) -> list[str]:
    """Put each faster component in place of the one it stands in for, under its name, where
    it handles that component's rules; the names replaced."""
    done = []
    for name, factory in FAST_COMPONENTS.items():
        if name not in nlp.pipe_names or hasattr(nlp.get_pipe(name), "original"):
            continue  # none, or swapped already
        try:
            # validate=False: the factories take no settings to check (and their annotations
            # are strings here, which spaCy's config check cannot read)
            nlp.add_pipe(factory, name=f"{name}_faster", after=name, validate=False)
        except ValueError:
            continue  # rules it does not handle: spaCy's own stays
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"{name}_faster", name)
        done.append(name)
    return done
