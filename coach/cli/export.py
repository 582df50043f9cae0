"""`coach export`: an attempt or a round as a Markdown or JSON report, printed or written.

Thin wrapper: parse, call coach.history.export, print. Errors are CoachError subclasses,
printed by coach.cli as one line with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

from coach.cli import args as cli_args


def register(sub) -> None:
    p = sub.add_parser("export", help="an attempt or a round as a Markdown or JSON report")
    p.add_argument("what", choices=["attempt", "round"])
    p.add_argument("id", type=cli_args.positive)
    p.add_argument("--format", "-f", choices=["md", "json"],
                   help="default: from the -o file's extension, else md")
    p.add_argument("-o", "--output", metavar="FILE", type=cli_args.output_file,
                   help="write here instead of printing")
    p.set_defaults(func=cmd_export)


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
