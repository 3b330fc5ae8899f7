"""Write examples/warc/11_crawl.warc.gz: two HTML article responses, one request record and
one non-HTML response (a robots.txt) that a reader must skip. Deterministic output.

Usage: ``python examples/warc/make_warc.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
DATE = "2024-03-05T10:00:00Z"

PAGES = [
    ("https://afro-times.example/2024/03/04/south-africa-nigeria-summit",
     "South Africa and Nigeria hold summit in Pretoria",
     "2024-03-04",
     ["South Africa's president hosted Nigeria's president in Pretoria on Monday for a summit on "
      "trade and security, and the two leaders signed agreements on energy and visa-free travel for "
      "business people, the South African presidency said.",
      "The two presidents also agreed to share intelligence on armed groups in the Sahel, according "
      "to a joint statement issued after the talks.",
      "Nigeria invited South African companies to invest in its power sector, officials said."]),
    ("https://northern-ledger.example/2024/03/05/canada-expels-diplomats",
     "Canada expels two diplomats over interference",
     "2024-03-05",
     ["Canada expelled two foreign diplomats on Tuesday after an investigation found they had tried "
      "to intimidate members of a diaspora community in Toronto, the foreign ministry in Ottawa said.",
      "Canadian Foreign Minister Claire Dubois said the diplomats had been declared persona non grata "
      "and must leave the country within five days.",
      "The embassy concerned rejected the accusations and said it would respond."]),
]


def page(title: str, published: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{published}T09:00:00Z">'
        f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    )
    return html.encode("utf-8")


def main() -> None:
    out = HERE / "11_crawl.warc.gz"
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, (url, title, published, paras) in enumerate(PAGES):
            req = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", url.split('/')[2])],
                                              is_http_request=True),
                warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>"},
            )
            if n == 0:
                writer.write_record(req)
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(page(title, published, paras)),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                              protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0001-00000000000{n}>"},
            )
            writer.write_record(resp)
        robots = writer.create_warc_record(
            "https://afro-times.example/robots.txt", "response", payload=io.BytesIO(b"User-agent: *\nAllow: /\n"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": "<urn:uuid:00000000-0000-0000-0002-000000000000>"},
        )
        writer.write_record(robots)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
