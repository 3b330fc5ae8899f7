"""Read stage: files, folders and stdin into ``RawDocument``s, each file by the reader of its
format (``text.formats``).

Every input ends as documents or as ``Discard`` records with a reason; readers never
raise on bad input. Supported formats (by extension):

- ``.txt``, ``.md``, ``.text``: one article per file.
- ``.jsonl``, ``.ndjson``: one article per line, fields ``id, url, title, text,
  published, source`` (``date`` is accepted for ``published``, ``body``/``content``
  for ``text``). A malformed line is discarded; the good lines are still read.
- ``.csv``: the same columns, with a header row.
- ``.html``, ``.htm``: the main content is extracted with trafilatura, metadata
  (title, site name, canonical URL, published date) from the page's meta tags.
- ``.warc``, ``.warc.gz``: HTML ``response`` records, each read like an HTML file.
- ``.parquet``: the JSONL columns (``text`` required), read a record batch at a time
  with pyarrow (the output of another tool, or of ``newsevents run``'s ``articles/``).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsevents.records import Discard
from newsevents.text.formats import (
    DEFAULT_MAX_BYTES,
    Item,
    origin_of,
    read_bytes_as,
    read_jsonl_stream,
    read_parquet,
    read_warc,
)

TEXT_EXTS = {".txt", ".md", ".text"}
JSONL_EXTS = {".jsonl", ".ndjson"}
CSV_EXTS = {".csv"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
WARC_SUFFIXES = (".warc", ".warc.gz")
PARQUET_EXTS = {".parquet"}
SUPPORTED = "txt, md, jsonl, ndjson, csv, html, htm, warc, warc.gz, parquet"


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return "txt"
    if ext in JSONL_EXTS:
        return "jsonl"
    if ext in CSV_EXTS:
        return "csv"
    if ext in HTML_EXTS:
        return "html"
    if ext in PARQUET_EXTS:
        return "parquet"
    return None


def sniff_kind(data: bytes) -> str:
    """Guess the kind of stdin content from its first bytes."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "txt"


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Read one file into documents and discards."""
    origin = origin_of(path)
    kind = kind_of(path)
    if kind is None:
        yield Discard(origin, "unsupported-format", f"extension not one of: {SUPPORTED}")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Discard(origin, "unreadable", str(exc))
        return
    if size == 0:
        yield Discard(origin, "empty", "file is empty")
        return
    if kind == "warc":
        yield from read_warc(path, max_bytes)
        return
    # JSONL and CSV hold many articles, so only single-article files have the size cap.
    if kind in ("txt", "html") and size > max_bytes:
        yield Discard(
            origin,
            "too-large",
            f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for one article "
            "(raise it with --max-bytes)",
        )
        return
    if kind == "jsonl":
        yield from read_jsonl_stream(path, max_bytes)
        return
    if kind == "parquet":
        yield from read_parquet(path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Discard(origin, "unreadable", str(exc))
        return
    yield from read_bytes_as(data, origin, kind)


DOCUMENTATION = frozenset(
    {
        "readme",
        "license",
        "licence",
        "changelog",
        "changes",
        "contributing",
        "authors",
        "notice",
        "copying",
    }
)
DOCUMENTATION_SUFFIXES = frozenset({"", ".md", ".txt", ".rst", ".markdown"})


def documentation(path: Path) -> bool:
    """Whether a file found in a folder is that folder's documentation, not an article."""
    return path.stem.lower() in DOCUMENTATION and path.suffix.lower() in DOCUMENTATION_SUFFIXES


def walk(root: Path) -> Iterator[Path | Discard]:
    """Files under a folder, recursively, in a stable order; a hidden file or folder, a
    folder's documentation (``README.md``: named on the command line it is read), or a
    folder that cannot be listed, is a discard (skipped, never silently)."""
    failed: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=failed.append):
        while failed:
            exc = failed.pop(0)
            yield Discard(
                origin_of(exc.filename or dirpath), "unreadable", exc.strerror or str(exc)
            )
        for d in sorted(d for d in dirnames if d.startswith(".")):
            yield Discard(origin_of(Path(dirpath) / d), "hidden", "a hidden folder is not read")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                yield Discard(
                    origin_of(Path(dirpath) / name), "hidden", "a hidden file is not read"
                )
            elif documentation(Path(name)):
                yield Discard(
                    origin_of(Path(dirpath) / name),
                    "documentation",
                    "a folder's README or licence, not an article (name the file to read it)",
                )
            else:
                yield Path(dirpath) / name
    for exc in failed:
        yield Discard(origin_of(exc.filename or root), "unreadable", exc.strerror or str(exc))


def input_sizes(paths: Iterable[str]) -> dict[str, int]:
    """The size in bytes of every file ``read_paths`` will read, by its unit (the origin its
    items come with): a progress total known before reading. Standard input, missing paths and
    files that cannot be stat'ed are left out."""
    out: dict[str, int] = {}
    for p in paths:
        path = Path(p)
        files = (
            [f for f in walk(path) if isinstance(f, Path)] if p != "-" and path.is_dir() else [path]
        )
        for f in files:
            with contextlib.suppress(OSError):
                if p != "-" and f.is_file():
                    out[origin_of(f) if f is not path else origin_of(p)] = f.stat().st_size
    return out


def iter_files(root: Path) -> Iterator[Path]:
    """Files under a folder, recursively, in a stable order, hidden files skipped."""
    return (f for f in walk(root) if isinstance(f, Path))


def read_paths(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin: io.BufferedIOBase | None = None
) -> Iterator[tuple[str, Item]]:
    """Read every path; yields ``(unit, item)`` where ``unit`` is the file the item came from.

    ``-`` reads standard input (the kind is sniffed). A folder is read recursively.
    """
    for p in paths:
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield "-", Discard("-", "too-large", f"standard input is over {max_bytes} bytes")
                continue
            for item in read_bytes_as(data, "-", sniff_kind(data)):
                yield "-", item
            continue
        path = Path(p)
        if not path.exists():
            yield origin_of(p), Discard(origin_of(p), "not-found", "no such file or folder")
            continue
        if path.is_dir():
            found = False
            for f in walk(path):
                found = True
                if isinstance(f, Discard):
                    yield f.origin, f
                    continue
                unit = origin_of(f)
                for item in _guarded(f, max_bytes):
                    yield unit, item
            if not found:
                yield (
                    origin_of(p),
                    Discard(origin_of(p), "empty-folder", "the folder holds no files"),
                )
            continue
        for item in _guarded(path, max_bytes):
            yield origin_of(p), item


def _guarded(path: Path, max_bytes: int) -> Iterator[Item]:
    """``read_file``, and a failure no reader foresaw as a discard of the rest of the file:
    one bad file never stops a run."""
    n = 0
    try:
        for item in read_file(path, max_bytes):
            n += 1
            yield item
    except Exception as exc:  # the last guard: each reader turns what it foresees into discards
        yield Discard(
            f"{origin_of(path)}#after{n}", "reader-failed", f"{type(exc).__name__}: {exc}"
        )
