"""How far confidence can be trusted, drawn: a reliability diagram and the precision-recall
curve over confidence thresholds, side by side in one SVG (``newsevents eval --plot``;
``scripts/reliability.py`` makes ``docs/reliability.png`` of the gold's test part).

Left: for each confidence bin holding events, the share of them that is right against their
mean confidence (a calibrated confidence lies on the diagonal), each point's area by its
events, with the bins' event counts as bars along the bottom. Right: strict precision against
strict recall as the least confidence for an event to count rises, each point labelled with
its threshold, the default one (``settings.MIN_CONFIDENCE``) marked.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

SIZE = 300  # each panel's plotting square, in px
PAD = 48
GAP = 70
WIDTH = PAD + SIZE + GAP + SIZE + PAD // 2
HEIGHT = 40 + SIZE + PAD + 10


def _axes(x0: float, y0: float, xlabel: str, ylabel: str, xtop: float = 1.0) -> list[str]:
    """A square panel at (``x0``, ``y0``), its x axis running 0..``xtop``, its y axis 0..1."""
    out = [f'<rect x="{x0}" y="{y0}" width="{SIZE}" height="{SIZE}" fill="#fff" stroke="#999"/>']
    for k in range(6):
        px, py = x0 + SIZE * k / 5, y0 + SIZE - SIZE * k / 5
        out.append(f'<line x1="{px:.1f}" y1="{y0}" x2="{px:.1f}" y2="{y0 + SIZE}" stroke="#eee"/>')
        out.append(f'<line x1="{x0}" y1="{py:.1f}" x2="{x0 + SIZE}" y2="{py:.1f}" stroke="#eee"/>')
        out.append(
            f'<text x="{px:.1f}" y="{y0 + SIZE + 16}" text-anchor="middle">{xtop * k / 5:.2g}</text>'
        )
        out.append(f'<text x="{x0 - 6}" y="{py + 4:.1f}" text-anchor="end">{k / 5:.1f}</text>')
    out.append(
        f'<text x="{x0 + SIZE / 2}" y="{y0 + SIZE + 34}" text-anchor="middle">{escape(xlabel)}</text>'
    )
    out.append(
        f'<text transform="translate({x0 - 34},{y0 + SIZE / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(ylabel)}</text>'
    )
    return out


def confidence_svg(confidence: dict[str, Any], title: str) -> str:
    """The two panels for the ``confidence`` part of an article evaluation's report."""
    bins = confidence.get("reliability") or []
    curve = confidence.get("curve") or []
    y0 = 40.0
    left, right = float(PAD), float(PAD + SIZE + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{PAD - 30}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<text x="{PAD - 30}" y="32">calibration error {confidence.get("ece", 0):.3f}; '
        f"{confidence.get('high_confidence_events', 0)} events at confidence ≥ 0.8</text>",
    ]
    parts += _axes(left, y0, "confidence (mean of the bin)", "share right (strict)")
    parts.append(
        f'<line x1="{left}" y1="{y0 + SIZE}" x2="{left + SIZE}" y2="{y0}" stroke="#888" '
        'stroke-dasharray="4 3"/>'
    )
    most = max((b["events"] for b in bins), default=1)
    for b in bins:
        w = SIZE * (b["high"] - b["low"])
        h = 40 * b["events"] / most
        bx = left + SIZE * b["low"]
        parts.append(
            f'<rect x="{bx + 1:.1f}" y="{y0 + SIZE - h:.1f}" width="{w - 2:.1f}" height="{h:.1f}" '
            f'fill="#c6dbef"><title>{b["events"]} events</title></rect>'
        )
    for b in bins:
        cx, cy = left + SIZE * b["confidence"], y0 + SIZE - SIZE * b["right"]
        r = 3 + 9 * math.sqrt(b["events"] / most)
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#08519c" fill-opacity="0.7">'
            f"<title>{b['low']:.1f}-{b['high']:.1f}: {b['events']} events, mean confidence "
            f"{b['confidence']:.2f}, {b['right']:.2f} right</title></circle>"
        )
        parts.append(
            f'<text x="{cx + r + 2:.1f}" y="{cy - 2:.1f}" fill="#555">{b["events"]}</text>'
        )
    top = max([0.5] + [c["strict_recall"] for c in curve])
    top = math.ceil(top * 10) / 10
    parts += _axes(right, y0, "strict recall", "strict precision", xtop=top)
    scale_x = SIZE / top
    points = [
        (right + c["strict_recall"] * scale_x, y0 + SIZE - SIZE * c["strict_precision"], c)
        for c in curve
        if c["events"]
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#a50f15" stroke-width="2"/>')
    default = confidence.get("threshold")
    for x, y, c in points:
        mark = c["threshold"] == default
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{5 if mark else 3}" fill="{"#a50f15" if mark else "#fff"}" '
            f'stroke="#a50f15"><title>confidence ≥ {c["threshold"]}: {c["events"]} events, '
            f"P {c['strict_precision']:.3f}, R {c['strict_recall']:.3f}</title></circle>"
        )
        label = f"≥{c['threshold']:g}" + (" (default)" if mark else "")
        parts.append(f'<text x="{x + 6:.1f}" y="{y - 5:.1f}" fill="#a50f15">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
