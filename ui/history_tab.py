"""The History tab: progress over time and every kept attempt, read from `coach.history`.

`history_html` is pure (attempts in, HTML out); the tab re-reads the store when it is opened.
Each attempt's "Open" button shows its recording and full feedback (ui/attempt_view.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import gradio as gr

from coach.analysis.timing import PaceRange
from coach.errors import CoachError
from coach.history.export import when
from coach.history.progress import (
    COVERAGE,
    DEFAULT_PACE,
    FILLERS,
    SCORE,
    WPM,
    main_answers,
    number,
    progress_series,
    scenario_summaries,
    trends,
)
from coach.history.records import Attempt, RoundRecord
from coach.rounds import build_round_report
from coach.ui.attempt_view import (
    OPEN_JS,
    AttemptView,
    analyse_again,
    attempt_view,
    attempt_voices,
    no_voices,
    open_attempt,
)
from coach.ui.bind import bind
from coach.ui.charts import clock, sparkline
from coach.ui.render_html import error_html
from coach.ui.round_view import report_html

RECENT = 12
TILES = (SCORE, WPM, FILLERS, COVERAGE)


def _tile(series, pace_range: PaceRange) -> str:
    metric, values = series.metric, series.values
    band = (pace_range.low, pace_range.high) if metric.better == "in-range" else None
    unit = "%" if metric.unit == "%" else f" {metric.unit}" if metric.unit else ""
    last = f"{number(values[-1])}{unit}" if values else "–"
    return (f'<div class="stat tile"><div class="stat-label">{escape(metric.label)}</div>'
            f'<div class="stat-value">{escape(last)}</div>'
            f'<div class="stat-detail">latest of {len(values)}</div>'
            f"{sparkline(values, band=band)}</div>")


def _attempt_row(attempt: Attempt, titles: dict[str, str]) -> str:
    title = escape(titles.get(attempt.scenario_id, attempt.title))
    m = attempt.metrics
    if m is None:
        state = ("not analysed yet" if attempt.status == "recorded"
                 else f"failed: {attempt.error_message or attempt.error_code}")
        cells = f'<td colspan="5" class="muted">{escape(state)}</td>'
    else:
        over = f" ({m.over_time_s:.0f} s over)" if m.ran_over else ""
        cells = (f'<td data-label="Score"><b>{escape(m.score_text)}</b></td>'
                 f'<td data-label="Pace">{m.wpm:.0f} wpm</td>'
                 f'<td data-label="Fillers">{number(m.fillers_per_minute)}/min</td>'
                 f'<td data-label="Key terms">{m.coverage_pct:.0f}%</td>'
                 f'<td data-label="Length">{clock(m.length_s)}{over}</td>')
    kind = ' <span class="badge">follow-up</span>' if attempt.kind == "follow-up" else ""
    stamp = escape(when(attempt.recorded_at))
    action = "Open" if m is not None else "Listen"
    return (f'<tr data-attempt-row="{attempt.id}"><td class="muted">{stamp}</td>'
            f"<td>{title}{kind}</td>{cells}"
            f'<td><button class="open-attempt" data-attempt="{attempt.id}" '
            f'aria-label="{action}: {title}, {stamp}">{action}</button></td></tr>')


ROUND_STATES = {"open": "not finished", "finished": "finished", "abandoned": "abandoned"}


def rounds_html(rounds: Sequence[RoundRecord], attempts: Sequence[Attempt]) -> str:
    """The kept rounds, newest first, each with an "Open" for its report."""
    if not rounds:
        return ""
    answered: dict[int, int] = {}
    for a in attempts:
        if a.round_id is not None and a.status != "failed":
            answered[a.round_id] = answered.get(a.round_id, 0) + 1
    rows = "".join(
        f'<tr data-round-row="{r.id}"><td class="muted">{escape(when(r.started_at))}</td>'
        f"<td>Round {r.id}</td><td data-label=\"Answers\">{answered.get(r.id, 0)}</td>"
        f'<td data-label="State">{ROUND_STATES.get(r.status, r.status)}</td>'
        f'<td><button class="open-round" data-round="{r.id}" '
        f'aria-label="Open the report of round {r.id}">Open</button></td></tr>'
        for r in reversed(list(rounds)))
    return (f'<section class="card" data-testid="history-rounds"><h3 id="history-rounds">'
            f"Rounds</h3>{_scrolling('history-rounds')}<table class=\"table\" "
            f'data-testid="rounds">'
            f"<tr><th>When</th><th>Round</th><th>Answers</th><th>State</th>"
            f'<th><span class="sr-only">Report</span></th></tr>{rows}</table></div></section>')


def open_round(view: AttemptView, shared, round_id) -> dict:
    """Show round `round_id`'s report where an attempt would open."""
    try:
        report = build_round_report(shared.store, int(round_id),
                                    pace_range=shared.coach.settings.pace_range)
        titles = {s.id: s.title for s in shared.coach.library}
        shown = report_html(report, titles, retried=len(shared.store.attempts(
            round_id=report.round.id)) - len(report.answers))
    except (CoachError, TypeError, ValueError) as error:
        message = error.message if isinstance(error, CoachError) else "No such round."
        shown = error_html(message, "Reopen the History tab to see the list.")
    return {view.box: gr.update(visible=False), view.shown: None, **no_voices(view),
            view.round_report: gr.update(value=shown, visible=True)}


