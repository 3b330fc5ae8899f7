"""The knowledge base: countries, organizations, institutions, people, role words, topics.

Loaded from the YAML files under ``newsevents/data/kb`` (formats in ``docs/DATA.md``)
plus any user dictionaries (``--dict FILE``): YAML in the same formats, or TABARI /
PETRARCH actor dictionaries, of which we read:

- ``NAME_WITH_UNDERSCORES [CODE]`` lines (and ``+ALIAS`` continuation lines) where CODE
  starts with an ISO3 country or IGO code and optionally a sector (``USAGOV``, ``RUSMIL``);
- date restrictions ``[CODE >YYMMDD]``, ``[CODE <YYMMDD]`` and ``[CODE YYMMDD-YYMMDD]``;
- comments after ``#``. Agent dictionaries, synsets and verb dictionaries are not read.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SECTORS = {
    "GOV",
    "MIL",
    "LEG",
    "JUD",
    "COP",
    "REB",
    "OPP",
    "BUS",
    "MED",
    "NGO",
    "IGO",
    "CVL",
    "EDU",
    "REL",
    "LAB",
    "SPY",
    "ELI",
    "HLH",
    "AGR",
    "REF",
    "IMG",
}


@dataclass(frozen=True)
class Term:
    """One office term of a known person."""

    name: str
    surname: str
    aliases: tuple[str, ...]
    country: str
    sector: str
    role: str
    start: date | None
    end: date | None

    def covers(self, d: date | None) -> bool:
        if d is None:
            return True
        return (self.start is None or self.start <= d) and (self.end is None or d <= self.end)


@dataclass(frozen=True)
class Entry:
    """What a KB name stands for: ``kind`` is country, capital, demonym, igo, institution,
    person or role."""

    kind: str
    code: str | None  # ISO3 / IGO code (None for generic institutions)
    sector: str | None = None
    key: str = ""  # person canonical name for persons
    #: a country's ``context_names`` stand for it only in a text that names a word starting
    #: with one of these ("the South" is South Korea's in a text that names Korea)
    context: tuple[str, ...] = ()


def fold(text: str) -> str:
    """The form names and words are compared in: lower case, typographic apostrophes as
    plain ones ("Côte d’Ivoire" and "côte d'ivoire" are one key)."""
    return text.lower().replace("’", "'")


#: titles before a surname: "Mr German", "Mrs English" are people, not Germany or England
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame"})
#: capitalized words before a surname that are no first name
_NOT_FIRST_NAMES = frozenset(x.lower() for x in (*calendar.day_name, *calendar.month_name) if x)


@dataclass(frozen=True)
class Namesakes:
    """How a text names the people who share a surname with a known office holder, by
    lowercased surname: full names ("michael howard") and the role words put before the
    bare surname ("president" of "President Trump") (``KnowledgeBase.people_named``)."""

    full: dict[str, frozenset[str]] = field(default_factory=dict)
    titles: dict[str, frozenset[str]] = field(default_factory=dict)

    def another(self, term: Term) -> bool:
        """Whether the text names someone else by ``term``'s surname and never ``term``'s
        person: by none of their full names, nor by the surname under a word of their role
        ("Tory leader Michael Howard" ... "Mr Howard" in 2005 is not John Howard; "Ivanka
        Trump" ... "President Trump" leaves "Trump" the president)."""
        key = term.surname.lower()
        full = self.full.get(key, frozenset())
        known = {term.name.lower(), *(a.lower() for a in term.aliases)}
        role = set(term.role.lower().split())
        return bool(full) and not full & known and not self.titles.get(key, frozenset()) & role


@dataclass
class KnowledgeBase:
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    igos: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    spellings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    terms: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    roles: dict[str, str] = field(default_factory=dict)  # role word -> sector
    topics: dict[str, list[str]] = field(default_factory=dict)
    contexts: dict[str, re.Pattern[str]] = field(default_factory=dict)  # country -> its words
    #: longer place names that hold a country's name and stand for another place ("New
    #: Jersey" is no Jersey): the entity ruler tags them as places of their own
    shadows: list[str] = field(default_factory=list)
    #: a country's name that is also a state of another country ("Georgia"): the name
    #: (folded) -> that other country; it stands for it in a text whose home is that country
    #: and that names none of the first's capitals or demonyms (``state_of`` in the data)
    states: dict[str, str] = field(default_factory=dict)
    #: the words that keep such a name the country's (its capitals and demonyms)
    own_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    _role_words: tuple[int, frozenset[str]] = field(default=(-1, frozenset()), repr=False)
    _named_rx: tuple[int, re.Pattern[str] | None] = field(default=(-1, None), repr=False)

    # -- building -----------------------------------------------------------------------

    def add_name(self, name: str, entry: Entry) -> None:
        name = " ".join(str(name).split())
        if not name:
            return
        key = fold(name)
        self.spellings[key].add(name)
        entries = self.names[key]
        if entry not in entries:
            entries.append(entry)

    def add_country(self, code: str, rec: dict[str, Any]) -> None:
        self.countries[code] = rec
        for n in [rec.get("name"), *(rec.get("names") or [])]:
            if n:
                self.add_name(n, Entry("country", code))
        for n in rec.get("demonyms") or []:
            self.add_name(n, Entry("demonym", code))
        for n in rec.get("capitals") or []:
            self.add_name(n, Entry("capital", code, "GOV"))
        self.shadows += [str(n) for n in rec.get("shadowed_by") or [] if n not in self.shadows]
        if rec.get("state_of") and rec.get("name"):
            self.states[fold(str(rec["name"]))] = str(rec["state_of"])
            words = [str(w) for w in [*(rec.get("capitals") or []), *(rec.get("demonyms") or [])]]
            if words:
                self.own_words[code] = re.compile(
                    r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"
                )
        context = tuple(str(w).lower() for w in rec.get("context") or [])
        for n in rec.get("context_names") or []:
            self.add_name(n, Entry("country", code, context=context))
        if context:
            self.contexts[code] = re.compile(
                r"\b(?:" + "|".join(re.escape(w) for w in context) + ")", re.IGNORECASE
            )

    def contexts_in(self, text: str) -> frozenset[str]:
        """The countries whose context words ``text`` names (their ``context_names`` count),
        and those with a state's name whose own words it names (their name stays theirs)."""
        return frozenset(code for code, rx in self.contexts.items() if rx.search(text)) | {
            code for code, rx in self.own_words.items() if rx.search(text)
        }

    def state_in(self, name: str, code: str, home: str | None, contexts: frozenset[str]) -> str:
        """The country the name ``name`` of the country ``code`` stands for in a text whose
        home is ``home`` and whose context words are ``contexts``: "Georgia" in a US story
        that names no Tbilisi nor Georgians is the US state."""
        other = self.states.get(fold(name))
        if other is not None and home == other and code not in contexts:
            return other
        return code

    def add_igo(self, code: str, rec: dict[str, Any]) -> None:
        """An international organization, known by ``code``; its acts are stored under its
        ``code`` field when it has one (the UN Security Council's are the UN's, UNO; an
        international NGO's ``code`` is null: it is placed nowhere)."""
        self.igos[code] = rec
        stored = rec.get("code", code)
        for n in [rec.get("name"), *(rec.get("names") or [])]:
            if n:
                self.add_name(n, Entry("igo", stored, rec.get("sector") or "IGO"))

    def placed_nowhere(self, name: str) -> bool:
        """Whether ``name`` is an organization the knowledge base places in no country (an
        international NGO: "Human Rights Watch", "Amnesty")."""
        return any(e.kind == "igo" and e.code is None for e in self.lookup(name))

    def add_institution(self, rec: dict[str, Any]) -> None:
        for n in rec.get("names") or []:
            self.add_name(n, Entry("institution", rec.get("country"), rec.get("sector")))

    def add_term(self, rec: dict[str, Any]) -> None:
        name = str(rec["name"])
        surname = str(rec.get("surname") or name.split()[-1])
        term = Term(
            name=name,
            surname=surname,
            aliases=tuple(str(a) for a in (rec.get("aliases") or [])),
            country=str(rec["country"]),
            sector=str(rec.get("sector") or "GOV"),
            role=str(rec.get("role") or ""),
            start=_as_date(rec.get("start")),
            end=_as_date(rec.get("end")),
        )
        self.terms[name].append(term)
        self.surnames[surname.lower()].append(term)
        for alias in {name, *term.aliases}:
            self.add_name(alias, Entry("person", term.country, term.sector, key=name))

    # -- lookups ------------------------------------------------------------------------

    def lookup(self, text: str) -> list[Entry]:
        return self.names.get(fold(" ".join(text.split())), [])

    def person_term(self, name: str, when: date | None) -> Term | None:
        """The office a known person held on ``when`` (their latest one if unknown)."""
        terms = self.terms.get(name) or []
        if not terms:
            return None
        current = [t for t in terms if t.covers(when)]
        pool = current or terms
        return max(pool, key=lambda t: t.start or date.min)

    def by_surname(self, surname: str, when: date | None, role: str | None = None) -> Term | None:
        """A known person by surname alone, if the date (and role word) make it unique."""
        terms = [t for t in self.surnames.get(surname.lower(), []) if t.covers(when)]
        if role:
            with_role = [t for t in terms if role in t.role or t.role in role]
            terms = with_role or terms
        people = {t.name for t in terms}
        if len(people) != 1:
            return None
        return max(terms, key=lambda t: t.start or date.min)

    def people_named(self, text: str) -> Namesakes:
        """How ``text`` names the people who share a surname with a known office holder
        (``Namesakes``): a capitalized first name right before the surname that is no title,
        role word, weekday, month, common word or name the knowledge base knows ("Michael
        Howard"; not "Mr Howard", "When Howard"), and the role words put right before it."""
        from spacy.lang.en.stop_words import STOP_WORDS

        if self._named_rx[0] != len(self.surnames):  # people are only ever added
            spelled = {t.surname for terms in self.surnames.values() for t in terms}
            alternatives = "|".join(re.escape(x) for x in sorted(spelled, key=len, reverse=True))
            self._named_rx = (
                len(self.surnames),
                re.compile(rf"\b([A-Z][a-z][\w'’-]*)\s+({alternatives})\b")
                if alternatives
                else None,
            )
        rx = self._named_rx[1]
        full: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, set[str]] = defaultdict(set)
        roles = self.role_words()
        for m in rx.finditer(text) if rx is not None else ():
            first, last = m.group(1).lower(), m.group(2).lower()
            if first in roles:
                titles[last].add(first)
            elif not (
                first in HONORIFICS
                or first in STOP_WORDS
                or first in _NOT_FIRST_NAMES
                or self.lookup(m.group(1))
            ):
                full[last].add(f"{first} {last}")
        return Namesakes(
            {k: frozenset(v) for k, v in full.items()},
            {k: frozenset(v) for k, v in titles.items()},
        )

    def sector_of_role(self, word: str) -> str | None:
        return self.roles.get(word.lower())

    def role_words(self) -> frozenset[str]:
        """Every word of a role phrase: a phrase with a word outside it is no role."""
        if self._role_words[0] != len(self.roles):  # roles are only ever added
            self._role_words = (
                len(self.roles),
                frozenset(w for phrase in self.roles for w in phrase.split(" ")),
            )
        return self._role_words[1]

    def all_surface_names(self) -> Iterable[tuple[str, Entry]]:
        for name, entries in self.names.items():
            for e in entries:
                yield name, e


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _data_files(sub: str) -> list[Any]:
    root = resources.files("newsevents") / "data" / sub
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key repeated in one mapping: plain YAML keeps the
    last and silently drops the other's patterns or names."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class DataFileError(ValueError):
    """A knowledge-base or lexicon file that cannot be read: which file, where, why."""


