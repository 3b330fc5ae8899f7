"""End to end: the real server on a free loopback port, driven by Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import serving
from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    coder = ArticleCoder()
    with Store(db) as store:
        ingest([str(samples_dir)], store, coder=coder)
        update_stories(store, coder.lex)
    with serving("--db", str(db)) as base:
        yield base


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
