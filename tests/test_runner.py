"""Batch runners: the local engine and Spark on local[2] give the same events and stories;
a second run adds nothing; a run over new files adds only them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLE_STORIES
from newsevents.jobs.run import run_local
from newsevents.jobs.spark import run_spark
from newsevents.storage.schema import RUN_EVENTS


def _jsonl(samples: Path, out: Path, names: list[str]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for f in sorted(samples.glob("*.txt")):
            if f.name[:3] in names:
                fh.write(
                    json.dumps(
                        {"id": f.name[:3], "text": f.read_text(encoding="utf-8", errors="replace")}
                    )
                    + "\n"
                )
    return out


def _table(out: Path, table: str, cols: str) -> list[tuple]:
    pattern = f"{out}/{table}/**/*.parquet"
    return sorted(
        duckdb.sql(
            f"SELECT {cols} FROM read_parquet('{pattern}', hive_partitioning=true)"
        ).fetchall()
    )


def test_local_runner_is_incremental(tmp_path: Path, samples_dir: Path) -> None:
    a = _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000", "002"])
    with a.open("a", encoding="utf-8") as fh:
        fh.write("[1, 2]\n")  # JSON, but not an article: recorded, not dropped
    out = tmp_path / "out"
    first = run_local([str(tmp_path / "in")], out)
    assert first["files"] == 1 and first["articles"] == 2 and first["events"] > 0
    assert first["discarded"] == 1
    assert _table(out, "discards", "origin, reason")[0][1]
    # the file read again, as after a run that stopped before marking it done: nothing twice
    (out / "_manifest.json").unlink()
    reread = run_local([str(tmp_path / "in")], out)
    assert (reread["files"], reread["articles"], reread["discarded"], reread["events"]) == (
        1,
        0,
        0,
        0,
    )
    assert len(_table(out, "discards", "discard_id")) == 1
    again = run_local([str(tmp_path / "in")], out)
    assert again == {
        "files": 0,
        "articles": 0,
        "discarded": 0,
        "events": 0,
        "stories": first["stories"],
    }
    _jsonl(samples_dir, tmp_path / "in" / "b.jsonl", ["001", "003", "004"])
    third = run_local([str(tmp_path / "in")], out)
    assert third["files"] == 1 and third["articles"] == 3
    assert len(_table(out, "articles", "article_id")) == 5
    assert third["stories"] == SAMPLE_STORIES
    assert a.exists()
    assert not list(out.glob(".merge-*"))  # the merge's scratch store is removed


def test_spark_matches_local(tmp_path: Path, samples_dir: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    src = tmp_path / "in"
    _jsonl(samples_dir, src / "a.jsonl", ["000", "001", "002"])
    b = _jsonl(samples_dir, src / "b.jsonl", ["003", "004"])
    with b.open("a", encoding="utf-8") as fh:  # a line that is not JSON, and an empty text
        fh.write('{"id": "cut off", "text": \n{"id": "005", "text": "   "}\n')
    local = run_local([str(src)], tmp_path / "local")
    spark = run_spark([str(src)], tmp_path / "spark", master="local[2]")
    assert local["discarded"] == 2
    assert spark == local
    for table, cols in [
        ("articles", "article_id"),
        ("events", ", ".join(RUN_EVENTS.columns)),
        ("stories", "story_id, story_date, n_sources, plover, quad_class, goldstein"),
        ("discards", "discard_id, origin, input_file, reason, detail"),
        ("removed_spans", "article_id, start_char, end_char, reason, text"),
    ]:
        assert _table(tmp_path / "spark", table, cols) == _table(tmp_path / "local", table, cols)
    again = run_spark([str(src)], tmp_path / "spark", master="local[2]")
    assert again == {
        "files": 0,
        "articles": 0,
        "discarded": 0,
        "events": 0,
        "stories": spark["stories"],
    }


def test_large_files_are_coded_in_chunks_with_the_same_result(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ingest loop codes and writes a file a chunk of articles at a time: the rows a
    sink is given are the same for any chunk size (``RowsSink``, a Spark worker's sink)."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs import ingest as loop
    from newsevents.storage.parquet_sink import RowsSink

    src = _jsonl(samples_dir, tmp_path / "in" / "all.jsonl", ["000", "001", "002", "003", "004"])
    coder = ArticleCoder()
    whole, chunked = RowsSink(), RowsSink()
    writes: dict[str, list[int]] = {"whole": [], "chunked": []}
    for name, sink in (("whole", whole), ("chunked", chunked)):
        write = sink.write
        monkeypatch.setattr(
            sink,
            "write",
            lambda arts, *a, w=write, n=name, **k: writes[n].append(len(arts)) or w(arts, *a, **k),
        )
    loop.ingest([str(src)], whole, coder=coder)
    monkeypatch.setattr(loop, "CHUNK", 2)
    loop.ingest([str(src)], chunked, coder=coder)
    assert writes == {"whole": [5], "chunked": [2, 2, 1]}
    for table in ("articles", "events", "discards", "removed_spans", "signatures"):
        assert chunked.rows[table] == whole.rows[table], table
    assert len(whole.rows["articles"]) == 5 and whole.rows["events"]


def test_parquet_input_gives_the_same_events_as_jsonl(tmp_path: Path, samples_dir: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = _jsonl(samples_dir, tmp_path / "a" / "in.jsonl", ["000", "002"])
    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    (tmp_path / "b").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "b" / "in.parquet")
    run_local([str(tmp_path / "a")], tmp_path / "out_a")
    run_local([str(tmp_path / "b")], tmp_path / "out_b")
    cols = "article_id, cameo, coalesce(source_country, ''), coalesce(target_country, ''), coalesce(CAST(event_date AS VARCHAR), '')"
    events = _table(tmp_path / "out_a", "events", cols)
    assert events and events == _table(tmp_path / "out_b", "events", cols)


def test_a_run_with_nothing_new_loads_no_model_and_merges_nothing(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsevents.coding.coder

    _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000", "002"])
    out = tmp_path / "out"
    first = run_local([str(tmp_path / "in")], out, workers=1)
    stories = sorted((out / "stories").glob("*.parquet"))
    assert first["stories"] > 0 and stories
    written = [f.stat().st_mtime_ns for f in stories]

    class NoModel:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a run with no new file made a coder")

    monkeypatch.setattr(newsevents.coding.coder, "ArticleCoder", NoModel)
    again = run_local([str(tmp_path / "in")], out)
    assert again == {
        "files": 0,
        "articles": 0,
        "discarded": 0,
        "events": 0,
        "stories": first["stories"],
    }
    assert [f.stat().st_mtime_ns for f in stories] == written  # the stories were not merged again

    # a run that stopped after writing its events, before merging stories, left no record
    # of what the stories were merged from: the next run merges them, still without a model
    (out / "_stories.json").unlink()
    shutil.rmtree(out / "stories")
    resumed = run_local([str(tmp_path / "in")], out)
    assert resumed == again
    assert _table(out, "stories", "story_id") and (out / "_stories.json").exists()


def test_a_second_run_into_the_same_output_at_once_is_refused(
    tmp_path: Path, samples_dir: Path
) -> None:
    import subprocess
    import sys

    from typer.testing import CliRunner

    from newsevents.cli import app
    from newsevents.jobs.run import RunnerBusy

    _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000"])
    out = tmp_path / "out"
    out.mkdir()
    # another process holds the output's lock, as a run still writing does
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys; fh = open(sys.argv[1], 'a+'); fcntl.flock(fh, fcntl.LOCK_EX); "
            "fh.write('pid 4242'); fh.flush(); print('held', flush=True); sys.stdin.read()",
            str(out / "_lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RunnerBusy, match="pid 4242"):
            run_local([str(tmp_path / "in")], out)
        res = CliRunner().invoke(
            app, ["run", "--input", str(tmp_path / "in"), "--output", str(out)]
        )
        assert res.exit_code == 2
        assert "being written by another run (pid 4242)" in " ".join(res.output.split())
        assert not (out / "articles").exists() and not (out / "_manifest.json").exists()
    finally:
        holder.communicate("")
    # the holder is gone (a crashed run's lock goes with its process): the run goes ahead
    done = run_local([str(tmp_path / "in")], out)
    assert done["files"] == 1 and done["articles"] == 1


def test_run_command_prints_a_json_summary_for_schedulers(
    tmp_path: Path, samples_dir: Path
) -> None:
    from typer.testing import CliRunner

    from newsevents.cli import app

    _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000", "001"])
    args = [
        "run",
        "--input",
        str(tmp_path / "in"),
        "--output",
        str(tmp_path / "out"),
        "--json",
        "--workers",
        "1",
    ]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert summary["files"] == 1 and summary["articles"] == 2 and summary["events"] > 0
    assert summary["output"] == str(tmp_path / "out")
    again = json.loads(CliRunner().invoke(app, args).output)
    assert (again["files"], again["articles"], again["stories"]) == (0, 0, summary["stories"])


def test_ingest_and_both_batch_engines_build_the_same_records(
    tmp_path: Path, samples_dir: Path
) -> None:
    """``run`` is ``ingest`` with a Parquet sink: on one input (domestic and international
    events, a repeat, a copy of an article in another form, a line that is no article)
    ``ingest``, ``run --engine local`` and ``run --engine spark`` keep the same articles,
    events, discards and stories, id for id; each keeps the first copy it reads."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs.ingest import ingest
    from newsevents.storage.store import Store
    from newsevents.stories.build import update_stories

    src = tmp_path / "in"
    feed = _jsonl(samples_dir, src / "a.jsonl", ["000", "001", "002", "003", "004"])
    domestic = [
        (
            "d1",
            "2021-03-02",
            "Venezuelan police arrested opposition leader Juan Guaido in Caracas on Monday.",
        ),
        (
            "d2",
            "2021-03-02",
            "Police in Venezuela arrested opposition leader Juan Guaido on Monday, his party said.",
        ),
    ]
    with feed.open("a", encoding="utf-8") as fh:
        for i, when, text in domestic:
            fh.write(json.dumps({"id": i, "published": when, "text": text}) + "\n")
    first = json.loads(feed.read_text(encoding="utf-8").splitlines()[0])
    # b.jsonl: the same record again, and a line cut off; c.txt: the first article with a
    # line added (another form of it: a near duplicate, not the same text)
    (src / "b.jsonl").write_text(json.dumps(first) + '\n{"id": "cut", "text": \n')
    (src / "c.txt").write_text(first["text"] + "\n\nThis story has been updated.\n")
    coder = ArticleCoder()
    with Store(str(tmp_path / "s.duckdb")) as store:
        summary = ingest([str(src)], store, coder=coder)
        update_stories(store, coder.lex)

        def rows(sql: str) -> list[tuple]:
            return sorted(store.con.execute(sql).fetchall())

        stored = {
            "articles": rows("SELECT article_id FROM articles"),
            "events": rows("SELECT event_id FROM events"),
            "discards": rows("SELECT origin, reason FROM discards"),
            "stories": rows("SELECT story_id, actor_a, actor_b, n_articles FROM stories"),
        }
        domestic_events = store.con.execute(
            "SELECT count(*) FROM events WHERE source_country = target_country "
            "AND source_sector <> target_sector"
        ).fetchall()[0][0]
    assert (summary.duplicate, summary.near_duplicate) == (2, 1)
    assert len(stored["articles"]) == 7 and stored["discards"][0][1] == "malformed-json"
    assert domestic_events > 0  # the input does hold a domestic dyad
    assert any(a == b for _, a, b, _ in stored["stories"])  # and it became a story
    engines = {"local": lambda out: run_local([str(src)], out, coder=coder)}
    if shutil.which("java") is not None:
        engines["spark"] = lambda out: run_spark([str(src)], out, master="local[2]")
    for name, run in engines.items():
        out = tmp_path / name
        done = run(out)
        assert (done["articles"], done["events"]) == (7, len(stored["events"])), name
        assert {
            "articles": _table(out, "articles", "article_id"),
            "events": _table(out, "events", "event_id"),
            "discards": _table(out, "discards", "origin, reason"),
            "stories": _table(out, "stories", "story_id, actor_a, actor_b, n_articles"),
        } == stored, name
        # the kept articles' signatures are kept: a copy read by a later run is found too
        assert len(_table(out, "signatures", "article_id")) == 7, name


