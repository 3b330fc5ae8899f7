"""Knowledge base: user dictionaries (YAML and TABARI) extend actors and verbs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.kb import KnowledgeBase, read_tabari
from newsevents.coding.texts import Text


def test_tabari_actor_dictionary_is_read() -> None:
    kb = KnowledgeBase()
    n = read_tabari(
        "# comment line\n"
        "ZORLANDIA_REPUBLIC [ZRL]\n"
        "+ZORLANDIA\n"
        "JOHN_Q_DOE [ZRLGOV >150101]\n"
        "ZORLAND_ARMY [ZRLMIL]  # the army\n",
        kb,
    )
    assert n >= 3
    assert kb.lookup("Zorlandia Republic")[0].code == "ZRL"
    assert kb.lookup("Zorlandia")[0].code == "ZRL"
    term = kb.person_term("John Q Doe", date(2016, 1, 1))
    assert term is not None and term.country == "ZRL" and term.start == date(2015, 1, 1)
    assert kb.lookup("Zorland Army")[0].sector == "MIL"


def test_user_yaml_dictionary_adds_actors_and_verbs(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "people:\n"
        "  - {name: Ana Velez, surname: Velez, aliases: [Ana Velez], country: COL, sector: GOV,\n"
        "     role: foreign minister, start: 2020-01-01, end: null}\n"
        "verbs:\n"
        '  "042": [drop by]\n',
        encoding="utf-8",
    )
    coder = ArticleCoder(extra_dicts=[extra])
    evs = list(
        coder.code_texts([Text("x", "Ana Velez dropped by Quito on Monday.", date(2022, 5, 4))])
    )
    assert any(
        e.cameo == "042" and e.source.country == "COL" and e.target.country == "ECU" for e in evs
    )
