"""Stories: one real-world event across outlets; golden test on the samples; exports."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_STORIES
from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage.export import GDELT_COLUMNS, export
from newsevents.storage.store import Store
from newsevents.stories import merge
from newsevents.stories.build import update_stories
from newsevents.stories.merge import Mention, can_join_story, merge_into_stories, window_sessions


@pytest.fixture(scope="module")
def coder() -> ArticleCoder:
    return ArticleCoder()


def _ingest(db: Path, paths: list[str], coder: ArticleCoder) -> list:
    with Store(db) as store:
        ingest(paths, store, coder=coder)
        return update_stories(store, coder.lex)


def _m(
    eid: str,
    art: str,
    d: date | None,
    outlet: str | None,
    cameo: str = "040",
    loc: str | None = None,
) -> Mention:
    return Mention(eid, art, outlet, d, d, "JPN", "AUS", cameo, loc, f"sentence {eid}", 0.7)


def test_merge_blocks_by_dyad_and_window() -> None:
    base = "japan australia defence ministers talks tokyo joint exercises agreed"
    texts = {
        "a": base + " wire a first report",
        "b": base + " wire b own wording",
        "c": base + " later meeting",
        "d": base + " wire a follow up by phone call",
    }
    ms = [
        _m("1", "a", date(2023, 3, 14), "Wire A"),
        _m("2", "b", date(2023, 3, 14), "Wire B"),
        _m("3", "c", date(2023, 3, 30), "Wire A"),
        _m("4", "d", date(2023, 3, 15), "Wire A", cameo="041"),
    ]
    stories = merge_into_stories(ms, texts)
    by_articles = sorted(s.article_ids for s in stories)
    assert by_articles == [("a", "b", "d"), ("c",)]
    first = next(s for s in stories if "a" in s.article_ids)
    assert first.n_sources == 2 and first.n_articles == 3


WORDS = [
    "talks",
    "border",
    "accord",
    "ministers",
    "signed",
    "trade",
    "visit",
    "summit",
    "troops",
    "aid",
    "pledge",
]


@st.composite
def _mentions(draw: st.DrawFn) -> tuple[list[Mention], dict[str, str]]:
    n = draw(st.integers(1, 30))
    arts = [f"a{i}" for i in range(draw(st.integers(1, 8)))]
    texts = {
        a: " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12))) for a in arts
    }
    out = []
    for i in range(n):
        day = (
            draw(st.none() | st.integers(0, 12))
            if draw(st.booleans())
            else draw(st.integers(0, 12))
        )
        src, tgt = draw(
            st.sampled_from(
                [("JPN", "AUS"), ("AUS", "JPN"), ("KEN", "ETH"), ("JPN", None), (None, "JPN")]
            )
        )
        out.append(
            Mention(
                f"e{i}",
                draw(st.sampled_from(arts)),
                draw(st.sampled_from(["A", "B", None])),
                date(2024, 1, 1),
                None if day is None else date(2024, 1, 1) + timedelta(days=day),
                src,
                tgt,
                draw(st.sampled_from(["040", "041", "057", "190"])),
                draw(st.sampled_from([None, "Tokyo", "Nairobi"])),
                f"sentence {i}",
                draw(st.sampled_from([0.7, 0.7, 0.2])),  # some join a story, never make one
            )
        )
    return out, texts


@settings(max_examples=150, deadline=None)
@given(_mentions())
def test_date_windows_give_the_stories_of_the_whole_dyad(
    case: tuple[list[Mention], dict[str, str]],
) -> None:
    """Merging each (dyad, date window) on its own, as Spark's groups do and as the merge
    does inside a dyad, gives the stories of merging each dyad in one block."""
    mentions, texts = case
    whole_dyad = merge._sessions
    try:
        merge._sessions = lambda clusters: [clusters]  # type: ignore[assignment]
        reference = merge_into_stories(mentions, texts)
    finally:
        merge._sessions = whole_dyad  # type: ignore[assignment]
    assert merge_into_stories(mentions, texts) == reference
    keys = window_sessions(mentions)
    assert set(keys) == {m.event_id for m in mentions}
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(keys[m.event_id], []).append(m)
    by_group = [s for g in groups.values() for s in merge_into_stories(g, texts)]
    assert sorted(by_group, key=lambda s: s.story_id) == sorted(reference, key=lambda s: s.story_id)


def test_date_windows_cut_only_gaps_wider_than_the_merge_window() -> None:
    d = date(2024, 3, 1)
    ms = [
        _m("1", "a", d, "A"),
        _m("2", "b", d + timedelta(days=1), "B"),
        _m("3", "c", d + timedelta(days=3), "A"),
        _m("4", "d", d + timedelta(days=4), "B"),
    ]
    keys = window_sessions(ms)
    assert keys["1"] == keys["2"] != keys["3"] == keys["4"]
    undated = window_sessions([*ms, _m("5", "e", None, "C")])
    assert {k for _d, k in undated.values()} == {-1}


def test_phone_call_and_meeting_in_a_place_stay_apart() -> None:
    texts = {"a": "chung lavrov talks peace peninsula", "b": "chung lavrov talks peace peninsula"}
    ms = [_m("1", "a", date(2021, 2, 12), "X", cameo="041"), _m("2", "b", None, "Y", loc="Moscow")]
    assert len(merge_into_stories(ms, texts)) == 2


def test_one_country_s_event_told_by_outlets_naming_different_people_is_one_story() -> None:
    # the protocol's domestic pairs join stories (issue 30); outlets name different people of
    # one event, so the people named are no test of identity (the texts' overlap is)
    base = "house republicans speaker boehner obama shutdown budget vote senate deal"
    texts = {"fox": base + " boehner chided", "nyt": base + " reid mcconnell", "hp": "weather"}
    ms = [
        replace(
            _m("1", "fox", date(2013, 10, 1), "Fox News", cameo="111"), source="USA", target="USA"
        ),
        replace(_m("2", "nyt", date(2013, 10, 1), "NYT", cameo="112"), source="USA", target="USA"),
        replace(
            _m("3", "hp", date(2013, 10, 1), "HuffPost", cameo="111"), source="USA", target="USA"
        ),
    ]
    stories = merge_into_stories(ms, texts)
    assert sorted(s.article_ids for s in stories) == [("fox", "nyt"), ("hp",)]
    assert all(s.dyad == ("USA", "USA") for s in stories)
    assert can_join_story(False, False, "dateline", 0.6, "USA", "USA")


def test_an_event_with_one_placed_side_is_a_story_of_that_side() -> None:
    """An attack in France by a driver nobody names, reported by two outlets, is one story
    of France and no one placed; it joins no story of a pair, and an event placing no side
    joins none."""
    texts = {a: "truck driver attack crowd nice france killed promenade police" for a in "abc"}
    ms = [
        replace(_m("1", "a", date(2016, 7, 14), "A", cameo="180"), source=None, target="FRA"),
        replace(_m("2", "b", date(2016, 7, 14), "B", cameo="183"), source="FRA", target=None),
        replace(_m("3", "c", date(2016, 7, 14), "C", cameo="180"), source="FRA", target="FRA"),
    ]
    stories = merge_into_stories(ms, texts)
    assert sorted((s.dyad, s.article_ids) for s in stories) == [
        (("FRA", ""), ("a", "b")),
        (("FRA", "FRA"), ("c",)),
    ]
    assert can_join_story(False, False, "dateline", 0.6, None, "FRA")
    assert not can_join_story(False, False, "dateline", 0.6, None, None)


def test_a_story_of_one_placed_side_is_stored_listed_and_shown(
    tmp_path: Path, samples_dir: Path, coder: ArticleCoder
) -> None:
    """Stored with a NULL second actor, listed by its country as ``RUS-?``, on the actor's
    page as a story with an unplaced side, and never as a dyad of the front page."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from newsevents.cli import app
    from newsevents.web.app import create_app

    db = tmp_path / "one.duckdb"
    _ingest(db, [str(samples_dir)], coder)
    with Store(db) as store:
        (eid,) = store.query(
            "SELECT min(event_id) AS e FROM events WHERE source_country = 'KOR' "
            "AND target_country = 'RUS' AND confidence >= ?",
            [MIN_CONFIDENCE],
        )[0].values()
        store.con.execute(
            "UPDATE events SET source_country = NULL, event_date = DATE '2020-01-05' "
            "WHERE event_id = ?",
            [eid],
        )
        update_stories(store, coder.lex)
        (one,) = store.query("SELECT * FROM stories WHERE actor_b IS NULL")
        assert one["actor_a"] == "RUS" and one["story_date"] == date(2020, 1, 5)
        members = store.query(
            "SELECT event_id FROM story_members WHERE story_id = ?", [one["story_id"]]
        )
        assert [m["event_id"] for m in members] == [eid]
    out = CliRunner().invoke(app, ["stories", "--country", "RUS", "--db", str(db), "-f", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(out.output.splitlines()))
    assert [r["dyad"] for r in rows if r["story_id"] == one["story_id"]] == ["RUS-?"]
    client = TestClient(create_app(db=db))
    page = client.get("/actor/RUS")
    assert page.status_code == 200 and "RUS–?" in page.text and "unplaced" in page.text
    assert "None" not in page.text
    story = client.get(f"/story/{one['story_id']}")
    assert (
        story.status_code == 200
        and "– unplaced" in story.text
        and "/dyad/RUS/None" not in story.text
    )
    summary = client.get("/api/summary").json()
    assert all(d["actor_b"] for d in summary["dyads"])
    assert all(c["country"] for c in summary["countries"])


def test_an_unconfident_mention_joins_a_story_others_made_and_makes_none() -> None:
    """Under the timelines' threshold an event makes no story, but an outlet's mention of an
    act other outlets report with confidence is one more source of that story; the story's
    type and summary stay those of its confident mentions."""
    texts = {
        a: "japan australia defence ministers talks tokyo joint exercises agreed " + a
        for a in ("a", "b", "c", "d")
    }
    day = date(2023, 3, 14)
    ms = [
        _m("1", "a", day, "Wire A"),
        _m("2", "b", day + timedelta(days=1), "Wire B"),
        replace(_m("3", "c", day, "Wire C", cameo="111"), confidence=0.2),
        # an article with a confident mention of the dyad adds none of its unconfident ones
        replace(_m("4", "a", day, "Wire A", cameo="190"), confidence=0.2),
        # alone, ten days later: no story
        replace(_m("5", "d", day + timedelta(days=10), "Wire D"), confidence=0.2),
    ]
    (story,) = merge_into_stories(ms, texts)
    assert story.article_ids == ("a", "b", "c") and story.n_sources == 3
    assert story.event_ids == ("1", "2", "3")
    assert story.cameo_root == "04" and story.summary in ("sentence 1", "sentence 2")
    assert merge_into_stories([ms[2]], texts) == []
    assert can_join_story(False, False, "dateline", merge.ATTACH_MIN_CONFIDENCE, "USA", "RUS")
    assert not can_join_story(False, False, "dateline", 0.05, "USA", "RUS")


def test_an_unconfident_mention_in_a_story_is_marked_where_it_shows(
    tmp_path: Path, samples_dir: Path, coder: ArticleCoder
) -> None:
    """The Korea-Russia call of 2020-09-28, reported by two outlets, with one outlet's
    mention under the threshold: still one story of both outlets, made by the other's; the
    story page marks the joined mention and its article page says it joined a story."""
    from fastapi.testclient import TestClient

    from newsevents.web.app import create_app

    db = tmp_path / "weak.duckdb"
    _ingest(db, [str(samples_dir)], coder)
    with Store(db) as store:
        (call,) = store.query("SELECT * FROM stories WHERE story_date = DATE '2020-09-28'")
        members = store.query(
            "SELECT m.event_id, m.article_id FROM story_members m WHERE story_id = ? "
            "ORDER BY m.article_id, m.event_id",
            [call["story_id"]],
        )
        weak = members[0]
        store.con.execute(
            "UPDATE events SET confidence = 0.2 WHERE article_id = ?", [weak["article_id"]]
        )
        update_stories(store, coder.lex)
        (again,) = store.query(
            "SELECT s.story_id, s.n_sources FROM stories s WHERE story_date = DATE '2020-09-28'"
        )
        joined = store.query(
            "SELECT event_id FROM story_members WHERE story_id = ? AND article_id = ?",
            [again["story_id"], weak["article_id"]],
        )
    assert again["n_sources"] == call["n_sources"] == 2 and joined
    client = TestClient(create_app(db=db))
    story = client.get(f"/story/{again['story_id']}").text
    assert story.count("low confidence 0.20: joined this story") == len(joined)
    article = client.get(f"/article/{weak['article_id']}").text
    assert "[low confidence: makes no story; joined one that other articles made]" in article


def test_merge_is_order_independent() -> None:
    texts = {a: "kenya ethiopia border accord nairobi signed ministers" for a in "abc"}
    ms = [
        _m("1", "a", date(2022, 6, 5), "A"),
        _m("2", "b", date(2022, 6, 6), "B"),
        _m("3", "c", None, None),
    ]
    one = merge_into_stories(ms, texts)
    two = merge_into_stories(list(reversed(ms)), texts)
    assert [(s.story_id, s.article_ids) for s in one] == [(s.story_id, s.article_ids) for s in two]


def test_sample_stories(
    tmp_path: Path, samples_dir: Path, expected: dict, coder: ArticleCoder
) -> None:
    stories = _ingest(tmp_path / "s.duckdb", [str(samples_dir)], coder)
    assert len(expected["stories"]) == 5
    with Store(tmp_path / "s.duckdb") as store:
        origin = {
            r["article_id"]: Path(r["origin"]).name[:3]
            for r in store.query("SELECT article_id, origin FROM articles")
        }
        arts = {origin[r["article_id"]]: r for r in store.query("SELECT * FROM articles")}
    got = sorted(
        (
            s.date.isoformat() if s.date else "",
            s.dyad,
            tuple(sorted(origin[a] for a in s.article_ids)),
        )
        for s in stories
    )
    want = sorted(
        (st["date"] or "", tuple(st["dyad"]), tuple(st["files"])) for st in expected["stories"]
    )
    # every story the user expects, and one more: 004's "Chung will depart for Rome to attend
    # a Group of 20 Leaders Summit, his office said", a planned cooperative act announced now,
    # which the article protocol codes (03, KOR -> G20); nothing else
    assert set(want) <= set(got) and len(got) == SAMPLE_STORIES
    (extra,) = [
        s
        for s in stories
        if (
            s.date.isoformat() if s.date else "",
            s.dyad,
            tuple(sorted(origin[a] for a in s.article_ids)),
        )
        not in want
    ]
    assert (extra.dyad, extra.cameo_root, extra.date) == (("G20", "KOR"), "03", None)
    call = next(s for s in stories if s.date == date(2020, 9, 28))
    assert call.n_sources == 2 and call.cameo_root == "04"
    assert (arts["001"]["published"], arts["001"]["published_how"]) == (
        date(2020, 9, 28),
        "inferred",
    )
    assert arts["004"]["published_how"] == "none"
    moscow = next(s for s in stories if s.date is None and s.dyad == ("KOR", "RUS"))
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
        (s.story_id, s.article_ids, s.event_ids) for s in batch
    ]
    again = _ingest(tmp_path / "all.duckdb", [str(samples_dir)], coder)
    assert [s.story_id for s in again] == [s.story_id for s in batch]


