"""Microphone answers being recorded in the app, each transcribed while the user speaks.

The page sends each answer's audio while it is recorded (ui/live_answer.js): 16 kHz 16-bit
mono PCM in 0.1 s chunks, to `LiveAnswers.feed`, which feeds the answer's
`TranscriptionStream`. On Stop, the answer handler gets the answer as a `StreamedAnswer` in
place of the browser's file (`claim`), keeps its audio in the history, and only the stream's
last chunk is left to decode (coach/attempts.py).

    start_recording (answer id from the page)
        -> LiveAnswers.open(session, area, id, coach, scenario)
    live_chunk(...) from the page, every 0.1 s  -> LiveAnswers.feed(id, seq, samples, rate, last)
    Stop: the page submits the answer id      -> LiveAnswers.claim(session, id) -> StreamedAnswer
    stop_recording (the same id), once the browser has uploaded its own file: claimed already

Answers live here, server side, never in `gr.State` (which deep-copies): by the page's random
answer id, each tied to the Gradio session that opened it, so one user can never claim
another's. An answer is cancelled (its stream stops decoding) when its session starts another
in the same area, leaves the page, moves to a question it was not prompted for, stops sending
for IDLE_S, or when more than MAX_LIVE answers are live (the oldest goes). While it is recorded,
the page polls `LiveAnswers.watch(id)` once a second for the live panel (a snapshot of the
stream's progress with its live captions, and the pure analysis of coach/analysis/live.py:
nothing is decoded on that call, and it never holds a lock `feed` waits for). The last chunk
(Stop) ends the answer's captions at once. Whatever goes wrong
(a chunk lost, the page without Web Audio), `claim` returns None and the browser's own
recording is analysed whole, as without streaming.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from coach.analysis.live import LivePanel, Nudge, live_panel, next_nudge
from coach.engines.transcription_stream import StreamClosed, StreamProgress
from coach.scenarios import Scenario
from coach.scenarios.vocabulary import key_terms_of
from coach.settings import MAX_DURATION_S, Settings
from coach.streamed_answer import StreamedAnswer

log = logging.getLogger("coach.ui")

MAX_LIVE = 4  # answers decoded at once on the machine; a 2-core CPU keeps up with about two
IDLE_S = 20.0  # no audio for this long: the page went away without saying so
CLAIM_TIMEOUT_S = 5.0  # Stop came before the page's last chunk: wait this long for it
MAX_CLAIMS = 64  # claimed answers remembered, for their second claim
MAX_CHUNK_SAMPLES = 48_000 * 2  # 2 s at 48 kHz: far above what the page sends
RATES = range(8_000, 192_001)
NUDGE_SHOWN_S = 6.0  # a nudge stays on the live panel this long


@dataclass(frozen=True)
class LiveView:
    """What the live panel shows of an answer being recorded (`LiveAnswers.watch`)."""

    panel: LivePanel
    nudge: Nudge | None  # the nudge to show now, if any
    progress: StreamProgress


@dataclass(frozen=True)
class Finishing:
    """An answer after Stop, until its feedback is ready (`LiveAnswers.finishing`).

    `transcribing`: the end of the answer is still being decoded (`progress` says how far);
    otherwise the analyses are running."""

    transcribing: bool
    progress: StreamProgress


@dataclass
class _Live:
    session: str
    area: str
    answer: StreamedAnswer
    fed_at: float
    next_seq: int = 0
    broken: bool = False
    complete: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    scenario: Scenario | None = None
    settings: Settings = field(default_factory=Settings)
    nudges: list[Nudge] = field(default_factory=list)  # given so far (the live panel)
    watch_lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class _Claim:
    """An answer taken by a claim: whether it was usable, once that is known."""

    session: str
    used: bool = False
    settled: threading.Event = field(default_factory=threading.Event)

    def settle(self, used: bool) -> None:
        self.used = used
        self.settled.set()


class LiveAnswers:
    """The app's answers being recorded, by answer id (see the module docstring)."""

    def __init__(self, *, max_live: int = MAX_LIVE, idle_s: float = IDLE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_live = max_live
        self.idle_s = idle_s
        self._clock = clock
        self._answers: dict[str, _Live] = {}
        self._claims: dict[str, _Claim] = {}  # answers claimed lately, by id
        self._finishing: dict[str, StreamedAnswer] = {}  # claimed, feedback not ready yet
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def open(self, session: str, area: str, answer_id: str, coach, scenario: Scenario) -> None:
        """Start transcribing answer `answer_id` to `scenario` (the one it is judged on)."""
        answer = StreamedAnswer.open(coach, scenario)
        dropped = []
        with self._lock:
            dropped += self._pop(lambda live: live.session == session and live.area == area)
            dropped += self._pop(lambda live: self._clock() - live.fed_at > self.idle_s)
            while len(self._answers) >= self.max_live:  # the oldest goes (dicts keep order)
                dropped += [self._answers.pop(next(iter(self._answers)))]
            self._answers[answer_id] = _Live(
                session, area, answer, self._clock(), scenario=scenario,
                settings=getattr(coach, "settings", None) or Settings())
        _cancel(dropped)

    def watch(self, answer_id: str) -> LiveView | None:
        """The live panel of answer `answer_id` being recorded (None: no such answer, or it
        is complete or broken). Its clock is the audio received, so it stops when the
        recording pauses; a nudge given here is remembered for the next ones."""
        live = self._answers.get(answer_id or "")
        if live is None or live.broken or live.complete.is_set() or live.scenario is None:
            return None
        progress = live.answer.progress()
        now = progress.received_s
        panel = live_panel(progress.words, now, live.scenario, live.settings,
                           heard_s=progress.decoded_s, confirmed_s=progress.decoded_s)
        with live.watch_lock:
            nudge = next_nudge(live.nudges, panel, now)
            if nudge is not None:
                live.nudges.append(nudge)
            shown = next((n for n in live.nudges[-1:] if now - n.at_s < NUDGE_SHOWN_S), None)
        return LiveView(panel, shown, progress)

    def feed(self, answer_id: str, seq: int, samples: np.ndarray, rate: int,
             last: bool) -> bool:
        """Add chunk `seq` of an answer; False if the answer is unknown or can no longer be
        used (a chunk out of order, too long an answer): the page stops sending."""
        live = self._answers.get(answer_id)
        if live is None:
            return False
        with live.lock:
            if live.broken or live.complete.is_set() or seq != live.next_seq:
                live.broken = True
                return False
            stream = live.answer.stream
            try:
                stream.feed(samples, rate)
            except (StreamClosed, ValueError):  # cancelled meanwhile, or the rate changed
                live.broken = True
                return False
            live.next_seq += 1
            live.fed_at = self._clock()
            if stream.duration_s > MAX_DURATION_S + 1:
                live.broken = True  # the analysis refuses it anyway: stop decoding
                live.answer.cancel()
            if last:
                live.answer.recorded()
                live.complete.set()
            return not live.broken

    def claim(self, session: str, answer_id: str,
              timeout_s: float | None = None) -> StreamedAnswer | None:
        """The answer `answer_id` of `session`, all of it fed, taken out of the registry; None
        when there is no such usable answer, or when an earlier claim took it.

        The page claims an answer twice: at once on Stop (the streamed answer, `submit`), and
        once the browser has uploaded its own recording (stop_recording). Whichever comes
        second waits for the first to be settled, then gets None; `used` says whether the
        first one got the answer (then the second has nothing to do) or not (then the
        browser's file is analysed)."""
        timeout_s = CLAIM_TIMEOUT_S if timeout_s is None else timeout_s
        with self._lock:
            earlier = self._claims.get(answer_id)
            live = self._answers.get(answer_id or "")
            if earlier is not None or live is None or live.session != session:
                live = None
            else:  # fed until its last chunk, then taken out (below)
                mine = self._claims[answer_id] = _Claim(session)
                while len(self._claims) > MAX_CLAIMS:  # the oldest goes (dicts keep order)
                    self._claims.pop(next(iter(self._claims)))
        if live is None:
            if earlier is not None and earlier.session == session:
                earlier.settled.wait(timeout_s)
            return None
        complete = live.complete.wait(timeout_s)
        with live.lock:
            usable = complete and not live.broken
        with self._lock:
            self._answers.pop(answer_id, None)
            if usable:  # in the same step: the live panel always finds it in one or the other
                self._finishing[answer_id] = live.answer
                while len(self._finishing) > MAX_CLAIMS:  # a handler that never settled
                    self._finishing.pop(next(iter(self._finishing)))
        mine.settle(usable)
        if not usable:
            log.warning("answer %s: the streamed audio is incomplete; analysing the file",
                        answer_id[:8])
            live.answer.cancel()
            return None
        return live.answer

    def finishing(self, answer_id: str) -> Finishing | None:
        """Where answer `answer_id` stands after Stop (for the live panel, which shows it
        until the feedback comes); None while it is recorded, or once its feedback is ready
        (`settled`), or when there is no such answer."""
        answer = self._finishing.get(answer_id or "")
        if answer is None:
            live = self._answers.get(answer_id or "")
            if live is None or live.broken or not live.complete.is_set():
                return None
            answer = live.answer  # Stop came; the claim is on its way
        stream = answer.stream
        return Finishing(not stream.is_done, stream.progress())

    def settled(self, answer_id: str) -> None:
        """The feedback of answer `answer_id` is ready (or the analysis failed)."""
        with self._lock:
            self._finishing.pop(answer_id, None)

    def used(self, session: str, answer_id: str) -> bool:
        """True when a claim of `session` got answer `answer_id` (see `claim`)."""
        claim = self._claims.get(answer_id or "")
        return claim is not None and claim.session == session and claim.used

    def forget_session(self, session: str) -> None:
        """The page went away (reload, closed tab): its answers are abandoned."""
        with self._lock:
            dropped = self._pop(lambda live: live.session == session)
        _cancel(dropped)

    def forget_other_questions(self, session: str, area: str, scenario: Scenario | None) -> None:
        """The area moved to `scenario`: answers prompted for another question are abandoned."""
        terms = key_terms_of(scenario) if scenario else None
        with self._lock:
            dropped = self._pop(lambda live: live.session == session and live.area == area
                                and live.answer.key_terms != terms)
        _cancel(dropped)

    def _pop(self, condition: Callable[[_Live], bool]) -> list[_Live]:
        chosen = [key for key, live in self._answers.items() if condition(live)]
        return [self._answers.pop(key) for key in chosen]


def _cancel(dropped: list[_Live]) -> None:
    for live in dropped:
        live.broken = True
        live.answer.cancel()
        live.complete.set()  # a claim waiting for it returns at once (and gets nothing)


def decode_chunk(message: dict) -> tuple[str, int, np.ndarray, int, bool]:
    """(answer id, seq, int16 samples, rate, last) from the page's message; ValueError if it
    is not one."""
    try:
        answer_id, seq = str(message["answer"]), int(message["seq"])
        rate, last = int(message["rate"]), bool(message["last"])
        pcm = base64.b64decode(str(message["pcm"]), validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise ValueError(f"not a chunk: {error}") from None
    if rate not in RATES or len(pcm) % 2 or len(pcm) // 2 > MAX_CHUNK_SAMPLES:
        raise ValueError("not a chunk: bad rate or size")
    return answer_id, seq, np.frombuffer(pcm, dtype="<i2"), rate, last


live_answers = LiveAnswers()  # the app's one registry
