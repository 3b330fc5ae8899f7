"""The data files under newsevents/data are complete and consistent."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pycountry
import pytest
import yaml

from newsevents.coding.cameo import ROOT_PLOVER, default_lexicon, load_codes, quad_class_of
from newsevents.coding.kb import SECTORS, DataFileError, default_kb, load_yaml

DATA = resources.files("newsevents") / "data"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
PLOVER_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}


def test_every_iso_country_is_in_the_knowledge_base() -> None:
    kb = default_kb()
    missing = {c.alpha_3 for c in pycountry.countries} - set(kb.countries)
    assert not missing
    for code, rec in kb.countries.items():
        assert rec.get("name"), code


def test_capitals_stand_for_their_states() -> None:
    kb = default_kb()
    for city, code in [
        ("Seoul", "KOR"),
        ("Moscow", "RUS"),
        ("Pyongyang", "PRK"),
        ("Washington", "USA"),
        ("Beijing", "CHN"),
        ("Tokyo", "JPN"),
        ("Kyiv", "UKR"),
    ]:
        assert any(e.kind == "capital" and e.code == code for e in kb.lookup(city)), city


def test_institutions_and_organizations() -> None:
    kb = default_kb()
    for name, code in [
        ("Cheong Wa Dae", "KOR"),
        ("Blue House", "KOR"),
        ("Kremlin", "RUS"),
        ("White House", "USA"),
        ("Pentagon", "USA"),
        ("Rapid Support Forces", "SDN"),
        ("Hayat Tahrir al-Sham", "SYR"),
        ("Bharatiya Janata Party", "IND"),
        ("DHS", "USA"),
        ("Verkhovna Rada", "UKR"),
        ("Mossad", "ISR"),
    ]:
        assert any(e.code == code for e in kb.lookup(name)), name
    for name in [
        "United Nations",
        "UN Security Council",
        "World Trade Organization",
        "WHO",
        "IAEA",
        "NATO",
        "European Union",
        "ASEAN",
        "G20",
        "International Vaccine Institute",
    ]:
        assert kb.lookup(name), name
    for entries in kb.names.values():
        for e in entries:
            assert e.sector is None or e.sector in SECTORS, e


def test_office_holders_resolve_by_date() -> None:
    from datetime import date

    kb = default_kb()
    assert kb.by_surname("Moon", date(2020, 9, 28), "president").country == "KOR"
    assert kb.person_term("Vladimir Putin", date(2010, 1, 1)).role == "prime minister"
    assert kb.person_term("Vladimir Putin", date(2020, 1, 1)).role == "president"
    lavrov = {
        e.key
        for n in ("Sergey Lavrov", "Sergei Lavrov")
        for e in kb.lookup(n)
        if e.kind == "person"
    }
    assert len(lavrov) == 1
    for terms in kb.terms.values():
        for t in terms:
            assert t.country in kb.countries or t.country in kb.igos, t
            assert t.start is None or t.end is None or t.start <= t.end, t


def test_g20_and_koreas_have_heads_and_ministers() -> None:
    kb = default_kb()
    g20 = [
        "ARG",
        "AUS",
        "BRA",
        "CAN",
        "CHN",
        "FRA",
        "DEU",
        "IND",
        "IDN",
        "ITA",
        "JPN",
        "KOR",
        "MEX",
        "RUS",
        "SAU",
        "ZAF",
        "TUR",
        "GBR",
        "USA",
        "PRK",
    ]
    by_country: dict[str, set[str]] = {}
    for terms in kb.terms.values():
        for t in terms:
            by_country.setdefault(t.country, set()).add(t.role)
    for c in g20:
        roles = " ".join(by_country.get(c, set()))
        assert roles, c
        if c != "PRK":
            assert "foreign" in roles or "secretary of state" in roles, c
        assert "defence" in roles or "defense" in roles, c
        assert any(
            r in roles
            for r in ("president", "prime minister", "chancellor", "king", "supreme leader")
        ), c


def test_cameo_table_matches_reference() -> None:
    codes = load_codes()
    roots = {c for c in codes if len(c) == 2}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    for code, c in codes.items():
        assert c.quad_class == quad_class_of(code), code
        assert -10 <= c.goldstein <= 10
        assert c.plover is None or c.plover in PLOVER_TYPES, code
        if code[:2] in ROOT_PLOVER and code[:2] not in ("01",):
            assert c.plover, code
    ref = REFERENCE / "cameo_goldstein.tsv"
    if not ref.is_file():
        pytest.skip("../shared/reference is not present")
    with ref.open(encoding="utf-8") as fh:
        gold = {
            r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"])
            for r in csv.DictReader(fh, delimiter="\t")
        }
    with (REFERENCE / "cameo_eventcodes.tsv").open(encoding="utf-8") as fh:
        ref_codes = {r["CAMEOEVENTCODE"] for r in csv.DictReader(fh, delimiter="\t")}
    assert set(codes) == ref_codes
    for code, value in gold.items():
        if code in codes:
            assert codes[code].goldstein == pytest.approx(value), code


def test_trigger_patterns_are_valid() -> None:
    lex = default_lexicon()
    n_verbs = sum(len(v) for v in lex.verbs.values())
    n_nouns = sum(len(v) for v in lex.nouns.values())
    assert n_verbs >= 800 and n_nouns >= 150
    covered = {p.code[:2] for pats in lex.verbs.values() for p in pats}
    assert covered == {f"{i:02d}" for i in range(1, 21)}
    light = {
        "be",
        "have",
        "hold",
        "make",
        "give",
        "take",
        "express",
        "reach",
        "sign",
        "issue",
        "call",
        "say",
    }
    for pats in list(lex.verbs.values()) + list(lex.nouns.values()):
        for p in pats:
            assert p.code in lex.codes, p
            if p.kind == "verb":
                assert not (len(p.words) == 1 and p.words[0] in light), p


def test_data_files_are_plain_yaml_without_repeated_keys() -> None:
    for sub in ("kb", "verbs"):
        for p in (DATA / sub).iterdir():
            if p.name.endswith(".yaml"):
                assert yaml.safe_load(p.read_text(encoding="utf-8")) is not None, p.name
                # plain YAML keeps the last of two equal keys: the loader refuses them
                assert load_yaml(p) is not None, p.name


def test_the_data_loader_refuses_a_repeated_key(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(
        'verbs:\n  "180": [attack]\n  "170": [coerce]\n  "180": [hack]\n', encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="line 4 duplicate key '180'"):
        load_yaml(path)


def test_office_terms_are_well_formed_and_listed_once() -> None:
    seen: set[tuple[str, str, str]] = set()
    for p in sorted((DATA / "kb").iterdir(), key=lambda p: p.name):
        if not p.name.startswith("people"):
            continue
        for rec in load_yaml(p):
            # an unquoted `surname: No` or `name: Yes` would load as a boolean
            assert all(
                isinstance(rec.get(k), str) for k in ("name", "surname", "country", "role")
            ), rec
            assert all(isinstance(a, str) for a in rec.get("aliases") or []), rec
            key = (rec["name"], rec["role"], str(rec.get("start")))
            assert key not in seen, (p.name, key)
            seen.add(key)
            start, end = rec.get("start"), rec.get("end")
            assert start is None or end is None or start <= end, rec


# -- vocabularies: the code, the types and the README say the same ----------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "newsevents"
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _literal_args(call: str, position: int) -> set[str]:
    """The string literals passed at ``position`` to every call of ``call`` in the package."""
    import ast

    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == call:
                arg = node.args[position] if len(node.args) > position else None
                assert isinstance(arg, ast.Constant), f"{path}: {call} with a computed value"
                found.add(arg.value)
    return found


def test_discard_reasons_are_one_vocabulary() -> None:
    import re

    from newsevents.records import DISCARD_REASONS

    assert _literal_args("Discard", 1) == set(DISCARD_REASONS)  # each used, none unnamed
    section = README[README.index("Every discard reason") :].split("\n\n")[1]
    assert re.findall(r"^\| `([a-z-]+)` \| ", section, re.M) == list(DISCARD_REASONS)


def test_date_and_publication_hows_are_one_vocabulary() -> None:
    from typing import get_args

    from newsevents.records import PUBLISHED_HOW
    from newsevents.text.dates import DATE_SURENESS, DateHow

    assert set(DATE_SURENESS) == set(get_args(DateHow))
    said = README[README.index("(`date_how`: ") :][:600]
    for how in get_args(DateHow):
        assert f"`{how}`" in said, how
    assert _literal_args("PublicationDate", 1) | {"inferred"} == set(PUBLISHED_HOW)
