"""Shared fixtures: paths to the shared samples (skipped when ../shared is absent)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples" / "korea-russia"
EXPECTED = SHARED / "samples" / "korea-russia.expected.json"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples/korea-russia is not present")
    return SAMPLES


@pytest.fixture(scope="session")
def expected() -> dict:
    if not EXPECTED.is_file():
        pytest.skip("../shared/samples/korea-russia.expected.json is not present")
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def sample_file(samples: Path, prefix: str) -> Path:
    return next(samples.glob(f"{prefix}_*.txt"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``newsevents serve ARGS`` in its own process on a free loopback port: yields its base
    URL once it answers, and stops it afterwards. Its log goes to a file (a pipe nobody
    reads would block the server once full), shown if it does not start."""
    import os
    import tempfile

    import httpx

    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsevents", "serve", *args, "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(base + "/api/summary", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                log.seek(0)
                raise RuntimeError("server did not start: " + log.read().decode(errors="replace")[-2000:])
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# Property tests explore new random inputs on developers' machines; CI replays a fixed
# sequence so that a submission's result does not depend on luck.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("ci", derandomize=True, print_blob=True)
if __import__("os").environ.get("CI"):
    _hsettings.load_profile("ci")
