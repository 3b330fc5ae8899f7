"""Hostile input (issue 29): ingest never aborts and never loses an input.

A folder holds good articles beside every kind of input that once stopped the whole ingest
with a traceback or vanished without a trace; ingest must store the good ones and account
for every input as an article, a duplicate or a discard with its reason.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from newsevents.jobs.ingest import ingest
from newsevents.records import Discard
from newsevents.storage.store import Store
from newsevents.text.read import read_paths

GOOD = [
    "Kenya and Ethiopia signed a border security accord in Nairobi on Sunday, officials said.",
    "Chile and Peru agreed on Monday to reopen talks on their maritime boundary in Lima.",
    "Japan protested to China on Tuesday over a coast guard incident near disputed islands.",
    "Brazil expelled a Venezuelan diplomat on Wednesday after a row over election monitors.",
]


def _warc_record(uri: str | None, body: bytes) -> bytes:
    """One WARC response record (``uri`` None: without WARC-Target-URI)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
    block = http + body
    head = [
        b"WARC/1.0",
        b"WARC-Type: response",
        b"WARC-Record-ID: <urn:uuid:%d>" % len(block),
        b"Content-Type: application/http; msgtype=response",
        b"Content-Length: %d" % len(block),
    ]
    if uri is not None:
        head.insert(2, b"WARC-Target-URI: " + uri.encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def _page(sentence: str) -> bytes:
    return (
        f"<html><body><article><h1>News</h1><p>{sentence}</p>"
        f"<p>{sentence} The ministry confirmed the step in a statement.</p></article></body></html>"
    ).encode()


def _hostile_folder(root: Path) -> dict[str, str]:
    """Write the inputs; returns each hostile one's name and the discard reason it must get."""
    root.mkdir()
    (root / "good.jsonl").write_text(
        "".join(json.dumps({"id": f"g{i}", "text": t}) + "\n" for i, t in enumerate(GOOD[:2]))
    )
    (root / "good.txt").write_text(GOOD[2])
    expect: dict[str, str] = {}
    # deeply nested JSON: a RecursionError in the parser, beside a good line
    (root / "nested.jsonl").write_text(
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}\n" + json.dumps({"text": GOOD[3]}) + "\n"
    )
    expect["nested.jsonl#line1"] = "malformed-json"
    # lone surrogates in a text and a title are kept readable, not a storage error
    (root / "surrogate.jsonl").write_text(
        '{"title": "Bad \\ud800 title", "text": "Ghana and Togo '
        'held talks in Accra on Friday. \\udfff Officials met."}\n'
    )
    # a file name that is not UTF-8
    bad_name = os.path.join(os.fsencode(root), b"caf\xe9.txt")
    with open(bad_name, "wb") as fh:
        fh.write(b"Norway and Sweden signed a fisheries deal in Oslo on Thursday.")
    # a WARC cut inside a record header, and a response without WARC-Target-URI
    whole = _warc_record("https://news.example/a", _page(GOOD[0]))
    (root / "cut.warc").write_bytes(whole + whole[:40])
    (root / "nouri.warc").write_bytes(_warc_record(None, _page(GOOD[1])))
    # a JSONL record over the size limit, beside a good one
    (root / "big.jsonl").write_text(
        json.dumps({"text": "word " * 60_000})
        + "\n"
        + json.dumps({"text": GOOD[0] + " Again."})
        + "\n"
    )
    expect["big.jsonl#line1"] = "too-large"
    # a gzip bomb: a small .warc.gz whose one record expands past the limit
    (root / "bomb.warc.gz").write_bytes(
        gzip.compress(_warc_record("https://x.example/b", b"<p>" + b"a" * 3_000_000))
    )
    # hidden files and folders are skipped, but not silently
    (root / ".hidden.txt").write_text(GOOD[1])
    (root / ".cache").mkdir()
    (root / ".cache" / "x.txt").write_text(GOOD[2])
    expect[".hidden.txt"] = "hidden"
    expect[".cache"] = "hidden"
    return expect


def test_every_hostile_input_ends_as_an_article_a_duplicate_or_a_discard(tmp_path: Path) -> None:
    root = tmp_path / "in"
    expect = _hostile_folder(root)
    items = [item for _, item in read_paths([str(root)], max_bytes=200_000)]
    discards = {Path(d.origin).name: d for d in items if isinstance(d, Discard)}
    for name, reason in expect.items():
        assert name in discards and discards[name].reason == reason, (name, discards.get(name))
    assert any(
        n.startswith("bomb.warc.gz") and d.reason == "too-large" for n, d in discards.items()
    )
    assert any(
        n.startswith("cut.warc") and d.reason == "malformed-warc" for n, d in discards.items()
    )
    # warcio cannot read a response without a target URI: the file says so
    assert any(
        n.startswith("nouri.warc") and d.reason == "malformed-warc" for n, d in discards.items()
    )
    with Store(tmp_path / "s.duckdb") as store:
        s = ingest([str(root)], store, max_bytes=200_000)
        assert s.read == s.new + s.duplicate + sum(
            v for k, v in s.discarded.items() if k in AFTER_READING
        )
        stored = {
            r["origin"].rsplit("/", 1)[-1]: r
            for r in store.query("SELECT origin, title, clean_text FROM articles")
        }
        # every good article is stored, the ones beside hostile records too
        for name in (
            "good.jsonl#line1",
            "good.jsonl#line2",
            "good.txt",
            "nested.jsonl#line2",
            "big.jsonl#line2",
            "surrogate.jsonl#line1",
            "cut.warc#record1",
        ):
            assert name in stored, (name, sorted(stored))
        assert "\ufffd" in stored["surrogate.jsonl#line1"]["title"]
        assert any(n.startswith("caf") for n in stored), sorted(stored)
        n_discards = store.count("discards")
        assert n_discards == s.n_discarded
        # re-ingesting changes nothing
        again = ingest([str(root)], store, max_bytes=200_000)
        assert again.new == 0 and store.count("discards") == n_discards


#: discard reasons given to a document already read (the others are inputs never read)
AFTER_READING = ("empty-after-cleaning", "clean-failed")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_an_unreadable_folder_is_a_discard(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "a.txt").write_text(GOOD[0])
    (root / "locked").chmod(0)
    try:
        items = [item for _, item in read_paths([str(root)])]
    finally:
        (root / "locked").chmod(0o755)
    assert [(Path(d.origin).name, d.reason) for d in items] == [("locked", "unreadable")]


def test_a_truncated_gzip_warc_keeps_its_records_and_says_it_was_cut(tmp_path: Path) -> None:
    data = gzip.compress(_warc_record("https://news.example/a", _page(GOOD[0])))
    data += gzip.compress(_warc_record("https://news.example/b", _page(GOOD[1])))
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[:-30])
    items = [item for _, item in read_paths([str(f)])]
    assert sum(1 for i in items if not isinstance(i, Discard)) == 1
    assert [d.reason for d in items if isinstance(d, Discard)] == ["malformed-warc"]
