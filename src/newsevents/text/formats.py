"""The formats an input file may hold, read into ``RawDocument``s and ``Discard``s: JSONL
and CSV records (``id, url, title, text, published, source``), HTML pages (main content by
trafilatura, metadata from the page's meta tags), WARC crawls (their HTML responses), Parquet
record batches and plain text. ``text.read`` finds the files and picks the reader; readers
never raise on bad input.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from newsevents.records import Discard, RawDocument
from newsevents.text.encoding import UndecodableError, decode_bytes

# trafilatura logs every unusable page at ERROR level; we record those as discards instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

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


def read_bytes_as(data: bytes, origin: str, kind: str) -> Iterator[Item]:
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


def read_jsonl_stream(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
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


def read_parquet(path: Path, batch_rows: int = 1000) -> Iterator[Item]:
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
