"""Web app and JSON API: every route and error through an ASGI client, escaping, SQL safety."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import event_queries
from newsevents.storage.parquet import over_parquet
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories
from newsevents.web.app import create_app

XSS = (
    'Egypt urged Israel to allow aid into Gaza <script>alert("pwned")</script> on Monday, '
    'officials said. <img src=x onerror="alert(1)"> "><svg onload=alert(2)>\n\n'
    "Egypt and Israel held talks in Cairo on Monday, the foreign ministry said."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("web")
    evil = root / "evil.jsonl"
    evil.write_text(
        json.dumps(
            {
                "id": "x",
                "text": XSS,
                "published": "2023-10-16",
                "url": "javascript:alert(3)",
                "source": "<b>Evil Wire</b>",
                "title": "<script>t()</script>",
            }
        )
        + "\n"
    )
    path = root / "web.duckdb"
    coder = ArticleCoder()
    with Store(path) as store:
        ingest([str(samples_dir), str(evil)], store, coder=coder)
        update_stories(store, coder.lex)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db=db))


def _story_ids(client: TestClient) -> list[str]:
    data = client.get("/api/dyads/KOR/RUS").json()
    return [s["story_id"] for s in data["stories"]]


def test_home_page_and_summary(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "KOR – RUS" in r.text
    assert "script-src" not in r.headers["content-security-policy"]
    data = client.get("/api/summary").json()
    assert data["counts"]["articles"] == 6
    assert {"actor_a": "KOR", "actor_b": "RUS"}.items() <= data["dyads"][0].items()


def test_dyad_timeline_html_and_json(client: TestClient) -> None:
    data = client.get("/api/dyads/RUS/KOR").json()  # order does not matter
    assert data["dyad"] == ["KOR", "RUS"] and data["total"] == 4
    assert [s["story_date"] for s in data["stories"]] == [
        "2020-09-21",
        "2020-09-28",
        "2021-02-12",
        None,
    ]
    assert data["chart"] and all(
        {"month", "cooperation", "conflict", "goldstein"} <= set(p) for p in data["chart"]
    )
    assert (
        data["undated"] == 1 and sum(p["cooperation"] + p["conflict"] for p in data["chart"]) == 3
    )
    assert "1 undated story not on the chart" in client.get("/dyad/KOR/RUS").text
    page = client.get("/dyad/KOR/RUS?since=2021-01-01")
    assert page.status_code == 200 and "<svg" in page.text and "2020-09-21" not in page.text
    paged = client.get("/api/dyads/KOR/RUS?per_page=2&page=2").json()
    assert len(paged["stories"]) == 2 and paged["page"] == 2
    # the type filter keeps exactly the stories of that root: the three dated meetings and
    # calls (004's Moscow talks are typed by their confident mentions, agreements and thanks,
    # since its talks mention scores 0.298, under settings.MIN_CONFIDENCE)
    consults = client.get("/api/dyads/KOR/RUS?type=04").json()
    assert consults["total"] == sum(s["cameo_root"] == "04" for s in data["stories"]) >= 3
    assert {s["story_date"] for s in consults["stories"]} >= {
        "2020-09-21",
        "2020-09-28",
        "2021-02-12",
    }
    # how sure each date is, the undated story shown apart, not hidden
    assert [s["sure"] for s in data["stories"]] == ["resolved", "resolved", "resolved", "unknown"]
    html = client.get("/dyad/KOR/RUS").text
    assert html.count('class="date sure-resolved"') == 3 and 'class="date sure-unknown"' in html
    assert "1 of 2 articles give this day" in html


def test_story_detail_highlights_every_mention(client: TestClient) -> None:
    call = next(
        s
        for s in client.get("/api/dyads/KOR/RUS").json()["stories"]
        if s["story_date"] == "2020-09-28"
    )
    data = client.get(f"/api/stories/{call['story_id']}").json()
    assert data["story"]["n_sources"] == 2 and len(data["articles"]) == 2
    for art in data["articles"]:
        assert any(seg["hit"] for seg in art["segments"])
        assert "".join(seg["text"] for seg in art["segments"]) == art["text"]
    page = client.get(f"/story/{call['story_id']}")
    assert page.text.count("<mark>") >= 2 and "Yonhap" in page.text
    assert (data["story"]["sure"], data["story"]["agree"]) == ("resolved", 1)
    assert "date resolved: 1 of 2 articles give this day" in page.text


def test_story_mentions_say_where_they_happened(client: TestClient) -> None:
    for s in client.get("/api/dyads/KOR/RUS").json()["stories"]:
        data = client.get(f"/api/stories/{s['story_id']}").json()
        placed = [m for a in data["articles"] for m in a["mentions"] if m["place_name"] == "Moscow"]
        if placed:
            assert placed[0]["place_id"] == 524901 and placed[0]["place_country"] == "RUS"
            assert 'class="place"' in client.get(f"/story/{s['story_id']}").text
            return
    raise AssertionError("no Korea-Russia mention placed in Moscow (sample 004: talks in Moscow)")


def test_article_actor_and_search(client: TestClient) -> None:
    art_id = client.get("/api/summary").json() and None
    arts = client.get("/api/search?q=Lavrov").json()["stories"]
    assert arts and all({"story_id", "summary"} <= set(s) for s in arts)
    story = client.get(f"/api/stories/{arts[0]['story_id']}").json()
    art_id = story["articles"][0]["article_id"]
    data = client.get(f"/api/articles/{art_id}").json()
    assert data["article"]["article_id"] == art_id and "removed" in data
    assert client.get(f"/article/{art_id}").status_code == 200
    actor = client.get("/api/actors/KOR").json()
    assert {c["counterpart"] for c in actor["counterparts"]} >= {"RUS", "USA"}
    assert client.get("/actor/RUS").status_code == 200
    assert client.get("/search?q=Putin").status_code == 200


def test_errors_are_clear_4xx(client: TestClient) -> None:
    assert client.get("/api/stories/nope").status_code == 404
    assert "no story" in client.get("/api/stories/nope").json()["error"]
    assert client.get("/story/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/actors/ZZZ").status_code == 404
    assert client.get("/api/dyads/KOR/RUS?since=last-week").status_code == 400
    assert client.get("/api/dyads/KOR/RUS?type=abc").status_code == 400
    assert client.get("/api/dyads/K0R/RUS").status_code == 400
    assert client.get("/api/dyads/KOR/RUS?page=0").status_code == 422
    assert client.get("/api/search").status_code == 400


def test_every_error_has_one_json_shape_and_an_html_page(client: TestClient) -> None:
    cases = [
        ("/api/dyads/KOR/RUS?page=0", 422, "page"),
        ("/api/dyads/KOR/RUS?per_page=x", 422, "per_page"),
        ("/api/nowhere", 404, "/api/nowhere"),
        ("/api/stories/nope", 404, "nope"),
        ("/api/dyads/KOR/RUS?type=abc", 400, "type"),
        ("/api/search?q=%20", 400, "q is empty"),
    ]
    for url, status, words in cases:
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("application/json")
        assert (
            set(r.json()) == {"error", "status"}
            and r.json()["status"] == status
            and words in r.json()["error"]
        )
        html = client.get(
            url.replace("/api/dyads", "/dyad")
            .replace("/api/stories", "/story")
            .replace("/api/search", "/search")
            .replace("/api/", "/")
        )
        if html.status_code != 200:  # an HTML page, never raw JSON
            assert html.status_code == status and html.headers["content-type"].startswith(
                "text/html"
            )
            assert f"Error {status}" in html.text and "content-security-policy" in html.headers
    post = client.post("/api/summary")
    assert (
        post.status_code == 405 and post.json()["status"] == 405 and "POST" in post.json()["error"]
    )
    page = client.get("/search?q=")
    assert page.status_code == 200 and "Type a word" in page.text and not page.text.startswith("{")


def test_country_names_stand_beside_codes(client: TestClient) -> None:
    summary = client.get("/api/summary").json()
    assert any(c["country"] == "KOR" and c["name"] == "South Korea" for c in summary["countries"])
    assert summary["dyads"][0]["names"] == ["South Korea", "Russia"]
    assert "South Korea – Russia" in client.get("/").text
    assert client.get("/api/dyads/KOR/RUS").json()["names"] == ["South Korea", "Russia"]
    assert "KOR (South Korea) – RUS (Russia)" in client.get("/dyad/KOR/RUS").text
    actor = client.get("/api/actors/KOR").json()
    assert (
        actor["name"] == "South Korea"
        and {"counterpart": "RUS", "name": "Russia"}.items()
        <= next(c for c in actor["counterparts"] if c["counterpart"] == "RUS").items()
    )
    story_id = client.get("/api/dyads/KOR/RUS").json()["stories"][0]["story_id"]
    assert "KOR (South Korea)" in client.get(f"/story/{story_id}").text
    assert "Where it happened: RUS (Russia)" in client.get("/map?country=rus").text


def test_events_table_and_csv_follow_the_filters(client: TestClient, db: Path) -> None:
    with Store(db, read_only=True) as store:
        expected = store.query(
            f"SELECT count(*) AS n FROM events WHERE confidence >= {MIN_CONFIDENCE} AND ((source_country = 'KOR' AND "
            "target_country = 'RUS') OR (source_country = 'RUS' AND target_country = 'KOR'))"
        )[0]["n"]
        everything = store.count("events")
    data = client.get("/api/events?a=RUS&b=KOR&per_page=5").json()
    assert data["total"] == expected > 5 and len(data["events"]) == 5 and data["more"]
    assert all({e["source_country"], e["target_country"]} == {"KOR", "RUS"} for e in data["events"])
    assert all(
        e["confidence"] >= MIN_CONFIDENCE and e["sentence"] and e["article_id"]
        for e in data["events"]
    )
    assert client.get("/api/events?min_confidence=0&per_page=1").json()["total"] == everything
    assert client.get("/api/events?country=KOR&type=20").json()["total"] == 0
    page = client.get("/events?a=KOR&b=RUS&per_page=5")
    assert page.status_code == 200 and "KOR (South Korea) – RUS (Russia)" in page.text
    link = re.search(r'class="csv" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query) == {"a": ["KOR"], "b": ["RUS"], "per_page": ["5"]}
    got = client.get(link)
    assert (
        got.headers["content-type"].startswith("text/csv")
        and "attachment" in got.headers["content-disposition"]
    )
    rows = list(csv.reader(io.StringIO(got.text)))
    assert (
        rows[0] == event_queries.EVENT_TABLE and len(rows) == expected + 1
    )  # every row, not a page
    assert {r[0] for r in rows[1:]} >= {e["event_id"] for e in data["events"]}
    assert client.get("/api/events?a=KOR").status_code == 400
    assert client.get("/events.csv?since=soon").status_code == 400
    assert 'href="/events?a=KOR&amp;b=RUS' in client.get("/dyad/KOR/RUS").text


def test_article_page_marks_each_event_and_links_its_story_and_original(client: TestClient) -> None:
    story = client.get("/api/dyads/KOR/RUS").json()["stories"][1]
    art = client.get(f"/api/stories/{story['story_id']}").json()["articles"][0]
    data = client.get(f"/api/articles/{art['article_id']}").json()
    assert (
        data["events"]
        and "".join(seg["text"] for seg in data["segments"]) == data["article"]["clean_text"]
    )
    marked = [i for seg in data["segments"] if seg["hit"] for i in seg["ids"]]
    assert sorted(marked) == sorted(e["event_id"] for e in data["events"])  # every event, once
    for seg in (s for s in data["segments"] if s["hit"]):
        held = [e for e in data["events"] if e["event_id"] in seg["ids"]]
        assert all(seg["text"] in e["sentence"] or e["sentence"] in seg["text"] for e in held)
    html = client.get(f"/article/{art['article_id']}").text
    assert html.count("<mark>") == sum(seg["hit"] for seg in data["segments"])
    assert all(
        f'id="{e["event_id"]}"' in html and f'href="#{e["event_id"]}"' in html
        for e in data["events"]
    )
    assert f'href="/story/{story["story_id"]}"' in html
    assert {e["story_id"] for e in data["events"]} >= {story["story_id"]}
    evil = client.get("/api/search?q=Gaza").json()["stories"][0]["story_id"]
    evil_art = client.get(f"/api/stories/{evil}").json()["articles"][0]["article_id"]
    evil_html = client.get(f"/article/{evil_art}").text
    assert (
        'class="original"' not in evil_html and "javascript:alert(3)" in evil_html
    )  # shown, never a link


def test_api_docs_are_served_from_this_server_alone(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    scripts = re.findall(r'<script src="([^"]+)"', page.text) + re.findall(
        r'href="([^"]+\.css)"', page.text
    )
    assert "/static/swagger/swagger-ui-bundle.js" in scripts and "/static/docs.js" in scripts
    assert all(
        s.startswith("/") and not s.startswith("//") for s in scripts
    )  # nothing from elsewhere
    assert "<script>" not in page.text  # no inline code
    for src in scripts:
        assert client.get(src).status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "http" not in csp
    assert "script-src" not in client.get("/").headers["content-security-policy"]
    responses = client.get("/openapi.json").json()["paths"]["/api/map"]["get"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_next_and_previous_pages_keep_every_parameter(client: TestClient) -> None:
    html = client.get("/dyad/KOR/RUS?per_page=1&type=04&page=2").text
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    prev = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(nxt).query) == {"per_page": ["1"], "type": ["04"], "page": ["3"]}
    assert parse_qs(urlsplit(prev).query) == {"per_page": ["1"], "type": ["04"], "page": ["1"]}
    seen = set()
    for page in range(1, 5):  # following the links walks every story once
        ids = [
            s["story_id"]
            for s in client.get(f"/api/dyads/KOR/RUS?per_page=1&type=04&page={page}").json()[
                "stories"
            ]
        ]
        seen.update(ids)
    assert len(seen) == client.get("/api/dyads/KOR/RUS?type=04").json()["total"] >= 3
    actor = client.get("/actor/KOR?per_page=1").text
    assert "per_page=1" in re.search(r'rel="next" href="([^"]+)"', actor).group(1)
    assert client.get("/api/actors/KOR?per_page=1").json()["more"] is True
    search = client.get("/search?q=Lavrov&per_page=1").text
    assert "q=Lavrov" in re.search(r'rel="next" href="([^"]+)"', search).group(1)


def test_search_takes_percent_and_underscore_literally(client: TestClient) -> None:
    assert client.get("/api/search?q=%25").json()["stories"] == []
    assert client.get("/api/search?q=_").json()["stories"] == []
    assert client.get("/api/search?q=Lav_ov").json()["stories"] == []
    assert client.get("/api/search?q=Lavrov").json()["stories"]
    assert client.get("/openapi.json").json()["paths"]["/api/dyads/{a}/{b}"]


def test_article_text_is_escaped(client: TestClient) -> None:
    ids = [s["story_id"] for s in client.get("/api/search?q=Gaza").json()["stories"]]
    assert ids
    pages = [client.get(f"/story/{i}").text for i in ids]
    arts = client.get(f"/api/stories/{ids[0]}").json()["articles"]
    pages.append(client.get(f"/article/{arts[0]['article_id']}").text)
    pages.append(client.get("/search?q=<script>").text)
    for html in pages:
        assert "<script>" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "&lt;script&gt;" in html or "pwned" not in html


def test_sql_looking_parameters_are_harmless(client: TestClient, db: Path) -> None:
    for q in ["' OR 1=1 --", "x'); DROP TABLE stories; --", "%' UNION SELECT * FROM articles --"]:
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200 and r.json()["stories"] == []
    assert client.get("/api/actors/KOR'--").status_code == 400
    with Store(db, read_only=True) as store:
        assert store.count("stories") > 0


def test_no_write_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for ops in paths.values():
        assert set(ops) <= {"get"}
    assert client.post("/api/summary").status_code == 405


@pytest.fixture(scope="module")
def parquet_out(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    """The local batch runner's Parquet output for the samples (and one line of bad JSON)."""
    from newsevents.jobs.run import run_local

    root = tmp_path_factory.mktemp("parquet")
    lines = [
        json.dumps({"id": f.name[:3], "text": f.read_text(encoding="utf-8")})
        for f in sorted(samples_dir.glob("*.txt"))
    ]
    (root / "in").mkdir()
    (root / "in" / "samples.jsonl").write_text(
        "\n".join([*lines, '{"id": "broken", "text": ']) + "\n", encoding="utf-8"
    )
    # a quote reaches no SQL unescaped, and glob characters are taken literally: the sibling
    # "o'ut1x", which "o'ut[1]*" would match as a glob, is never read
    out = root / "o'ut[1]*"
    counts = run_local([str(root / "in")], out)
    assert counts["articles"] == 5 and counts["discarded"] == 1
    shutil.copytree(out, root / "o'ut1x")
    return out


