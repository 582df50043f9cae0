"""Progress charts as PNG files, drawn with matplotlib.

The series themselves come from `coach.history.progress.progress_series` (the app draws them
its own way, as SVG). matplotlib is imported when a chart is drawn, not with this module, so
commands that draw none start fast.

The figure is built with matplotlib's object API on an Agg canvas: no pyplot, no global
backend switch, nothing shown on screen, safe to call from the app's worker threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from coach.analysis.timing import PaceRange
from coach.history.progress import DEFAULT_PACE, Series

PANEL_WIDTH_IN, PANEL_HEIGHT_IN, DPI = 6.0, 1.8, 100
MAX_X_LABELS = 12


def render_progress_chart(series: Sequence[Series], path: str | Path, *,
                          pace_range: PaceRange = DEFAULT_PACE, title: str = "") -> Path:
    """Write one panel per series (attempts along x) to a PNG file; returns its path.

    Series without points are left out; with no points at all the image says so.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = [s for s in series if s.points]
    panels = max(1, len(drawn))
    figure = Figure(figsize=(PANEL_WIDTH_IN, PANEL_HEIGHT_IN * panels + 0.4), dpi=DPI)
    FigureCanvasAgg(figure)
    if title:
        figure.suptitle(title)
    if not drawn:
        axes = figure.add_subplot(1, 1, 1)
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No analysed attempts yet", ha="center", va="center")
    for number, one in enumerate(drawn, 1):
        axes = figure.add_subplot(panels, 1, number)
        xs = list(range(1, len(one.points) + 1))
        axes.plot(xs, one.values, marker="o", linewidth=1.5, color="#2563eb")
        if one.metric.better == "in-range":
            axes.axhspan(pace_range.low, pace_range.high, color="#16a34a", alpha=0.12)
        unit = f" ({one.metric.unit})" if one.metric.unit else ""
        axes.set_ylabel(f"{one.metric.label}{unit}", fontsize=8)
        step = -(-len(xs) // MAX_X_LABELS)  # every n-th attempt labelled, so labels never overlap
        axes.set_xticks(xs[::step], [f"#{p.attempt_id}" for p in one.points][::step], fontsize=7)
        if one.metric.better != "in-range":
            axes.set_ylim(bottom=0)
        axes.tick_params(axis="y", labelsize=7)
        axes.grid(alpha=0.3)
    figure.tight_layout()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, format="png")
    return target
