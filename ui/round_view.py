"""A mock-interview round shown as HTML: pure functions over `coach.rounds` records.

Steps, the round's progress, the one-line figures after each answer and the round report.
Scenario text and error messages are escaped; the classes are styled by `ui/theme.css` (shared
with the Practice tab) and `ui/round.css` (what only the round needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from coach.history.export import figures_row, when
from coach.history.records import Attempt
from coach.rounds import MockRound, ReportAnswer, RoundReport, Step, StepResult
from coach.ui.charts import clock, score_ring
from coach.ui.render_html import MIC_ICON, error_html
from coach.ui.scenario_view import CLOCK_ICON, KIND_LABELS, MODULE_LABELS


def module_label(module: str) -> str:
    return MODULE_LABELS.get(module, module or "general")


def total_steps(round_: MockRound) -> int:
    """Questions in the round: the plan's, less the follow-ups an answer did not get."""
    per_answer = round_.plan.settings.follow_ups
    missing = sum(per_answer - len(r.follow_ups) for r in round_.results if r.step.kind == "answer")
    return round_.plan.max_steps - missing


# --- a step -----------------------------------------------------------------------------------
def step_html(step: Step, total: int) -> str:
    """The question card: "Question k of N", module, the scenario, or the follow-up asked."""
    s = step.scenario
    follow_up = step.kind == "follow-up"
    kind = "Follow-up" if follow_up else KIND_LABELS.get(s.kind, s.kind)
    if follow_up:
        heading = (f'<p class="round-about muted small">Follow-up on your answer to</p>'
                   f'<h2 class="scenario-title">{escape(s.title)}</h2>')
        context = ""
    else:
        heading = f'<h2 class="scenario-title">{escape(s.title)}</h2>'
        context = (f'<details class="context"><summary>Background</summary>'
                   f"<p>{escape(s.context)}</p></details>" if s.context else "")
    return (f'<div class="card scenario round-step{" follow-up" if follow_up else ""}" '
            f'data-testid="round-step" data-step="{step.number}" data-kind="{step.kind}" '
            f'data-id="{escape(s.id)}"><div class="badges">'
            f'<span class="badge step" data-testid="round-counter">Question {step.number + 1} '
            f"of {total}</span>"
            f'<span class="badge module">{escape(module_label(step.module))}</span>'
            f'<span class="badge kind">{escape(kind)}</span>'
            f'<span class="badge time">{CLOCK_ICON} {clock(step.time_limit_s)}</span></div>'
            f"{heading}"
            f'<blockquote class="prompt" data-testid="round-question">{escape(step.question)}'
            f"</blockquote>{context}</div>")


def figures_line(attempt: Attempt, timed_out: bool = False) -> str:
    """One answer's figures in one line: score, pace, fillers, key terms, time."""
    f = figures_row(attempt)
    if attempt.metrics is None:
        return escape(f["score"])
    flag = ' <span class="flag bad">time-out</span>' if timed_out else ""
    return (f'<b>{escape(f["score"])}</b> · {escape(f["pace"])} · fillers {escape(f["fillers"])}'
            f' · key terms {escape(f["key terms"])} · {escape(f["time"])}{flag}')


def notice_html(step: Step, strict: bool, last: StepResult | None = None,
                error: tuple[str, str] | None = None) -> str:
    """Under the recorder: the last answer's figures, or why it failed, and what to do now."""
    parts = []
    if last is not None and last.feedback is not None:
        parts.append(f'<div class="round-last" data-testid="last-answer"><span class="tick">✓'
                     f"</span><span>Question {last.step.number + 1} answered: "
                     f"{figures_line(last.attempt, last.timed_out)}</span></div>")
    if error is not None:
        parts.append(error_html(*error))
        lead = (f"Answer question {step.number + 1} again.</b> The recording that failed is "
                "kept in your history.")
    else:
        lead = "Record your answer</b>, or upload a recording. The next question follows it."
    rule = (" Strict timing: the recording stops when the time is up." if strict else
            " Lenient timing: you can run over; the report says by how much.")
    parts.append(f'<div class="placeholder"><div class="ph-icon">{MIC_ICON}</div><p><b>{lead}'
                 f'</p><p class="small">{rule.strip()}</p></div>')
    return "".join(parts)


