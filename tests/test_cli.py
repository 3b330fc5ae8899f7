"""The command line, driven in-process through typer's runner (the real commands)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsevents.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.duckdb"
    res = runner.invoke(app, ["ingest", str(samples_dir), "--db", str(path), "-q"])
    assert res.exit_code == 0, res.output
    assert "read 5, new 5, duplicate 0, discarded 0" in res.output
    return path


def test_every_command_has_help_with_an_example() -> None:
    commands = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert {"ingest", "eval", "timeline", "stories", "export", "train"} <= set(commands)
    for cmd in commands:
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0, cmd
        assert "Example" in res.output, cmd


def test_ingest_again_counts_duplicates(db: Path, samples_dir: Path) -> None:
    res = runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db), "-q"])
    assert "new 0, duplicate 5" in res.output


def test_ingest_of_nothing_readable_exits_1(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "x.duckdb")]
    )
    assert res.exit_code == 1
    assert "discarded 1 as not-found" in res.output


def test_articles_formats(db: Path) -> None:
    res = runner.invoke(app, ["articles", "--db", str(db), "--format", "jsonl"])
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert len(rows) == 5
    res = runner.invoke(
        app, ["articles", "--db", str(db), "--since", "2021-01-01", "--format", "csv"]
    )
    assert res.output.count("\n") == 2  # header + the 2021 article
    res = runner.invoke(app, ["articles", "--db", str(db), "--since", "yesterday-ish"])
    assert res.exit_code == 2 and "not a date" in res.output


def test_show_article(db: Path) -> None:
    rows = [
        json.loads(x)
        for x in runner.invoke(
            app, ["articles", "--db", str(db), "-f", "jsonl"]
        ).output.splitlines()
    ]
    spam = next(
        r for r in rows if r["published_how"] == "header" and str(r["published"]) == "2021-02-12"
    )
    res = runner.invoke(app, ["show", spam["article_id"][:8], "--db", str(db)])
    assert res.exit_code == 0
    assert "seo-spam" in res.output and "header" in res.output
    assert runner.invoke(app, ["show", "nope", "--db", str(db)]).exit_code == 2


def test_events_and_timeline(db: Path) -> None:
    res = runner.invoke(
        app, ["events", "--db", str(db), "--dyad", "KOR-RUS", "--cameo", "04", "-f", "jsonl"]
    )
    evs = [json.loads(x) for x in res.output.splitlines()]
    assert evs and all(e["cameo"].startswith("04") for e in evs)
    res = runner.invoke(app, ["timeline", "KOR", "RUS", "--db", str(db), "-f", "jsonl"])
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert [r["date"] for r in rows] == ["2020-09-21", "2020-09-28", "2021-02-12", None]
    assert [r["date_sure"] for r in rows] == ["resolved", "resolved", "resolved", "unknown"]
    assert runner.invoke(app, ["events", "--db", str(db), "--dyad", "KOR"]).exit_code == 2
    # codes in any case; an actor the store does not know is an error that says so
    lower = runner.invoke(app, ["timeline", "kor", "rus", "--db", str(db), "-f", "jsonl"])
    assert [json.loads(x)["date"] for x in lower.output.splitlines()] == [r["date"] for r in rows]
    res = runner.invoke(app, ["timeline", "XXX", "YYY", "--db", str(db)])
    assert res.exit_code == 2 and "no actor 'XXX' in the store" in res.output


def test_stories_list_members_and_how_sure_each_date_is(db: Path) -> None:
    res = runner.invoke(app, ["stories", "--db", str(db), "--dyad", "rus-kor", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert rows and all({r["actor_a"], r["actor_b"]} == {"KOR", "RUS"} for r in rows)
    assert [r["story_date"] for r in rows] == sorted(
        (r["story_date"] for r in rows), key=lambda d: (d is None, d or "")
    )  # undated last, listed
    call = next(r for r in rows if r["story_date"] == "2020-09-28")
    # Yonhap's "on Monday" gives the day; the undated press release joins, its date inferred
    assert call["sure"] == "resolved" and call["agree"] == 1 and len(call["articles"]) == 2
    assert {m["published_how"] for m in call["articles"]} == {"header", "inferred"}
    undated = [r for r in rows if r["story_date"] is None]
    assert undated and all(r["sure"] == "unknown" and r["agree"] == 0 for r in undated)
    table = runner.invoke(app, ["stories", "--db", str(db), "--dyad", "KOR-RUS"]).output
    assert "resolved (1 of 2)" in table and "(inferred)" in table
    res = runner.invoke(
        app, ["stories", "--db", str(db), "--country", "kor", "--since", "2021-01-01", "-f", "csv"]
    )
    lines = res.output.splitlines()
    assert lines[0].startswith("date,sure,type,dyad") and len(lines) > 1
    assert all(
        line.startswith("2021-") for line in lines[1:]
    )  # dated on or after; undated left out
    for bad, says in ((["--dyad", "KOR"], "two country codes"), (["--type", "21"], "CAMEO root")):
        res = runner.invoke(app, ["stories", "--db", str(db), *bad])
        assert res.exit_code == 2 and says in res.output


def test_discards_are_listed_with_their_reasons(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "Chile and Peru signed a trade deal in Lima."}) + "\n{oops\n"
    )
    db = tmp_path / "d.duckdb"
    assert (
        runner.invoke(
            app, ["ingest", str(feed), str(tmp_path / "missing.txt"), "--db", str(db), "-q"]
        ).exit_code
        == 0
    )
    res = runner.invoke(app, ["discards", "--db", str(db), "-f", "jsonl"])
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert sorted(r["reason"] for r in rows) == ["malformed-json", "not-found"]
    assert all(r["detail"] for r in rows)
    only = runner.invoke(app, ["discards", "--db", str(db), "--reason", "not-found", "-f", "jsonl"])
    assert [json.loads(x)["origin"] for x in only.output.splitlines()] == [
        str(tmp_path / "missing.txt")
    ]


def test_code_command_writes_the_stable_json(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps(
            {"id": "a", "text": "Egypt urged Israel to allow aid into Gaza.", "date": "2023-10-20"}
        )
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "b", "text": "The weather was mild."})
        + "\n"
    )
    res = runner.invoke(app, ["code", str(f)])
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert {x["id"] for x in lines} == {"a"}
    keys = {
        "id",
        "event_id",
        "sentence",
        "span",
        "date",
        "date_how",
        "source",
        "target",
        "cameo",
        "cameo_name",
        "plover",
        "plover_mode",
        "quad_class",
        "goldstein",
        "location",
        "negated",
        "hypothetical",
        "reported_by",
        "confidence",
    }
    assert keys <= set(lines[0])
    assert lines[0]["source"]["country"] == "EGY" and lines[0]["target"]["country"] == "ISR"


def test_code_cleans_its_input_as_ingest_does(tmp_path: Path) -> None:
    text = (
        "SEOUL (Yonhap - 21st September, 2020) Japan and Australia held talks in Tokyo on Monday."
        "\n\nMost read\n\nRussia attacked Ukraine\n\nChina sanctions US firms\n\nIran threatens Israel"
    )
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps({"id": "x", "text": text})
        + "\n"
        + json.dumps({"id": "y", "text": "Most read"})
        + "\n"
    )
    res = runner.invoke(app, ["code", str(f)])
    assert res.exit_code == 0
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    # the headline list yields nothing; the dateline dates the article
    assert [(x["cameo"][:2], x["sentence"], x["date"]) for x in lines] == [
        ("04", "Japan and Australia held talks in Tokyo on Monday.", "2020-09-21")
    ]
    assert "skipped" in res.stderr and "empty-after-cleaning" in res.stderr


def test_explain_says_why(tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        [
            "explain",
            "Tokyo and Canberra held defence talks on Monday.",
            "--date",
            "2023-03-14",
            "--json",
        ],
    )
    info = json.loads(res.output)
    assert info["events"] and info["triggers"]
    res = runner.invoke(app, ["explain", "The weather was mild on Monday."])
    assert "no event" in res.output


def test_explain_lists_every_candidate_accepted_or_rejected_with_its_reason() -> None:
    sentence = (
        "The United States and Japan condemned North Korea's missile launch, a spokesman who "
        "was asked whether talks would resume said."
    )
    res = runner.invoke(app, ["explain", sentence, "--date", "2017-07-04", "--json"])
    got = {c["trigger"]: (c["decision"], c["reason"]) for c in json.loads(res.output)["candidates"]}
    assert got["condemned"] == ("accepted", "111 USA -> PRK; 111 JPN -> PRK")
    assert got["asked"] == ("rejected", "a question or a naming, not a request of an act")
    assert got["talks"][0] == "rejected" and got["talks"][1].startswith("no source")
    res = runner.invoke(app, ["explain", "Russia did not attack Ukraine."])
    assert (
        "accepted 'attack' (attack -> 180): 180 RUS -> UKR, negated: counted nowhere" in res.output
    )
    res = runner.invoke(app, ["explain", "The dog attacked the cat.", "--json"])
    [cand] = json.loads(res.output)["candidates"]
    assert cand["decision"] == "rejected" and "names no actor" in cand["reason"]


def test_eval_command(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "1",
                "text": "Tokyo and Canberra held defence talks on Monday.",
                "date": "2023-03-14",
                "events": [{"source_country": "JPN", "target_country": "AUS", "cameo": "040"}],
            }
        )
        + "\n"
    )
    res = runner.invoke(app, ["eval", str(gold), "--json"])
    rep = json.loads(res.output)
    assert rep["overall"]["tp"] == 1 and rep["overall"]["f1"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('verbs:\n  "040": [confer]\n  "040": [parley]\n', "line 3 duplicate key '040'"),
        ('verbs:\n  "040": [confer: x\n', "line 3"),
        ("- a list\n- not a mapping\n", "must be a YAML mapping"),
    ],
)
def test_a_bad_dictionary_is_an_error_message(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(content, encoding="utf-8")
    res = runner.invoke(app, ["explain", "Chile conferred with Peru.", "--dict", str(path)])
    assert res.exit_code == 2, res.output
    assert "dictionary:" in res.output and message in " ".join(res.output.split())
    assert "Traceback" not in res.output


def test_a_run_stopped_in_the_stories_step_is_finished_by_the_next(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsevents.stories.build as build
    from newsevents.storage.store import Store

    db = tmp_path / "s.duckdb"
    real = build.update_stories

    def killed(*_: object, **__: object) -> None:
        raise SystemExit(137)  # as if killed while merging stories: articles stored, no stories

    monkeypatch.setattr(build, "update_stories", killed)
    runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db), "-q"])
    with Store(db, read_only=True) as store:
        assert (
            store.count("articles") == 5
            and store.count("stories") == 0
            and not store.stories_current()
        )
    monkeypatch.setattr(build, "update_stories", real)
    res = runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db), "-q"])
    assert "new 0, duplicate 5" in res.output and "stories" in res.output
    with Store(db, read_only=True) as store:
        assert store.count("stories") > 0 and store.stories_current()
    # and once current, a run with nothing new leaves them be
    assert (
        "stories"
        not in runner.invoke(app, ["ingest", str(samples_dir), "--db", str(db), "-q"]).output.split(
            "store:"
        )[0]
    )


def test_explain_never_prints_python_none() -> None:
    # an organization's act on a side no country places (a state's would be domestic)
    res = runner.invoke(
        app,
        [
            "explain",
            "NATO troops fired on a police convoy, killing seven officers, an official said.",
        ],
    )
    assert res.exit_code == 0 and "?COP" in res.output
    assert "None" not in res.output


def test_a_failed_export_leaves_no_file_and_says_why(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", "--db", str(db), "-o", str(tmp_path / "missing" / "x.csv")])
    assert res.exit_code == 2 and "no folder" in res.output and "Traceback" not in res.output
    target = tmp_path / "events.tsv"
    res = runner.invoke(
        app, ["export", "--db", str(db), "--what", "events", "-f", "gdelt", "-o", str(target)]
    )
    assert res.exit_code == 2 and not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no empty file, no partial one
    ok = runner.invoke(
        app, ["export", "--db", str(db), "--what", "stories", "-f", "gdelt", "-o", str(target)]
    )
    assert ok.exit_code == 0 and target.read_text().count("\n") > 0
    assert [p.name for p in tmp_path.iterdir()] == ["events.tsv"]


def test_serving_a_folder_without_parquet_is_an_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["serve", "--parquet", str(tmp_path / "nothing")])
    assert res.exit_code == 2 and "no Parquet output at" in res.output


def test_an_unforeseen_failure_is_one_line_and_exit_3(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    import newsevents.cli as cli

    def broken(*_: object, **__: object) -> None:
        raise TypeError("boom")

    monkeypatch.setattr(cli.Store, "articles", broken)
    monkeypatch.setattr(sys, "argv", ["newsevents", "articles", "--db", str(db)])
    with pytest.raises(SystemExit) as stop:
        cli.run()
    assert stop.value.code == cli.EXIT_BUG
    msg = capsys.readouterr().err
    assert "unexpected failure (TypeError: boom)" in msg and "Traceback" not in msg


def test_version_needs_no_command() -> None:
    from newsevents import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"newsevents {__version__}"


def test_a_date_option_is_yyyy_mm_dd_only(db: Path) -> None:
    for bad in ("01-02-2023", "2023-13-45", "yesterday", "2023/01/02"):
        res = runner.invoke(app, ["events", "--db", str(db), "--since", bad])
        assert res.exit_code == 2 and "is not a date (use YYYY-MM-DD)" in res.output, bad
    assert runner.invoke(app, ["events", "--db", str(db), "--since", "2020-09-01"]).exit_code == 0
