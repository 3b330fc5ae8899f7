"""The cooperation-versus-conflict chart as inline SVG (no JavaScript, no build step).

Stories by month on a continuous time axis (months with no story are shown, empty):
cooperation (QuadClass 1-2) up, conflict (3-4) down, against a y-axis with its values, and
the month's mean Goldstein score as a line on its own -10..+10 scale at the right; a span
of more than ten years is drawn by year. Across
the chart, positions are percentages and heights pixels, so the labels keep their size at any
width (a viewBox would shrink them to a few pixels on a phone).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

HALF = 80  # pixels from the zero line to the top (and to the bottom) of the plot
TOP = 16  # pixels above the plot, for the top value label
LABELS = 22  # pixels below the plot, for the month labels
LEFT, RIGHT = 7.0, 8.0  # percent of the width kept for the value labels on each side
MAX_MONTHS = 120  # a longer span is drawn by year
NARROW, WIDE = 4, 10  # month labels at most: on any screen (400 pixels hold 4), on a wide one


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included.

    >>> months_between("2020-11", "2021-02")
    ['2020-11', '2020-12', '2021-01', '2021-02']
    """
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def nice_step(peak: float, ticks: int = 3) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks up to ``peak``.

    >>> [nice_step(p) for p in (1, 3, 7, 40, 260)]
    [1, 1, 5, 20, 100]
    """
    raw = max(1.0, peak / ticks)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(f * power for f in (1, 2, 5, 10) if f * power >= raw))


def by_year(points: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Monthly points summed by year (``month`` becomes ``YYYY``), the Goldstein score averaged
    over the year's stories.

    >>> by_year([{"month": "2016-03", "cooperation": 1, "conflict": 1, "goldstein": 2.0},
    ...          {"month": "2016-09", "cooperation": 2, "conflict": 0, "goldstein": 5.0}])
    [{'month': '2016', 'cooperation': 3, 'conflict': 1, 'goldstein': 3.5}]
    """
    years: dict[str, dict[str, Any]] = {}
    for p in sorted(points, key=lambda p: p["month"]):
        y = years.setdefault(
            p["month"][:4], {"month": p["month"][:4], "cooperation": 0, "conflict": 0, "g": 0.0}
        )
        n = p["cooperation"] + p["conflict"]
        y["cooperation"] += p["cooperation"]
        y["conflict"] += p["conflict"]
        y["g"] += (p.get("goldstein") or 0.0) * n
    return [
        {
            **{k: v for k, v in y.items() if k != "g"},
            "goldstein": round(y["g"] / n, 2) if (n := y["cooperation"] + y["conflict"]) else None,
        }
        for y in years.values()
    ]


