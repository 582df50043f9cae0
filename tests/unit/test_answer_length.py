"""One answer length on every view (issue 20, item 6): the kept recording's length, as the
countdown and the player show it, never the speech time (first to last word) in one view and
the recording's in another. The same feedback goes through each renderer."""

from __future__ import annotations

import json
import re

from history_factory import GOOD_TEXT, OOM

from coach.cli.render import render_text
from coach.feedback import build_feedback
from coach.grammar import not_checked
from coach.history.export import attempt_json, attempt_markdown, figures_row, round_markdown
from coach.history.records import Attempt, Metrics, RoundRecord
from coach.rounds import round_report
from coach.transcript import Transcript, Word
from coach.ui.history_tab import history_html
from coach.ui.render_html import summary_html
from coach.ui.round_view import report_html
from coach.ui.scenario_view import answered_html

SPEECH_START, STEP = 1.5, 0.565 # speech from 1.5 s to ~25 s in a 28.7 s recording


def feedback():
    words = tuple(Word(text, SPEECH_START + i * STEP, SPEECH_START + i * STEP + 0.3, 0.95)
                  for i, text in enumerate(GOOD_TEXT.split()))
    transcript = Transcript(words, words[-1].end + 3.2)
    return build_feedback(transcript, OOM, not_checked("none", "off"))


def attempt(f):
    data = f.to_dict()
    return Attempt(id=1, scenario_id=OOM.id, recorded_at="2025-01-01T09:00:00+00:00",
                   recording_path="/r/1.wav", status="analyzed", round_id=1, round_step=0,
                   metrics=Metrics.from_feedback_dict(data), transcript=data["transcript"],
                   feedback=data)


def clocks(text: str) -> set[str]:
    return set(re.findall(r"(?<![\d:])\d:\d\d(?![\d:])", text)) - {"0:30", "0:00"}


def test_every_view_shows_the_recordings_length():
    f = feedback()
    shown, speech = "0:28", "0:24"  # rounded down, as the recording's own player shows it
    assert (int(f.timing.recording_s), int(f.timing.answer_s)) == (28, 24)
    a = attempt(f)
    report = round_report(RoundRecord(1, "2025-01-01T09:00:00+00:00", ("system-debug",),
                                      (OOM.id,)), [a])
    summary = re.search(r'data-testid="stat-length">.*?stat-value">([^<]*)<',
                        summary_html(f)).group(1)
    views = {
        "page summary": summary,
        "countdown after the answer": re.search(
            r'cd-time">([^<]*)<', answered_html(f.timing.length_s, 30,
                                                speech_s=f.timing.answer_s)).group(1),
        "cli": re.search(r"answer (\S+):", render_text(f)).group(1),
        "history row": re.search(r'data-label="Length">([^<(]*)',
                                 history_html([a], {})).group(1).strip(),
        "export row": figures_row(a)["time"].split()[0],
        "markdown export": " ".join(clocks(attempt_markdown(a))),
        "json export": _clock(json.loads(attempt_json(a))["attempt"]["metrics"]["length_s"]),
        "round report": " ".join(clocks(report_html(report, {}))),
        "round markdown": " ".join(clocks(round_markdown(report))),
    }
    assert views == dict.fromkeys(views, shown), views
    # the limit check is made on speech, and says so where it is shown
    assert f"speech {speech}" in f.timing.length_note
    assert f"speech {speech}" in render_text(f)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
