"""Write examples/warc/11_crawl.warc.gz, a small crawl for the WARC reader.

Records, in order:

1. ``warcinfo``: describes the crawl (a reader skips it);
2. ``request``: the GET for the first article (a reader skips it);
3. ``response``: the first article, an HTML page (South Africa-Nigeria summit);
4. ``response``: a PNG logo, ``image/png`` (not HTML, a reader skips it);
5. ``response``: the second article, an HTML page (Canada expels diplomats).

The output is byte-for-byte deterministic: WARC-Date and WARC-Record-ID are fixed and
the gzip members carry no timestamp. Regenerate with::

    .venv/bin/python examples/warc/make_warc.py

All article text is invented for this project.
"""

from __future__ import annotations

import io
import struct
import zlib
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "11_crawl.warc.gz"
CRAWLER = "newsevents-example-crawler/1.0"


def rec_id(n: int) -> str:
    return f"<urn:uuid:6e3b2c1a-5f00-4e7d-9c1b-{n:012d}>"


ARTICLES = [
    {
        "url": "https://afro-times.example/politics/2024/03/04/south-africa-nigeria-summit-pretoria",
        "site": "Afro Times",
        "author": "Nomvula Khumalo",
        "section": "Politics",
        "published": "2024-03-04T11:45:00Z",
        "crawled": "2024-03-06T02:14:07Z",
        "title": "South Africa and Nigeria sign energy and trade pacts at Pretoria summit",
        "paragraphs": [
            "South African President Sipho Dlamini hosted Nigerian President Babatunde Adeyemi in "
            "Pretoria on Monday, and the two leaders signed agreements on energy, trade and visas "
            "for business travellers, the South African presidency said.",
            "The summit, the first meeting of the two countries' binational commission at head of "
            "state level in several years, ended with a joint statement in which Africa's two "
            "largest economies pledged to double trade between them within five years.",
            '"South Africa and Nigeria carry a special responsibility for this continent. When we '
            'work together, Africa is heard," Dlamini told a joint news conference at the Union '
            "Buildings.",
            "Adeyemi invited South African companies to invest in Nigeria's power sector and urged "
            "Pretoria to ease visa rules for Nigerian students and traders. Under one of the "
            "agreements signed on Monday, frequent business travellers from both countries will "
            "receive ten-year multiple-entry visas.",
            "The two presidents also agreed to share intelligence on armed groups operating in the "
            "Sahel and to coordinate their positions at the African Union on the crises in Niger "
            "and Sudan, according to the statement.",
            "Relations between the two countries were strained in the past by attacks on "
            "foreign-owned shops in South African townships, which led Nigeria to recall its "
            "ambassador. Dlamini said his government condemned all violence against foreign "
            "nationals and had set up a special police unit to prevent it.",
            "Adeyemi thanked South Africa for its hospitality and invited Dlamini to visit Abuja "
            "next year. The South African leader accepted, officials said.",
        ],
        "most_read": [
            "Rand firms as inflation eases for a second month",
            "Springboks name new captain ahead of tour",
            "Load-shedding to ease this weekend, utility says",
        ],
    },
    {
        "url": "https://northern-ledger.example/canada/2024/03/05/canada-expels-two-russian-diplomats",
        "site": "Northern Ledger",
        "author": "Marc-Andre Gagnon",
        "section": "Canada",
        "published": "2024-03-05T16:20:00Z",
        "crawled": "2024-03-06T02:15:42Z",
        "title": "Canada expels two Russian diplomats over intimidation of diaspora",
        "paragraphs": [
            "Canada expelled two Russian diplomats on Tuesday after an investigation found they had "
            "tried to intimidate members of the Ukrainian and Russian diaspora communities in "
            "Toronto, Global Affairs Canada said.",
            "Canadian Foreign Minister Genevieve Tremblay said the two diplomats had been declared "
            "persona non grata and ordered to leave the country within five days. The Russian "
            "ambassador was summoned to the foreign ministry in Ottawa, she said.",
            '"Canada will not tolerate any form of foreign interference. People who live here must '
            'be free to speak their minds without fear," Tremblay told reporters on Parliament Hill.',
            "According to the ministry, the diplomats had photographed protesters outside the "
            "Russian consulate and passed their names to relatives in Russia, some of whom were "
            "later questioned by police.",
            "The Russian embassy rejected the accusations as a provocation and said Moscow would "
            "respond in kind. A Russian foreign ministry spokeswoman said the expulsions would "
            "further damage relations that were already at their lowest point.",
            "Ukrainian community groups in Canada welcomed the decision and called on the "
            "government to set up a register of foreign agents, a measure that has been under "
            "discussion in Parliament.",
            "Canada and Russia have expelled each other's diplomats several times in recent years, "
            "and Ottawa has imposed sanctions on hundreds of Russian individuals and companies.",
        ],
        "most_read": [
            "Snowstorm closes highways across the Prairies",
            "Bank of Canada expected to hold rates steady",
            "Hockey: late goal sends Toronto into first place",
        ],
    },
]


