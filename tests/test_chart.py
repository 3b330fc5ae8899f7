"""The timeline chart: a continuous month axis, a y-axis with values, cooperation above and
conflict below, the Goldstein line, labels that fit a phone, undated stories said apart."""

from __future__ import annotations

import re

from newsevents.web.chart import chart_svg, filled, months_between, nice_step


def _texts(svg: str, cls: str) -> list[str]:
    return re.findall(rf'<text class="{cls}"[^>]*>([^<]*)</text>', svg)


def test_months_run_without_gaps_across_years() -> None:
    assert months_between("2019-11", "2020-02") == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert months_between("2020-05", "2020-05") == ["2020-05"]
    points = [
        {"month": "2019-12", "cooperation": 1, "conflict": 0, "goldstein": 2.0},
        {"month": "2020-03", "cooperation": 0, "conflict": 2, "goldstein": -5.0},
    ]
    months = filled(points)
    assert [p["month"] for p in months] == ["2019-12", "2020-01", "2020-02", "2020-03"]
    assert months[1] == {"month": "2020-01", "cooperation": 0, "conflict": 0, "goldstein": None}
    assert filled([]) == []


def test_round_steps() -> None:
    assert [nice_step(p) for p in (1, 2, 3, 9, 12, 45, 100, 999)] == [1, 1, 1, 5, 5, 20, 50, 500]


def test_y_axis_values_bars_up_and_down_and_the_goldstein_line() -> None:
    points = [
        {"month": "2020-01", "cooperation": 7, "conflict": 2, "goldstein": 3.0},
        {"month": "2020-02", "cooperation": 1, "conflict": 0, "goldstein": 1.0},
        {"month": "2020-04", "cooperation": 0, "conflict": 3, "goldstein": -8.0},
    ]
    svg = str(chart_svg(points))
    assert _texts(svg, "value") == ["10", "5", "0", "5", "10"]  # top: 7 rounded up to the step 5
    assert _texts(svg, "gvalue") == ["+10", "+0", "-10"]
    zero = float(re.search(r'<line class="axis" x1="[\d.]+%" y1="([\d.]+)"', svg).group(1))
    coop = [
        (float(y), float(h))
        for y, h in re.findall(
            r'class="coop" x="[\d.]+%" y="([\d.]+)" width="[\d.]+%" '
            r'height="([\d.]+)"',
            svg,
        )
    ]
    conflict = [float(y) for y in re.findall(r'class="conflict" x="[\d.]+%" y="([\d.]+)"', svg)]
    assert all(abs(y + h - zero) < 0.2 for y, h in coop) and all(y == zero for y in conflict)
    assert coop[0][1] == 7 / 10 * 80  # bars to scale: 7 of 10 over 80 pixels
    assert svg.count('<circle class="goldstein"') == 3
    # Jan-Feb joined; March is empty, so April stands alone
    assert svg.count('<line class="goldstein"') == 1
    assert (
        "Mar 2020: 0 cooperation, 0 conflict" not in svg
        and "Apr 2020: 0 cooperation, 3 conflict" in svg
    )


def test_labels_fit_a_phone_and_undated_stories_are_said_apart() -> None:
    points = [
        {
            "month": f"{2018 + i // 12}-{i % 12 + 1:02d}",
            "cooperation": i % 3,
            "conflict": 1,
            "goldstein": 0.0,
        }
        for i in range(36)
    ]
    svg = str(chart_svg(points, undated=4))
    always, wide = _texts(svg, "tick"), _texts(svg, "tick wide")
    assert 2 <= len(always) <= 4 and len(always) + len(wide) <= 10
    assert always[0] == "Jan 2018" and "4 undated stories not on the chart" in svg
    assert "No dated stories" in chart_svg([], undated=1) and "1 undated story" in chart_svg(
        [], undated=1
    )


def test_a_span_of_decades_is_drawn_by_year() -> None:
    points = [
        {"month": "1941-12", "cooperation": 0, "conflict": 1, "goldstein": -10.0},
        {"month": "2017-03", "cooperation": 2, "conflict": 0, "goldstein": 4.0},
        {"month": "2017-11", "cooperation": 1, "conflict": 1, "goldstein": 1.0},
    ]
    years = filled(points)
    assert (
        len(years) == 2017 - 1941 + 1
        and years[0]["month"] == "1941"
        and years[-1]["month"] == "2017"
    )
    assert years[-1] == {"month": "2017", "cooperation": 3, "conflict": 1, "goldstein": 2.5}
    assert years[1] == {"month": "1942", "cooperation": 0, "conflict": 0, "goldstein": None}
    svg = str(chart_svg(points))
    assert _texts(svg, "tick")[0] == "1941" and "2017: 3 cooperation, 1 conflict" in svg
