"""`coach round`: a mock-interview round, answered at the microphone or from recordings.

Thin wrapper: parse, call coach.rounds / coach.attempts, print. Errors are CoachError
subclasses, printed by coach.cli as one line with exit code 2.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from coach.cli import args as cli_args
from coach.cli.history import coach_for
from coach.history.errors import RecordingNotFound, RoundInputMismatch


def register(sub) -> None:
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
    from coach.cli.render import render_text
    from coach.history import HistoryStore
    from coach.history.export import figures_row, round_summary_markdown
    from coach.rounds import MockRound, abandoned_note

    store = HistoryStore()
    coach = coach_for(args)
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
        if round_.abandoned:
            say(abandoned_note(round_.abandoned) + "\n")
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
                if result.unkept is not None:
                    print(f"coach: {result.unkept}", file=sys.stderr)
                if result.error is not None:
                    say(f"      could not analyse: {result.error}")
                elif result.unkept is not None:  # not in the history, so not in the report
                    assert result.feedback is not None  # no error: analysed
                    say(render_text(result.feedback, colour=False))
                else:
                    assert result.attempt is not None  # kept: the history took it
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
    if round_.results and all(r.error is not None for r in round_.results):
        print("coach: no answer of this round could be analysed (see above).", file=sys.stderr)
        return 1
    return 0
