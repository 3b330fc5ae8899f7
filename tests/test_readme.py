"""The README's usage examples run as written (issue 29): each command of its first shell
block, in order, from the project's root, against a store the first one builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SHARED


def _usage_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Usage\s+```sh\n(.*?)```", text, re.S)
    assert block, "README has a Usage section with a sh block"
    joined = block.group(1).replace("\\\n", " ")
    return [line.split("  #")[0].strip() for line in joined.splitlines() if line.strip()]


def test_every_usage_example_runs_as_written(tmp_path: Path) -> None:
    commands = _usage_commands()
    assert commands[0].startswith(".venv/bin/newsevents ingest examples/")
    ran = 0
    for cmd in commands:
        if "../shared" in cmd and not SHARED.is_dir():
            continue
        if "../shared/gold/articles" in cmd:
            continue  # the whole article gold: tests/test_article_eval.py runs it
        run = (
            cmd.replace("demo.duckdb", str(tmp_path / "demo.duckdb"))
            .replace("errors.jsonl", str(tmp_path / "errors.jsonl"))
            .replace(".venv/bin/newsevents", f"{sys.executable} -m newsevents")
        )
        res = subprocess.run(
            ["bash", "-c", run], cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        assert res.returncode == 0, (cmd, res.stdout[-1000:], res.stderr[-1000:])
        assert (
            res.stdout.strip() and "no events" not in res.stdout and "no discards" not in res.stdout
        ), cmd
        ran += 1
    assert ran >= 8
