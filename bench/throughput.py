"""Benchmark: the whole pipeline (read → clean → code → merge → store) against plain spaCy.

Measures, over the shared news corpora (Reuters-21578, ISOT Reuters politics 2017, BBC):

- **pipeline**: ``newsevents.jobs.ingest.ingest`` with an ``ArticleCoder`` (read, clean, date,
  language, event coding, DuckDB store) followed by ``newsevents.stories.build.update_stories``
  (the merge into stories and coverage groups), timed together, in articles/s. The
  coder's worker processes end between the two, as in ``newsevents ingest``. It runs at
  two sizes: a small run (the first ``--small`` articles) and a full run (every selected
  article). Both take the articles in the same deterministic interleaving of the corpora,
  so the small run has the same mix of corpora as the full run and is a prefix of it.
- **baseline**: plain ``nlp.pipe`` with the unmodified spaCy model (all components: tagger,
  parser, NER, …), single process, ``batch_size=32``, over the article texts as they are in
  the JSONL (no title), consuming ``doc.sents``. It is slow, so it runs on a deterministic
  sample of the same articles (every k-th article of the full selection, at most
  ``--baseline-limit``); its articles/s on that sample is the baseline figure.
- **memory**: every run happens in a fresh subprocess, so each size has its own peak. The
  script reports the main process's peak RSS (``ru_maxrss``) and, sampled from ``/proc``
  over the process and all its descendants (the coder's spaCy workers), the peak total RSS
  (shared pages counted once per process, so an overestimate; every 0.2 s) and the peak
  total PSS (shared pages split between the processes that map them: the honest total;
  every 2 s, and whenever the total RSS has grown by 64 MB since the last PSS sample).
  The goal is at most 1 GiB, and flat from the small run to the whole corpus. PSS is
  sampled less often because the kernel walks a process's whole page table to sum it:
  about 8 ms of CPU per read of a worker with the model loaded, so four processes read
  five times a second took some 8% of the two CPUs the run is measured on.

It prints a table, the CPU per article by process and the CPUs busy, the ratio
pipeline/nlp.pipe, the RSS growth from the small to the full run, and writes the figures
as JSON to ``bench/out/throughput.json``.

Usage::

    python bench/throughput.py                      # whole corpora (slow: tens of minutes)
    python bench/throughput.py --limit 3000         # a quicker run on 3,000 articles
    python bench/throughput.py --limit 300 --small 100 --baseline-limit 50 --workers 1

Exit code 2 if a corpus is missing, 1 if a run failed.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
DEFAULT_CORPORA = ("reuters21578.jsonl", "isot_reuters_politics_2017.jsonl", "bbc.jsonl")
OUT = Path(__file__).resolve().parent / "out" / "throughput.json"
SAMPLE_EVERY_S = 0.2
#: Seconds between two PSS samples, unless the total RSS grows by ``PSS_ON_GROWTH_KB`` sooner.
PSS_EVERY_S = 2.0
PSS_ON_GROWTH_KB = 64 * 1024
GOAL_RATIO = 3.0
GOAL_PEAK_MB = 1024.0
#: Articles read at which the pipeline run records its memory (to see it level off).
MARKS = (500, 1000, 2000, 4000, 8000, 12000)


# -- memory, from /proc --------------------------------------------------------------------


def _status_kb(pid: int, path: str, key: str) -> int:
    """The ``key: N kB`` figure of ``/proc/<pid>/<path>``, 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from each thread's ``/proc/<pid>/task/*/children``
    (or, where the kernel has no such file, from the parent pids of the whole ``/proc``)."""
    if not _HAS_CHILDREN_FILES:
        return _process_tree_by_scan(root)
    out: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):  # the process or thread has just ended
            continue
    return out


#: Whether the kernel lists each thread's children (``CONFIG_PROC_CHILDREN``).
_HAS_CHILDREN_FILES = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


def _process_tree_by_scan(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, ()))
    return out


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _own_cpu_seconds() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def rss_now_mb(pid: int | None = None) -> float:
    return _status_kb(pid or os.getpid(), "status", "VmRSS:") / 1024


class MemoryMonitor:
    """Samples the summed RSS and PSS of this process and its descendants in a thread."""

    def __init__(self, every_s: float = SAMPLE_EVERY_S, pss_every_s: float = PSS_EVERY_S) -> None:
        self.every_s = every_s
        self.pss_every_s = pss_every_s
        self._last_pss_at = float("-inf")
        self._last_pss_kb = 0
        self._rss_at_last_pss_kb = 0
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_procs = 0
        self.samples = 0
        self.marks: list[dict[str, Any]] = []  # the memory at named points of the run
        self.cpu_s: dict[int, float] = {}  # descendant pid → its CPU seconds, last sampled
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-monitor", daemon=True)

    def sample(self, pss: bool = True) -> int:
        """Sample now (the PSS too if ``pss``, if its time has come, or if the total RSS has
        grown fast since); returns the total PSS in kB, as of its last sample."""
        pids = process_tree(os.getpid())
        rss = sum(_status_kb(p, "status", "VmRSS:") for p in pids)
        for pid in pids[1:]:
            self.cpu_s[pid] = max(self.cpu_s.get(pid, 0.0), _cpu_seconds(pid))
        now = time.monotonic()
        if (
            pss
            or now - self._last_pss_at >= self.pss_every_s
            or rss >= self._rss_at_last_pss_kb + PSS_ON_GROWTH_KB
        ):
            self._last_pss_kb = sum(_status_kb(p, "smaps_rollup", "Pss:") for p in pids)
            self._last_pss_at = now
            self._rss_at_last_pss_kb = rss
            self.peak_pss_kb = max(self.peak_pss_kb, self._last_pss_kb)
            self.samples += 1
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.peak_procs = max(self.peak_procs, len(pids))
        return self._last_pss_kb

    def mark(self, label: str) -> None:
        """Record the total PSS now and the peak so far under ``label``."""
        now = self.sample()
        self.marks.append(
            {"at": label, "pss_mb": now / 1024, "peak_pss_mb": self.peak_pss_kb / 1024}
        )

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.sample(pss=False)

    def start(self) -> MemoryMonitor:
        self.sample()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def as_dict(self) -> dict[str, Any]:
        return {
            "main_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "total_peak_rss_mb": self.peak_rss_kb / 1024,
            "total_peak_pss_mb": self.peak_pss_kb / 1024,
            "peak_processes": self.peak_procs,
            "memory_samples": self.samples,
            "memory_marks": self.marks,
        }


# -- the children (each run in a fresh process) ----------------------------------------


class TimedCoder:
    """Wraps the coder to time the coding stage inside ``ingest``: the time the main process
    spends coding or waiting for its worker processes (with workers, the coding of one
    chunk overlaps the reading and storing of the next, and that part is not counted)."""

    def __init__(self, coder: Any) -> None:
        self.coder = coder
        self.seconds = 0.0

    def __call__(self, articles: Sequence[Any]) -> list[Any]:
        t0 = time.perf_counter()
        try:
            return self.coder(articles)  # type: ignore[no-any-return]
        finally:
            self.seconds += time.perf_counter() - t0

    def submit(self, articles: Sequence[Any]) -> Any:
        t0 = time.perf_counter()
        wait = self.coder.submit(articles)
        self.seconds += time.perf_counter() - t0

        def timed_wait() -> list[Any]:
            t1 = time.perf_counter()
            try:
                return wait()  # type: ignore[no-any-return]
            finally:
                self.seconds += time.perf_counter() - t1

        return timed_wait


def child_pipeline(src: Path, workdir: Path, workers: int, learned: bool = True) -> dict[str, Any]:
    mon = MemoryMonitor().start()
    t0 = time.perf_counter()
    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs.ingest import ingest
    from newsevents.storage.store import Store
    from newsevents.stories.build import update_stories

    coder = ArticleCoder(n_process=workers, learned=learned)
    setup_s = time.perf_counter() - t0
    rss_after_setup = rss_now_mb()
    timed = TimedCoder(coder)
    workdir.mkdir(parents=True, exist_ok=True)
    read = 0

    def on_item(_unit: str) -> None:  # memory along the run: does it level off?
        nonlocal read
        read += 1
        if read in MARKS:
            mon.mark(f"{read:,} read")

    with Store(workdir / "bench.duckdb") as store:
        mon.sample(pss=False)
        main_cpu0, others_cpu0 = _own_cpu_seconds(), dict(mon.cpu_s)
        t0 = time.perf_counter()
        summary = ingest([str(src)], store, coder=timed, on_item=on_item)
        mon.mark("ingest done")
        coder.close()  # as ``newsevents ingest`` does: its workers end before the stories
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_stories = len(update_stories(store, coder.lex))
        stories_s = time.perf_counter() - t0
        mon.mark("stories done")
        main_cpu = _own_cpu_seconds() - main_cpu0
        others_cpu = sum(c - others_cpu0.get(pid, 0.0) for pid, c in mon.cpu_s.items())
    mon.stop()
    seconds = ingest_s + stories_s
    st = coder.stats
    return {
        "articles": summary.read,
        "new": summary.new,
        "duplicate": summary.duplicate,
        "discarded": summary.n_discarded,
        "events": summary.events,
        "stories": n_stories,
        "sentences": st.sentences,
        "parsed_fraction": st.parsed_fraction,
        "recognized_fraction": st.recognized_fraction,
        "workers": workers,
        "coder_n_process": getattr(coder, "n_process", None),
        "setup_seconds": setup_s,
        "seconds": seconds,
        "code_seconds": timed.seconds,
        "read_clean_store_seconds": ingest_s - timed.seconds,
        "stories_seconds": stories_s,
        # CPU of the timed part: this process (its threads included) and its descendants
        # (coder workers, coverage process; sampled every 0.2 s, so a little short)
        "main_cpu_seconds": main_cpu,
        "other_cpu_seconds": others_cpu,
        "articles_per_s": summary.read / seconds if seconds else 0.0,
        "main_rss_after_setup_mb": rss_after_setup,
        "main_rss_end_mb": rss_now_mb(),
        **mon.as_dict(),
    }


def child_baseline(src: Path) -> dict[str, Any]:
    mon = MemoryMonitor().start()
    import spacy

    from newsevents.coding.nlp import MODEL

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    setup_s = time.perf_counter() - t0

    def texts() -> Iterator[str]:
        with src.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)["text"]

    n_docs = n_sents = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts(), batch_size=32):
        n_docs += 1
        n_sents += sum(1 for _ in doc.sents)
    seconds = time.perf_counter() - t0
    mon.stop()
    return {
        "model": MODEL,
        "components": list(nlp.pipe_names),
        "articles": n_docs,
        "sentences": n_sents,
        "setup_seconds": setup_s,
        "seconds": seconds,
        "articles_per_s": n_docs / seconds if seconds else 0.0,
        "sentences_per_s": n_sents / seconds if seconds else 0.0,
        **mon.as_dict(),
    }


def run_child(kind: str, result: Path, extra: list[str]) -> dict[str, Any] | None:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--result",
        str(result),
        *extra,
    ]
    proc = subprocess.run(cmd, check=False)
    if proc.returncode != 0 or not result.is_file():
        print(f"{kind} run failed (exit {proc.returncode}): {' '.join(cmd)}", file=sys.stderr)
        return None
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    return data


# -- the input files -----------------------------------------------------------------------


def count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def _keyed(path: Path, idx: int, n: int) -> Iterator[tuple[float, int, str]]:
    with path.open(encoding="utf-8") as fh:
        j = 0
        for line in fh:
            if line.strip():
                yield (j + 0.5) / n, idx, line if line.endswith("\n") else line + "\n"
                j += 1


def interleave(paths: Sequence[Path], counts: Sequence[int]) -> Iterator[str]:
    """The lines of all corpora, each placed at its relative position in its corpus.

    Any prefix holds the corpora in (nearly) the proportion of the whole. Streams.
    """
    streams = [_keyed(p, i, n) for i, (p, n) in enumerate(zip(paths, counts, strict=True)) if n]
    for _, _, line in heapq.merge(*streams):
        yield line


def write_inputs(
    paths: Sequence[Path],
    counts: Sequence[int],
    n_full: int,
    n_small: int,
    n_baseline: int,
    tmp: Path,
) -> tuple[Path, Path | None, Path, int]:
    """Write full.jsonl, small.jsonl (the first ``n_small``) and the baseline sample."""
    full, small, base = tmp / "full.jsonl", tmp / "small.jsonl", tmp / "baseline.jsonl"
    every = max(1, n_full // n_baseline) if n_baseline else 0
    n_base = 0
    with (
        full.open("w", encoding="utf-8") as f_full,
        small.open("w", encoding="utf-8") as f_small,
        base.open("w", encoding="utf-8") as f_base,
    ):
        for i, line in enumerate(interleave(paths, counts)):
            if i >= n_full:
                break
            f_full.write(line)
            if i < n_small:
                f_small.write(line)
            if every and i % every == 0 and n_base < n_baseline:
                try:
                    text = json.loads(line).get("text")
                except json.JSONDecodeError:
                    text = None
                if isinstance(text, str) and text.strip():
                    f_base.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                    n_base += 1
    return full, (small if n_small else None), base, every


# -- report ------------------------------------------------------------------------------


def fmt_row(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name:<6} {r['articles']:>9,} {r['events']:>8,} {r['stories']:>8,} "
        f"{r['seconds']:>8.1f} {r['articles_per_s']:>11.1f} {r['main_peak_rss_mb']:>8.0f} MB "
        f"{r['total_peak_pss_mb']:>7.0f} MB {r['total_peak_rss_mb']:>7.0f} MB "
        f"{r['peak_processes']:>5}"
    )


def report(res: dict[str, Any]) -> None:
    runs: dict[str, dict[str, Any]] = res["runs"]
    base = res.get("baseline")
    print()
    print("corpora: " + ", ".join(f"{n} ({c:,})" for n, c in res["corpora"].items()))
    print(f"coder workers (ArticleCoder n_process): {res['workers']}")
    print(
        f"{'size':<6} {'articles':>9} {'events':>8} {'stories':>8} {'seconds':>8} "
        f"{'articles/s':>11} {'main RSS':>11} {'total PSS':>10} {'total RSS':>10} {'procs':>5}"
    )
    for name, r in runs.items():
        print(fmt_row(name, r))
    for name, r in runs.items():
        s = r["seconds"] or 1.0
        print(
            f"  {name}: code {r['code_seconds']:.1f} s ({r['code_seconds'] / s:.0%}), "
            f"read/clean/date/store {r['read_clean_store_seconds']:.1f} s "
            f"({r['read_clean_store_seconds'] / s:.0%}), stories {r['stories_seconds']:.1f} s "
            f"({r['stories_seconds'] / s:.0%}); {r['sentences']:,} sentences, "
            f"{r['parsed_fraction']:.0%} parsed, {r.get('recognized_fraction', 0):.0%} through NER; setup (models, KB) {r['setup_seconds']:.1f} s "
            f"not timed; main RSS after setup {r['main_rss_after_setup_mb']:.0f} MB"
        )
        if "main_cpu_seconds" in r and r["articles"]:
            main_ms = 1000 * r["main_cpu_seconds"] / r["articles"]
            other_ms = 1000 * r["other_cpu_seconds"] / r["articles"]
            busy = (r["main_cpu_seconds"] + r["other_cpu_seconds"]) / s
            print(
                f"  {name}: CPU per article {main_ms + other_ms:.1f} ms: main process "
                f"{main_ms:.1f} ms, coder workers and coverage process {other_ms:.1f} ms; "
                f"{busy:.2f} CPUs busy on average"
            )
    if base:
        print(
            f"baseline nlp.pipe ({base['articles']:,} sampled articles, 1 in "
            f"{res['baseline_every']} of the full run; {base['model']}: "
            f"{', '.join(base['components'])}; 1 process): "
            f"{base['articles_per_s']:.1f} articles/s "
            f"({base['sentences_per_s']:.0f} sentences/s, {base['seconds']:.1f} s), "
            f"peak RSS {base['main_peak_rss_mb']:.0f} MB"
        )
        ratios = res["ratio"]
        print(
            "ratio pipeline/nlp.pipe: "
            + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items())
            + f" (goal >= {GOAL_RATIO:.0f}x)"
        )
    else:
        print("baseline nlp.pipe: failed")
    peak = max(r["total_peak_pss_mb"] for r in runs.values())
    print(
        f"peak total PSS {peak:.0f} MB (goal <= {GOAL_PEAK_MB:.0f} MB: "
        f"{'ok' if peak <= GOAL_PEAK_MB else 'OVER'})"
    )
    for name, r in runs.items():
        if r.get("memory_marks"):
            print(
                f"  {name}: total PSS now / peak so far: "
                + "; ".join(
                    f"{m['at']} {m['pss_mb']:.0f}/{m['peak_pss_mb']:.0f} MB"
                    for m in r["memory_marks"]
                )
            )
    if "rss_growth_mb" in res:
        g = res["rss_growth_mb"]
        print(
            f"RSS growth small -> full: {g['main']:+.0f} MB (main), {g['pss']:+.0f} MB (PSS), "
            f"{g['total_rss']:+.0f} MB (total RSS)"
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--corpora",
        type=Path,
        nargs="+",
        default=[CORPORA / n for n in DEFAULT_CORPORA],
        help="JSONL corpora",
    )
    ap.add_argument("--limit", type=int, default=0, help="articles in the full run (0 = all)")
    ap.add_argument("--small", type=int, default=1000, help="articles in the small run")
    ap.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="ArticleCoder(n_process=N): forked coder processes (default: one per CPU)",
    )
    ap.add_argument(
        "--baseline-limit", type=int, default=600, help="articles in the nlp.pipe baseline sample"
    )
    ap.add_argument("--skip-small", action="store_true", help="only the full run")
    ap.add_argument(
        "--rules-only",
        action="store_true",
        help="also run the full input with the rules alone (ArticleCoder(learned=False)): "
        "what the sentence model costs, in the same run",
    )
    ap.add_argument("--no-model", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=OUT, help="JSON figures")
    ap.add_argument("--child", choices=["pipeline", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        if args.child == "pipeline":
            data = child_pipeline(args.input, args.workdir, args.workers, learned=not args.no_model)
        else:
            data = child_baseline(args.input)
        args.result.write_text(json.dumps(data), encoding="utf-8")
        return 0

    missing = [p for p in args.corpora if not p.is_file()]
    if missing:
        print("corpus not found: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    counts = [count_lines(p) for p in args.corpora]
    total = sum(counts)
    n_full = min(args.limit, total) if args.limit > 0 else total
    n_small = 0 if args.skip_small else min(max(args.small, 0), n_full)
    res: dict[str, Any] = {
        "corpora": {p.name: c for p, c in zip(args.corpora, counts, strict=True)},
        "workers": args.workers,
        "limit": args.limit,
        "runs": {},
    }
    failed = False
    with tempfile.TemporaryDirectory(prefix="newsevents-throughput-") as tmp_name:
        tmp = Path(tmp_name)
        full, small, base, every = write_inputs(
            args.corpora, counts, n_full, n_small, max(args.baseline_limit, 0), tmp
        )
        res["baseline_every"] = every
        sizes = [("small", small, n_small)] if small is not None else []
        sizes.append(("full", full, n_full))
        if args.rules_only:
            sizes.append(("rules-only", full, n_full))
        for name, src, n in sizes:
            print(
                f"[throughput] {name}: pipeline over {n:,} articles, {args.workers} worker(s) ...",
                file=sys.stderr,
                flush=True,
            )
            r = run_child(
                "pipeline",
                tmp / f"{name}.json",
                ["--input", str(src), "--workdir", str(tmp / name), "--workers", str(args.workers)]
                + (["--no-model"] if name == "rules-only" else []),
            )
            if r is None:
                failed = True
            else:
                res["runs"][name] = r
        if args.baseline_limit > 0:
            print(
                f"[throughput] baseline: nlp.pipe over a sample of 1 in {every} articles ...",
                file=sys.stderr,
                flush=True,
            )
            res["baseline"] = run_child("baseline", tmp / "baseline.json", ["--input", str(base)])
            failed = failed or res["baseline"] is None
    if not res["runs"]:
        return 1
    base_rate = (res.get("baseline") or {}).get("articles_per_s") or 0.0
    if base_rate:
        runs = reversed(res["runs"].items())
        res["ratio"] = {k: r["articles_per_s"] / base_rate for k, r in runs}
    if "small" in res["runs"] and "full" in res["runs"]:
        s, f = res["runs"]["small"], res["runs"]["full"]
        res["rss_growth_mb"] = {
            "main": f["main_peak_rss_mb"] - s["main_peak_rss_mb"],
            "pss": f["total_peak_pss_mb"] - s["total_peak_pss_mb"],
            "total_rss": f["total_peak_rss_mb"] - s["total_peak_rss_mb"],
        }
    report(res)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"figures: {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
