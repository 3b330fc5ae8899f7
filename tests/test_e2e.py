"""End to end: the real server on a free loopback port, driven by Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsevents.coding import ArticleCoder
from newsevents.pipeline import ingest
from newsevents.store import Store
from newsevents.stories import update_stories

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path):
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    coder = ArticleCoder()
    with Store(db) as store:
        ingest([str(samples_dir)], store, coder=coder)
        update_stories(store, coder.lex)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsevents", "serve", "--db", str(db), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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
            raise RuntimeError("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_timeline_click_story_in_chromium(server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(server + "/dyad/KOR/RUS")
            assert page.locator("svg.chart").count() == 1
            item = page.locator("li.story", has_text="2020-09-28")
            assert item.count() == 1
            page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
            item.locator("a.summary").click()
            page.wait_for_selector("article.evidence")
            outlets = page.locator("h2.outlet").all_inner_texts()
            assert len(outlets) == 2 and "Yonhap" in outlets
            assert page.locator("mark").count() >= 2
            assert page.locator("mark").first.is_visible()
            page.screenshot(path=str(tmp_path / "story.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "story.png").stat().st_size > 10_000