def filled(points: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The points with every month (or year, for ``YYYY`` points) between the first and the
    last, the empty ones at 0; more than ``MAX_MONTHS`` months are summed by year."""
    if not points:
        return []
    by_period = {p["month"]: p for p in points}
    first, last = min(by_period), max(by_period)
    if len(first) == 7 and len(months_between(first, last)) > MAX_MONTHS:
        return filled(by_year(points))
    periods = (
        months_between(first, last)
        if len(first) == 7
        else [str(y) for y in range(int(first), int(last) + 1)]
    )
    empty = {"cooperation": 0, "conflict": 0, "goldstein": None}
    return [by_period.get(m, {"month": m, **empty}) for m in periods]


def _label(period: str) -> str:
    return (
        period if len(period) == 4 else date(int(period[:4]), int(period[5:7]), 1).strftime("%b %Y")
    )


def chart_svg(points: Sequence[dict[str, Any]], undated: int = 0) -> Markup:
    """Monthly story counts, cooperation up in green and conflict down in red, with a y-axis,
    month labels and the mean Goldstein line; undated stories are said apart, under it.

    Returns SVG markup built only from numbers and escaped month labels.

    >>> svg = chart_svg([{"month": "2020-09", "cooperation": 2, "conflict": 1, "goldstein": 3.0},
    ...                  {"month": "2020-12", "cooperation": 0, "conflict": 4, "goldstein": -6.5}])
    >>> svg.count('class="coop"'), svg.count('class="conflict"'), "Nov 2020" in svg
    (1, 2, True)
    """
    note = (
        (
            f'<p class="muted">{undated} undated stor{"y" if undated == 1 else "ies"} '
            "not on the chart.</p>"
        )
        if undated
        else ""
    )
    months = filled(points)
    if not months:
        return Markup('<p class="muted">No dated stories to chart.</p>' + note)
    frame = _Frame.of(months)
    parts = [
        f'<svg class="chart" role="img" aria-label="cooperation and conflict by month" width="100%" '
        f'height="{frame.height}" xmlns="http://www.w3.org/2000/svg">',
        *frame.axes(),
    ]
    dense = max(1, math.ceil(len(months) / WIDE))
    # the labels shown on any screen are a subset of the dense ones
    every = dense * math.ceil(math.ceil(len(months) / NARROW) / dense)
    previous: tuple[float, float] | None = None
    for i, p in enumerate(months):
        label = escape(_label(str(p["month"])))
        g = p.get("goldstein")
        tip = f"{label}: {int(p['cooperation'])} cooperation, {int(p['conflict'])} conflict" + (
            f", mean Goldstein {g:+.1f}" if g is not None else ""
        )
        parts.extend(frame.bars(i, p, tip))
        if g is not None:
            here = (frame.x(i), frame.gy(g))
            if previous:
                parts.append(
                    f'<line class="goldstein" x1="{previous[0]:.2f}%" y1="{previous[1]:.1f}" '
                    f'x2="{here[0]:.2f}%" y2="{here[1]:.1f}"/>'
                )
            parts.append(
                f'<circle class="goldstein" cx="{here[0]:.2f}%" cy="{here[1]:.1f}" r="3">'
                f"<title>{tip}</title></circle>"
            )
            previous = here
        else:
            previous = None  # a month with no story breaks the line
        if i % dense == 0 and frame.x(i) < 100 - RIGHT - 4:
            # the style sheet hides the "wide" ones on a phone
            cls = "tick" if i % every == 0 else "tick wide"
            parts.append(
                f'<text class="{cls}" x="{frame.x(i, 0):.2f}%" y="{frame.height - 6}">{label}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts) + note)  # built from numbers and escaped labels only


@dataclass(frozen=True)
class _Frame:
    """Where things go on the chart: the value at the top of the plot, its tick step, the
    zero line, the height and each month's slot (percent of the width) and bar width."""

    top: int
    step: int
    slot: float
    bar: float
    mid: int = TOP + HALF
    height: int = TOP + 2 * HALF + LABELS

    @classmethod
    def of(cls, months: Sequence[dict[str, Any]]) -> _Frame:
        peak = max(max(p["cooperation"], p["conflict"]) for p in months) or 1
        step = nice_step(peak)
        slot = (100 - LEFT - RIGHT) / len(months)
        return cls(step * math.ceil(peak / step), step, slot, max(slot * 0.7, 0.15))

    def x(self, i: int, at: float = 0.5) -> float:
        return LEFT + (i + at) * self.slot

    def gy(self, g: float) -> float:
        return self.mid - g / 10 * HALF

    def axes(self) -> list[str]:
        """The y-axis (grid lines and story counts, left) and the Goldstein scale (right)."""
        parts = []
        for v in range(-self.top, self.top + 1, self.step):
            y = self.mid - v / self.top * HALF
            parts.append(
                f'<line class="{"axis" if v == 0 else "grid"}" x1="{LEFT}%" y1="{y:.1f}" '
                f'x2="{100 - RIGHT}%" y2="{y:.1f}"/>'
            )
            parts.append(
                f'<text class="value" x="{LEFT - 0.8}%" y="{y + 4:.1f}" text-anchor="end">{abs(v)}</text>'
            )
        for g in (10, 0, -10):
            parts.append(
                f'<text class="gvalue" x="99%" y="{self.gy(g) + 4:.1f}" text-anchor="end">{g:+d}</text>'
            )
        return parts

    def bars(self, i: int, p: dict[str, Any], tip: str) -> list[str]:
        """Month ``i``'s cooperation bar (up) and conflict bar (down), each with its tip."""
        up, down = p["cooperation"] / self.top * HALF, p["conflict"] / self.top * HALF
        x0 = self.x(i, (1 - self.bar / self.slot) / 2)
        parts = []
        if up:
            parts.append(
                f'<rect class="coop" x="{x0:.2f}%" y="{self.mid - up:.1f}" width="{self.bar:.2f}%" '
                f'height="{up:.1f}"><title>{tip}</title></rect>'
            )
        if down:
            parts.append(
                f'<rect class="conflict" x="{x0:.2f}%" y="{self.mid:.1f}" width="{self.bar:.2f}%" '
                f'height="{down:.1f}"><title>{tip}</title></rect>'
            )
        return parts
