"""Ingest end to end into a real DuckDB file: idempotence, transactions, discards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.jobs.ingest import ingest
from newsevents.records import Article, Discard, RawDocument
from newsevents.storage.store import Store
from newsevents.text.article import build_article


def test_ingest_twice_is_a_no_op(tmp_path: Path, samples_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        first = ingest([str(samples_dir)], store)
        second = ingest([str(samples_dir)], store)
        assert (first.read, first.new, first.duplicate) == (5, 5, 0)
        assert (second.read, second.new, second.duplicate) == (5, 0, 5)
        assert store.count("articles") == 5
        spans_after = store.count("removed_spans")
    with Store(db) as store:  # reopened from disk
        assert store.count("articles") == 5
        assert store.count("removed_spans") == spans_after


def test_ingest_of_known_articles_loads_no_model(tmp_path: Path, samples_dir: Path) -> None:
    from newsevents.coding.coder import LazyCoder

    with Store(tmp_path / "s.duckdb") as store:
        first = LazyCoder()
        coded = ingest([str(samples_dir)], store, coder=first)
        assert first.loaded and coded.new == 5 and store.count("events") > 0
        first.close()
        again = LazyCoder()
        repeat = ingest([str(samples_dir)], store, coder=again)
        assert (repeat.new, repeat.duplicate) == (0, 5)
        assert not again.loaded  # nothing new to code: the spaCy model was never loaded


def test_sample_dates_in_store(tmp_path: Path, samples_dir: Path, expected: dict) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ingest([str(samples_dir)], store)
        rows = store.query("SELECT origin, published, published_how FROM articles")
    got = {Path(r["origin"]).name[:3]: (r["published"], r["published_how"]) for r in rows}
    for prefix, want in expected["articles"].items():
        pub, how = got[prefix]
        assert (pub.isoformat() if pub else None, how) == (want["published"], want["published_how"])


def test_same_article_from_another_file_is_a_duplicate(tmp_path: Path) -> None:
    body = "Kenya and Ethiopia signed a border security accord in Nairobi on Sunday."
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x", "text": f"  {body}  "}) + "\n")
    with Store(tmp_path / "s.duckdb") as store:
        s = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")], store)
        assert (s.new, s.duplicate) == (1, 1)


def test_bad_inputs_are_recorded_as_discards(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "spam.txt").write_text("cheap shoes outlet " * 30)
    (tmp_path / "fr.txt").write_text(
        "Le ministre des affaires étrangères a rencontré son homologue allemand à Paris lundi."
    )
    (tmp_path / "bad.jsonl").write_text('{"text": "Chile and Peru signed a trade deal."}\n{oops\n')
    with Store(db) as store:
        s = ingest([str(tmp_path), str(tmp_path / "nope.txt")], store)
        assert s.new == 2  # the French article is kept, with its language
        assert dict(s.discarded) == {
            "empty": 1,
            "empty-after-cleaning": 1,
            "malformed-json": 1,
            "not-found": 1,
        }
        langs = {r["language"] for r in store.query("SELECT language FROM articles")}
        assert langs == {"fr", "en"}
        assert store.count("discards") == 4
        ingest([str(tmp_path)], store)  # discards are not recorded twice
        assert store.count("discards") == 4


def test_a_failed_write_leaves_the_store_unchanged(tmp_path: Path) -> None:
    """A crash in the middle of a file's transaction leaves only whole articles."""
    (tmp_path / "one.txt").write_text("Japan and Australia held defence talks in Tokyo on Monday.")
    (tmp_path / "two.jsonl").write_text(
        '{"text": "Brazil and Argentina signed a trade deal."}\n'
        '{"text": "India and China held border talks."}\n'
    )

    def exploding_coder(articles: list[Article]) -> list:
        if any("India" in a.clean_text for a in articles):
            raise RuntimeError("simulated crash while coding")
        return []

    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(RuntimeError):
            ingest(
                [str(tmp_path / "one.txt"), str(tmp_path / "two.jsonl")],
                store,
                coder=exploding_coder,
            )
        assert store.count("articles") == 1  # the first file only, whole
        assert store.count("removed_spans") == 0


