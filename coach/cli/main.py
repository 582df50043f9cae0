"""The `coach` command line: thin wrappers that parse arguments, call coach, and print."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.cli import args as cli_args
from coach.engines.synthesizer import ENGINES
from coach.errors import CoachError


def _print_error(error: CoachError, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": error.to_dict()}))
    print(f"coach: {error}", file=sys.stderr)
    return 2


def cmd_scenarios(args) -> int:
    from coach.scenarios.library import ScenarioLibrary
    from coach.scenarios.validation import validate_file, validate_library

    if args.action == "validate":
        bad = 0
        for target in args.paths or [None]:
            path = Path(target) if target else None
            if path is None or path.is_dir():
                from coach.settings import scenarios_dir

                report = validate_library(path or scenarios_dir())
            else:
                report = {str(path): validate_file(path)}
            for file, problems in report.items():
                for problem in problems:
                    print(f"{file}: {problem}")
                bad += bool(problems)
            if not bad:
                print(f"ok: {len(report)} file(s) valid")
        return 1 if bad else 0
    library = ScenarioLibrary.load()
    if args.action == "show":
        if not args.paths:
            print("coach: scenarios show needs an id", file=sys.stderr)
            return 2
        scenario = library.resolve(args.paths[0])
        print(f"{scenario.title}  [{scenario.id}]")
        print(f"module {scenario.module}, kind {scenario.kind}, limit {scenario.time_limit_s} s\n")
        print(scenario.prompt + "\n")
        if scenario.context:
            print(scenario.context + "\n")
        print("Key terms: " + ", ".join(t.term for t in scenario.key_terms))
        print("Structure: " + " -> ".join(scenario.expected_structure))
        for follow_up in scenario.follow_ups:
            print(f"Follow-up: {follow_up.question}")
        return 0
    for scenario in library:
        print(f"{scenario.id:28} {scenario.module:19} {scenario.kind:8} "
              f"{scenario.time_limit_s:>4}s  {scenario.title}")
    return 0


def cmd_analyze(args) -> int:
    from coach import Coach
    from coach.cli.render import render_text
    from coach.settings import settings_for_command

    if args.speak and _same_file(args.speak, args.audio):
        raise CoachError(f"--speak {args.speak} would overwrite the recording being analysed.",
                         hint="Name another file for the polished answer.")
    coach = Coach(settings_for_command(args))
    try:
        try:
            feedback = coach.analyze(args.audio, args.scenario)
        except CoachError as error:
            return _print_error(error, args.json)
        # Printed before the polished answer is spoken, so a voice problem cannot lose it.
        if args.json:
            print(json.dumps(feedback.to_dict(), ensure_ascii=False, indent=2), flush=True)
        else:
            print(render_text(feedback, colour=sys.stdout.isatty()), end="", flush=True)
        return _speak(coach, feedback, args.speak) if args.speak else 0
    finally:
        coach.close()


def _same_file(one: str, other: str) -> bool:
    try:
        return Path(one).resolve() == Path(other).resolve() or Path(one).samefile(other)
    except OSError:
        return False


def _speak(coach, feedback, target: str) -> int:
    try:
        speech = coach.speak(feedback.polished.spoken_text, target, scenario=feedback.scenario)
    except CoachError as error:
        print(f"coach: the feedback is above, but the polished answer could not be spoken: "
              f"{error}", file=sys.stderr)
        return 2
    print(f"coach: polished answer spoken to {speech.path} "
          f"({speech.duration_s:.1f} s, {speech.engine})", file=sys.stderr)
    return 0


def cmd_models(args) -> int:
    from coach.engines.models import available_models, default_model_name

    default = default_model_name()
    if args.check:
        from coach.engines.models import prepare

        for info in available_models():
            if info.installed:
                prepare(info)  # joins base if needed; ModelNotFound names a damaged file
                print(f"ok: {info.name} matches its published sha256")
        return 0
    for info in available_models():
        mark = "*" if info.name == default else " "
        state = f"{info.size_mb:.0f} MB  {info.path}" if info.installed else "not installed"
        if info.installed and not Path(info.path).is_dir():
            state = f"joined from its wheels on first use into {info.path}"
        print(f"{mark} {info.name:8} {state}\n    {info.note}")
    print("\nAny CTranslate2 Whisper model folder also works: --model /path/to/folder")
    return 0


def cmd_serve(args) -> int:
    from coach import serving
    from coach.settings import data_dir, writable_folder

    writable_folder(data_dir())  # an unusable data folder is named before gradio loads (~3 s)
    # before gradio is imported: it reads GRADIO_TEMP_DIR then
    password = serving.prepare(args.host, args.port, allow_network=args.allow_network,
                               password_file=args.password_file)
    from coach.ui.app import serve

    serve(host=args.host, port=args.port, model=args.model, password=password)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Offline voice interview coach.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("scenarios", help="list, show or validate scenarios")
    p.add_argument("action", nargs="?", choices=["list", "show", "validate"], default="list")
    p.add_argument("paths", nargs="*", help="scenario id (show) or files/folders (validate)")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("analyze", help="feedback on a recorded answer")
    p.add_argument("audio", help="recording: WAV, MP3, FLAC, OGG, WebM, M4A ...")
    p.add_argument("--scenario", "-s", required=True, help="scenario id or path to a .toml")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--model", help="Whisper model name or folder (default base; tiny.en is faster)")
    p.add_argument("--no-grammar", action="store_true", help="skip the grammar check")
    p.add_argument("--speak", metavar="WAV", type=cli_args.output_file,
                   help="also say the polished answer into this file")
    p.add_argument(
        "--voice",
        choices=ENGINES,
        help="voice for --speak (piper: the bundled neural voice; system: the OS's; "
        "default: settings)",
    )
    p.add_argument("--wpm", type=cli_args.voice_wpm,
                   help="speaking pace for --speak, 80-260 (default: settings, else 145)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("models", help="speech models available offline")
    p.add_argument("--check", action="store_true",
                   help="check every installed model file against its sha256 (once per install)")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("serve", help="start the practice app in the browser")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=cli_args.port, default=7860)
    p.add_argument("--model")
    p.add_argument("--allow-network", action="store_true",
                   help="allow a --host other than loopback: your history becomes reachable")
    p.add_argument("--password-file", metavar="FILE",
                   help="ask for the password on this file's first line (or set "
                        "COACH_PASSWORD)")
    p.set_defaults(func=cmd_serve)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Commands that live in their own modules; each exposes register(subparsers)."""
    import importlib

    for name in EXTRA_COMMAND_MODULES:
        yield importlib.import_module(name).register


