"""`coach history`: past attempts, progress over time, and analysing a kept recording again.

Thin wrappers: parse, call coach.history / coach.attempts, print.
Errors are CoachError subclasses, printed by coach.cli as one line with exit code 2.
"""

from __future__ import annotations

import json
import sys

from coach.cli import args as cli_args
from coach.errors import CoachError


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


def coach_for(args):
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
    from coach.history.sound_trends import sound_trends

    store = HistoryStore()
    attempts = store.attempts(scenario_id=args.scenario)
    answers = [a for a in attempts if a.kind == "answer"]
    summaries = scenario_summaries(attempts)
    changes = trends(answers, args.last)
    sounds = sound_trends(answers, args.last)
    rounds = store.rounds(limit=5) if not args.scenario else []
    chart = None
    if args.chart:
        from coach.history.charts import render_progress_chart

        try:
            chart = render_progress_chart(progress_series(answers), args.chart,
                                          title=args.scenario or "All scenarios")
        except OSError as error:
            raise CoachError(f"The chart cannot be written to {args.chart} "
                             f"({error.strerror or error}).",
                             hint="Choose a file in a folder you can write to.") from None
    if args.json:
        print(json.dumps({
            "database": str(store.path),
            "scenarios": [s.to_dict() for s in summaries],
            "trends": [c.to_dict() for c in changes],
            "sounds": [t.to_dict() for t in sounds],
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
    if sounds:
        print("\nSounds of key terms")
        for sound in sounds:
            print(f"  {sound.sentence}")
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
    coach = coach_for(args)
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
