"""End to end: the real server on a free loopback port, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import serving
from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories
from newsevents.web.local import CHROMIUM, launch_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    coder = ArticleCoder()
    with Store(db) as store:
        ingest([str(samples_dir)], store, coder=coder)
        update_stories(store, coder.lex)
    with serving("--db", str(db)) as base:
        yield base


@contextlib.contextmanager
def chromium_page(width: int = 1100) -> Iterator[Any]:
    """A page of Debian's Chromium through Playwright, closed afterwards."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser.new_page(viewport={"width": width, "height": 900})
        finally:
            browser.close()


def test_timeline_click_story_in_chromium(server: str, tmp_path: Path) -> None:
    with chromium_page() as page:
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
    assert (tmp_path / "story.png").stat().st_size > 10_000


def test_map_point_opens_its_story_in_chromium(server: str, tmp_path: Path) -> None:
    with chromium_page() as page:
        page.goto(server + "/map?country=KOR")
        box = page.locator("svg.map").bounding_box()
        assert box and box["width"] > 900 and box["height"] > 200
        assert page.locator("svg.map path.land").count() > 170  # the outlines are drawn
        point = page.locator("svg.map circle.point").first
        assert point.is_visible()
        where = point.locator("title").text_content() or ""
        page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
        point.click()
        page.wait_for_selector("article.evidence")
        assert "/story/" in page.url
        place = where.split(" · ")[1]  # the point's place is among the story's mentions
        assert place and place in page.locator("ul.mentions").first.inner_text()


def test_pages_fit_a_phone_and_chart_labels_are_readable_in_chromium(
    server: str, tmp_path: Path
) -> None:
    story = httpx.get(server + "/api/dyads/KOR/RUS").json()["stories"][0]["story_id"]
    article = httpx.get(server + "/api/events?per_page=1").json()["events"][0]["article_id"]
    with chromium_page(width=400) as page:
        for url in (
            "/",
            "/dyad/KOR/RUS",
            "/map",
            "/search?q=Lavrov",
            "/events",
            "/actor/KOR",
            f"/story/{story}",
            f"/article/{article}",
        ):
            page.goto(server + url)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 400, f"{url} is {overflow} pixels wide at 400"
        page.goto(server + "/dyad/KOR/RUS")
        ticks = page.locator("svg.chart text.tick:not(.wide)")  # the others are hidden on a phone
        assert ticks.count() >= 2
        for i in range(ticks.count()):
            box = ticks.nth(i).bounding_box()
            assert box and box["height"] >= 11  # 12-pixel labels, not shrunk with the chart
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        assert page.locator("header a", has_text="Map").is_visible()


def test_api_docs_render_offline_in_chromium(server: str) -> None:
    with chromium_page() as page:
        outside, problems = [], []
        page.on(
            "request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None
        )
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.locator(".opblock").count() >= 7  # every API route
        assert outside == [] and problems == []
