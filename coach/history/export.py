"""Reports to keep or share: one attempt, or a whole round, as Markdown or JSON text.

Pure functions: records in, a string out (the CLI writes it to a file or prints it).
Markdown is meant to be read as is (headings, a figures table, the transcript as a quote);
JSON carries everything kept, with a `format` name and `version` for programs reading it.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import TYPE_CHECKING

from coach.analysis.timing import clock
from coach.history.progress import number
from coach.history.records import Attempt, FeedbackRecord

if TYPE_CHECKING:  # only for annotations: exporting needs neither module at run time
    from coach.phonemes.answer import SoundsReport
    from coach.rounds import RoundReport
    from coach.scenarios import Scenario

JSON_VERSION = 1


def when(iso: str | None) -> str:
    """An ISO time as local date and minute: "2025-11-22 10:14"."""
    if not iso:
        return "-"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _text(text: str) -> str:
    """Words from a scenario file or a transcript, shown as words: a Markdown viewer renders
    HTML, so `<`, `>` and `&` are written as entities (they read the same)."""
    return html.escape(text, quote=False)


def _escape_cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> list[str]:
    return [f"> {_text(text)}" if text else "> (nothing was heard)"]


def figures_row(attempt: Attempt) -> dict[str, str]:
    """The headline figures of an attempt as short texts (used by tables in both reports)."""
    m = attempt.metrics
    if m is None:
        status = {"recorded": "not analysed yet", "failed": f"failed: {attempt.error_code}"}
        return {"score": status.get(attempt.status, attempt.status), "pace": "", "fillers": "",
                "key terms": "", "grammar": "", "time": ""}
    over = f", {m.over_time_s:.0f} s over" if m.ran_over else ""
    score = ("too short to judge" if m.score is None else f"{m.score:.0f}/100"
             + (" (partial)" if m.partial else ""))
    return {
        "score": score,
        "pace": f"{m.wpm:.0f} wpm",
        "fillers": f"{number(m.fillers_per_minute)}/min ({m.filler_total})",
        "key terms": f"{m.coverage_pct:.0f}%",
        "grammar": "not checked" if m.grammar_issues is None else
        f"{m.grammar_issues} issue{'s' if m.grammar_issues != 1 else ''}",
        "time": f"{clock(m.length_s)} of {clock(m.time_limit_s)}{over}",
    }


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_escape_cell(c) for c in row) + " |" for row in rows]
    return lines


def attempt_markdown(attempt: Attempt, scenario: Scenario | None = None, *,
                     level: int = 1) -> str:
    """One attempt as a Markdown report. `level` is the heading depth of its title."""
    h = "#" * level
    record = attempt.record
    title = attempt.title if scenario is None else scenario.title
    kind = "Follow-up answer" if attempt.kind == "follow-up" else "Answer"
    lines = [f"{h} {kind} #{attempt.id}: {_text(title)}", ""]
    lines.append(f"- Scenario: `{attempt.scenario_id}`"
                 + (f" ({scenario.module}, {scenario.kind})" if scenario and scenario.module
                    else ""))
    if attempt.round_id is not None:
        lines.append(f"- Round {attempt.round_id}, step {(attempt.round_step or 0) + 1}")
    lines.append(f"- Recorded: {when(attempt.recorded_at)}")
    lines.append(f"- Recording: `{attempt.recording_path}`")
    question = attempt.question or (scenario.prompt if scenario else "")
    if question:
        lines += ["", f"**Question:** {_text(question)}"]
    if attempt.status == "recorded":
        lines += ["", ("Not analysed yet (the analysis did not finish). Run "
                       f"`coach history reanalyze {attempt.id}`."), ""]
        return "\n".join(lines)
    if attempt.status == "failed":
        lines += ["", f"The analysis failed ({attempt.error_code}): {attempt.error_message}",
                  "", (f"The recording is kept: `coach history reanalyze {attempt.id}` "
                       "tries again."), ""]
        return "\n".join(lines)
    figures = figures_row(attempt)
    lines += ["", *_table([k.capitalize() for k in figures], [list(figures.values())]), ""]
    lines += [f"{h}# What you said", "", *_quote(attempt.transcript), ""]
    if record is not None:
        lines += _feedback_lines(record, h)
    return "\n".join(lines) + "\n"


def _feedback_lines(record: FeedbackRecord, h: str) -> list[str]:
    f = record.feedback
    lines = [f"{h}# Key terms", "",
             "- Said: " + _text(", ".join(hit.term for hit in f.coverage.covered) or "none")]
    if f.coverage.heard_as:
        lines.append("- Unclear: " + _text(", ".join(f'{heard.term} (heard as "{heard.heard}")'
                                                     for heard in f.coverage.heard_as)))
    lines.append("- Missed: " + _text(", ".join(f.coverage.missing) or "none"))
    lines += _sounds_lines(f.sounds, h)
    if f.fillers.items:
        lines += ["", f"{h}# Fillers", "",
                  ", ".join(f'"{item.text}" at {item.start:.1f} s' for item in f.fillers.items)]
    if f.grammar.issues:
        lines += ["", f"{h}# Grammar", ""]
        for issue in f.grammar.issues:
            fix = f' -> "{_text(issue.suggestion)}"' if issue.suggestion else ""
            lines.append(f'- "{_text(issue.words)}"{fix}: {_text(issue.message)}')
    if f.unclear.words:
        lines += ["", f"{h}# Unclear words", "", "Heard but not clear enough to correct: "
                  + _text(", ".join(f'"{w.text}"' for w in f.unclear.words))]
    if f.score.advice:
        lines += ["", f"{h}# Advice", "",
                  *(f"{n}. {_text(a)}" for n, a in enumerate(f.score.advice, 1))]
    if f.polished.text:
        lines += ["", f"{h}# Polished answer", "", *_quote(f.polished.text)]
    if f.model_answer.text:
        lines += ["", f"{h}# Model answer", "", *_quote(f.model_answer.text)]
    return lines


def _sounds_lines(sounds: SoundsReport, h: str) -> list[str]:
    """Each key term's sounds in IPA, the ones that were off with what they sounded like."""
    if not sounds.checked:
        return []
    lines = ["", f"{h}# Sounds of key terms", ""]
    for word in sounds.words:
        ipa = " ".join(p.expected for p in word.phonemes)
        if not word.judged:
            verdict = f"not judged ({word.reason})"
        elif not word.flagged:
            verdict = "every sound as expected"
        else:
            verdict = "; ".join(f"{p.note}" + (f" ({p.tip})" if p.tip else "")
                                for p in word.flagged)
        lines.append(f"- {_text(word.term)} /{ipa}/: {_text(verdict)}")
    return lines if sounds.words else [*lines, "No key term said to check."]


