"""One settings registry (``newsevents.settings``): the README, the CLI and the code agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsevents import settings
from newsevents.cli import app
from newsevents.storage.store import default_db_path, duckdb_config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_is_the_registry() -> None:
    section = README[README.index("## Settings") :].split("\n## ")[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| (`([A-Z_]+)`|\(fixed\)) \|", section, re.M)
    assert [(name, env or None) for name, _, env in rows] == [
        (s.name, s.env) for s in settings.SETTINGS
    ]


def test_the_package_reads_no_variable_the_registry_does_not_name() -> None:
    named = {s.env for s in settings.SETTINGS if s.env}
    read = set()
    for path in (ROOT / "src" / "newsevents").rglob("*.py"):
        read |= set(re.findall(r"NEWSEVENTS_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert read <= named, read - named


def test_every_command_is_in_the_readme() -> None:
    commands = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    for cmd in commands:
        assert f"newsevents {cmd}" in README, cmd


def test_the_environment_overrides_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_DB", "/tmp/elsewhere.duckdb")
    monkeypatch.setenv("NEWSEVENTS_DUCKDB_MEMORY", "32MB")
    assert default_db_path() == "/tmp/elsewhere.duckdb"
    assert duckdb_config() == {"memory_limit": "32MB"}
    res = CliRunner().invoke(app, ["settings", "--format", "jsonl"])
    assert res.exit_code == 0
    assert (
        '"name": "db", "value": "/tmp/elsewhere.duckdb", "default": "newsevents.duckdb"'
        in res.output
    )
    monkeypatch.delenv("NEWSEVENTS_DB")
    monkeypatch.setenv("NEWSEVENTS_DUCKDB_MEMORY", "")  # empty: the default
    assert default_db_path() == "newsevents.duckdb" and duckdb_config() == {"memory_limit": "64MB"}
    assert settings.value("min_confidence") == settings.MIN_CONFIDENCE