def _read_text(path: Any) -> str:
    try:
        return str(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc


def load_yaml(path: Any) -> Any:
    """A data file (knowledge base, lexicon): YAML, with duplicate keys an error."""
    text = _read_text(path)
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{path}:{where} {getattr(exc, 'problem', None) or exc}") from exc


def load_into(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    """Add a user dictionary (YAML with keys countries, igos, institutions, people, roles)."""
    for code, rec in (data.get("countries") or {}).items():
        kb.add_country(str(code), rec or {})
    for code, rec in (data.get("igos") or {}).items():
        kb.add_igo(str(code), rec or {})
    for rec in data.get("institutions") or []:
        kb.add_institution(rec)
    for rec in data.get("people") or []:
        kb.add_term(rec)
    for sector, words in (data.get("roles") or {}).items():
        for w in words or []:
            kb.roles.setdefault(str(w).lower(), str(sector))
    for topic, words in (data.get("topics") or {}).items():
        kb.topics[str(topic)] = [str(w).lower() for w in words or []]


_TABARI_LINE = re.compile(r"^\s*\+?([^\[#]+?)\s*(\[[^\]]*\])?\s*(?:#.*)?$")
_TABARI_CODE = re.compile(r"\[\s*~?([A-Z]{3,})\s*(?:([<>])(\d{6})|(\d{6})-(\d{6}))?\s*\]")


def _yymmdd(s: str) -> date:
    y, m, d = int(s[:2]), int(s[2:4]), int(s[4:])
    return date(y + (1900 if y >= 50 else 2000), m, d)


def read_tabari(text: str, kb: KnowledgeBase) -> int:
    """Read a TABARI/PETRARCH actor dictionary into ``kb``; returns the names added."""
    added = 0
    current: list[str] = []
    last_code: re.Match[str] | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.lstrip().startswith("+"):
            alias = raw.strip()[1:].split("#")[0].split("[")[0].strip().replace("_", " ")
            current.append(alias)
            if last_code is not None:  # an alias shares the code of the entry above it
                _add_tabari(kb, [alias], last_code)
                added += 1
            continue
        if raw.startswith((" ", "\t")) and current:
            m = _TABARI_CODE.search(raw)
            if m:
                _add_tabari(kb, current, m)
                added += len(current)
            continue
        m = _TABARI_LINE.match(raw)
        if not m:
            continue
        current = [m.group(1).strip().replace("_", " ")]
        code = _TABARI_CODE.search(m.group(2) or "")
        last_code = code
        if code:
            _add_tabari(kb, current, code)
            added += 1
    return added


def _add_tabari(kb: KnowledgeBase, names: list[str], m: re.Match[str]) -> None:
    code = m.group(1)
    country, sector = code[:3], (code[3:6] or None)
    start = end = None
    if m.group(2) == ">":
        start = _yymmdd(m.group(3))
    elif m.group(2) == "<":
        end = _yymmdd(m.group(3))
    elif m.group(4):
        start, end = _yymmdd(m.group(4)), _yymmdd(m.group(5))
    for name in names:
        if len(name.split()) >= 2 and (start or end or sector == "GOV"):
            kb.add_term(
                {
                    "name": name.title(),
                    "surname": name.split()[-1].title(),
                    "aliases": [name.title()],
                    "country": country,
                    "sector": sector or "GOV",
                    "role": "",
                    "start": start,
                    "end": end,
                }
            )
        else:
            kb.add_name(name, Entry("institution", country, sector))


def load_user_dict(kb: KnowledgeBase, path: Path) -> None:
    """Add a user dictionary file (YAML, or TABARI/PETRARCH ``.txt``)."""
    if path.suffix.lower() in {".yaml", ".yml"}:
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: a dictionary file must be a YAML mapping")
        load_into(kb, data)
    else:
        read_tabari(_read_text(path), kb)


def build_kb(extra: Iterable[Path] = ()) -> KnowledgeBase:
    """Load every ``data/kb/<kind>*.yaml`` file (countries, igos, institutions, people,
    roles, topics), in name order, then the user dictionaries."""
    kb = KnowledgeBase()
    files = _data_files("kb")

    def of(kind: str) -> list[Any]:
        return [load_yaml(p) for p in files if p.name.startswith(kind)]

    for data in of("countries"):
        for code, rec in (data or {}).items():
            if str(code) in kb.countries:
                rec = _merge_country(kb.countries[str(code)], rec or {})
            kb.add_country(str(code), rec or {})
    for data in of("igos"):
        for code, rec in (data or {}).items():
            kb.add_igo(str(code), rec or {})
    for data in of("institutions"):
        for rec in data or []:
            kb.add_institution(rec)
    for data in of("people"):
        for rec in data or []:
            if not _known_term(kb, rec):
                kb.add_term(rec)
    for data in of("roles"):
        for sector, words in (data or {}).items():
            for w in words or []:
                kb.roles.setdefault(str(w).lower(), str(sector))
    for data in of("topics"):
        for topic, words in (data or {}).items():
            kb.topics.setdefault(str(topic), [])
            kb.topics[str(topic)] += [
                str(w).lower() for w in words or [] if str(w).lower() not in kb.topics[str(topic)]
            ]
    for path in extra:
        load_user_dict(kb, Path(path))
    return kb


def _merge_country(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key in ("names", "demonyms", "capitals"):
        merged[key] = list(dict.fromkeys([*(old.get(key) or []), *(new.get(key) or [])]))
    merged["name"] = old.get("name") or new.get("name")
    return merged


def _known_term(kb: KnowledgeBase, rec: dict[str, Any]) -> bool:
    """The same person in the same role from the same date is listed once."""
    start = _as_date(rec.get("start"))
    return any(
        t.role == rec.get("role") and t.start == start
        for t in kb.terms.get(str(rec.get("name")), [])
    )


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    return build_kb()


@lru_cache(maxsize=1)
def actor_names() -> dict[str, str]:
    """The display name of every country and international organization code in the
    knowledge base (``KOR``: "South Korea", ``UNO``: "United Nations"), read from its
    country and IGO files alone (the people files are not needed to name an actor)."""
    names: dict[str, str] = {}
    for path in _data_files("kb"):
        if path.name.startswith(("countries", "igos")):
            for code, rec in (load_yaml(path) or {}).items():
                if (rec or {}).get("name"):
                    names.setdefault(str(code), str(rec["name"]))
    return names
