"""Benchmark: hostile input at volume, and the web server under load (issue 29).

Two parts, both bounded in count and time, loopback only.

**Hostile input.** Writes a folder of ``--copies`` of every kind of input that once stopped
an ingest or vanished (deep JSON nesting, lone surrogates, non-UTF-8 file names, cut and
malformed WARC files, oversized JSONL records, gzip bombs, hidden files, binary files,
malformed lines) beside as many good articles, ingests it (``--no-code``: reading, cleaning
and storing are what is under test) and prints the articles, duplicates and discards by
reason, **lost** (inputs that became none of these: must be 0), tracebacks (must be 0),
seconds and peak RSS. The baseline in the same run is the good articles alone.

**Load.** Ingests ``--articles`` real articles (ISOT Reuters politics, then BBC, then
Reuters-21578, from ``../shared/corpora``) with the coder, serves the store with ``newsevents serve`` and runs
1, 8 and 32 concurrent clients over the API's read endpoints for ``--seconds`` each, then a
soak at 8 clients for ``--soak`` seconds: requests/s, p50 and p99 latency, 4xx and 5xx and dropped
connections, the server's RSS before and after. Goals: 0 errors, p99 under 200 ms at 8
clients, flat RSS in the soak. The baseline in the same run is the same queries run
directly on the store, in-process, one at a time (what a request costs without HTTP).

Usage: ``python bench/robustness.py [--copies 200] [--articles 3000] [--seconds 20]
[--soak 120] [--skip-load]``. Figures also go to ``bench/out/robustness.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: real articles for the load test, taken in this order until there are enough (ISOT has 1,001)
CORPORA = [
    ROOT.parent / "shared" / "corpora" / name
    for name in ("isot_reuters_politics_2017.jsonl", "bbc.jsonl", "reuters21578.jsonl")
]
OUT = ROOT / "bench" / "out" / "robustness.json"
PATHS = (
    "/api/search?q=Trump",
    "/api/search?q=the",
    "/api/summary",
    "/api/dyads/USA/RUS",
    "/api/actors/USA",
    "/api/dyads/USA/CHN?page=2&per_page=20",
    "/map",
    "/dyad/USA/RUS",
    "/api/map?country=USA",
    "/events?country=USA",
    "/article/{article}",
)
GOOD = (
    "Kenya and Ethiopia signed a border security accord in Nairobi on Sunday, officials said. "
    "The deal covers patrols along the frontier."
)


def _warc(uri: str | None, body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
    block = http + body
    head = [
        b"WARC/1.0",
        b"WARC-Type: response",
        b"WARC-Record-ID: <urn:uuid:%d>" % len(block),
        b"Content-Length: %d" % len(block),
    ]
    if uri is not None:
        head.insert(2, b"WARC-Target-URI: " + uri.encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def hostile_folder(root: Path, copies: int) -> int:
    """Write the inputs; returns how many there are (files, and lines of the JSONL files)."""
    root.mkdir(parents=True)
    n = 0
    page = (f"<html><body><article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>").encode()
    for i in range(copies):
        d = root / f"batch{i:04d}"
        d.mkdir()
        (d / "good.txt").write_text(f"{GOOD} Item {i}.")
        (d / "feed.jsonl").write_text(
            json.dumps({"text": f"{GOOD} Line {i}."})
            + "\n"
            + '{"text": '
            + "[" * 20_000
            + "]" * 20_000
            + "}\n"  # deep nesting
            + '{"title": "x\\ud800", "text": "Ghana and Togo met in Accra. \\udfff Item '
            + str(i)
            + '."}\n'
            + json.dumps({"text": "word " * 300_000})
            + "\n"  # over --max-bytes
            + "{broken\n"
        )
        n += 1 + 5
        with open(os.path.join(os.fsencode(d), b"caf\xe9.txt"), "wb") as fh:
            fh.write(f"Norway and Sweden signed a fisheries deal. Item {i}.".encode())
        whole = _warc(
            f"https://news.example/{i}", page.replace(b"</p>", f" Item {i}.</p>".encode(), 1)
        )
        (d / "cut.warc").write_bytes(whole + whole[:40])
        (d / "nouri.warc").write_bytes(_warc(None, page))
        (d / "bomb.warc.gz").write_bytes(
            gzip.compress(_warc("https://x.example/b", b"<p>" + b"a" * 5_000_000))
        )
        (d / ".hidden.txt").write_text(GOOD)
        (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
        n += 7
    return n


def hostile(copies: int, max_bytes: int, malformed: int) -> dict[str, Any]:
    from newsevents.jobs.ingest import ingest
    from newsevents.storage.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        inputs = hostile_folder(Path(tmp) / "in", copies)
        base = Path(tmp) / "base"
        base.mkdir()
        for i in range(copies):
            (base / f"{i}.txt").write_text(f"{GOOD} Item {i}.")
        t0 = time.perf_counter()
        with Store(Path(tmp) / "b.duckdb") as store:
            ingest([str(base)], store, max_bytes=max_bytes)
        base_s = time.perf_counter() - t0
        tracebacks = 0
        t0 = time.perf_counter()
        try:
            with Store(Path(tmp) / "h.duckdb") as store:
                s = ingest([str(Path(tmp) / "in")], store, max_bytes=max_bytes)
                stored = store.count("articles")
                discards = store.count("discards")
        except Exception:  # the figure this benchmark exists to keep at 0
            tracebacks += 1
            raise
        seconds = time.perf_counter() - t0
        # discards at volume: one file of malformed lines (written a row at a time, 100,000
        # took 298 s)
        bad = Path(tmp) / "malformed.jsonl"
        bad.write_text("".join(f'{{"id": {i}, "text": \n' for i in range(malformed)))
        t0 = time.perf_counter()
        with Store(Path(tmp) / "m.duckdb") as store:
            m = ingest([str(bad)], store)
            malformed_stored = store.count("discards")
        malformed_s = time.perf_counter() - t0
    # a JSONL line or a WARC record may hold an article each: count the inputs that ended
    accounted = s.new + s.duplicate + s.n_discarded
    return {
        "inputs": inputs,
        "articles": stored,
        "duplicates": s.duplicate,
        "discards": discards,
        "discards_by_reason": dict(sorted(s.discarded.items())),
        "lost": max(0, inputs - accounted),
        "tracebacks": tracebacks,
        "seconds": round(seconds, 2),
        "baseline_good_only_seconds": round(base_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "malformed_lines": malformed,
        "malformed_discarded": m.n_discarded,
        "malformed_discards_stored": malformed_stored,
        "malformed_seconds": round(malformed_s, 2),
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _clients(base: str, n: int, seconds: float, paths: list[str]) -> dict[str, Any]:
    import httpx

    lat: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def loop(k: int) -> None:
        with httpx.Client(timeout=30) as c:
            i = k
            while time.perf_counter() < stop:
                path = paths[i % len(paths)]
                i += 1
                t = time.perf_counter()
                try:
                    r = c.get(base + path)
                    bad = str(r.status_code) if r.status_code >= 400 else None
                except httpx.HTTPError as exc:
                    bad = type(exc).__name__
                with lock:
                    lat.append(time.perf_counter() - t)
                    if bad:
                        errors[bad] = errors.get(bad, 0) + 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {
        "clients": n,
        "requests": len(lat),
        "requests_per_s": round(len(lat) / wall, 1),
        "p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "p99_ms": round(1000 * lat[int(len(lat) * 0.99)], 1) if lat else None,
        "errors": errors,
    }


def load(n_articles: int, seconds: float, soak: float) -> dict[str, Any]:
    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs.ingest import ingest
    from newsevents.storage import queries
    from newsevents.storage.store import Store
    from newsevents.stories.build import update_stories
    from newsevents.web.local import serving

    if not CORPORA[0].is_file():
        return {"skipped": f"{CORPORA[0]} is not present"}
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        taken = 0
        with feed.open("w") as dst:
            for corpus in (c for c in CORPORA if c.is_file()):
                with corpus.open() as src:
                    for line in src:
                        if taken >= n_articles:
                            break
                        dst.write(line)
                        taken += 1
        db = Path(tmp) / "load.duckdb"
        coder = ArticleCoder()
        try:
            with Store(db) as store:
                ingest([str(feed)], store, coder=coder)
                update_stories(store, coder.lex)
        finally:
            coder.close()
        # baseline: the same queries in-process, one at a time, no HTTP
        with Store(db, read_only=True) as store:
            calls = [
                lambda: queries.search(store, "Trump", 1, 50),
                lambda: queries.search(store, "the", 1, 50),
                lambda: queries.summary(store),
                lambda: queries.dyad_timeline(store, "USA", "RUS", None, None, None, 1, 50),
                lambda: queries.actor(store, "USA", 1, 50),
                lambda: queries.world_map(store, None, None, None, None),
            ]
            times = []
            for _ in range(10):
                for call in calls:
                    t = time.perf_counter()
                    call()
                    times.append(time.perf_counter() - t)
            article = store.query("SELECT article_id FROM articles ORDER BY article_id LIMIT 1")[0][
                "article_id"
            ]
            stored = store.count("articles")
        times.sort()
        paths = [p.format(article=article) for p in PATHS]
        with serving("--db", str(db)) as server:
            rss_start = _rss_mb(server.pid)
            runs = [_clients(server.base, n, seconds, paths) for n in (1, 8, 32)]
            rss_before_soak = _rss_mb(server.pid)
            soak_run = _clients(server.base, 8, soak, paths)
            rss_after_soak = _rss_mb(server.pid)
    return {
        "articles": stored,
        "baseline_in_process_p50_ms": round(1000 * statistics.median(times), 1),
        "baseline_in_process_p99_ms": round(1000 * times[int(len(times) * 0.99)], 1),
        "runs": runs,
        "soak": soak_run,
        "server_rss_mb": {
            "start": round(rss_start, 1),
            "before_soak": round(rss_before_soak, 1),
            "after_soak": round(rss_after_soak, 1),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--max-bytes", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--soak", type=float, default=120)
    ap.add_argument(
        "--malformed", type=int, default=100_000, help="malformed JSONL lines in one file"
    )
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args()
    figures: dict[str, Any] = {"hostile": hostile(args.copies, args.max_bytes, args.malformed)}
    print("hostile input:", json.dumps(figures["hostile"]))
    if not args.skip_load:
        figures["load"] = load(args.articles, args.seconds, args.soak)
        print("load:", json.dumps(figures["load"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=1))
    print(f"figures: {OUT}")


if __name__ == "__main__":
    main()
