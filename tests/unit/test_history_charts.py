"""Progress charts: real PNG files, one panel per measured series."""

from __future__ import annotations

import struct

from coach.history.charts import render_progress_chart
from coach.history.progress import progress_series
from coach.history.records import Attempt, Metrics

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def history(n: int) -> list[Attempt]:
    return [Attempt(id=i, scenario_id="s", recorded_at="2025-01-01T09:00:00+00:00",
                    recording_path=f"/r/{i}.wav", status="analyzed",
                    metrics=Metrics(score=40 + 5 * i, wpm=100 + 6 * i,
                                    fillers_per_minute=9 - i, filler_total=3,
                                    coverage_ratio=min(1.0, 0.1 * i), grammar_issues=i % 3))
            for i in range(1, n + 1)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


def test_png_has_one_panel_per_measured_series(tmp_path):
    series = progress_series(history(6))
    target = render_progress_chart(series, tmp_path / "charts" / "progress.png", title="All")
    width, height = png_size(target.read_bytes())
    assert width == 600 and height == round(100 * (1.8 * 5 + 0.4))
    one = render_progress_chart(series[:1], tmp_path / "one.png")
    assert png_size(one.read_bytes())[1] < height


def test_png_with_no_attempts_still_renders(tmp_path):
    target = render_progress_chart(progress_series([]), tmp_path / "empty.png")
    assert target.read_bytes()[:8] == PNG_SIGNATURE
