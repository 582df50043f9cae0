"""`coach practice`: the whole practice loop in a terminal, with a microphone and a speaker.

Prompt read aloud -> time limit shown -> recording with elapsed time and a level meter until
Enter or the limit -> feedback (the `coach analyze` report, coloured) -> polished version
played -> again / next / quit. Every attempt goes into the history like the app's.
The microphone's blocks are transcribed while the answer is spoken (a `StreamedAnswer`): after
Enter only the last chunk is left to decode; while it is spoken, the live panel (time left,
pace, fillers, key terms and parts ticking, the last words, a nudge: coach/cli/live_view.py)
is redrawn under the meter. The recording is kept first, as always.
`--input FILE` replaces the microphone and `--sink DIR` the speaker, so the loop runs on
machines without audio devices, and in tests. With no speaker and no `--sink`, playback is
off: the question and the polished answer are only printed. `--realtime` plays `--input` at the
pace of speech, as a microphone would (streamed, with the live panel).
"""

from __future__ import annotations

import random
import select
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from coach.audio.recorder import (
    RECORD_RATE,
    FileSink,
    FileSource,
    MicrophoneSource,
    SilentSink,
    SpeakerSink,
    describe_devices,
    timestamped_name,
)
from coach.cli import args as cli_args
from coach.cli.live_view import LiveView
from coach.cli.render import render_text
from coach.engines.synthesizer import ENGINES
from coach.errors import AudioDeviceUnavailable, CoachError
from coach.streamed_answer import StreamedAnswer

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
        if self.sink.audible:
            prompt_wav = self.work_dir / f"prompt-{scenario.id}.wav"
            self.sink.play(self.coach.speak(scenario.prompt, prompt_wav, scenario=scenario).path)
        t.say(f"Answer now: {scenario.time_limit_s} s. Press Enter to stop.")
        recording, answer = self.record(scenario)
        t.say(f"\nRecorded {recording.duration_s:.1f} s. Analysing...")
        name = self.source.source.name if isinstance(self.source, FileSource) else None
        outcome = analyze_and_keep(self.coach, self.store, answer, scenario, name=name)
        attempt, feedback, error = outcome
        if outcome.unkept is not None:
            t.say(f"coach: {outcome.unkept}")
        if error is not None:
            kept = ("not kept: it is not a usable recording" if error.rejects_input
                    else "" if attempt is None
                    else f"the recording is kept as attempt {attempt.id}")
            t.say(f"{error}  ({kept})" if kept else str(error))
            return
        assert feedback is not None  # no error: analysed
        if not self.sink.audible:
            t.say(render_text(feedback, colour=t.colour))
            return
        # synthesized first, so the duration printed is the one played
        polished_wav = self.work_dir / f"polished-{attempt.id if attempt else 'unkept'}.wav"
        speech = self.coach.speak(feedback.polished.spoken_text, polished_wav, scenario=scenario)
        feedback = replace(feedback, polished=replace(feedback.polished,
                                                      audio_s=speech.duration_s))
        t.say(render_text(feedback, colour=t.colour))
        t.say(f"Playing the polished version ({speech.duration_s:.0f} s)...")
        self.sink.play(speech.path)

    def record(self, scenario):
        """(the Recording, what to analyse: a StreamedAnswer from the microphone, or the file)."""
        t = self.terminal
        target = self.work_dir / f"{timestamped_name(scenario.id)}.wav"

        def meter(elapsed: float, level: float) -> None:
            t.status(level_meter(elapsed, scenario.time_limit_s, level))

        if isinstance(self.source, FileSource) and not self.source.realtime:  # decoded after
            recording = self.source.record(target, scenario.time_limit_s, t.enter_pressed, meter)
            return recording, recording.path
        answer = StreamedAnswer.open(self.coach, scenario, path=target)
        view = LiveView(t, scenario, self.coach.settings, answer)
        try:
            recording = self.source.record(
                target, scenario.time_limit_s, t.enter_pressed, view.update,
                on_block=lambda block: answer.stream.feed(block, RECORD_RATE))
        except BaseException:
            answer.cancel()
            raise
        return recording, answer


def _sink(args, terminal: Terminal):
    """Where played audio goes: --sink DIR, else the speaker, else nowhere (playback off)."""
    if args.sink:
        sink = FileSink(args.sink)
        sink.check()
        return sink
    speaker = SpeakerSink(args.device)
    try:
        speaker.check()
    except AudioDeviceUnavailable as error:
        terminal.say(f"coach: playback is off ({error.message.split('.')[0].lower()}): the "
                     "question and the polished answer are shown as text only.")
        return SilentSink()
    return speaker


def cmd_practice(args) -> int:
    from coach import Coach
    from coach.history.store import HistoryStore
    from coach.settings import settings_for_command

    terminal = Terminal()
    if args.list_devices:
        terminal.say(describe_devices())
        return 0
    source = (FileSource(args.input, realtime=args.realtime) if args.input
              else MicrophoneSource(args.device))
    try:
        source.check()
        sink = _sink(args, terminal)
    except CoachError as error:
        terminal.say(f"coach: {error}")
        return 2
    coach = Coach(settings_for_command(args))
    coach.warm_up()  # joined by close(), whatever happens below
    try:
        scenario = coach.library.resolve(args.scenario) if args.scenario else random.choice(
            list(coach.library))
        store = HistoryStore()
        with tempfile.TemporaryDirectory(prefix="coach-practice-") as work:
            return PracticeLoop(coach, store, source, sink, terminal, Path(work)).run(scenario)
    finally:
        coach.close()


def register(sub) -> None:
    p = sub.add_parser("practice", help="practise in the terminal with microphone and speaker")
    p.add_argument("--scenario", "-s", help="scenario id (default: a random one)")
    p.add_argument("--device", type=cli_args.device,
                   help="audio device index (see --list-devices)")
    p.add_argument("--list-devices", action="store_true", help="list audio devices and exit")
    p.add_argument("--input", help="use this recording instead of the microphone")
    p.add_argument("--realtime", action="store_true",
                   help="play --input at the pace of speech, as a microphone (live panel)")
    p.add_argument("--sink", type=cli_args.output_folder,
                   help="write played audio into this folder instead of the speaker")
    p.add_argument("--voice", choices=ENGINES, help="default: settings")
    p.add_argument("--model", help="Whisper model name or folder")
    p.add_argument("--no-grammar", action="store_true")
    p.set_defaults(func=cmd_practice)
