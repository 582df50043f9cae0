"""Sub-commands for the practice history, exports and mock-interview rounds.

    coach history [--scenario ID] [--limit N] [--last N] [--chart FILE.png] [--json]
    coach history reanalyze ID [--no-grammar] [--model NAME]
    coach export attempt ID [--format md|json] [-o FILE]
    coach export round ID [--format md|json] [-o FILE]
    coach round [--modules a,b] [--scenarios id,id] [--follow-ups N] [--strict]
                --input FILE [--input FILE ...]

Thin wrappers: parse, call coach.history / coach.rounds / coach.attempts, print.
Errors are CoachError subclasses, printed by coach.cli as one line with exit code 2.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from coach.cli import args as cli_args
from coach.history.errors import RecordingNotFound, RoundInputMismatch


def register(sub) -> None:
    p = sub.add_parser("history", help="past attempts, progress over time, re-analysis")
    p.add_argument("--scenario", "-s", help="only this scenario")
    p.add_argument("--limit", type=cli_args.positive, default=10,
                   help="recent attempts to list (default 10)")
    p.add_argument("--last", type=cli_args.positive, default=5,
                   help="attempts the trends look back over (default 5)")
    p.add_argument("--chart", metavar="FILE.png", type=cli_args.output_file,
                   help="also draw the progress chart (matplotlib)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_history)
    actions = p.add_subparsers(dest="history_action", metavar="{reanalyze}")
    r = actions.add_parser("reanalyze", help="analyse a kept recording again")
    r.add_argument("id", type=cli_args.positive, help="attempt id (see 'coach history')")
    r.add_argument("--model", help="Whisper model name or folder")
    r.add_argument("--no-grammar", action="store_true", help="skip the grammar check")
    r.add_argument("--json", action="store_true", help="print the feedback as JSON")
    r.set_defaults(func=cmd_reanalyze)

    p = sub.add_parser("export", help="an attempt or a round as a Markdown or JSON report")
    p.add_argument("what", choices=["attempt", "round"])
    p.add_argument("id", type=cli_args.positive)
    p.add_argument("--format", "-f", choices=["md", "json"],
                   help="default: from the -o file's extension, else md")
    p.add_argument("-o", "--output", metavar="FILE", type=cli_args.output_file,
                   help="write here instead of printing")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("round", help="a mock-interview round: microphone, or recorded answers")
    p.add_argument("--modules", help="comma-separated modules, in order (default: "
                   "system-debug,code-review,expressive-english,system-design)")
    p.add_argument("--scenarios", help="comma-separated scenario ids instead of --modules")
    p.add_argument("--follow-ups", type=cli_args.whole_number(0, 2), default=1,
                   help="follow-ups per answer, 0-2 (default 1)")
    p.add_argument("--strict", action="store_true",
                   help="strict timing: answers that reach the limit are time-outs")
    p.add_argument("--input", "-i", action="append", default=[], metavar="FILE",
                   help="recordings in order: an answer, its follow-up answers, the next answer... "
                        "(default: record each answer from the microphone)")
    p.add_argument("--device", type=cli_args.device,
                   help="audio device index (see coach practice --list-devices)")
    p.add_argument("--sink", type=cli_args.output_folder,
                   help="write the spoken questions into this folder instead of the speaker")
    p.add_argument("--model", help="Whisper model name or folder")
    p.add_argument("--no-grammar", action="store_true", help="skip the grammar check")
    p.add_argument("--json", action="store_true", help="print the round report as JSON")
    p.set_defaults(func=cmd_round)


def _coach(args):
    from coach import Coach
    from coach.settings import settings_for_command

    return Coach(settings_for_command(args))


# --- history ---------------------------------------------------------------------------------
def _figures(attempt) -> str:
    from coach.history.export import figures_row

    if attempt.status == "recorded":
        return f"not analysed yet: coach history reanalyze {attempt.id}"
    if attempt.status == "failed":
        return f"failed ({attempt.error_code}): {attempt.error_message}"
    f = figures_row(attempt)
    return (f"{f['score']:>7}  {f['pace']:>8}  {f['fillers']} fillers  "
            f"{f['key terms']} key terms  {f['grammar']}")


def cmd_history(args) -> int:
    from coach.history import HistoryStore
    from coach.history.export import when
    from coach.history.progress import progress_series, scenario_summaries, trends

    store = HistoryStore()
    attempts = store.attempts(scenario_id=args.scenario)
    answers = [a for a in attempts if a.kind == "answer"]
    summaries = scenario_summaries(attempts)
    changes = trends(answers, args.last)
    rounds = store.rounds(limit=5) if not args.scenario else []
    chart = None
    if args.chart:
        from coach.history.charts import render_progress_chart

        chart = render_progress_chart(progress_series(answers), args.chart,
                                      title=args.scenario or "All scenarios")
    if args.json:
        print(json.dumps({
            "database": str(store.path),
            "scenarios": [s.to_dict() for s in summaries],
            "trends": [c.to_dict() for c in changes],
            "series": [s.to_dict() for s in progress_series(answers)],
            "recent": [a.to_dict(with_feedback=False) for a in attempts[-args.limit:]],
            "rounds": [r.to_dict() for r in rounds],
            "chart": str(chart) if chart else None,
        }, ensure_ascii=False, indent=2))
        return 0
    if not attempts:
        where = f" for {args.scenario}" if args.scenario else ""
        print(f"No attempts yet{where}. Practise with 'coach round' or the app; every answer "
              f"is kept in {store.path.parent}.")
        return 0
    print(f"{len(attempts)} attempt(s) in {len(summaries)} scenario(s)  [{store.path}]\n")
    print("Attempts per scenario")
    for s in summaries:
        extra = "".join(f", {n} {label}" for n, label in ((s.failed, "failed"),
                                                          (s.pending, "not analysed")) if n)
        scores = ("" if s.best_score is None else
                  f"  best {s.best_score:.0f}, last {s.last_score:.0f}")
        print(f"  {s.scenario_id:28} {s.attempts:>3} attempt(s){extra}{scores}  "
              f"(last {when(s.last_at)})")
    print(f"\nProgress (last {args.last} analysed answers)")
    if changes:
        for change in changes:
            print(f"  {change.sentence}")
    else:
        print("  Two analysed answers are needed to show a trend.")
    print("\nRecent attempts")
    for a in attempts[-args.limit:][::-1]:
        kind = " follow-up" if a.kind == "follow-up" else ""
        print(f"  #{a.id:<4} {when(a.recorded_at)}  {a.scenario_id}{kind}")
        print(f"         {_figures(a)}")
    if rounds:
        print("\nRounds")
        for r in rounds[::-1]:
            print(f"  #{r.id:<4} {when(r.started_at)}  {r.status:8}  "
                  f"{', '.join(r.scenario_ids)}  -> coach export round {r.id}")
    if chart:
        print(f"\nChart: {chart}")
    return 0


def cmd_reanalyze(args) -> int:
    from coach.attempts import reanalyze
    from coach.cli.render import render_text
    from coach.history import HistoryStore

    store = HistoryStore()
    coach = _coach(args)
    try:
        attempt, feedback, error = reanalyze(coach, store, args.id)
    finally:
        coach.close()
    if error is not None:
        raise error  # kept as "failed"; printed as one line by coach.cli
    assert attempt is not None and feedback is not None  # kept and analysed
    if args.json:
        print(json.dumps(feedback.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"Attempt {attempt.id} analysed and kept.\n")
        print(render_text(feedback, colour=sys.stdout.isatty()), end="")
    return 0


# --- export ----------------------------------------------------------------------------------
def _scenarios() -> dict:
    from coach.scenarios.library import ScenarioLibrary

    return {s.id: s for s in ScenarioLibrary.load()}


def cmd_export(args) -> int:
    from coach.history import HistoryStore
    from coach.history.export import attempt_json, attempt_markdown, round_json, round_markdown

    fmt = args.format or ("json" if args.output and args.output.endswith(".json") else "md")
    store = HistoryStore()
    if args.what == "attempt":
        attempt = store.get(args.id)
        text = (attempt_json(attempt) if fmt == "json"
                else attempt_markdown(attempt, _scenarios().get(attempt.scenario_id)))
    else:
        from coach.rounds import build_round_report

        report = build_round_report(store, args.id)
        text = round_json(report) if fmt == "json" else round_markdown(report, _scenarios())
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"Wrote {target}")
    else:
        print(text, end="")
    return 0


# --- round -----------------------------------------------------------------------------------
def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _plan(args, coach, store):
    from coach.rounds import DEFAULT_MODULES, RoundSettings, pinned_plan, plan_round

    modules = tuple(_split(args.modules)) or DEFAULT_MODULES
    settings = RoundSettings(modules, args.follow_ups, args.strict)
    if args.scenarios:
        return pinned_plan([coach.library.resolve(i) for i in _split(args.scenarios)], settings)
    return plan_round(coach.library, settings, store.attempts(kind="answer"))


def _order(plan) -> str:
    follow = ["its follow-up"] * plan.settings.follow_ups
    return ", ".join(", ".join([s.id, *follow]) for s in plan.scenarios)


def _round_audio(args, interactive: bool):
    """Where questions are spoken: the speaker when recording live, a folder with --sink."""
    from coach.audio.recorder import FileSink, MicrophoneSource, SpeakerSink

    sink: FileSink | SpeakerSink
    if interactive:
        MicrophoneSource(args.device).check()  # before the round is created, not mid-way
    if args.sink:
        sink = FileSink(args.sink)
    elif interactive:
        sink = SpeakerSink(args.device)
    else:
        return None
    sink.check()
    return sink


def _record_answer(args, step, strict: bool, work: Path) -> Path:
    """Record one answer from the microphone: until Enter, or the limit (twice it if lenient)."""
    from coach.audio.recorder import MicrophoneSource
    from coach.cli.practice import Terminal, level_meter

    terminal = Terminal()
    limit = step.time_limit_s if strict else 2 * step.time_limit_s
    terminal.say(f"      Answer now: {step.time_limit_s} s. Press Enter to stop.")
    recording = MicrophoneSource(args.device).record(
        work / f"answer-{step.number}.wav", limit, terminal.enter_pressed,
        lambda elapsed, level: terminal.status(level_meter(elapsed, step.time_limit_s, level)))
    terminal.say("")
    return recording.path


def cmd_round(args) -> int:
    from coach.history import HistoryStore
    from coach.history.export import figures_row, round_summary_markdown
    from coach.rounds import MockRound

    store = HistoryStore()
    coach = _coach(args)
    try:
        plan = _plan(args, coach, store)
        interactive = not args.input
        if not interactive:
            from coach.paths import file_problem

            problems = [file_problem(name, "recording") for name in args.input]
            if any(problems):
                raise RecordingNotFound(" ".join(p for p in problems if p))
            if len(args.input) != plan.max_steps:
                raise RoundInputMismatch(
                    f"This round takes {plan.max_steps} recording(s), got {len(args.input)}.",
                    hint=f"In this order: {_order(plan)}.")
        speaker = _round_audio(args, interactive)
        round_ = MockRound(coach, store, plan)
        say = (lambda *a, **k: None) if args.json else print
        say(f"Round {round_.id}: {len(plan.scenarios)} scenario(s), "
            f"{plan.settings.follow_ups} follow-up(s) per answer, "
            f"{'strict' if plan.settings.strict else 'lenient'} timing.\n")
        inputs = list(args.input)
        with tempfile.TemporaryDirectory(prefix="coach-round-") as work:
            while round_.current is not None and (interactive or inputs):
                step = round_.current
                say(f"[{step.number + 1}/{plan.max_steps}] {step.module}  {step.scenario.id}  "
                    f"({step.kind})" + ("" if interactive else f"  {inputs[0]}"))
                say(f"      Q: {step.question}")
                if speaker:
                    speaker.play(round_.speak_question(Path(work) / f"q{step.number}.wav").path)
                if interactive:
                    path = _record_answer(args, step, plan.settings.strict, Path(work))
                else:
                    path = inputs.pop(0)
                result = round_.answer(path)
                if result.error is not None:
                    say(f"      could not analyse: {result.error}")
                else:
                    f = figures_row(result.attempt)
                    say(f"      {f['score']}, {f['pace']}, {f['fillers']} fillers, "
                        f"{f['key terms']} key terms, {f['time']}"
                        + ("  TIME-OUT" if result.timed_out else ""))
        report = round_.finish()
    finally:
        coach.close()
    if inputs:
        print(f"coach: {len(inputs)} recording(s) not used: this round asked fewer follow-ups "
              "than planned.", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print()
        print(round_summary_markdown(report), end="")
        print(f"\nFull report: coach export round {report.round.id} -o round-"
              f"{report.round.id}.md")
    return 0