def attempt_json(attempt: Attempt) -> str:
    """One attempt with everything kept about it (feedback included) as JSON."""
    return json.dumps({"format": "coach-attempt", "version": JSON_VERSION,
                       "attempt": attempt.to_dict()}, ensure_ascii=False, indent=2) + "\n"


def round_summary_markdown(report: RoundReport) -> str:
    """The round report without the per-answer details: what the terminal prints at the end."""
    r = report.round
    timing = "strict timing" if r.strict else "lenient timing"
    follow = f"{r.follow_ups} follow-up{'s' if r.follow_ups != 1 else ''} per answer"
    lines = [f"# Mock interview round {r.id}", "",
             (f"{when(r.started_at)}: {len(r.scenario_ids)} scenarios "
              f"({', '.join(r.modules)}), {follow}, {timing}."), "", "## Answers", ""]
    rows = []
    for answer in report.answers:
        a = answer.attempt
        figures = figures_row(a)
        time_cell = figures["time"] + (" TIME-OUT" if answer.timed_out else "")
        rows.append([str((a.round_step or 0) + 1), answer.module, f"`{a.scenario_id}`",
                     "follow-up" if a.kind == "follow-up" else "answer", figures["score"],
                     figures["pace"], figures["fillers"], figures["key terms"],
                     figures["grammar"], time_cell])
    lines += _table(["#", "Module", "Scenario", "Kind", "Score", "Pace", "Fillers",
                     "Key terms", "Grammar", "Time"], rows)
    lines.append("")
    if report.average is not None:
        follow_ups = sum(a.score is not None and a.attempt.kind == "follow-up"
                         for a in report.answers)
        lines.append(f"- Average of {len(report.main_scores)} main answer"
                     f"{'s' if len(report.main_scores) != 1 else ''}: {report.average:.0f}/100"
                     + (" (follow-ups not counted)" if follow_ups else ""))
    if report.best is not None:
        lines.append(f"- Best main answer: {report.best.label} with "
                     f"{report.best.score:.0f}/100")
    if report.weakest is not None and report.weakest is not report.best:
        lines.append(f"- Weakest main answer: {report.weakest.label} with "
                     f"{report.weakest.score:.0f}/100")
    if r.strict:
        outs = ", ".join(a.label for a in report.time_outs)
        lines.append(f"- Time-outs (strict timing): {outs or 'none'}")
    if report.unanswered:
        lines.append(f"- Not answered: {', '.join(report.unanswered)}")
    lines += ["", "## Since your last round", ""]
    if report.previous_round_id is None:
        lines.append("This is your first round: nothing to compare yet.")
    else:
        better = [c.sentence for c in report.changes if c.verdict == "better"]
        other = [c.sentence for c in report.changes if c.verdict != "better"]
        lines.append("Improved: " + ("; ".join(better) if better else "nothing clearly yet") + ".")
        if other:
            lines += [f"- {s}" for s in other]
    lines += ["", "## Practise next", ""]
    if not report.practice:
        lines.append("Nothing stands out: keep the same pace and try harder scenarios.")
    for n, item in enumerate(report.practice, 1):
        lines.append(f"{n}. {item.text} Scenarios: "
                     + ", ".join(f"`{s}`" for s in item.scenario_ids))
    return "\n".join(lines) + "\n"


def round_markdown(report: RoundReport, scenarios: dict[str, Scenario] | None = None) -> str:
    """The round report followed by every answer's own report."""
    parts = [round_summary_markdown(report), "## Answer details\n"]
    for answer in report.answers:
        scenario = (scenarios or {}).get(answer.attempt.scenario_id)
        parts.append(attempt_markdown(answer.attempt, scenario, level=3))
    return "\n".join(parts)


def round_json(report: RoundReport) -> str:
    """The round report and every attempt in it, with their full feedback, as JSON."""
    return json.dumps({"format": "coach-round", "version": JSON_VERSION,
                       "report": report.to_dict(),
                       "attempts": [a.attempt.to_dict() for a in report.answers]},
                      ensure_ascii=False, indent=2) + "\n"
