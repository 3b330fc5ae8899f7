"""Make docs/timeline.png and docs/map.png: the KOR–RUS timeline page and the map page, over
a store of the shared samples and the bundled examples.

Usage: ``python scripts/screenshot.py [--samples ../shared/samples/korea-russia]``.
Starts the real server on a free loopback port and photographs the page with Debian's
Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--samples", type=Path, default=ROOT.parent / "shared" / "samples" / "korea-russia"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from newsevents.web.local import launch_chromium, serving

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shot.duckdb"
        examples = [str(ROOT / "examples" / d) for d in ("articles", "html", "feeds")]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "newsevents",
                "ingest",
                str(args.samples),
                *examples,
                "--db",
                str(db),
                "-q",
            ],
            check=True,
        )
        with serving("--db", str(db)) as server, sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            args.out.mkdir(parents=True, exist_ok=True)
            for url, name in (("/dyad/KOR/RUS", "timeline.png"), ("/map", "map.png")):
                page.goto(server.base + url)
                page.screenshot(path=str(args.out / name), full_page=True)
                print(f"wrote {args.out / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
