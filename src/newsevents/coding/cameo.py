"""The CAMEO event table and the trigger patterns (verbs and nouns), loaded from data files.

``cameo.tsv`` gives every code its name, Goldstein value, QuadClass and PLOVER type and
mode; ``verbs/*.yaml`` map trigger patterns to codes (formats in ``docs/DATA.md``).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsevents.coding.kb import load_yaml

ROOT_PLOVER = {
    "02": "REQUEST",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}


def quad_class_of(code: str) -> int:
    """QuadClass from the root: 1 verbal coop (01-05), 2 material coop (06-09),
    3 verbal conflict (10-14), 4 material conflict (15-20).

    >>> quad_class_of("041"), quad_class_of("0874"), quad_class_of("112"), quad_class_of("190")
    (1, 2, 3, 4)
    """
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Pattern:
    code: str
    words: tuple[str, ...]  # first word: the trigger lemma
    kind: str  # verb or noun
    text: str

    @property
    def specificity(self) -> int:
        return len(self.words)


@dataclass
class Lexicon:
    codes: dict[str, Code] = field(default_factory=dict)
    verbs: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))

    def code(self, code: str) -> Code:
        if code in self.codes:
            return self.codes[code]
        root = code[:2]
        base = self.codes.get(root)
        return Code(
            code,
            base.name if base else f"CAMEO {code}",
            base.goldstein if base else 0.0,
            quad_class_of(code),
            ROOT_PLOVER.get(root),
            None,
        )

    def add_patterns(self, data: dict[str, Any], source: str = "") -> None:
        for kind, index in (("verbs", self.verbs), ("nouns", self.nouns)):
            for code, patterns in (data.get(kind) or {}).items():
                code = str(code).strip()
                for p in patterns or []:
                    words = tuple(str(p).lower().split())
                    if not words:
                        continue
                    # nouns are matched by their last word (the head of the noun phrase)
                    key = words[0] if kind == "verbs" else words[-1]
                    pat = Pattern(code, words, kind[:-1], str(p))
                    if pat not in index[key]:
                        index[key].append(pat)


def _data_dir() -> Any:
    return resources.files("newsevents") / "data"


def load_codes(path: Any | None = None) -> dict[str, Code]:
    """Every ``data/cameo*.tsv`` file (or one given file), later files refining earlier ones."""
    paths = (
        [path]
        if path
        else sorted(
            (
                p
                for p in _data_dir().iterdir()
                if p.name.startswith("cameo") and p.name.endswith(".tsv")
            ),
            key=lambda p: p.name,
        )
    )
    codes: dict[str, Code] = {}
    for p in paths:
        codes.update(_read_codes(p.read_text(encoding="utf-8")))
    return codes


def _read_codes(text: str) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        code = row["code"].strip()
        codes[code] = Code(
            code=code,
            name=row["name"].strip(),
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=(row.get("plover_type") or "").strip() or None,
            plover_mode=(row.get("plover_mode") or "").strip() or None,
        )
    return codes


def build_lexicon(extra: Iterable[Path] = ()) -> Lexicon:
    lex = Lexicon(codes=load_codes())
    verbs_dir = _data_dir() / "verbs"
    for p in sorted(verbs_dir.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".yaml"):
            lex.add_patterns(load_yaml(p) or {}, p.name)
    for path in extra:
        path = Path(path)
        if path.suffix.lower() in {".yaml", ".yml"}:
            data = load_yaml(path) or {}
            if isinstance(data, dict):
                lex.add_patterns(data, str(path))
    return lex


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return build_lexicon()