def test_build_article_never_invents_a_date() -> None:
    a = build_article(RawDocument("x", "Seoul and Moscow set up ties in 1990.", "txt"))
    assert isinstance(a, Article) and a.published is None and a.published_how == "none"
    d = build_article(RawDocument("y", "Share this article", "txt"))
    assert isinstance(d, Discard) and d.reason == "empty-after-cleaning"


def test_worker_processes_store_the_same_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With worker processes a chunk is coded while the next one is read: the store ends
    the same (articles, events, discards), chunk by chunk in order."""
    from itertools import islice

    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs import ingest as pipeline

    isot = (
        Path(__file__).resolve().parents[2]
        / "shared"
        / "corpora"
        / "isot_reuters_politics_2017.jsonl"
    )
    if not isot.is_file():
        pytest.skip("shared corpora not present")
    feed = tmp_path / "feed.jsonl"
    with isot.open(encoding="utf-8") as fh:
        lines = [line.rstrip("\n") for line in islice(fh, 0, 48)]
    lines.insert(10, "{not json")  # a discard in the middle
    lines.append(lines[3])  # and a duplicate at the end
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "CHUNK", 20)  # several chunks in flight

    def run(n_process: int) -> tuple[object, list, list, list]:
        coder = ArticleCoder(n_process=n_process)
        try:
            with Store(tmp_path / f"w{n_process}.duckdb") as store:
                summary = ingest([str(feed)], store, coder=coder)
                articles = store.query("SELECT article_id FROM articles ORDER BY article_id")
                events = store.query(
                    "SELECT event_id, article_id, cameo, sentence, place_id, place_how FROM events ORDER BY event_id"
                )
                discards = store.query("SELECT reason FROM discards")
        finally:
            coder.close()
        return summary.as_dict(), articles, events, discards

    one, two = run(1), run(2)
    assert one[0] == two[0]
    assert one[0]["new"] == 48 and one[0]["duplicate"] == 1  # type: ignore[index]
    assert len(one[2]) >= 20  # political news: the comparison has events to compare
    assert one[1:] == two[1:]


def test_a_failed_chunk_in_a_worker_keeps_the_chunks_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a coder that codes in the background (``submit``), a crash while coding one
    chunk still leaves every earlier chunk written, whole, and nothing of the failed one."""
    from newsevents.jobs import ingest as pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 2)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"text": f"Country number {i} held talks with its neighbour."}) + "\n"
            for i in range(7)
        )
    )

    class BackgroundCoder:
        def __call__(self, articles: list[Article]) -> list:
            raise AssertionError("ingest must use submit")

        def submit(self, articles: list[Article]):  # type: ignore[no-untyped-def]
            def wait() -> list:
                if any("number 4" in a.clean_text for a in articles):
                    raise RuntimeError("simulated crash in a worker")
                return []

            return wait

    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(RuntimeError):
            ingest([str(feed)], store, coder=BackgroundCoder())
        assert store.count("articles") == 4  # chunks (0, 1) and (2, 3); not (4, 5) nor 6