def html_page(a: dict) -> bytes:
    """A realistic article page: meta tags, menu, sidebar, footer and scripts."""
    t = escape(a["title"])
    paras = "\n".join(f"      <p>{escape(p, quote=False)}</p>" for p in a["paragraphs"])
    most = "\n".join(
        f'        <li><a href="/most-read/{i}">{escape(h)}</a></li>'
        for i, h in enumerate(a["most_read"], 1)
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{t} - {escape(a["site"])}</title>
  <meta property="og:title" content="{t}">
  <meta property="og:site_name" content="{escape(a["site"])}">
  <meta property="og:type" content="article">
  <meta name="author" content="{escape(a["author"])}">
  <meta property="article:published_time" content="{a["published"]}">
  <meta property="article:section" content="{escape(a["section"])}">
  <link rel="canonical" href="{a["url"]}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"event": "pageview", "section": "{a["section"]}"}});</script>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
  <main>
    <article>
      <h1>{t}</h1>
      <p class="byline">By {escape(a["author"])}</p>
{paras}
      <p class="share">Share: Facebook | X | WhatsApp | Email</p>
    </article>
    <aside>
      <h3>Most read</h3>
      <ol>
{most}
      </ol>
    </aside>
  </main>
  <footer><p>&copy; 2024 {escape(a["site"])}. All rights reserved.</p><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a> | <a href="/contact">Contact</a></p></footer>
  <script src="/static/js/ads.js" async></script>
</body>
</html>
"""
    return page.encode("utf-8")


def png_1x1() -> bytes:
    """A valid 1x1 grey PNG, built byte by byte (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80", 9))
        + chunk(b"IEND", b"")
    )


def http_response(body: bytes, content_type: str, date: str) -> StatusAndHeaders:
    headers = [
        ("Date", date),
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "max-age=300"),
    ]
    return StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")


def main() -> None:
    with OUT.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")

        info = writer.create_warcinfo_record(
            OUT.name,
            {
                "software": CRAWLER,
                "format": "WARC File Format 1.1",
                "description": "Example crawl bundled with newsevents; all articles are invented.",
            },
        )
        info.rec_headers.replace_header("WARC-Record-ID", rec_id(1))
        info.rec_headers.replace_header("WARC-Date", "2024-03-06T02:14:00Z")
        writer.write_record(info)

        first, second = ARTICLES
        host = first["url"].split("/")[2]
        req = writer.create_warc_record(
            first["url"],
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                "GET /" + first["url"].split("/", 3)[3] + " HTTP/1.1",
                [("Host", host), ("User-Agent", CRAWLER), ("Accept", "text/html")],
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Date": first["crawled"],
                "WARC-Record-ID": rec_id(2),
                "WARC-Concurrent-To": rec_id(3),
            },
        )
        writer.write_record(req)

        body = html_page(first)
        writer.write_record(
            writer.create_warc_record(
                first["url"],
                "response",
                payload=io.BytesIO(body),
                http_headers=http_response(
                    body, "text/html; charset=utf-8", "Wed, 06 Mar 2024 02:14:07 GMT"
                ),
                warc_headers_dict={"WARC-Date": first["crawled"], "WARC-Record-ID": rec_id(3)},
            )
        )

        logo = png_1x1()
        writer.write_record(
            writer.create_warc_record(
                f"https://{host}/static/img/logo.png",
                "response",
                payload=io.BytesIO(logo),
                http_headers=http_response(logo, "image/png", "Wed, 06 Mar 2024 02:14:09 GMT"),
                warc_headers_dict={
                    "WARC-Date": "2024-03-06T02:14:09Z",
                    "WARC-Record-ID": rec_id(4),
                },
            )
        )

        body = html_page(second)
        writer.write_record(
            writer.create_warc_record(
                second["url"],
                "response",
                payload=io.BytesIO(body),
                http_headers=http_response(
                    body, "text/html; charset=utf-8", "Wed, 06 Mar 2024 02:15:42 GMT"
                ),
                warc_headers_dict={"WARC-Date": second["crawled"], "WARC-Record-ID": rec_id(5)},
            )
        )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
