"""Read stage: files, folders, stdin, JSONL, CSV, HTML and WARC into ``RawDocument``s.

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
import csv
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsevents.records import Discard, RawDocument
from newsevents.text.encoding import UndecodableError, decode_bytes

# trafilatura logs every unusable page at ERROR level; we record those as discards instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

TEXT_EXTS = {".txt", ".md", ".text"}
JSONL_EXTS = {".jsonl", ".ndjson"}
CSV_EXTS = {".csv"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
WARC_SUFFIXES = (".warc", ".warc.gz")
PARQUET_EXTS = {".parquet"}
SUPPORTED = "txt, md, jsonl, ndjson, csv, html, htm, warc, warc.gz, parquet"

#: Inputs larger than this are discarded as ``too-large`` (one article is never this big).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

Item = RawDocument | Discard


#: half of a UTF-16 surrogate pair, alone: JSON may escape one ("\ud800"), UTF-8 cannot store it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: control and bidirectional-override characters: never part of a title, url or source
#: (a NUL or a U+202E in a title rewrites how the page shows it)
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def readable(s: str) -> str:
    """``s`` with every lone surrogate replaced by U+FFFD, the replacement character."""
    return _LONE_SURROGATE.sub("\ufffd", s)


def origin_of(path: Path | str) -> str:
    """A path as text that can be stored and printed: a file name that is not UTF-8 keeps
    its undecodable bytes as backslash escapes ("caf\\xe9.txt")."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _doc_from_mapping(rec: dict[str, object], origin: str, fmt: str, encoding: str | None) -> Item:
    text = rec.get("text") or rec.get("body") or rec.get("content")
    if not isinstance(text, str) or not text.strip():
        return Discard(origin, "no-text", "record has no non-empty 'text' field")
    if _LONE_SURROGATE.search(text):
        text = readable(text)
        encoding = f"{encoding or 'utf-8'}, lone surrogates replaced"

    def opt(*keys: str) -> str | None:
        for k in keys:
            v = rec.get(k)
            if isinstance(v, bool) or not isinstance(v, str | int | float):
                continue  # a list, an object or a flag is no title, url or date: never its repr
            v = _INVISIBLE.sub("", readable(str(v))).strip()
            if v:
                return v
        return None

    return RawDocument(
        origin=origin,
        text=text,
        fmt=fmt,
        title=opt("title", "headline"),
        url=opt("url", "link"),
        source=opt("source", "outlet", "publisher"),
        published=opt("published", "date", "published_at"),
        external_id=opt("id"),
        encoding=encoding,
    )


def parse_jsonl_line(line: str, where: str, encoding: str | None = None) -> Item:
    """One JSONL line into a document, or a discard saying what is wrong with it."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return Discard(where, "malformed-json", str(exc))
    except RecursionError:
        return Discard(where, "malformed-json", "nested too deeply to be an article record")
    if not isinstance(rec, dict):
        return Discard(where, "malformed-json", f"expected an object, got {type(rec).__name__}")
    return _doc_from_mapping(rec, where, "jsonl", encoding)


def read_jsonl_text(text: str, origin: str, encoding: str | None = None) -> Iterator[Item]:
    """Read JSONL text; each malformed line becomes a discard, the others documents."""
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield parse_jsonl_line(line, f"{origin}#line{n}", encoding)


def read_csv_text(text: str, origin: str, encoding: str | None = None) -> Iterator[Item]:
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    except csv.Error as exc:
        yield Discard(origin, "malformed-csv", str(exc))
        return
    if not {"text", "body", "content"} & set(fields):
        yield Discard(origin, "malformed-csv", f"no 'text' column (columns: {', '.join(fields)})")
        return
    reader.fieldnames = fields
    n = 1
    try:
        for n, row in enumerate(reader, start=2):
            yield _doc_from_mapping(dict(row), f"{origin}#row{n}", "csv", encoding)
    except csv.Error as exc:
        yield Discard(f"{origin}#row{n + 1}", "malformed-csv", str(exc))
        return
    if n == 1:
        yield Discard(origin, "empty", "a header row and no records")


def read_html_text(html: str, origin: str, url: str | None = None, fmt: str = "html") -> Item:
    """Extract the main content and metadata of an HTML page with trafilatura."""
    import trafilatura  # imported lazily: costly, only needed for HTML

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises many types on broken markup
        return Discard(origin, "html-unparseable", f"{type(exc).__name__}: {exc}")
    if doc is None or not (doc.text or "").strip():
        return Discard(origin, "no-text", "no main content found in the HTML page")
    text = doc.text
    if doc.title and not text.lstrip().startswith(doc.title):
        text = f"{doc.title}\n\n{text}"
    return RawDocument(
        origin=origin,
        text=text,
        fmt=fmt,
        title=doc.title,
        url=doc.url or url,
        source=doc.sitename or doc.hostname,
        published=doc.date,
        encoding="html",
    )


def read_warc(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """HTML ``response`` records, each read like an HTML page. A record whose payload is
    over ``max_bytes`` (a gzip bomb expands here) is discarded unread; a file cut short or
    malformed keeps the records before the fault and ends with a ``malformed-warc`` discard
    naming the record where it failed."""
    from warcio.archiveiterator import ArchiveIterator

    origin = origin_of(path)
    produced = False
    n = 0
    try:
        with path.open("rb") as fh:
            for n, record in enumerate(ArchiveIterator(fh), start=1):
                if record.rec_type != "response":
                    continue  # request, warcinfo, metadata records carry no article
                where = f"{origin}#record{n}"
                uri = record.rec_headers.get_header("WARC-Target-URI")
                ctype = ""
                if record.http_headers is not None:
                    ctype = record.http_headers.get_header("Content-Type") or ""
                produced = True
                if "html" not in ctype.lower():
                    yield Discard(where, "not-html", f"WARC response {uri} is {ctype or 'untyped'}")
                    continue
                payload = record.content_stream().read(max_bytes + 1)
                if len(payload) > max_bytes:
                    yield Discard(
                        where,
                        "too-large",
                        f"the record's payload is over the {max_bytes / 1e6:.1f} MB "
                        "limit for one article (raise it with --max-bytes)",
                    )
                    continue
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield Discard(
                        where,
                        "malformed-warc",
                        f"the record is cut short: {missing} of its bytes are missing",
                    )
                    continue
                try:
                    html, _ = decode_bytes(payload)
                except UndecodableError as exc:
                    yield Discard(where, "undecodable", str(exc))
                    continue
                yield read_html_text(html, where, url=uri, fmt="warc")
    except Exception as exc:  # warcio raises many types on a cut or malformed file
        produced = True
        yield Discard(
            f"{origin}#record{n + 1}",
            "malformed-warc",
            f"unreadable from record {n + 1} on ({type(exc).__name__}: {exc})",
        )
    if not produced:
        yield Discard(origin, "no-articles", "the WARC file holds no HTML response record")


def _read_bytes_as(data: bytes, origin: str, kind: str) -> Iterator[Item]:
    if not data.strip():
        yield Discard(origin, "empty", "no content")
        return
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as exc:
        yield Discard(origin, "binary", str(exc))
        return
    if kind == "jsonl":
        yield from read_jsonl_text(text, origin, encoding)
    elif kind == "csv":
        yield from read_csv_text(text, origin, encoding)
    elif kind == "html":
        yield read_html_text(text, origin)
    else:
        if not text.strip():
            yield Discard(origin, "empty", "only whitespace")
            return
        yield RawDocument(origin=origin, text=text, fmt=kind, encoding=encoding)


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
        yield from _read_jsonl_stream(path, max_bytes)
        return
    if kind == "parquet":
        yield from _read_parquet(path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Discard(origin, "unreadable", str(exc))
        return
    yield from _read_bytes_as(data, origin, kind)


def _lines(fh: io.BufferedIOBase, max_bytes: int) -> Iterator[bytes | int]:
    """The lines of ``fh``; a line over ``max_bytes`` is skipped unread past that limit and
    given as its length instead."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = fh.readline(1 << 20)
            size += len(line)
        yield size


