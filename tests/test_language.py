"""The language stage: the short first look gives the decision of the full sample."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from newsevents.text.language import GLANCE_CHARS, SAMPLE_CHARS, _identifier, detect_language

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _full_sample_decision(text: str) -> str:
    lang, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return str(lang) if prob >= 0.5 else "und"


def test_the_glance_agrees_with_the_full_sample_on_real_news() -> None:
    texts = []
    for name in ("bbc.jsonl", "isot_reuters_politics_2017.jsonl", "reuters21578.jsonl"):
        path = CORPORA / name
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in islice(fh, 0, 3000, 10)]
    long_texts = [
        t for t in texts if len(t) > GLANCE_CHARS and sum(c.isalpha() for c in t[:200]) >= 20
    ]
    assert len(long_texts) > 500
    assert [detect_language(t) for t in long_texts] == [
        _full_sample_decision(t) for t in long_texts
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Les ministres des affaires étrangères des deux pays se sont réunis lundi à Séoul pour "
            "discuter de la coopération économique et de la sécurité dans la région. Ils ont convenu "
            "de poursuivre le dialogue et de se revoir au printemps prochain, selon un communiqué "
            "publié par le ministère. Les deux délégations ont également évoqué la situation "
            "humanitaire et les échanges culturels entre les deux peuples.",
            "fr",
        ),
        (
            "Die Außenminister beider Länder trafen sich am Montag in Seoul, um über die "
            "wirtschaftliche Zusammenarbeit und die Sicherheit in der Region zu sprechen. Sie "
            "vereinbarten, den Dialog fortzusetzen und sich im nächsten Frühjahr wieder zu treffen, "
            "wie das Ministerium in einer Erklärung mitteilte. Beide Delegationen sprachen auch über "
            "die humanitäre Lage und den kulturellen Austausch zwischen den beiden Völkern.",
            "de",
        ),
        (
            "The foreign ministers of both countries met in Seoul on Monday to discuss economic "
            "cooperation and security in the region. They agreed to continue the dialogue and to meet "
            "again next spring, the ministry said in a statement. Both delegations also discussed the "
            "humanitarian situation and cultural exchanges between the two peoples, officials said.",
            "en",
        ),
    ],
)
def test_long_texts_in_other_languages_are_still_told_apart(text: str, lang: str) -> None:
    assert len(text) > GLANCE_CHARS
    assert detect_language(text) == lang == _full_sample_decision(text)