def test_parquet_output_is_served_as_a_store_is(client: TestClient, parquet_out: Path) -> None:
    from conftest import serving

    pq = TestClient(create_app(parquet=parquet_out))
    summary = pq.get("/api/summary").json()
    assert summary["counts"]["articles"] == 5 and summary["counts"]["discards"] == 1
    assert summary["counts"]["events"] > 0
    # the same stories as the store made of the same articles, with the same evidence
    stored = client.get("/api/dyads/KOR/RUS").json()["stories"]
    served = pq.get("/api/dyads/KOR/RUS").json()["stories"]
    keys = (
        "story_id",
        "story_date",
        "cameo_root",
        "plover",
        "quad_class",
        "goldstein",
        "n_sources",
    )
    assert [[s[k] for k in keys] for s in served] == [[s[k] for k in keys] for s in stored]
    assert all(s["plover"] and s["quad_class"] for s in served)
    call = next(s for s in served if s["story_date"] == "2020-09-28")
    story = pq.get(f"/api/stories/{call['story_id']}").json()
    assert story["story"]["n_sources"] == 2 and len(story["articles"]) == 2
    assert all(any(seg["hit"] for seg in art["segments"]) for art in story["articles"])
    art_id = story["articles"][0]["article_id"]
    article = pq.get(f"/api/articles/{art_id}").json()
    assert article["article"]["article_id"] == art_id and article["events"]
    assert article["events"] == client.get(f"/api/articles/{art_id}").json()["events"]
    assert {c["counterpart"] for c in pq.get("/api/actors/KOR").json()["counterparts"]} >= {
        "RUS",
        "USA",
    }
    assert pq.get("/api/search?q=Lavrov").json()["stories"]
    for page in (
        "/",
        "/dyad/KOR/RUS",
        f"/story/{call['story_id']}",
        f"/article/{art_id}",
        "/actor/RUS",
        "/search?q=Putin",
    ):
        assert pq.get(page).status_code == 200, page
    # and through the real server: `newsevents serve --parquet OUT`
    import httpx

    with serving("--parquet", str(parquet_out)) as base:
        assert httpx.get(base + "/api/summary", timeout=10).json()["counts"] == summary["counts"]


