"""The live panel under the recorder while an answer is recorded, drawn as HTML.

ui/live_answer.js polls `server.live_panel({answer: id})` once a second while it records
and puts the returned `html` into the area's panel element. After Stop it goes on polling
until the feedback is ready (`finishing_html`: what is left to transcribe, with its
progress, then the analyses), and empties it when the server sends "" (the feedback
follows). The server side only reads a snapshot of the answer's stream and runs the pure
analysis of coach/analysis/live.py (`LiveAnswers.watch`): no decoding, no waiting.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from coach.analysis.timing import clock
from coach.ui.live_answers import Finishing, LiveAnswers, LiveView

PANEL_CLASS = "live-panel"


def _ticks(label: str, testid: str, names, said) -> str:
    items = "".join(
        f'<li class="lp-{"said" if name in said else "todo"}" '
        f'data-said="{str(name in said).lower()}">'
        f'<span aria-hidden="true">{"✓" if name in said else "○"}</span> {escape(name)}'
        f'<span class="sr-only">{" (said)" if name in said else " (not yet)"}</span></li>'
        for name in names)
    return (f'<div class="lp-list"><span class="lp-label">{label}</span>'
            f'<ul data-testid="{testid}">{items}</ul></div>') if items else ""


def panel_html(view: LiveView | None) -> str:
    """The panel for `view`; "" when there is nothing to show (no answer being recorded)."""
    if view is None:
        return ""
    panel, progress = view.panel, view.progress
    left = panel.time_left_s
    # left rounded up, as the page's countdown shows it (ui/countdown.js)
    time_text = f"{clock(math.ceil(left))} left" if left >= 0 else f"{clock(-left)} over"
    if panel.recent_wpm is None:
        pace = "pace: listening…"
    else:
        pace = (f"{panel.recent_wpm:.0f} wpm ({panel.pace}; aim "
                f"{panel.pace_range.low:.0f}-{panel.pace_range.high:.0f})")
    fillers = ", ".join(dict.fromkeys(f.text for f in panel.fillers))
    filler_text = f"{panel.filler_count} filler{'s' * (panel.filler_count != 1)}" + (
        f" ({escape(fillers)})" if fillers else "")
    parts = [
        f'<div class="lp-row"><span data-testid="live-time" class="lp-time '
        f'{"lp-low" if left <= 10 else ""}">{time_text}</span>'
        f'<span data-testid="live-pace" class="lp-pace lp-{panel.pace or "none"}">{pace}</span>'
        f'<span data-testid="live-fillers" data-count="{panel.filler_count}">{filler_text}'
        f'</span></div>',
        _ticks("Key terms", "live-terms", [*panel.terms_said, *panel.terms_missing],
               set(panel.terms_said)),
        _ticks("Parts", "live-parts", panel.parts_expected, set(panel.parts_present)),
    ]
    if panel.last_words:
        parts.append(f'<p class="lp-words" data-testid="live-words">…{escape(panel.last_words)}'
                     f'</p>')
    if view.nudge is not None:
        parts.append(f'<p class="lp-nudge" data-testid="live-nudge" data-kind="{view.nudge.kind}">'
                     f'{escape(view.nudge.text)}</p>')
    if progress.falling_behind:
        done = min(progress.decoded_s, progress.received_s)
        parts.append(
            f'<p class="lp-behind" data-testid="live-behind">catching up '
            f'({progress.backlog_s:.0f} s behind) <progress aria-label="decoded so far" '
            f'max="{progress.received_s:.1f}" value="{done:.1f}"></progress></p>')
    return (f'<div class="{PANEL_CLASS}" data-testid="live-panel" aria-label="While you speak">'
            + "".join(parts) + "</div>")


def finishing_html(finishing: Finishing | None) -> str:
    """The panel after Stop until the feedback comes: what is left, with its progress."""
    if finishing is None:
        return ""
    progress = finishing.progress
    if finishing.transcribing:
        done = min(progress.decoded_s, progress.received_s)
        left = max(progress.waiting_s, progress.received_s - done)
        text = (f'transcribing the last {left:.0f} s of your answer <progress aria-label='
                f'"transcribed so far" max="{progress.received_s:.1f}" value="{done:.1f}">'
                f'</progress>')
        stage = "transcribing"
    else:
        text, stage = "transcribed: checking grammar, key terms and sounds…", "analysing"
    return (f'<div class="{PANEL_CLASS}" data-testid="live-panel" aria-label="While you wait">'
            f'<p class="lp-finishing" data-testid="live-finishing" data-stage="{stage}" '
            f'role="status">{text}</p></div>')


def panel_reader(live: LiveAnswers) -> Callable[[dict], dict]:
    """The server side of the page's `server.live_panel({answer: id})`: {"html": ...}."""
    def live_panel(message: dict) -> dict:
        answer_id = message.get("answer") if isinstance(message, dict) else None
        if not isinstance(answer_id, str) or not answer_id:
            return {"html": ""}
        return {"html": panel_html(live.watch(answer_id))
                or finishing_html(live.finishing(answer_id))}

    return live_panel
