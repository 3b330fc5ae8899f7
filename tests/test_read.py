"""Reader: every format, and every kind of bad input ends as documents or discards."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsevents.records import Discard, RawDocument
from newsevents.text.encoding import UndecodableError, decode_bytes
from newsevents.text.read import read_paths


def _items(*paths: str, **kw) -> list:
    return [item for _, item in read_paths(paths, **kw)]


def test_text_file_is_one_document(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Japan and Australia held talks in Tokyo on Monday.", encoding="utf-8")
    (doc,) = _items(str(f))
    assert isinstance(doc, RawDocument)
    assert doc.fmt == "txt" and doc.encoding == "utf-8"
    assert doc.text.startswith("Japan and Australia")


def test_jsonl_keeps_good_lines_and_discards_malformed(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    good = {
        "id": "a1",
        "url": "http://x.example/1",
        "title": "T",
        "text": "Body one.",
        "published": "2021-02-12",
        "source": "Wire",
    }
    f.write_text(
        json.dumps(good)
        + "\n{not json\n"
        + json.dumps({"id": "a2", "text": ""})
        + "\n[1, 2]\n"
        + json.dumps({**good, "id": "a3", "text": "Body three."})
        + "\n",
        encoding="utf-8",
    )
    items = _items(str(f))
    docs = [i for i in items if isinstance(i, RawDocument)]
    discards = [i for i in items if isinstance(i, Discard)]
    assert [d.external_id for d in docs] == ["a1", "a3"]
    assert docs[0].published == "2021-02-12" and docs[0].source == "Wire"
    assert sorted(d.reason for d in discards) == ["malformed-json", "malformed-json", "no-text"]
    assert discards[0].origin.endswith("#line2")


def test_csv_rows_become_documents(tmp_path: Path) -> None:
    f = tmp_path / "feed.csv"
    f.write_text('id,title,text,published,source\n1,T,"Body, with comma.",2020-01-02,AP\n2,U,,,\n')
    items = _items(str(f))
    assert isinstance(items[0], RawDocument) and items[0].text == "Body, with comma."
    assert isinstance(items[1], Discard) and items[1].reason == "no-text"


def test_csv_without_text_column_is_discarded(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("a,b\n1,2\n")
    (d,) = _items(str(f))
    assert isinstance(d, Discard) and d.reason == "malformed-csv"


def test_html_main_content_without_script(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Site</title><meta property='og:site_name' content='Gulf Observer'>"
        "<meta property='article:published_time' content='2023-10-09T08:30:00Z'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Qatar hosts talks</h1>"
        "<p>Qatar's foreign minister hosted his Egyptian counterpart in Doha on Sunday for talks "
        "on a ceasefire, the ministry said in a statement.</p><p>The two ministers agreed to meet "
        "again next week, according to officials familiar with the discussions.</p></article>"
        "<script>document.write('EVIL')</script><footer>Copyright 2023</footer></body></html>",
        encoding="utf-8",
    )
    (doc,) = _items(str(f))
    assert isinstance(doc, RawDocument)
    assert "EVIL" not in doc.text and "Copyright" not in doc.text
    assert "hosted his Egyptian counterpart" in doc.text
    assert doc.source == "Gulf Observer" and doc.published == "2023-10-09"


def test_warc_reads_html_responses_and_discards_others(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    body = (
        b"<html><body><article><h1>Canada expels diplomats</h1><p>Canada expelled two diplomats"
        b" on Tuesday over what Ottawa called interference, the foreign ministry said.</p>"
        b"<p>The ministry said the decision followed a months-long review by officials.</p>"
        b"</article></body></html>"
    )
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for uri, ctype, payload in [
            ("https://news.example/a", "text/html; charset=utf-8", body),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(
                    uri, "response", payload=io.BytesIO(payload), http_headers=headers
                )
            )
    items = _items(str(path))
    docs = [i for i in items if isinstance(i, RawDocument)]
    discards = [i for i in items if isinstance(i, Discard)]
    assert len(docs) == 1 and docs[0].url == "https://news.example/a" and docs[0].fmt == "warc"
    assert [d.reason for d in discards] == ["not-html"]


def test_bad_inputs_are_discards_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "notes.xyz").write_text("hello")
    (tmp_path / "emptydir").mkdir()
    items = _items(
        str(tmp_path / "empty.txt"),
        str(tmp_path / "binary.txt"),
        str(tmp_path / "notes.xyz"),
        str(tmp_path / "missing.txt"),
        str(tmp_path / "emptydir"),
    )
    assert [(type(i).__name__, getattr(i, "reason", "")) for i in items] == [
        ("Discard", "empty"),
        ("Discard", "binary"),
        ("Discard", "unsupported-format"),
        ("Discard", "not-found"),
        ("Discard", "empty-folder"),
    ]


def test_legacy_encodings_are_detected() -> None:
    text = "Le ministre a déclaré à Genève que les négociations reprendront bientôt, à l'été."
    for enc in ("cp1252", "latin-1", "utf-16"):
        decoded, used = decode_bytes(text.encode(enc))
        assert decoded == text, enc
        assert used


def test_huge_file_is_discarded_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        line = b"The minister said the talks were useful and would continue next week.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    (d,) = _items(str(f))
    assert isinstance(d, Discard) and d.reason == "too-large"
    assert "MB" in d.detail


def test_stdin_is_read_and_sniffed() -> None:
    data = json.dumps({"id": "s1", "text": "Kenya and Ethiopia signed an accord."}).encode()
    (doc,) = [i for _, i in read_paths(["-"], stdin=io.BytesIO(data + b"\n"))]
    assert isinstance(doc, RawDocument) and doc.fmt == "jsonl" and doc.external_id == "s1"


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article body text.")
    (tmp_path / "1.txt").write_text("First article body text.")
    units = [u for u, _ in read_paths([str(tmp_path)])]
    assert [Path(u).name for u in units] == ["1.txt", "2.txt"]


def test_parquet_rows_become_documents_and_bad_rows_discards(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "text": ["Kenya and Uganda signed a border accord.", None, "  "],
            "published": ["2024-05-02", None, "2024-05-03"],
            "source": ["Wire", None, None],
        }
    )
    pq.write_table(table, tmp_path / "feed.parquet", row_group_size=2)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    items = list(read_paths([str(tmp_path)]))
    docs = [d for _u, d in items if isinstance(d, RawDocument)]
    discards = [d for _u, d in items if isinstance(d, Discard)]
    assert [(d.external_id, d.published, d.source, d.fmt) for d in docs] == [
        ("p1", "2024-05-02", "Wire", "parquet")
    ]
    assert sorted(d.reason for d in discards) == ["malformed-parquet", "no-text", "no-text"]
    assert any(d.origin.endswith("feed.parquet#row2") for d in discards)


def test_metadata_fields_are_text_never_reprs_or_hidden_characters(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": 17,
                "text": "Kenya and Uganda signed a border accord.",
                "title": "Border\u202edrocca \x00deal",
                "url": ["http://a.example"],
                "source": {"name": "Wire"},
                "published": True,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (doc,) = _items(str(f))
    assert isinstance(doc, RawDocument)
    assert doc.external_id == "17" and doc.title == "Borderdrocca deal"
    assert doc.url is None and doc.source is None and doc.published is None


def test_a_relative_date_in_metadata_is_no_date() -> None:
    from newsevents.text.dates import parse_metadata_date

    assert parse_metadata_date("yesterday") is None and parse_metadata_date("3 days ago") is None
    assert str(parse_metadata_date("March 12, 2021 10:00")) == "2021-03-12"


def test_utf16_without_a_byte_order_mark_is_text() -> None:
    text = "Le ministre a rencontré son homologue à Genève lundi, a indiqué le ministère."
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(enc)) == (text, enc)
    # binary with NULs is still binary
    with pytest.raises(UndecodableError):
        decode_bytes(bytes(range(256)) * 4)


def test_a_folder_s_readme_is_a_discard_not_an_article(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        "| file | what |\n|---|---|\n| `a.txt` | Kenya and Ethiopia held talks |\n"
    )
    (tmp_path / "LICENSE").write_text("Permission is hereby granted to Kenya and Ethiopia.\n")
    (tmp_path / "a.txt").write_text("Kenya and Ethiopia held talks in Nairobi on Sunday.\n")
    items = [item for _unit, item in read_paths([str(tmp_path)])]
    docs = sorted(
        Path(i.origin).name for i in items if isinstance(i, Discard) and i.reason == "documentation"
    )
    assert docs == ["LICENSE", "README.md"]
    assert [Path(i.origin).name for i in items if not isinstance(i, Discard)] == ["a.txt"]
    # named on the command line, a README is read like any text
    named = [item for _unit, item in read_paths([str(tmp_path / "README.md")])]
    assert named and not isinstance(named[0], Discard)


def test_input_sizes_give_a_progress_total_before_reading(tmp_path: Path) -> None:
    from newsevents.text.read import input_sizes

    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "a.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n')
    (tmp_path / "feed" / ".hidden.txt").write_text("not read")
    (tmp_path / "b.txt").write_text("Kenya and Ethiopia held talks.")
    sizes = input_sizes(
        [str(tmp_path / "feed"), str(tmp_path / "b.txt"), str(tmp_path / "missing"), "-"]
    )
    assert sizes == {str(tmp_path / "feed" / "a.jsonl"): 32, str(tmp_path / "b.txt"): 30}
    units = {unit for unit, _item in read_paths([str(tmp_path / "feed"), str(tmp_path / "b.txt")])}
    assert set(sizes) <= units  # keyed as the items' units, which the progress bar advances by


def test_utf8_whose_last_character_is_cut_is_repaired_and_recorded(tmp_path: Path) -> None:
    from newsevents.text.article import build_article

    data = "Kenya and Ethiopia held talks in Addis Ababa, the ministry said – with 20 €".encode()[
        :-2
    ]
    assert decode_bytes(data) == (
        "Kenya and Ethiopia held talks in Addis Ababa, the ministry said – with 20 ",
        "utf-8/cut-tail",
    )
    (tmp_path / "cut.txt").write_bytes(data)
    doc = next(item for _unit, item in read_paths([str(tmp_path / "cut.txt")]))
    art = build_article(doc)
    assert (
        "â" not in art.clean_text and "cut-multibyte-char" in art.repairs
    )  # no mojibake, and said so
    # a lone accented byte at the end of ASCII text is a single-byte code page, not cut UTF-8
    assert decode_bytes("Café".encode("cp1252"))[0] == "Café"
