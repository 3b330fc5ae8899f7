"""Benchmark: the local engine against Spark (``local[N]``) on the same input.

Writes the first ``--limit`` articles of a shared corpus into ``--files`` JSONL files, runs
``newsevents run`` on them with each engine (each in its own process, as a nightly job
would, so model loading, JVM start-up and the story merge are all counted), then runs each
once more over the same input (nothing new: the incremental path). It prints seconds and
articles/s for each, checks that both wrote the same articles, events, discards and
stories (the same ids, not only counts), and writes the figures to
``bench/out/runners.json``. The local engine is the baseline of the same run.

Usage::

    python bench/runners.py                       # 300 ISOT Reuters articles in 2 files
    python bench/runners.py --limit 2000 --files 4 --master 'local[2]'

Exit code 2 if the corpus or Java is missing, 1 if a run failed or the engines disagree.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
OUT = Path(__file__).resolve().parent / "out" / "runners.json"
#: What must be the same in both outputs: table → the columns that identify its rows.
SAME = {
    "articles": "article_id",
    "events": "event_id",
    "discards": "discard_id",
    "stories": "story_id, n_sources",
}


def split_input(corpus: Path, limit: int, files: int, folder: Path) -> int:
    """The first ``limit`` lines of ``corpus`` in ``files`` JSONL files of about equal size."""
    lines = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if len(lines) >= limit:
                break
            lines.append(line)
    folder.mkdir(parents=True)
    size = -(-len(lines) // files)
    for k in range(files):
        (folder / f"part-{k}.jsonl").write_text(
            "".join(lines[k * size : (k + 1) * size]), encoding="utf-8"
        )
    return len(lines)


def timed_run(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents", "run", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"newsevents run {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout.strip().splitlines()[-1]


def rows(out: Path, table: str, cols: str) -> list[tuple]:
    if not any((out / table).rglob("*.parquet")):
        return []
    pattern = str(out / table / "**" / "*.parquet")
    return sorted(
        duckdb.sql(
            f"SELECT {cols} FROM read_parquet('{pattern}', hive_partitioning=true)"
        ).fetchall()
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="isot_reuters_politics_2017.jsonl")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--files", type=int, default=2)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument(
        "--workers", type=int, default=0, help="local engine's coder processes (0: one per CPU)"
    )
    a = ap.parse_args()
    corpus = CORPORA / a.corpus
    if not corpus.is_file():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    if shutil.which("java") is None:
        print("no Java runtime for Spark", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="runners-") as tmp:
        root = Path(tmp)
        n = split_input(corpus, a.limit, a.files, root / "in")
        print(f"[runners] {n:,} articles of {a.corpus} in {a.files} files", file=sys.stderr)
        engines = {
            "local": ["--engine", "local", "--workers", str(a.workers)],
            "spark": ["--engine", "spark", "--master", a.master],
        }
        figures: dict[str, dict[str, float | str]] = {}
        try:
            for name, extra in engines.items():
                print(f"[runners] {name} ...", file=sys.stderr)
                common = ["--input", str(root / "in"), "--output", str(root / name), *extra]
                first, summary = timed_run(common)
                again, again_summary = timed_run(common)
                figures[name] = {
                    "seconds": round(first, 1),
                    "articles_per_s": round(n / first, 1),
                    "again_seconds": round(again, 1),
                    "summary": summary,
                    "again_summary": again_summary,
                }
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        differ = [
            t
            for t, cols in SAME.items()
            if rows(root / "local", t, cols) != rows(root / "spark", t, cols)
        ]
        counts = {t: len(rows(root / "local", t, cols)) for t, cols in SAME.items()}
    print(f"input: {n:,} articles of {a.corpus} in {a.files} JSONL files; Spark master {a.master}")
    print(f"{'engine':8}{'seconds':>9}{'articles/s':>12}{'again (nothing new)':>22}  summary")
    for name, f in figures.items():
        print(
            f"{name:8}{f['seconds']:>9}{f['articles_per_s']:>12}{str(f['again_seconds']) + ' s':>22}  {f['summary']}"
        )
    ratio = float(figures["spark"]["seconds"]) / float(figures["local"]["seconds"])
    print(f"spark / local time: {ratio:.2f}x")
    print(
        "same output: "
        + (
            "yes, " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            if not differ
            else "NO, they differ in " + ", ".join(differ)
        )
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "articles": n,
                "corpus": a.corpus,
                "files": a.files,
                "master": a.master,
                "engines": figures,
                "spark_over_local": round(ratio, 2),
                "same_output": not differ,
                "rows": counts,
            },
            indent=1,
        )
    )
    print(f"figures: {OUT}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
