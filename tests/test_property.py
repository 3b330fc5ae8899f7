"""Property-based: random bytes and text never make the reader or cleaner raise, and every
input ends as an article or a discard."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.records import Article, Discard, RawDocument
from newsevents.text.article import build_article
from newsevents.text.clean import clean_text
from newsevents.text.read import read_file, read_paths


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_from_stdin_end_as_documents_or_discards(data: bytes) -> None:
    items = [item for _, item in read_paths(["-"], stdin=io.BytesIO(data))]
    assert items, "every input yields at least one record"
    for item in items:
        assert isinstance(item, RawDocument | Discard)
        if isinstance(item, RawDocument):
            assert isinstance(build_article(item), Article | Discard)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=3000), ext=st.sampled_from([".txt", ".jsonl", ".csv", ".html", ".warc"])
)
def test_random_files_of_every_format(tmp_path: Path, data: bytes, ext: str) -> None:
    f = tmp_path / f"random{ext}"
    f.write_bytes(data)
    items = list(read_file(f))
    assert items
    assert all(isinstance(i, RawDocument | Discard) for i in items)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_random_text_cleans_without_error(text: str) -> None:
    c = clean_text(text)
    assert isinstance(c.text, str)
    for span in c.removed:
        assert 0 <= span.start <= span.end <= len(c.base)
        assert c.base[span.start : span.end] == span.text
    doc = build_article(RawDocument("t", text, "txt")) if text.strip() else None
    assert doc is None or isinstance(doc, Article | Discard)