def test_parquet_output_holds_the_stores_events_column_for_column(
    db: Path, parquet_out: Path
) -> None:
    from newsevents.storage.store import EVENT_COLS

    served = over_parquet(parquet_out)
    sql = f"SELECT {', '.join(EVENT_COLS)} FROM events WHERE article_id IN (SELECT unnest(?)) ORDER BY event_id"
    ids = [r["article_id"] for r in served.query("SELECT article_id FROM articles")]
    events = served.query(sql, [ids])
    assert events and any(e["topics"] for e in events) and all(e["trigger"] for e in events)
    # what cleaning cut, and the articles as cleaned and dated (an undated article dated by
    # its story, as the store dates it)
    spans = "SELECT * FROM removed_spans WHERE article_id IN (SELECT unnest(?)) ORDER BY ALL"
    articles = (
        "SELECT article_id, published, published_how, published_evidence, language, "
        "clean_text, repairs FROM articles WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id"
    )
    assert served.query(spans, [ids])
    with Store(db, read_only=True) as store:
        assert events == store.query(sql, [ids])
        assert served.query(spans, [ids]) == store.query(spans, [ids])
        assert any(r["published_how"] == "inferred" for r in served.query(articles, [ids]))
        assert served.query(articles, [ids]) == store.query(articles, [ids])