def test_exports(tmp_path: Path, samples_dir: Path, coder: ArticleCoder) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, [str(samples_dir)], coder)
    with Store(db, read_only=True) as store:
        assert export(store, "stories", "gdelt", tmp_path / "g.tsv") == SAMPLE_STORIES
        lines = (tmp_path / "g.tsv").read_text().splitlines()
        assert all(len(line.split("\t")) == len(GDELT_COLUMNS) == 61 for line in lines)
        row = dict(zip(GDELT_COLUMNS, lines[0].split("\t"), strict=True))
        assert row["EventRootCode"] == "04" and row["Day"] == "20200921"
        n = export(store, "events", "plover", tmp_path / "p.jsonl")
        recs = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text().splitlines()]
        assert n == len(recs) > 0 and {"event", "mode", "actor", "recipient", "event_text"} <= set(
            recs[0]
        )
        assert n < store.count(
            "events"
        )  # comments (01), and events that did not happen, are no PLOVER records
        assert export(
            store, "events", "parquet", tmp_path / "e.parquet", min_confidence=0
        ) == store.count("events")
        export(store, "articles", "csv", tmp_path / "a.csv")
        count = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'e.parquet'}'").fetchall()[0][0]
        assert count == store.count("events")
        # by default, the events stories count: those of confidence at least MIN_CONFIDENCE
        confident = store.query(
            f"SELECT count(*) AS n FROM events WHERE confidence >= {MIN_CONFIDENCE}"
        )[0]["n"]
        assert 0 < confident < store.count("events")
        assert export(store, "events", "csv", tmp_path / "c.csv") == confident
        with (tmp_path / "c.csv").open(newline="") as fh:
            assert min(float(r["confidence"]) for r in csv.DictReader(fh)) >= MIN_CONFIDENCE
        with pytest.raises(ValueError, match="between 0 and 1"):
            export(store, "events", "csv", tmp_path / "c.csv", min_confidence=1.5)
    assert (tmp_path / "a.csv").read_text().startswith("article_id,")