# --- the round so far (sidebar) ---------------------------------------------------------------
def progress_html(round_: MockRound, titles: Mapping[str, str]) -> str:
    """Each planned scenario with its answered steps (one line of figures each) and what is next."""
    plan, results, current = round_.plan, round_.results, round_.current
    total = total_steps(round_)
    done = len(results)
    groups = []
    for index, (scenario, module) in enumerate(zip(plan.scenarios, plan.modules)):
        lines = [f'<li class="done" data-testid="step-summary"><span class="rp-kind">'
                 f'{"Follow-up" if r.step.kind == "follow-up" else "Answer"}</span>'
                 f'<span class="rp-figs">{figures_line(r.attempt, r.timed_out)}</span></li>'
                 for r in results if r.step.scenario.id == scenario.id
                 and _index(plan, r.step) == index]
        here = current is not None and _index(plan, current) == index
        if here:
            lines.append(f'<li class="now"><span class="rp-kind">'
                         f'{"Follow-up" if current.kind == "follow-up" else "Answer"}</span>'
                         f'<span class="rp-figs">now</span></li>')
        state = "current" if here else "done" if lines else "next"
        groups.append(
            f'<li class="rp-scenario {state}"><div class="rp-title"><span class="rp-num">'
            f'{index + 1}</span><span><b>{escape(titles.get(scenario.id, scenario.title))}</b>'
            f'<span class="rp-module">{escape(module_label(module))}</span></span></div>'
            + (f'<ul class="rp-steps">{"".join(lines)}</ul>' if lines else "") + "</li>")
    timing = "strict timing" if plan.settings.strict else "lenient timing"
    follow = plan.settings.follow_ups
    return (f'<div class="round-progress" data-testid="round-progress">'
            f'<div class="rp-head">Round {round_.id} · {timing} · {follow} follow-up'
            f'{"s" if follow != 1 else ""}</div>'
            f'<div class="rp-bar"><span style="width:{100 * done / max(total, 1):.0f}%"></span>'
            f'</div><div class="rp-count">{done} of {total} questions answered</div>'
            f'<ol class="rp-list">{"".join(groups)}</ol></div>')


def _index(plan, step: Step) -> int:
    """The plan position of a step's scenario (a module listed twice has two scenarios)."""
    for index, scenario in enumerate(plan.scenarios):
        if scenario.id == step.scenario.id and plan.modules[index] == step.module:
            return index
    return -1


# --- the report -------------------------------------------------------------------------------
def _title(answer: ReportAnswer, titles: Mapping[str, str]) -> str:
    return titles.get(answer.attempt.scenario_id, answer.attempt.title)


def _answer_row(answer: ReportAnswer, titles: Mapping[str, str], grammar: bool,
                best: ReportAnswer | None, weakest: ReportAnswer | None) -> str:
    a = answer.attempt
    follow_up = a.kind == "follow-up"
    question = (f'<div class="rr-question">“{escape(a.question)}”</div>' if follow_up
                and a.question else "")
    marks = "".join(f' <span class="flag {tone}">{label}</span>' for flag, tone, label in (
        (answer is best, "good", "best"), (answer is weakest and weakest is not best, "bad",
                                           "weakest")) if flag)
    name = (f'<td><span class="rr-kind">{"Follow-up" if follow_up else "Answer"}</span>'
            f"<b>{escape(_title(answer, titles))}</b>{marks}{question}</td>")
    number = f'<td class="rr-num">{(a.round_step or 0) + 1}</td>'
    if a.metrics is None:
        state = ("not analysed yet" if a.status == "recorded" else
                 f"could not be analysed: {a.error_message or a.error_code}")
        return (f'<tr class="failed">{number}{name}<td colspan="{5 + grammar}" class="muted">'
                f"{escape(state)}</td></tr>")
    f, m = figures_row(a), a.metrics
    score = m.score or 0.0
    tone = "good" if score >= 75 else "fair" if score >= 50 else "low"
    over = "over" if m.ran_over or answer.timed_out else ""
    flag = ' <span class="flag bad">time-out</span>' if answer.timed_out else ""
    cells = (f'<td data-label="Score"><span class="rr-score {tone}">{escape(m.score_text)}'
             f'</span></td><td data-label="Pace">{escape(f["pace"])}</td>'
             f'<td data-label="Fillers">{escape(f["fillers"])}</td>'
             f'<td data-label="Key terms">{escape(f["key terms"])}</td>'
             + (f'<td data-label="Grammar">{escape(f["grammar"])}</td>' if grammar else "")
             + f'<td class="{over}" data-label="Time">{clock(m.length_s)} <span class="muted">of '
             f"{clock(m.time_limit_s)}</span>{flag}</td>")
    return f"<tr>{number}{name}{cells}</tr>"


def _pick(label: str, answer: ReportAnswer | None, titles: Mapping[str, str], tone: str,
          one: bool = False) -> str:
    if answer is None or answer.score is None:
        why = "only one main answer scored" if one else "no analysed answer"
        body = f'<div class="stat-value">–</div><div class="stat-detail">{why}</div>'
    else:
        body = (f'<div class="stat-value">{answer.score:.0f}<small>/100</small></div>'
                f'<div class="stat-detail">{escape(_title(answer, titles))} · '
                f"{escape(module_label(answer.module))}</div>")
    return (f'<div class="stat {tone}" data-testid="round-{label.split()[0].lower()}">'
            f'<div class="stat-label">{label}</div>{body}</div>')