# Modules adding sub-commands (practice, history, export, round, speak...).
EXTRA_COMMAND_MODULES: list[str] = [
    "coach.cli.practice", "coach.cli.history", "coach.cli.export", "coach.cli.rounds"]


# What each command uses of what a machine may lack (coach.capabilities), reported at start.
COMMAND_FEATURES = {"analyze": ("grammar", "ipa", "voice", "sounds"),
                    "serve": ("grammar", "ipa", "voice", "sounds"),
                    "practice": ("grammar", "ipa", "voice", "audio", "sounds"),
                    "round": ("grammar", "ipa", "sounds")}


def report_reduced(args) -> None:
    """One line on stderr naming the features this machine runs reduced, if any."""
    from coach import capabilities

    features = list(COMMAND_FEATURES.get(args.command, ()))
    if getattr(args, "no_grammar", False) and "grammar" in features:
        features.remove("grammar")
    if args.command == "analyze" and not args.speak:
        features.remove("voice")
    if args.command == "serve":
        from coach.settings import load_settings

        voice = load_settings().voice_engine
    else:
        voice = getattr(args, "voice", None) or "espeak"
    if features:
        capabilities.report_once(features, voice=voice)


def _check_cache_folder() -> None:
    """A cache folder that is a file or cannot be made is named (COACH_CACHE_DIR) before any
    engine looks for its assets there; an existing folder is fine, even read-only."""
    from coach.settings import cache_dir, writable_cache

    if not cache_dir().is_dir():
        writable_cache()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command != "scenarios":  # every other command may read or build assets there
            _check_cache_folder()
        report_reduced(args)
        return args.func(args)
    except CoachError as error:
        return _print_error(error, getattr(args, "json", False))
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130