def test_a_crawled_url_is_a_link_only_over_http(client: TestClient) -> None:
    stories = client.get("/api/dyads/EGY/ISR").json()["stories"]
    assert stories
    page = client.get(f"/story/{stories[0]['story_id']}").text
    assert "javascript:alert(3)" in page  # shown as text, never as a link
    assert 'href="javascript' not in page.lower()


def test_every_error_is_a_4xx_with_the_security_headers(client: TestClient) -> None:
    for path in (
        "/api/search?q=Putin&page=9223372036854775808",
        "/api/actors/KOR?page=0",
        "/search?q=Putin&per_page=100000",
        "/api/dyads/KOR/RUS?since=01-02-2023",
    ):
        r = client.get(path)
        assert 400 <= r.status_code < 500, path
        assert r.headers["content-security-policy"].startswith("default-src 'none'"), path


def test_the_server_holds_eight_concurrent_clients(db: Path) -> None:
    """The server reads with its own memory limit, whatever ingest's is, and bounds the
    queries run at once: under 8 concurrent clients, no 5xx and no dropped connection."""
    import threading

    import httpx

    from conftest import serving

    failures: list[str] = []
    paths = (
        "/api/search?q=Lavrov",
        "/api/search?q=the",
        "/api/summary",
        "/api/dyads/KOR/RUS",
        "/api/actors/KOR",
        "/dyad/KOR/RUS",
        "/search?q=Putin",
    )
    # a cramped ingest setting, which the server once used for its queries too
    with serving("--db", str(db), env={"NEWSEVENTS_DUCKDB_MEMORY": "2MB"}) as base:

        def client_loop() -> None:
            with httpx.Client(timeout=30) as c:
                for _ in range(6):
                    for p in paths:
                        try:
                            r = c.get(base + p)
                            if r.status_code != 200:
                                failures.append(f"{p}: {r.status_code}")
                        except httpx.HTTPError as exc:
                            failures.append(f"{p}: {type(exc).__name__}")

        threads = [threading.Thread(target=client_loop) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failures, failures[:5]