def test_coverage_groups_by_date_and_content() -> None:
    from newsevents.stories.coverage import ArticleInfo, coverage_groups

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

    from newsevents.stories.coverage import ArticleInfo, coverage_groups

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


def test_near_and_word_overlap_match_a_plain_count() -> None:
    """``_near``'s packed count of equal minima and the vocabulary's overlap by word ids give
    what counting and set arithmetic give."""
    import random

    import numpy as np

    from newsevents.stories.similarity import COVER_PERM, WORD, Rows, Vocabulary, nearby, signature

    rng = random.Random(9)
    pool = [f"term{i}" for i in range(400)]
    texts = [" ".join(rng.choice(pool) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    vocab = Vocabulary()
    rows, ids, sigs = Rows(), [], []
    for t in texts:
        words, hashes = vocab.words(t)
        assert sorted(words.tolist()) == sorted({vocab.ids[w] for w in WORD.findall(t)})
        sig = signature(hashes)
        rows.append(sig, words)
        ids.append(words)
        sigs.append(sig)
    probe_words, probe_hashes = vocab.words(texts[7] + " " + texts[8])
    probe = signature(probe_hashes)
    for bar in (0.02, 0.2, 0.5):
        near, sims = nearby(rows, probe, bar, probe_words, vocab)
        want = [j for j, s in enumerate(sigs) if np.count_nonzero(s == probe) / COVER_PERM >= bar]
        assert near.tolist() == want
        a = set(probe_words.tolist())
        for j, sim in zip(near.tolist(), sims.tolist(), strict=True):
            b = set(ids[j].tolist())
            assert sim == pytest.approx(len(a & b) / len(a | b) if a and b else 0.0)
    assert 7 in nearby(rows, probe, 0.2, probe_words, vocab)[0]


def test_rows_give_back_the_words_of_a_moving_window() -> None:
    """``_Rows`` as a queue: after appends and pops (and the moves and growth they cause),
    each row in use still has its own signature and word ids."""
    import random

    import numpy as np

    from newsevents.stories.similarity import COVER_PERM, Rows

    rng = random.Random(4)
    rows, queue = Rows(), []
    for k in range(3000):
        words = np.array(
            [rng.randrange(10_000) for _ in range(rng.choice((0, 5, 300, 2000)))], dtype=np.int32
        )
        sig = np.full(COVER_PERM, k, dtype=np.uint64)
        rows.append(sig, words)
        queue.append((sig, words))
        while len(queue) > rng.randint(1, 200):
            rows.popleft()
            queue.pop(0)
        if k % 97 == 0:
            picked = np.array(sorted(rng.sample(range(len(queue)), min(len(queue), 7))))
            sizes, flat = rows.words_of(picked)
            assert sizes.tolist() == [queue[j][1].size for j in picked]
            assert flat.tolist() == [w for j in picked for w in queue[j][1].tolist()]
            assert (rows.view()[picked] == np.stack([queue[j][0] for j in picked])).all()
    assert rows.words_of(np.array([], dtype=np.int64))[0].size == 0


def test_coverage_table_links_story_articles(
    tmp_path: Path, samples_dir: Path, coder: ArticleCoder
) -> None:
    _ingest(tmp_path / "s.duckdb", [str(samples_dir)], coder)
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        groups = {r["article_id"]: r["group_id"] for r in store.query("SELECT * FROM coverage")}
        call = store.query(
            "SELECT article_id FROM story_members m JOIN stories s USING (story_id) "
            "WHERE s.story_date = DATE '2020-09-28'"
        )
    assert len(groups) == 5
    assert len({groups[r["article_id"]] for r in call}) == 1


# the feeding thread ends without an error of its own when the process dies (it once
# sent on a connection closed under it)
@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_coverage_groups_in_a_process_are_the_ones_computed_here(tmp_path: Path) -> None:
    """``CoverageJob`` in a forked process, fed by a thread while the caller works on the
    store, gives the groups the caller would compute; if the process dies, the caller
    computes them itself."""
    from itertools import islice

    from newsevents.stories.build import CoverageJob

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc.jsonl"
    if not corpus.is_file():
        pytest.skip("shared corpora not present")
    feed = tmp_path / "feed.jsonl"
    with corpus.open(encoding="utf-8") as fh:
        feed.write_text("".join(islice(fh, 300)), encoding="utf-8")
    with Store(tmp_path / "c.duckdb") as store:
        ingest([str(feed)], store)  # articles only: coverage needs no events
        here = CoverageJob.start(store, min_articles=10**9)
        assert here.process is None
        want = here.groups()
        job = CoverageJob.start(store, min_articles=1)
        assert job.process is not None
        store.query("SELECT count(*) FROM articles")  # the caller goes on using the store
        assert job.groups() == want
        dead = CoverageJob.start(store, min_articles=1)
        dead.process.kill()
        assert dead.groups() == want
    assert len(want) >= 290 and len(set(want.values())) < len(want)  # some articles grouped