def _read_jsonl_stream(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Stream a JSONL file line by line, so a large feed is never held in memory; a record
    over ``max_bytes`` is a ``too-large`` discard, never parsed."""
    origin = origin_of(path)
    seen = False
    try:
        with path.open("rb") as fh:
            for n, raw in enumerate(_lines(fh, max_bytes), start=1):
                where = f"{origin}#line{n}"
                if isinstance(raw, int):
                    seen = True
                    yield Discard(
                        where,
                        "too-large",
                        f"a {raw / 1e6:.1f} MB record is over the "
                        f"{max_bytes / 1e6:.1f} MB limit for one article (raise it with --max-bytes)",
                    )
                    continue
                if not raw.strip():
                    continue
                seen = True
                try:
                    line, encoding = decode_bytes(raw)
                except UndecodableError as exc:
                    yield Discard(where, "binary", str(exc))
                    continue
                yield parse_jsonl_line(line, where, encoding)
    except OSError as exc:
        yield Discard(origin, "unreadable", str(exc))
        return
    if not seen:
        yield Discard(origin, "empty", "no non-blank line")


PARQUET_COLUMNS = (
    "id",
    "url",
    "title",
    "text",
    "body",
    "content",
    "published",
    "date",
    "source",
    "article_id",
    "clean_text",
)


def _read_parquet(path: Path, batch_rows: int = 1000) -> Iterator[Item]:
    """Stream a Parquet file a record batch at a time; rows without text are discards."""
    origin = origin_of(path)
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        names = set(pf.schema_arrow.names)
        cols = [c for c in PARQUET_COLUMNS if c in names]
        if not ({"text", "body", "content", "clean_text"} & names):
            yield Discard(origin, "no-text", "the Parquet file has no text, body or content column")
            return
        n = 0
        for batch in pf.iter_batches(batch_size=batch_rows, columns=cols):
            for rec in batch.to_pylist():
                n += 1
                if "text" not in rec and rec.get("clean_text"):
                    rec["text"] = rec["clean_text"]  # our own articles/ output
                if rec.get("id") is None and rec.get("article_id"):
                    rec["id"] = rec["article_id"]
                if rec.get("published") is not None:
                    rec["published"] = str(rec["published"])[:10]
                yield _doc_from_mapping(rec, f"{origin}#row{n}", "parquet", None)
        if n == 0:
            yield Discard(origin, "empty", "the Parquet file has no rows")
    except Exception as exc:  # pyarrow raises many types on a corrupt file
        yield Discard(origin, "malformed-parquet", f"{type(exc).__name__}: {exc}")


#: a folder's own documentation, found while walking it: "README.md", "LICENSE", "CHANGELOG.txt"
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
            for item in _read_bytes_as(data, "-", sniff_kind(data)):
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