def test_repeats_are_found_in_the_chunk_in_flight_and_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeat is a duplicate wherever its first copy is: in the same chunk, in the chunk
    not yet written, or already in the store (the run keeps only unwritten ids in memory)."""
    from newsevents.jobs import ingest as pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 20)
    lines = [
        json.dumps(
            {
                "id": f"n{i}",
                "text": f"Report number {i}: the ministers of country {i} "
                f"met officials of country {i + 1} on Monday and agreed on trade {i * 7}.",
            }
        )
        for i in range(70)
    ]
    lines.insert(15, lines[12])  # same chunk
    lines.insert(25, lines[5])  # the previous chunk, not yet written
    lines.append(lines[1])  # long written
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([str(feed)], store)
        stored = store.query("SELECT count(*) AS n, count(DISTINCT article_id) AS d FROM articles")
    assert (summary.read, summary.new, summary.duplicate) == (73, 70, 3)
    assert stored == [{"n": 70, "d": 70}]


def test_articles_stored_without_coding_are_coded_by_a_later_run(tmp_path: Path) -> None:
    from newsevents.coding.coder import ArticleCoder

    (tmp_path / "a.txt").write_text(
        "NAIROBI, March 3 (Reuters) - Kenya and Ethiopia held talks in Nairobi on Sunday.\n"
    )
    with Store(tmp_path / "s.duckdb") as store:
        first = ingest([str(tmp_path / "a.txt")], store)  # as `ingest --no-code`
        assert (first.new, first.events, store.count("events")) == (1, 0, 0)
        spans = store.count("removed_spans")
        second = ingest([str(tmp_path / "a.txt")], store, coder=ArticleCoder())
        assert (second.new, second.duplicate, second.coded_late) == (0, 0, 1)
        assert second.events == store.count("events") > 0
        assert (
            store.count("removed_spans") == spans and store.count("articles") == 1
        )  # nothing doubled
        third = ingest([str(tmp_path / "a.txt")], store, coder=ArticleCoder())
        assert (third.duplicate, third.coded_late, third.events) == (1, 0, 0)


def test_one_article_in_two_forms_is_stored_once(tmp_path: Path) -> None:
    """The same article crawled as HTML and exported as JSONL with a title line and a
    copyright notice added: a duplicate (its events are not doubled); the same text from
    another outlet stays an article of its own, and so does a short note alike."""
    from newsevents.jobs.near import MIN_WORDS

    db = tmp_path / "near.duckdb"
    html = Path(__file__).resolve().parents[1] / "examples" / "html" / "09_page.html"
    with Store(db) as store:
        first = ingest([str(html)], store, coder=None)
        row = store.query("SELECT article_id, title, url, source, clean_text FROM articles")[0]
    assert first.new == 1
    text = row["clean_text"]
    assert len(text.split()) > MIN_WORDS
    copy = {
        "id": "c1",
        "title": row["title"],
        "url": row["url"],
        "text": f"{row['title']}\n\n{text}\n\nCopyright 2023 Gulf Observer. All rights reserved.",
    }
    other = {**copy, "id": "c2", "url": None, "source": "Another Daily"}
    other["text"] = copy["text"].replace(
        "Copyright 2023 Gulf Observer", "Copyright 2023 Another Daily"
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(copy) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    with Store(db) as store:
        second = ingest([str(feed)], store, coder=None)
        assert (second.new, second.duplicate, second.near_duplicate) == (1, 1, 1)
        sources = {r["source"] for r in store.query("SELECT source FROM articles")}
        assert "Another Daily" in sources and store.count("articles") == 2
        again = ingest([str(feed)], store, coder=None)  # re-ingesting changes nothing
        assert (again.new, again.duplicate) == (0, 2) and store.count("articles") == 2
        # an article stored before signatures were kept gets one, and is matched
        store.con.execute("DELETE FROM signatures")
        third = ingest([str(feed)], store, coder=None)
        assert (third.new, third.duplicate) == (0, 2) and store.count("signatures") == 2
    short = tmp_path / "short.jsonl"
    note = "Egypt and Qatar called for a ceasefire in Gaza on Sunday, officials said."
    short.write_text(
        json.dumps({"id": "s1", "text": note})
        + "\n"
        + json.dumps({"id": "s2", "text": note + " More soon."})
        + "\n"
    )
    with Store(db) as store:
        assert ingest([str(short)], store, coder=None).new == 2  # short notes alike stay two


def test_an_ingest_summary_reads_as_the_cli_prints_it() -> None:
    from collections import Counter

    from newsevents.jobs.ingest import IngestSummary

    s = IngestSummary(read=5, new=2, duplicate=2, near_duplicate=1, coded_late=1, events=7)
    s.discarded = Counter({"not-html": 1, "empty": 2})
    assert s.lines(coded=True, stories=3) == [
        "read 5, new 2, duplicate 2 (1 a stored article in another form), "
        "coded 1 stored before uncoded, discarded 3, events 7, stories 3",
        "  discarded 2 as empty",
        "  discarded 1 as not-html",
    ]
    assert s.lines(coded=False)[0].endswith("discarded 3")  # --no-code: no events, no stories
