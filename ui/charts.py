"""Small inline SVG charts for the feedback view: pace over the answer, answer length vs. limit.

Pure functions that return SVG/HTML strings; no JavaScript and no plotting library, so the
charts render instantly, print well and look the same in every browser.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.analysis.timing import clock

__all__ = ["clock", "length_bar", "pace_chart", "score_ring", "sparkline"]

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 12, 24


def _nice_ceiling(value: float, step: float) -> float:
    return max(step, step * -(-value // step))


def pace_chart(points: Sequence[tuple[float, float]], low: float, high: float,
               answer_s: float) -> str:
    """Words per minute over the answer, with the comfortable range shaded.

    `points` are (start second, wpm) of consecutive windows (TimingReport.pace_over_time).
    """
    if not points:
        return '<p class="muted">Too short to chart the pace.</p>'
    span = max(answer_s, points[-1][0] + 1.0, 1.0)
    top_wpm = _nice_ceiling(max(max(w for _, w in points), high) + 10, 50)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    window = span / len(points) if len(points) > 1 else span

    def x(t: float) -> float:
        return LEFT + inner_w * min(t, span) / span

    def y(wpm: float) -> float:
        return TOP + inner_h * (1 - min(wpm, top_wpm) / top_wpm)

    head = (f'<svg class="chart pace-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            'aria-label="Pace in words per minute over the answer">')
    parts = [head]
    parts.append(f'<rect class="band" x="{LEFT}" y="{y(high):.1f}" width="{inner_w}" '
                 f'height="{y(low) - y(high):.1f}"/>')
    for wpm in range(0, int(top_wpm) + 1, 50):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(wpm):.1f}" '
                     f'y2="{y(wpm):.1f}"/><text class="axis" x="{LEFT - 5}" y="{y(wpm) + 3:.1f}" '
                     f'text-anchor="end">{wpm}</text>')
    # one point in the middle of each window
    coords = [(x(t + min(window, span - t) / 2), y(w)) for t, w in points]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{cx:.1f},{cy:.1f}" for i, (cx, cy) in enumerate(coords)
    )
    area = path + f" L{coords[-1][0]:.1f},{y(0):.1f} L{coords[0][0]:.1f},{y(0):.1f} Z"
    parts.append(f'<path class="area" d="{area}"/><path class="line" d="{path}"/>')
    for (cx, cy), (t, w) in zip(coords, points):
        state = "ok" if low <= w <= high else "off"
        parts.append(f'<circle class="dot {state}" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5">'
                     f'<title>{clock(t)}: {w:.0f} wpm</title></circle>')
    ticks = 5 if span > 20 else max(2, int(span // 5) + 1)
    for i in range(ticks):
        t = span * i / (ticks - 1)
        anchor = "start" if i == 0 else "end" if i == ticks - 1 else "middle"
        parts.append(f'<text class="axis" x="{x(t):.1f}" y="{HEIGHT - 6}" '
                     f'text-anchor="{anchor}">{clock(t)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def length_bar(answer_s: float, limit_s: float) -> str:
    """A bar of the answer's length against its time limit; the part over the limit in red."""
    full = max(answer_s, limit_s) or 1.0
    used = 100 * min(answer_s, limit_s) / full
    over = 100 * max(0.0, answer_s - limit_s) / full
    mark = 100 * limit_s / full
    label = f"{clock(answer_s)} of {clock(limit_s)}"
    return (f'<div class="length-bar" role="img" aria-label="{label}">'
            f'<span class="used" style="width:{used:.1f}%"></span>'
            f'<span class="over" style="width:{over:.1f}%"></span>'
            f'<span class="limit" style="left:{mark:.1f}%"></span></div>'
            f'<div class="length-scale"><span>0:00</span><span>limit {clock(limit_s)}</span></div>')


def score_ring(score: float) -> str:
    """The total score as a ring gauge."""
    radius, circumference = 42, 2 * 3.14159 * 42
    filled = circumference * max(0.0, min(score, 100.0)) / 100
    grade = "good" if score >= 75 else "fair" if score >= 50 else "low"
    return (f'<svg class="score-ring {grade}" viewBox="0 0 100 100" role="img" '
            f'aria-label="Score {score:.0f} out of 100">'
            f'<circle class="track" cx="50" cy="50" r="{radius}"/>'
            f'<circle class="value" cx="50" cy="50" r="{radius}" '
            f'stroke-dasharray="{filled:.1f} {circumference:.1f}" transform="rotate(-90 50 50)"/>'
            f'<text x="50" y="46" class="score-number" text-anchor="middle" '
            f'dominant-baseline="central">{score:.0f}</text>'
            f'<text x="50" y="68" class="score-of" text-anchor="middle">of 100</text></svg>')


def sparkline(values: Sequence[float], *, band: tuple[float, float] | None = None,
              width: int = 220, height: int = 56, floor_zero: bool = True) -> str:
    """A small line of one metric over attempts (oldest left), the last value marked."""
    if not values:
        return ""
    pad = 6
    low = min(values) if not floor_zero else 0.0
    high = max(values)
    if band:
        low, high = min(low, band[0]), max(high, band[1])
    span = (high - low) or 1.0

    def x(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (len(values) - 1) if len(values) > 1 else 0.5)

    def y(v: float) -> float:
        return pad + (height - 2 * pad) * (1 - (v - low) / span)

    parts = [(f'<svg class="chart spark" viewBox="0 0 {width} {height}" role="img" '
              f'aria-label="{len(values)} attempts">')]
    if band:
        parts.append(f'<rect class="band" x="0" y="{y(band[1]):.1f}" width="{width}" '
                     f'height="{y(band[0]) - y(band[1]):.1f}"/>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<path class="line" d="{path}"/>')
    parts.append(f'<circle class="dot ok" cx="{x(len(values) - 1):.1f}" '
                 f'cy="{y(values[-1]):.1f}" r="3.5"/></svg>')
    return "".join(parts)
