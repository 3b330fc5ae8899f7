"""The coder's shortcuts (pre-filter, deferred entity stage, worker processes) never change
a coded event: the same sample coded with and without them gives identical events."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.nlp import split_sentence_words
from newsevents.coding.texts import Text
from newsevents.text.dates import to_date

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples" / "korea-russia"
ISOT = SHARED / "corpora" / "isot_reuters_politics_2017.jsonl"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "feeds"


def _sample() -> list[Text]:
    texts: list[Text] = []
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            texts.append(Text(str(rec["id"]), rec["text"], to_date(rec.get("published"))))
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.glob("*.txt")):
            texts.append(Text(path.name, path.read_text(encoding="utf-8"), None))
    if ISOT.is_file():
        with ISOT.open(encoding="utf-8") as fh:
            for line in islice(fh, 0, 400, 10):  # every 10th of the first 400 articles
                rec = json.loads(line)
                texts.append(Text(str(rec["id"]), rec["text"], to_date(rec.get("published"))))
    return texts


def _key(events: list) -> list[tuple]:
    return [
        (
            e.article_id,
            e.span,
            e.sentence,
            e.cameo,
            e.source,
            e.target,
            e.date,
            e.date_how,
            e.negated,
            e.hypothetical,
            e.location,
            e.confidence,
        )
        for e in events
    ]


def _fresh(texts: list[Text]) -> list[Text]:
    return [Text(t.article_id, t.text, t.published) for t in texts]


@pytest.fixture(scope="module")
def sample() -> list[Text]:
    texts = _sample()
    assert len(texts) >= 5
    return texts


@pytest.fixture(scope="module")
def reference(sample: list[Text]) -> tuple[list, ArticleCoder]:
    coder = ArticleCoder(shortcuts=False)
    events = list(coder.code_texts(_fresh(sample)))
    return events, coder


def test_shortcuts_do_not_change_events(
    sample: list[Text], reference: tuple[list, ArticleCoder]
) -> None:
    events, full = reference
    coder = ArticleCoder(shortcuts=True)
    fast = list(coder.code_texts(_fresh(sample)))
    assert len(events) >= 10  # the sample holds events: the comparison means something
    assert _key(fast) == _key(events)
    # and the shortcuts did cut work: fewer sentences parsed, fewer through the NER
    assert full.stats.parsed >= 0.95 * full.stats.sentences  # all but photo captions
    assert coder.stats.sentences == full.stats.sentences
    assert coder.stats.parsed < full.stats.parsed
    assert coder.stats.recognized <= coder.stats.parsed


def test_worker_processes_give_the_same_events(
    sample: list[Text], reference: tuple[list, ArticleCoder]
) -> None:
    events, _ = reference
    coder = ArticleCoder(n_process=2)
    try:
        parallel = list(coder.code_texts(_fresh(sample)))
    finally:
        coder.close()
    assert _key(parallel) == _key(events)
    assert coder.stats.events == len(events)


def test_prefilter_keeps_sentences_with_pattern_words() -> None:
    coder = ArticleCoder()

    def passes(sentence: str) -> bool:
        return coder.prefilter.can_hold_event(
            w for _s, _e, ws in split_sentence_words(sentence) for w in ws
        )

    # inflected and irregular forms reach their pattern ("held talks", "denied", "met")
    assert passes("Moon held talks with Putin in Moscow.")
    assert passes("The ministry denied the report.")
    assert passes("The two ministers met on Monday.")
    assert passes("Lavrov phoned his counterpart.")
    # words with no pattern do not
    assert not passes("The weather in Seoul was mild on Monday.")
    assert not passes("Shares rose 3 pct to 120 dlrs.")


def test_actor_cue_needs_a_named_actor() -> None:
    coder = ArticleCoder()

    def cued(sentence: str) -> bool:
        return coder.actor_cue([w for _s, _e, ws in split_sentence_words(sentence) for w in ws])

    # knowledge-base names in any case, surnames of office holders, role and group words
    assert cued("The U.S. rejected the offer.")
    assert cued("RUSSIA REJECTED THE OFFER.")
    assert cued("Putin met Abe.")
    assert cued("Ministries rejected the plan.")  # a plural role word
    assert cued("Protesters clashed with police.")
    assert cued("The two sides agreed to meet again.")
    assert cued("The US rejected the offer.")
    # pronouns and names the knowledge base does not know are not actors it can place
    assert not cued("He met Smith on Tuesday.")
    assert not cued("The company rejected the offer.")  # business news, not political events
    assert not cued("She told us about it.")  # "us" is a pronoun here, "US" a country
    # and such a sentence is not coded, though it has an event's words
    info = coder.explain("He met Smith on Tuesday.")
    assert info["prefilter"] and not info["actor_cue"] and info["events"] == []
    assert coder.explain("Putin met Abe on Tuesday.")["events"]
