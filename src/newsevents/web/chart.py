"""A cooperation-versus-conflict bar chart as inline SVG (no JavaScript, no build step)."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup


def chart_svg(points: list[dict[str, Any]], width: int = 720, height: int = 180) -> Markup:
    """Monthly story counts: cooperation (QuadClass 1-2) up in green, conflict (3-4) down in red.

    Returns SVG markup built only from numbers and escaped month labels.

    >>> "<svg" in chart_svg([{"month": "2020-09", "cooperation": 2, "conflict": 1}])
    True
    """
    if not points:
        return Markup('<p class="muted">No dated stories to chart.</p>')
    peak = max(max(p["cooperation"], p["conflict"]) for p in points) or 1
    mid = height / 2
    step = width / len(points)
    bar = max(2.0, step * 0.6)
    parts = [
        f'<svg class="chart" role="img" aria-label="cooperation versus conflict by month" '
        f'viewBox="0 0 {width} {height + 20}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="0" y1="{mid}" x2="{width}" y2="{mid}" class="axis"/>',
    ]
    for i, p in enumerate(points):
        x = i * step + (step - bar) / 2
        up = (p["cooperation"] / peak) * (mid - 4)
        down = (p["conflict"] / peak) * (mid - 4)
        label = escape(str(p["month"]))
        if up:
            parts.append(f'<rect class="coop" x="{x:.1f}" y="{mid - up:.1f}" width="{bar:.1f}" '
                         f'height="{up:.1f}"><title>{label}: {int(p["cooperation"])} cooperation</title></rect>')
        if down:
            parts.append(f'<rect class="conflict" x="{x:.1f}" y="{mid:.1f}" width="{bar:.1f}" '
                         f'height="{down:.1f}"><title>{label}: {int(p["conflict"])} conflict</title></rect>')
        if len(points) <= 24 or i % max(1, len(points) // 12) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height + 14}" class="tick">{label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # built from numbers and escaped labels only
