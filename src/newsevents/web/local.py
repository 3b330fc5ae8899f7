"""``newsevents serve`` in a process of its own on a free loopback port, for the tests, the
benchmarks and the screenshot scripts: one way to start it, wait until it answers and stop it;
and one way to launch Debian's Chromium for them (never ``playwright install``)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
#: headless, and nothing that reaches the network on its own
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)


def launch_chromium(playwright: Any) -> Any:
    """A Playwright browser over Debian's Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))


@dataclass(frozen=True)
class Served:
    base: str  # "http://127.0.0.1:PORT"
    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    *args: str, env: dict[str, str] | None = None, wait_s: float = 20.0
) -> Iterator[Served]:
    """``newsevents serve ARGS`` bound to 127.0.0.1 on a free port: yields once
    ``/api/summary`` answers 200, and stops the server afterwards. Its log goes to a file (a
    pipe nobody reads would block it once full) and is shown if it does not start."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsevents",
                "serve",
                *args,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + wait_s
            while not _answers(base + "/api/summary"):
                if time.monotonic() > deadline or proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(
                        "server did not start: " + log.read().decode(errors="replace")[-2000:]
                    )
                time.sleep(0.2)
            yield Served(base, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:  # noqa: S310 - a loopback URL we built
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False