@pytest.mark.parametrize("stop", ["writing", "moving"])
def test_a_run_that_stops_mid_chunk_leaves_whole_chunks(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch, stop: str
) -> None:
    """A chunk's files join the output whole or not at all: a run stopped while writing them
    leaves nothing of the chunk, one stopped while moving them into place has the chunk
    finished by the next run; either way the next run ends with the output of a run that
    never stopped, nothing twice."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.storage import parquet_sink

    _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000", "001", "002", "003", "004"])
    coder = ArticleCoder()
    clean = tmp_path / "clean"
    run_local([str(tmp_path / "in")], clean, coder=coder)
    out = tmp_path / "out"
    real_write, real_replace = parquet_sink.write_parquet, parquet_sink.os.replace
    moves = []

    def write(rows: list, layout: object, folder: Path, *a: object, **k: object) -> None:
        if stop == "writing" and folder.name == "removed_spans":  # articles, events written
            raise RuntimeError("stopped while writing")
        real_write(rows, layout, folder, *a, **k)  # type: ignore[arg-type]

    def replace(src: Path, dest: Path) -> None:
        moves.append(dest)
        if stop == "moving" and len(moves) == 2:
            raise RuntimeError("stopped while moving")
        real_replace(src, dest)

    with monkeypatch.context() as m:
        m.setattr(parquet_sink, "write_parquet", write)
        m.setattr(parquet_sink.os, "replace", replace)
        with pytest.raises(RuntimeError, match="stopped"):
            run_local([str(tmp_path / "in")], out, coder=coder)
    staged = list((out / "_staging").iterdir())
    assert len(staged) == 1 and (staged[0] / "_COMMITTED").exists() == (stop == "moving")
    again = run_local([str(tmp_path / "in")], out, coder=coder)
    assert not (out / "_staging").exists()
    # a signature is written after its chunk: one a stop left out is made when next needed
    from newsevents.jobs.near import NearIndex

    NearIndex.of(parquet_sink.ParquetSink(out))
    for table, key in [
        ("articles", "article_id"),
        ("events", "event_id"),
        ("removed_spans", "article_id, start_char"),
        ("signatures", "article_id"),
    ]:
        rows = _table(out, table, key)
        assert rows == _table(clean, table, key), table
        assert len(rows) == len(set(rows)), table  # nothing twice
    assert again["stories"] == SAMPLE_STORIES


def test_a_spark_run_that_stops_before_its_commit_leaves_nothing(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spark engine stages its files too: stopped before they are marked whole, its run
    leaves nothing, and the next run writes what a run that never stopped writes."""
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    from newsevents.jobs import spark as engine

    _jsonl(samples_dir, tmp_path / "in" / "a.jsonl", ["000", "002", "004"])
    clean = tmp_path / "clean"
    run_local([str(tmp_path / "in")], clean)
    out = tmp_path / "out"

    def stop(chunk: Path, output: Path) -> None:
        raise RuntimeError("stopped before the commit")

    with monkeypatch.context() as m:
        m.setattr(engine, "commit_staged", stop)
        with pytest.raises(RuntimeError, match="stopped"):
            run_spark([str(tmp_path / "in")], out, master="local[2]")
    assert not (out / "articles").exists() and any((out / "_staging").iterdir())
    run_spark([str(tmp_path / "in")], out, master="local[2]")
    assert not (out / "_staging").exists()
    for table, key in [("articles", "article_id"), ("events", "event_id")]:
        assert _table(out, table, key) == _table(clean, table, key), table
