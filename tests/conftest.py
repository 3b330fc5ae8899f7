"""Shared fixtures: paths to the shared samples (skipped when ../shared is absent)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples" / "korea-russia"
#: the stories the five samples make: the five a user expects (korea-russia.expected.json)
#: and 004's announced trip to a G20 summit (an intent the article protocol codes, 03)
SAMPLE_STORIES = 6
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


@contextlib.contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``newsevents serve ARGS`` on a free loopback port (``newsevents.web.local``): yields its
    base URL once it answers, and stops it afterwards."""
    from newsevents.web.local import serving as served

    with served(*args, env=env) as server:
        yield server.base


# Property tests explore new random inputs on developers' machines; CI replays a fixed
# sequence so that a submission's result does not depend on luck.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("ci", derandomize=True, print_blob=True)
if __import__("os").environ.get("CI"):
    _hsettings.load_profile("ci")
