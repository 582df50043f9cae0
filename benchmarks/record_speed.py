"""How long reading a kept feedback record takes, against `json.loads` of the same row.

History reads every listed attempt's feedback (`FeedbackRecord.from_dict`, a view of
`Feedback.from_dict`): rows of the current version are parsed as kept; older rows are first
brought to the current shape (coach.feedback_versions). Prints, per version, the row's size
(compact JSON, as the history keeps it), `json.loads` alone (the bare library), loading plus
reading its figures, in ms per row (best of 3 runs of RUNS), and their ratio.

    .venv/bin/python benchmarks/record_speed.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from coach.history.records import FeedbackRecord

RUNS = 300
DATA = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data"  # rows of real analyses


def kept(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def per_row_ms(text: str, read: Callable[[dict], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(RUNS):
            read(json.loads(text))
        best = min(best, (time.perf_counter() - started) / RUNS * 1000)
    return best


def main() -> None:
    old = kept(DATA / "feedback_v2_oom-us150-fillers.json")
    current = FeedbackRecord.from_dict(old).feedback.to_dict()  # the same answer, now
    rows = {"3 (current)": json.dumps(current, ensure_ascii=False),
            "2": json.dumps(old, ensure_ascii=False),
            "1": json.dumps(kept(DATA / "feedback_v1_oom-us150-clean.json"), ensure_ascii=False)}
    print(f"{'version':<12} {'size':>6} {'json.loads':>11} {'+ read':>9} {'ratio':>6}")
    for version, text in rows.items():
        bare = per_row_ms(text, lambda data: data)
        read = per_row_ms(text, lambda data: FeedbackRecord.from_dict(data).metrics)
        print(f"{version:<12} {len(text) // 1024:>4} KB {bare:>8.2f} ms {read:>6.2f} ms "
              f"{read / bare:>5.1f}x")


if __name__ == "__main__":
    main()
