"""The map: TopoJSON outlines decoded and projected, points placed, linked and escaped; the
map page and its JSON twin filtered as the timeline is."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsevents.coding.coder import ArticleCoder
from newsevents.jobs.ingest import ingest
from newsevents.storage.store import Store
from newsevents.stories.build import update_stories
from newsevents.web.app import create_app
from newsevents.web.worldmap import (
    HEIGHT,
    WIDTH,
    _unwrapped,
    _view,
    decode_topojson,
    load_outlines,
    map_svg,
    outlines_file,
    project,
)

#: two squares sharing an edge (arc 1), the second written with that arc reversed
TOPO = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [10, 20]},
    "arcs": [
        [[0, 0], [0, 1], [1, 0]],
        [[1, 1], [0, -1]],
        [[1, 0], [-1, 0]],
        [[1, 1], [1, 0], [0, -1], [-1, 0]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "id": "410",
                    "properties": {"name": "South Korea"},
                    "arcs": [[0, 1, 2]],
                },
                {
                    "type": "MultiPolygon",
                    "id": "643",
                    "properties": {"name": "Russia"},
                    "arcs": [[[3, -2]]],
                },
                {
                    "type": "Polygon",
                    "id": "010",
                    "properties": {"name": "Antarctica"},
                    "arcs": [[0, 1, 2]],
                },
            ],
        }
    },
}


def test_topojson_arcs_are_decoded_shared_and_reversed() -> None:
    (kor, kor_rings), (rus, rus_rings), _ = decode_topojson(TOPO)
    assert kor["id"] == "410" and kor_rings == [[(10, 20), (10, 21), (11, 21), (11, 20), (10, 20)]]
    # arc 1 reversed closes Russia's square on the shared edge
    assert rus_rings == [[(11, 21), (12, 21), (12, 20), (11, 20), (11, 21)]]


def test_outlines_carry_alpha3_codes_and_leave_antarctica_out(tmp_path: Path) -> None:
    path = tmp_path / "topo.json"
    path.write_text(json.dumps(TOPO))
    outlines = load_outlines(path)
    assert [(o.code, o.name) for o in outlines] == [("KOR", "South Korea"), ("RUS", "Russia")]
    x, y = project(10, 20)
    assert outlines[0].path.startswith(f"M{x:.1f} {y:.1f}L") and outlines[0].path.endswith("Z")
    assert load_outlines(tmp_path / "missing.json") == ()


def test_a_ring_across_the_antimeridian_is_drawn_at_both_edges() -> None:
    ring = [(179.0, 65.0), (-179.0, 65.0), (-179.0, 66.0), (179.0, 66.0), (179.0, 65.0)]
    east, west = _unwrapped(ring)
    assert [p[0] for p in east] == [179.0, 181.0, 181.0, 179.0, 179.0]
    assert [p[0] for p in west] == [-181.0, -179.0, -179.0, -181.0, -181.0]
    assert _unwrapped([(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)]) == [
        [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)]
    ]


def test_the_view_holds_every_point_inside_the_world() -> None:
    assert _view([]) == (0.0, 0.0, WIDTH, HEIGHT)
    seoul, moscow, lima = project(127.0, 37.6), project(37.6, 55.8), project(-77.0, -12.0)
    for pts in ([seoul], [seoul, moscow], [seoul, moscow, lima], [project(179.9, 83.9)]):
        x0, y0, w, h = _view(pts)
        assert x0 >= 0 and y0 >= 0 and x0 + w <= WIDTH + 1e-6 and y0 + h <= HEIGHT + 1e-6
        assert all(x0 < x < x0 + w and y0 < y < y0 + h for x, y in pts)
    assert _view([seoul])[2] < WIDTH / 4  # one place: zoomed in, not the whole world


def test_points_link_to_stories_and_escape_text(tmp_path: Path) -> None:
    points = [
        {
            "story_id": "s1",
            "lat": 37.57,
            "lon": 126.98,
            "n_articles": 4,
            "quad_class": 1,
            "summary": '<script>alert("x")</script>',
            "story_date": "2020-09-21",
            "place_name": "Seoul",
        },
        {
            "story_id": "s2",
            "lat": 37.57,
            "lon": 126.98,
            "n_articles": 1,
            "quad_class": 4,
            "summary": "b",
        },
    ]
    svg = str(map_svg(points, ["KOR"], path=tmp_path / "missing.json"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert (
        svg.count('href="/story/') == 2
        and 'class="point quad1"' in svg
        and 'class="point quad4"' in svg
    )
    circles = re.findall(r'cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    assert len(set((cx, cy) for cx, cy, _ in circles)) == 2  # one spot, two clickable points
    big, small = (float(r) for *_, r in circles)
    assert big > small  # more articles, bigger, drawn first (below)
    assert "outlines are not installed" in svg and 'class="grid"' in svg


def test_installed_outlines_cover_the_world() -> None:
    path = outlines_file()
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no country outlines at {path} (`make install` fetches them)")
        pytest.skip(f"no country outlines at {path}")
    outlines = {o.code: o for o in load_outlines(path)}
    assert len(outlines) > 170 and "ATA" not in outlines
    assert {"KOR", "PRK", "RUS", "USA", "HUN", "MMR", "SRB", "IND", "BRA", "NGA"} <= set(outlines)
    coords = [float(v) for v in re.findall(r"[\d.]+", outlines["KOR"].path)]
    xs, ys = coords[0::2], coords[1::2]
    x, y = project(126.98, 37.57)  # Seoul lies within South Korea's box
    assert min(xs) < x < max(xs) and min(ys) < y < max(ys)
    svg = str(map_svg([], ["KOR"]))
    assert svg.count('class="land dyad"') == 1 and "not installed" not in svg


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> TestClient:
    db = tmp_path_factory.mktemp("map") / "map.duckdb"
    coder = ArticleCoder()
    with Store(db) as store:
        ingest([str(samples_dir)], store, coder=coder)
        update_stories(store, coder.lex)
    return TestClient(create_app(db=db))


def test_map_api_places_stories_where_their_mentions_happened(client: TestClient) -> None:
    data = client.get("/api/map").json()["map"]
    assert data["placed"] == data["shown"] == len(data["points"]) >= 1
    by_place = {p["place_name"]: p for p in data["points"]}
    assert "Moscow" in by_place and by_place["Moscow"]["place_country"] == "RUS"
    assert (
        abs(by_place["Moscow"]["lat"] - 55.75) < 0.1
        and abs(by_place["Moscow"]["lon"] - 37.62) < 0.1
    )
    total = client.get("/api/summary").json()["counts"]["stories"]
    assert data["placed"] + data["unplaced"] == total


def test_map_follows_the_filters(client: TestClient) -> None:
    everything = client.get("/api/map").json()["map"]
    kor = client.get("/api/map?country=kor").json()["map"]
    assert all("KOR" in (p["actor_a"], p["actor_b"]) for p in kor["points"])
    assert client.get("/api/map?type=20").json()["map"]["points"] == []
    since = client.get("/api/map?since=2030-01-01").json()["map"]
    assert since["placed"] == since["unplaced"] == 0
    dyad = client.get("/api/dyads/KOR/RUS").json()["map"]
    assert {p["story_id"] for p in dyad["points"]} <= {p["story_id"] for p in everything["points"]}
    assert dyad["placed"] + dyad["unplaced"] == client.get("/api/dyads/KOR/RUS").json()["total"]
    assert client.get("/api/map?type=abc").status_code == 400
    assert client.get("/api/map?since=soon").status_code == 400
    assert client.get("/api/map?country=K0R").status_code == 400


def test_map_page_and_dyad_page_draw_linked_points(client: TestClient) -> None:
    page = client.get("/map?country=RUS")
    assert (
        page.status_code == 200
        and '<svg class="map"' in page.text
        and "verbal cooperation" in page.text
    )
    ids = {p["story_id"] for p in client.get("/api/map?country=RUS").json()["map"]["points"]}
    assert ids and all(f'href="/story/{i}"' in page.text for i in ids)
    dyad = client.get("/dyad/KOR/RUS")
    assert '<svg class="map"' in dyad.text and "with no place in their text" in dyad.text
