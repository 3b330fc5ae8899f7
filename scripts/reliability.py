"""Make docs/reliability.png: the reliability diagram and the precision-recall curve of event
confidence on the article gold's test part.

Usage: ``python scripts/reliability.py [--split test] [--out docs/reliability.png]``.
Runs ``newsevents eval ../shared/gold/articles --split test --plot`` (scored through ingest)
and photographs the SVG it draws with Debian's Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "articles"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=["test", "train", "all"], default="test")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.png")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from newsevents.web.local import launch_chromium

    with tempfile.TemporaryDirectory() as tmp:
        svg = Path(tmp) / "reliability.svg"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "newsevents",
                "eval",
                str(GOLD),
                "--split",
                args.split,
                "--plot",
                str(svg),
                "--json",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        text = svg.read_text(encoding="utf-8")
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 800, "height": 420})
        page.set_content(f"<!doctype html><body style='margin:0'>{text}</body>")
        page.locator("svg").screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
