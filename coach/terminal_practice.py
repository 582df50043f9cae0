"""`coach practice`: the whole practice loop in a terminal, with a microphone and a speaker.

Prompt read aloud -> time limit shown -> recording with elapsed time and a level meter until
Enter or the limit -> feedback (the `coach analyze` report, coloured) -> polished version
played -> again / next / quit. Every attempt goes into the history like the app's.
`--input FILE` replaces the microphone and `--sink DIR` the speaker, so the loop runs on
machines without audio devices, and in tests.
"""

from __future__ import annotations

import random
import select
import sys
import tempfile
import threading
from pathlib import Path

from coach.engines.recorder import (
    FileSink,
    FileSource,
    MicrophoneSource,
    SpeakerSink,
    describe_devices,
    timestamped_name,
)
from coach.errors import CoachError
from coach.render import render_text

METER_WIDTH = 20


class Terminal:
    """Input and output of the loop; stdin/stdout by default, replaceable in tests."""

    def __init__(self, stdin=None, stdout=None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.colour = bool(getattr(self.stdout, "isatty", lambda: False)())

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def status(self, text: str) -> None:
        end = "\r" if self.colour else "\n"
        print(text, end=end, file=self.stdout, flush=True)

    def ask(self, question: str) -> str:
        print(question, end=" ", file=self.stdout, flush=True)
        line = self.stdin.readline()
        return line.strip().lower() if line else "q"

    def enter_pressed(self) -> bool:
        """Non-blocking check for Enter on an interactive terminal."""
        if not getattr(self.stdin, "isatty", lambda: False)():
            return False
        ready, _, _ = select.select([self.stdin], [], [], 0)
        if ready:
            self.stdin.readline()
            return True
        return False


def level_meter(elapsed: float, limit: float, level: float) -> str:
    bars = round(level * METER_WIDTH)
    return f"  ● {elapsed:5.1f} s / {limit:.0f} s  [{'█' * bars}{' ' * (METER_WIDTH - bars)}]"


class PracticeLoop:
    def __init__(self, coach, store, source, sink, terminal: Terminal, work_dir: Path) -> None:
        self.coach, self.store = coach, store
        self.source, self.sink = source, sink
        self.terminal = terminal
        self.work_dir = work_dir

    def run(self, scenario) -> int:
        scenarios = list(self.coach.library)
        while True:
            self.attempt(scenario)
            choice = self.terminal.ask("[a]gain, [n]ext scenario, [q]uit?")
            if choice.startswith("a"):
                continue
            if choice.startswith("n"):
                others = [s for s in scenarios if s.id != scenario.id]
                scenario = random.choice(others) if others else scenario
                continue
            return 0

    def attempt(self, scenario) -> None:
        from coach.attempts import analyze_and_keep

        t = self.terminal
        t.say(f"\n{scenario.title}  [{scenario.id}]  limit {scenario.time_limit_s} s")
        t.say(scenario.prompt)
        prompt_wav = self.work_dir / f"prompt-{scenario.id}.wav"
        self.sink.play(self.coach.speak(scenario.prompt, prompt_wav, scenario=scenario).path)
        t.say(f"Answer now: {scenario.time_limit_s} s. Press Enter to stop.")
        target = self.work_dir / f"{timestamped_name(scenario.id)}.wav"
        recording = self.source.record(
            target, scenario.time_limit_s, self.terminal.enter_pressed,
            lambda elapsed, level: t.status(level_meter(elapsed, scenario.time_limit_s, level)))
        t.say(f"\nRecorded {recording.duration_s:.1f} s. Analysing...")
        attempt, feedback, error = analyze_and_keep(self.coach, self.store, recording.path, scenario)
        if error is not None:
            t.say(f"{error}  (the recording is kept as attempt {attempt.id})")
            return
        t.say(render_text(feedback, colour=t.colour))
        polished_wav = self.work_dir / f"polished-{attempt.id}.wav"
        speech = self.coach.speak(feedback.polished.text, polished_wav, scenario=scenario)
        t.say(f"Playing the polished version ({speech.duration_s:.0f} s)...")
        self.sink.play(speech.path)


def cmd_practice(args) -> int:
    from coach import Coach, Settings
    from coach.history.store import HistoryStore

    terminal = Terminal()
    if args.list_devices:
        terminal.say(describe_devices())
        return 0
    source = FileSource(args.input) if args.input else MicrophoneSource(args.device)
    sink = FileSink(args.sink) if args.sink else SpeakerSink(args.device)
    try:
        source.check()
        sink.check()
    except CoachError as error:
        terminal.say(f"coach: {error}")
        return 2
    coach = Coach(Settings(model=args.model, check_grammar=not args.no_grammar,
                           voice_engine=args.voice))
    threading.Thread(target=coach.warm_up, daemon=True).start()
    scenario = coach.library.resolve(args.scenario) if args.scenario else random.choice(
        list(coach.library))
    with tempfile.TemporaryDirectory(prefix="coach-practice-") as work:
        try:
            return PracticeLoop(coach, HistoryStore(), source, sink, terminal, Path(work)).run(scenario)
        finally:
            coach.close()


def register(sub) -> None:
    p = sub.add_parser("practice", help="practise in the terminal with microphone and speaker")
    p.add_argument("--scenario", "-s", help="scenario id (default: a random one)")
    p.add_argument("--device", type=int, help="audio device index (see --list-devices)")
    p.add_argument("--list-devices", action="store_true", help="list audio devices and exit")
    p.add_argument("--input", help="use this recording instead of the microphone")
    p.add_argument("--sink", help="write played audio into this folder instead of the speaker")
    p.add_argument("--voice", choices=["espeak", "piper"], default="espeak")
    p.add_argument("--model", help="Whisper model name or folder")
    p.add_argument("--no-grammar", action="store_true")
    p.set_defaults(func=cmd_practice)
