"""Stories: one real-world event across outlets; golden test on the samples; exports."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from newsevents.coding import ArticleCoder
from newsevents.export import GDELT_COLUMNS, export
from newsevents.merge import Mention, merge_into_stories
from newsevents.pipeline import ingest
from newsevents.store import Store
from newsevents.stories import update_stories


@pytest.fixture(scope="module")
def coder() -> ArticleCoder:
    return ArticleCoder()


def _ingest(db: Path, paths: list[str], coder: ArticleCoder) -> list:
    with Store(db) as store:
        ingest(paths, store, coder=coder)
        return update_stories(store, coder.lex)


def _m(eid: str, art: str, d: date | None, outlet: str | None, cameo: str = "040",
       loc: str | None = None) -> Mention:
    return Mention(eid, art, outlet, d, d, "JPN", "AUS", None, None, cameo, loc,
                   f"sentence {eid}", 0.7)


def test_merge_blocks_by_dyad_and_window() -> None:
    base = "japan australia defence ministers talks tokyo joint exercises agreed"
    texts = {"a": base + " wire a first report", "b": base + " wire b own wording",
             "c": base + " later meeting", "d": base + " wire a follow up by phone call"}
    ms = [_m("1", "a", date(2023, 3, 14), "Wire A"), _m("2", "b", date(2023, 3, 14), "Wire B"),
          _m("3", "c", date(2023, 3, 30), "Wire A"), _m("4", "d", date(2023, 3, 15), "Wire A",
                                                          cameo="041")]
    stories = merge_into_stories(ms, texts)
    by_articles = sorted(s.article_ids for s in stories)
    assert by_articles == [("a", "b", "d"), ("c",)]
    first = next(s for s in stories if "a" in s.article_ids)
    assert first.n_sources == 2 and first.n_articles == 3


def test_phone_call_and_meeting_in_a_place_stay_apart() -> None:
    texts = {"a": "chung lavrov talks peace peninsula", "b": "chung lavrov talks peace peninsula"}
    ms = [_m("1", "a", date(2021, 2, 12), "X", cameo="041"), _m("2", "b", None, "Y", loc="Moscow")]
    assert len(merge_into_stories(ms, texts)) == 2


def test_merge_is_order_independent() -> None:
    texts = {a: "kenya ethiopia border accord nairobi signed ministers" for a in "abc"}
    ms = [_m("1", "a", date(2022, 6, 5), "A"), _m("2", "b", date(2022, 6, 6), "B"),
          _m("3", "c", None, None)]
    one = merge_into_stories(ms, texts)
    two = merge_into_stories(list(reversed(ms)), texts)
    assert [(s.story_id, s.article_ids) for s in one] == [(s.story_id, s.article_ids) for s in two]


def test_sample_stories(tmp_path: Path, samples_dir: Path, expected: dict, coder: ArticleCoder) -> None:
    stories = _ingest(tmp_path / "s.duckdb", [str(samples_dir)], coder)
    assert len(stories) == len(expected["stories"]) == 5
    with Store(tmp_path / "s.duckdb") as store:
        origin = {r["article_id"]: Path(r["origin"]).name[:3] for r in store.query(
            "SELECT article_id, origin FROM articles")}
        arts = {origin[r["article_id"]]: r for r in store.query("SELECT * FROM articles")}
    got = sorted(
        (s.date.isoformat() if s.date else "", s.dyad, tuple(sorted(origin[a] for a in s.article_ids)))
        for s in stories
    )
    want = sorted(
        (st["date"] or "", tuple(st["dyad"]), tuple(st["files"])) for st in expected["stories"]
    )
    assert got == want
    call = next(s for s in stories if s.date == date(2020, 9, 28))
    assert call.n_sources == 2 and call.cameo_root == "04"
    assert (arts["001"]["published"], arts["001"]["published_how"]) == (date(2020, 9, 28), "inferred")
    assert arts["004"]["published_how"] == "none"
    moscow = next(s for s in stories if s.date is None)
    assert moscow.location == "Moscow"


def test_incremental_equals_batch(tmp_path: Path, samples_dir: Path, coder: ArticleCoder) -> None:
    part_a, part_b = tmp_path / "a", tmp_path / "b"
    part_a.mkdir()
    part_b.mkdir()
    for f in sorted(samples_dir.glob("*.txt")):
        shutil.copy(f, part_a if f.name[:3] in ("000", "002", "004") else part_b)
    _ingest(tmp_path / "inc.duckdb", [str(part_a)], coder)
    inc = _ingest(tmp_path / "inc.duckdb", [str(part_b)], coder)
    batch = _ingest(tmp_path / "all.duckdb", [str(part_a), str(part_b)], coder)
    assert [(s.story_id, s.article_ids, s.event_ids) for s in inc] == [
        (s.story_id, s.article_ids, s.event_ids) for s in batch]
    again = _ingest(tmp_path / "all.duckdb", [str(samples_dir)], coder)
    assert [s.story_id for s in again] == [s.story_id for s in batch]


def test_exports(tmp_path: Path, samples_dir: Path, coder: ArticleCoder) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, [str(samples_dir)], coder)
    with Store(db, read_only=True) as store:
        assert export(store, "stories", "gdelt", tmp_path / "g.tsv") == 5
        lines = (tmp_path / "g.tsv").read_text().splitlines()
        assert all(len(line.split("\t")) == len(GDELT_COLUMNS) == 61 for line in lines)
        row = dict(zip(GDELT_COLUMNS, lines[0].split("\t"), strict=True))
        assert row["EventRootCode"] == "04" and row["Day"] == "20200921"
        n = export(store, "events", "plover", tmp_path / "p.jsonl")
        recs = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text().splitlines()]
        assert n == len(recs) > 0 and {"event", "mode", "source", "target", "eventText"} <= set(recs[0])
        export(store, "events", "parquet", tmp_path / "e.parquet")
        export(store, "articles", "csv", tmp_path / "a.csv")
    count = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'e.parquet'}'").fetchall()[0][0]
    assert count == n
    assert (tmp_path / "a.csv").read_text().startswith("article_id,")


def test_coverage_groups_by_date_and_content() -> None:
    from newsevents.merge import ArticleInfo, coverage_groups

    same = "the senate passed the health care bill after a long debate over insurance coverage and costs"
    other = "a storm flooded coastal towns and forced thousands of residents to leave their homes"
    arts = [
        ArticleInfo("a", date(2010, 3, 21), same + " said the speaker"),
        ArticleInfo("b", date(2010, 3, 22), "in washington " + same),
        ArticleInfo("c", date(2010, 6, 1), same),  # same words, months later: other news
        ArticleInfo("d", date(2010, 3, 21), other),
        ArticleInfo("e", None, same + " on sunday"),  # undated but nearly the same text
    ]
    g = coverage_groups(arts)
    assert g["a"] == g["b"]
    assert g["c"] != g["a"] and g["d"] != g["a"]
    assert g["e"] in (g["a"], g["c"])  # joins its best match only, never bridging the two
    assert coverage_groups(list(reversed(arts))) == g  # a list may come in any order
    with pytest.raises(ValueError, match="ordered"):
        coverage_groups(iter(arts))  # a stream must come undated first, then by date


def test_coverage_groups_scale_with_undated_and_window() -> None:
    """Many articles, a third undated: exactly the near-copies join."""
    import random

    from newsevents.merge import ArticleInfo, coverage_groups

    rng = random.Random(5)
    vocab = [f"word{i}" for i in range(5000)]
    arts = []
    for i in range(1500):
        text = " ".join(rng.choice(vocab) for _ in range(120))
        day = None if i % 3 == 0 else date(2020, 1, 1) + timedelta(days=i % 200)
        arts.append(ArticleInfo(f"a{i:04d}", day, text))
        if i % 100 == 1:  # a syndicated copy the next day, lightly edited
            later = day + timedelta(days=1) if day else None
            arts.append(ArticleInfo(f"c{i:04d}", later, text + " reuters"))
    g = coverage_groups(arts)
    copies = [a.article_id for a in arts if a.article_id.startswith("c")]
    assert all(g[c] == g["a" + c[1:]] for c in copies)
    assert len(set(g.values())) == len(arts) - len(copies)


def test_coverage_table_links_story_articles(tmp_path: Path, samples_dir: Path, coder: ArticleCoder) -> None:
    _ingest(tmp_path / "s.duckdb", [str(samples_dir)], coder)
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        groups = {r["article_id"]: r["group_id"] for r in store.query("SELECT * FROM coverage")}
        call = store.query("SELECT article_id FROM story_members m JOIN stories s USING (story_id) "
                           "WHERE s.story_date = DATE '2020-09-28'")
    assert len(groups) == 5
    assert len({groups[r["article_id"]] for r in call}) == 1
