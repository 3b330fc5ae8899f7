"""A map of placed stories as inline SVG: country outlines and one point per story.

The outlines are Natural Earth 1:110m countries as TopoJSON from the npm package
``world-atlas`` (``make install`` fetches it, checked by hash, into the virtualenv's
``share/newsevents``; ``NEWSEVENTS_OUTLINES`` points elsewhere). Without the file the map
still draws its points, on a graticule, and says the outlines are missing. The projection is
equirectangular (longitude and latitude as x and y), so a point's place needs no library;
the view zooms to the points, and no JavaScript runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import pycountry
from markupsafe import Markup

from newsevents import settings

WIDTH = 1000.0  # the world's width in map units; 1 unit = 0.36 degrees
NORTH, SOUTH = 84.0, -58.0  # Antarctica and the far north are left out
HEIGHT = (NORTH - SOUTH) * WIDTH / 360
MIN_VIEW = 160.0  # the narrowest view, in map units (about 58 degrees of longitude)
LEGEND = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass(frozen=True, slots=True)
class Outline:
    code: str | None  # ISO 3166-1 alpha-3, None for areas with no code (N. Cyprus, Somaliland)
    name: str
    path: str  # SVG path data in map units


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map units of a longitude and latitude: x from the antimeridian east, y from 84N south.

    >>> project(-180, 84), project(180, -6)
    ((0.0, 0.0), (1000.0, 250.0))
    """
    return (lon + 180) * WIDTH / 360, (NORTH - lat) * WIDTH / 360


def outlines_file() -> Path:
    """The country outlines (the ``outlines`` setting, $NEWSEVENTS_OUTLINES)."""
    return Path(str(settings.value("outlines")))


def _alpha3(numeric: str | None) -> str | None:
    if numeric == "-99" or not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_3 if country else None


def decode_topojson(
    topo: dict[str, Any], name: str = "countries"
) -> list[tuple[dict[str, Any], list[list[tuple[float, float]]]]]:
    """Each geometry of the TopoJSON object ``name`` with its rings as (lon, lat) lists.

    Arcs are delta-encoded quantized positions; a negative arc index ``~i`` is arc ``i``
    reversed, and consecutive arcs of a ring share their joining point.
    """
    (kx, ky), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)

    def ring(indices: Iterable[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(part[1:] if out else part)
        return out

    shapes = []
    for geom in topo["objects"][name]["geometries"]:
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom.get("arcs", [])
        shapes.append((geom, [ring(r) for polygon in polygons for r in polygon]))
    return shapes


def _unwrapped(ring: Sequence[tuple[float, float]]) -> list[Sequence[tuple[float, float]]]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) as two copies, its
    western longitudes moved east by 360 degrees and the whole moved west again, so each
    edge of the map shows its part; any other ring as it is."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return [ring]
    east = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]
    return [east, [(lon - 360, lat) for lon, lat in east]]


def _path(rings: Sequence[Sequence[tuple[float, float]]]) -> str:
    parts = []
    for r in (part for ring in rings for part in _unwrapped(ring)):
        points: list[str] = []
        for lon, lat in r:
            x, y = project(lon, lat)
            p = f"{x:.1f} {y:.1f}"
            if not points or points[-1] != p:
                points.append(p)
        if len(points) > 2:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


@lru_cache(maxsize=4)
def load_outlines(path: Path) -> tuple[Outline, ...]:
    """The countries of a world-atlas TopoJSON file as SVG paths (Antarctica left out);
    empty when the file is missing or unreadable."""
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        shapes = decode_topojson(topo)
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    return tuple(
        Outline(_alpha3(geom.get("id")), geom.get("properties", {}).get("name", ""), _path(rings))
        for geom, rings in shapes
        if geom.get("id") != "010"
    )


def _view(xy: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The part of the world to show: the points' box with a margin, at least ``MIN_VIEW``
    wide, as wide as the world's own proportions, kept inside the world."""
    if not xy:
        return 0.0, 0.0, WIDTH, HEIGHT
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    w = max(MIN_VIEW, (max(xs) - min(xs)) * 1.3)
    h = max(w * HEIGHT / WIDTH, (max(ys) - min(ys)) * 1.3)
    w = min(WIDTH, max(w, h * WIDTH / HEIGHT))
    h = min(HEIGHT, w * HEIGHT / WIDTH)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x0 = min(max(cx - w / 2, 0.0), WIDTH - w)
    y0 = min(max(cy - h / 2, 0.0), HEIGHT - h)
    return x0, y0, w, h


def _spread(xy: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Points at one spot set around it in a small spiral, so that each stays clickable."""
    seen: dict[tuple[int, int], int] = {}
    out = []
    for x, y in xy:
        k = seen.get((round(x), round(y)), 0)
        seen[(round(x), round(y))] = k + 1
        angle, r = k * 2.39996, step * math.sqrt(k)
        out.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    return out


def map_svg(
    points: Sequence[dict[str, Any]], highlight: Iterable[str] = (), path: Path | None = None
) -> Markup:
    """Stories as points over country outlines: size by articles, colour by QuadClass, each
    linking to its story; ``highlight`` countries (alpha-3) drawn darker.

    Each point needs ``story_id``, ``lat``, ``lon``, ``n_articles`` and ``quad_class``;
    ``summary``, ``story_date`` and ``place_name`` make its tooltip. The markup is built from
    numbers and escaped text only.
    """
    outlines = load_outlines(path or outlines_file())
    order = sorted(points, key=lambda p: -(p.get("n_articles") or 1))  # small points on top
    xy = [project(p["lon"], p["lat"]) for p in order]
    x0, y0, w, h = _view(xy)
    scale = w / WIDTH
    marked = {c.upper() for c in highlight}
    parts = [
        f'<svg class="map" role="img" aria-label="stories on a map" viewBox="{x0:.1f} {y0:.1f} {w:.1f} {h:.1f}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<rect class="sea" x="0" y="0" width="{WIDTH:.0f}" height="{HEIGHT:.1f}"/>',
    ]
    for o in outlines:
        cls = "land dyad" if o.code in marked else "land"
        parts.append(f'<path class="{cls}" d="{o.path}"><title>{escape(o.name)}</title></path>')
    if not outlines:
        for lon in range(-180, 181, 30):
            x = project(lon, 0)[0]
            parts.append(f'<line class="grid" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{HEIGHT:.1f}"/>')
        for lat in range(-30, 84, 30):
            y = project(0, lat)[1]
            parts.append(f'<line class="grid" x1="0" y1="{y:.1f}" x2="{WIDTH:.0f}" y2="{y:.1f}"/>')
    for p, (x, y) in zip(order, _spread(xy, 5 * scale), strict=True):
        n = max(1, int(p.get("n_articles") or 1))
        r = min(18.0, 6 + 3 * math.sqrt(n - 1)) * scale
        quad = int(p.get("quad_class") or 0)
        tip = escape(
            f"{p.get('story_date') or 'undated'} · {p.get('place_name') or ''} · "
            f"{n} article{'' if n == 1 else 's'} · {p.get('summary') or ''}"
        )
        parts.append(
            f'<a href="/story/{escape(str(p["story_id"]))}"><circle class="point quad{quad}" '
            f'cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}"><title>{tip}</title></circle></a>'
        )
    parts.append("</svg>")
    note = (
        ""
        if outlines
        else (
            '<p class="muted">Country outlines are not installed (run <code>make install</code>).</p>'
        )
    )
    return Markup("".join(parts) + note)  # built from numbers and escaped text only
