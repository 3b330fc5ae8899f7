"""Exports a GDELT or PLOVER tool loads: the GDELT 2.0 event table read with the codebook's own
column list (as GDELT users load it, with pandas), and PLOVER records checked against the PLOVER
manual's required fields and location object."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.storage.export import export
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories

#: the GDELT 2.0 Event Database codebook's columns, in its order (V2.0, 2015)
CODEBOOK = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
#: the PLOVER manual's event categories
PLOVER_EVENTS = {
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
FEED = [
    {
        "id": "ke-1",
        "url": "https://example.org/news/kenya-ethiopia",
        "date": "2023-03-07",
        "text": "Kenya and Ethiopia held talks in Addis Ababa on Monday on border security. "
        "The two sides agreed to patrol the border together, officials said. "
        "Kenya's foreign minister praised the accord.",
    },
    {
        "id": "ke-2",
        "date": "2023-03-07",
        "text": "Kenyan and Ethiopian officials held talks in Addis Ababa on Monday, the ministry said. "
        "The talks covered raids by armed herders. Both governments promised more patrols.",
    },
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("exports")
    feed = tmp / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in FEED))
    db = tmp / "s.duckdb"
    coder = ArticleCoder()
    with Store(db) as store:
        ingest([str(feed)], store, coder=coder)
        update_stories(store, coder.lex)
    return db


def test_gdelt_export_loads_with_the_codebook_columns(store_path: Path, tmp_path: Path) -> None:
    with Store(store_path, read_only=True) as store:
        n = export(store, "stories", "gdelt", tmp_path / "g.tsv")
    df = pd.read_csv(
        tmp_path / "g.tsv", sep="\t", header=None, names=CODEBOOK, dtype=str, keep_default_na=False
    )
    assert len(df) == n > 0 and list(df.columns) == CODEBOOK
    talks = df[(df.EventRootCode == "04") & (df.ActionGeo_FullName != "")]
    assert len(talks) == 1, df[["EventCode", "ActionGeo_FullName"]]
    t = talks.iloc[0]
    assert t.SQLDATE == "20230306" and t.NumArticles == "2"
    assert (t.ActionGeo_Type, t.ActionGeo_CountryCode, t.ActionGeo_FeatureID) == (
        "4",
        "ET",
        "344979",
    )
    assert t.ActionGeo_FullName.startswith("Addis Ababa") and t.ActionGeo_FullName.endswith(
        "Ethiopia"
    )
    assert t.ActionGeo_ADM1Code.startswith("ET") and abs(float(t.ActionGeo_Lat) - 9.02) < 0.1
    assert float(t.GoldsteinScale) == 1.0  # 040 Consult
    assert t.SOURCEURL == "https://example.org/news/kenya-ethiopia"  # a URL, never a file path
    datetime.strptime(t.DATEADDED, "%Y%m%d%H%M%S")  # when the row was added
    assert all(not u or u.startswith("http") for u in df.SOURCEURL)


def test_plover_export_has_the_manual_s_fields(store_path: Path, tmp_path: Path) -> None:
    with Store(store_path, read_only=True) as store:
        n = export(store, "events", "plover", tmp_path / "p.jsonl")
    recs = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert n == len(recs) > 0
    for r in recs:  # the manual's required fields
        assert r["id"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
        assert r["actor"] and all({"code", "sector", "entity_text"} <= set(a) for a in r["actor"])
        assert r["event"] and set(r["event"]) <= PLOVER_EVENTS
        assert (
            isinstance(r["mode"], list)
            and isinstance(r["context"], list)
            and isinstance(r["recipient"], list)
        )
    located = [r for r in recs if r["event_loc"]]
    assert located
    loc = located[0]["event_loc"]
    assert {
        "extracted_place",
        "resolved_place",
        "geonameid",
        "lat",
        "lon",
        "country",
        "country_code",
        "feature_class",
        "feature_code",
        "resolution",
    } <= set(loc)
    assert loc["geonameid"] == 344979 and loc["country_code"] == "ETH" and loc["resolution"] == 4