def history_html(attempts: Sequence[Attempt], titles: dict[str, str],
                 pace_range: PaceRange = DEFAULT_PACE,
                 rounds: Sequence[RoundRecord] = ()) -> str:
    """Trends in words, small charts, per-question summary and the latest attempts."""
    if not attempts:
        return ('<div class="placeholder"><p><b>No attempts yet.</b> Every answer you record '
                "is kept here, with your progress over time.</p></div>")
    answers = main_answers(attempts)
    changes = trends(attempts, pace_range=pace_range)
    sentences = "".join(
        f'<li class="{c.verdict}"><span class="icon">'
        f'{"▲" if c.verdict == "better" else "▼" if c.verdict == "worse" else "•"}</span>'
        f"{escape(c.sentence[0].upper() + c.sentence[1:])}</li>" for c in changes)
    trend_block = (f'<ul class="trends">{sentences}</ul>' if sentences else
                   '<p class="muted">Record two answers to see how you are doing over time.</p>')
    series = {s.metric.name: s for s in progress_series(attempts, TILES)}
    tiles = "".join(_tile(series[m.name], pace_range) for m in TILES)
    rows = "".join(
        f'<tr><td>{escape(titles.get(s.scenario_id, s.title))}</td>'
        f'<td data-label="Tries">{s.attempts}</td>'
        f"<td data-label=\"Best\">{'–' if s.best_score is None else f'{s.best_score:.0f}'}</td>"
        f"<td data-label=\"Last\">{'–' if s.last_score is None else f'{s.last_score:.0f}'}</td>"
        f'<td class="muted">{escape(when(s.last_at))}</td></tr>'
        for s in scenario_summaries(attempts))
    recent = "".join(_attempt_row(a, titles) for a in reversed(list(attempts)[-RECENT:]))
    return (f'<section class="card" data-testid="history"><h3>How you are doing</h3>'
            f'<p class="muted small">{len(answers)} analysed answer'
            f'{"s" if len(answers) != 1 else ""} to {len({a.scenario_id for a in answers})} '
            f"question(s).</p>{trend_block}<div class='tiles'>{tiles}</div></section>"
            f'<div class="grid2"><section class="card"><h3 id="latest-attempts">Latest attempts'
            f"</h3>{_scrolling('latest-attempts')}<table class=\"table\" data-testid=\"attempts\">"
            f"<tr><th>When</th><th>Question</th><th>Score</th><th>Pace</th><th>Fillers</th>"
            f'<th>Key terms</th><th>Length</th><th><span class="sr-only">Feedback</span></th>'
            f"</tr>{recent}</table></div></section>"
            f'<section class="card"><h3 id="by-question">By question</h3>'
            f'{_scrolling("by-question")}<table class="table" data-testid="by-question">'
            f"<tr><th>Question</th><th>Tries</th><th>Best score</th><th>Last score</th>"
            f"<th>Last practised</th></tr>{rows}</table></div></section></div>"
            f"{rounds_html(rounds, attempts)}")


def _scrolling(heading_id: str) -> str:
    """A wide table scrolls inside its card on a narrow screen (and by keyboard: tabindex)."""
    return (f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-labelledby="{heading_id}">')


def load_history_html(shared) -> str:
    """The tab's content for the shared store, or why there is no history."""
    if shared.store is None:
        return (f'<div class="banner error">History is not available: '
                f"{escape(shared.history_problem)}</div>")
    coach = shared.coach
    titles = {s.id: s.title for s in coach.library}
    return history_html(shared.store.attempts(), titles, coach.settings.pace_range,
                        shared.store.rounds())


def on_open(opened: AttemptView, listing: gr.HTML, tabs: gr.Tabs, shared,
            evt: gr.EventData) -> dict:
    """An "Open" button (in the list, or the Practice tab's last answer): the History tab,
    that attempt opened above a fresh list."""
    round_id = getattr(evt, "round", None)  # sent by OPEN_JS
    if round_id is not None and shared.store is not None:
        return {tabs: gr.update(selected="history"), listing: load_history_html(shared),
                **open_round(opened, shared, round_id)}
    attempt_id = getattr(evt, "attempt", None)
    if attempt_id is None:
        return gr.skip()
    return {tabs: gr.update(selected="history"), listing: load_history_html(shared),
            **open_attempt(opened, shared, attempt_id)}


def history_tab(shared) -> tuple[gr.HTML, AttemptView]:
    """The tab's content (call inside its `gr.Tab`): the opened attempt above the list."""
    opened = attempt_view()
    listing = gr.HTML(elem_id="history", js_on_load=OPEN_JS)
    opened.analyse.click(bind(analyse_again, opened, shared), opened.shown, opened.outputs,
                         show_progress_on=[opened.heading], concurrency_id="analysis",
                         concurrency_limit=2).then(
        bind(load_history_html, shared), None, listing, show_progress="hidden").then(
        bind(attempt_voices, opened, shared), opened.voices, opened.players,
        show_progress="minimal")
    return listing, opened