def _changes(report: RoundReport) -> str:
    if report.previous_round_id is None:
        return ('<p class="muted">This is your first round: the next one will be compared '
                "with it.</p>")
    if not report.changes:
        return (f'<p class="muted">Round {report.previous_round_id} has no analysed answers to '
                "compare with.</p>")
    ordered = sorted(report.changes, key=lambda c: ("better", "steady", "worse").index(c.verdict)
                     if c.verdict in ("better", "steady", "worse") else 3)
    items = "".join(
        f'<li class="{c.verdict}"><span class="icon">'
        f'{"▲" if c.verdict == "better" else "▼" if c.verdict == "worse" else "•"}</span>'
        f"{escape(c.sentence[0].upper() + c.sentence[1:])}</li>" for c in ordered)
    better = len(report.improved)
    lead = (f"Improved in {better} of {len(report.changes)} measures since round "
            f"{report.previous_round_id}." if better else
            f"Nothing clearly improved since round {report.previous_round_id} yet.")
    return f'<p class="small">{lead}</p><ul class="trends" data-testid="round-changes">{items}</ul>'


def _practice(report: RoundReport, titles: Mapping[str, str]) -> str:
    if not report.practice:
        return ('<p class="muted">Nothing stands out: keep this pace and try harder '
                "questions.</p>")
    items = []
    for number, item in enumerate(report.practice, 1):
        links = "".join(
            f'<button type="button" class="pn-link" data-scenario="{escape(sid)}" '
            f'data-testid="practice-link">Practise “{escape(titles.get(sid, sid))}” →</button>'
            for sid in item.scenario_ids)
        items.append(f'<li><span class="pn-num">{number}</span><div><p>{escape(item.text)}</p>'
                     f'<div class="pn-links">{links}</div></div></li>')
    return f'<ol class="practice-next" data-testid="practice-next">{"".join(items)}</ol>'


def report_html(report: RoundReport, titles: Mapping[str, str], *, retried: int = 0) -> str:
    """The round report: the figures of each answer, best and weakest, change, what to practise.

    `retried`: failed recordings that were answered again (kept in the history, left out here).
    """
    r = report.round
    answers = report.answers
    scores, average = report.main_scores, report.average
    follow_ups = sum(a.score is not None and a.attempt.kind == "follow-up" for a in answers)
    grammar = any(a.attempt.metrics and a.attempt.metrics.grammar_issues is not None
                  for a in answers)
    follow = f"{r.follow_ups} follow-up{'s' if r.follow_ups != 1 else ''} per answer"
    modules = ", ".join(dict.fromkeys(module_label(m) for m in r.modules))
    unranked = (f"; {follow_ups} follow-up{'s' if follow_ups != 1 else ''} not counted"
                if follow_ups else "")
    ring = (f'<div class="score-col">{score_ring(average)}<div class="muted small" '
            f'data-testid="round-average">average of {len(scores)} main answer'
            f"{'s' if len(scores) != 1 else ''}{unranked}</div></div>"
            if average is not None else "")
    outs = len(report.time_outs)
    third = (f'<div class="stat {"bad" if outs else "ok"}" data-testid="round-time-outs">'
             f'<div class="stat-label">Time-outs</div><div class="stat-value">{outs}</div>'
             f'<div class="stat-detail">strict timing: recordings stopped at the limit</div></div>'
             if r.strict else
             f'<div class="stat"><div class="stat-label">Questions</div>'
             f'<div class="stat-value">{len(answers)}</div><div class="stat-detail">'
             f"{sum(a.attempt.kind == 'follow-up' for a in answers)} of them follow-ups · "
             f"lenient timing</div></div>")
    notes = []
    if report.unanswered:
        notes.append("Not answered: " + ", ".join(escape(titles.get(s, s))
                                                   for s in report.unanswered) + ".")
    if retried:
        notes.append(f"Recordings that could not be analysed and were answered again: {retried} "
                     "(the History tab keeps them).")
    note = "".join(f'<p class="muted small">{n}</p>' for n in notes)
    rows = "".join(_answer_row(a, titles, grammar, report.best, report.weakest) for a in answers)
    table = (f'<table class="table round-table" data-testid="round-figures"><thead><tr>'
             f"<th>#</th><th>Question</th><th>Score</th><th>Pace</th><th>Fillers</th>"
             f"<th>Key terms</th>{'<th>Grammar</th>' if grammar else ''}<th>Time</th></tr>"
             f"</thead><tbody>{rows}</tbody></table>" if rows else
             '<p class="muted">No answer was recorded in this round.</p>')
    return (f'<div class="round-report" data-testid="round-report" data-round="{r.id}">'
            f'<section class="card rr-head">{ring}<div class="rr-main">'
            f'<h2 class="scenario-title">Round {r.id} report</h2>'
            f'<p class="muted small">{escape(when(r.started_at))} · {escape(modules)} · '
            f'{follow} · {"strict" if r.strict else "lenient"} timing</p>'
            f'<div class="stats rr-stats">{_pick("Best main answer", report.best, titles, "ok")}'
            f'{_pick("Weakest main answer", report.weakest, titles, "warn", len(scores) == 1)}'
            f"{third}</div>{note}"
            f"</div></section>"
            f'<section class="card"><h3>Each answer</h3>{table}</section>'
            f'<div class="rr-pair"><section class="card"><h3>Three things to practise next</h3>'
            f"{_practice(report, titles)}</section>"
            f'<section class="card"><h3>Since your last round</h3>{_changes(report)}</section>'
            f"</div></div>")

