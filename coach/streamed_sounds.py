"""The sounds of the key terms, scored while the answer is still recorded.

`EarlySounds.start(stream, scenario, frames_of, phonemize, memo)` runs a thread beside a
`TranscriptionStream`: each time the stream has decoded more words (those of a chunk decoded
ahead included), it finds the key terms said so far and scores those whose stretch (with the
words around them and the recogniser's padding) is recorded, into `memo`
(`score_key_terms(memo=...)`). After Stop, `Coach.analyze` scores the final transcript with the
same memo: a term whose words, times and audio are the same is taken from it, so only the
terms of the last chunk are scored then. A guess that the final transcript does not confirm
(the words or times differ) is simply not used. `stop()` ends the thread, after the term it
is scoring.

Decoding the speech comes first: terms are scored only while the decoder has caught up (no
chunk waiting), and the thread runs at a lower CPU priority (Linux: its own nice value), so
on a busy machine the sounds wait for Stop rather than make the transcript late.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, MutableMapping

import numpy as np

from coach.analysis.coverage import analyze_coverage
from coach.analysis.pronunciation import Phonemizer
from coach.audio.wav import as_pcm16
from coach.engines.transcription_stream import TranscriptionStream
from coach.errors import CoachError
from coach.phonemes.answer import Frames, score_key_terms
from coach.scenarios import Scenario
from coach.transcript import Transcript

POLL_S = 0.3
NICE = 10  # the scoring thread's CPU priority, below the decoder's
log = logging.getLogger("coach.phonemes")


class EarlySounds:
    def __init__(self, stream: TranscriptionStream, scenario: Scenario,
                 frames_of: Callable[[np.ndarray], Frames], phonemize: Phonemizer | None,
                 memo: MutableMapping) -> None:
        self.stream, self.scenario, self.memo = stream, scenario, memo
        self.frames_of, self.phonemize = frames_of, phonemize
        self._stop = threading.Event()
        self._seen: tuple = ()
        self.rounds = 0  # how many times terms were scored (for tests and benchmarks)
        self._thread = threading.Thread(target=self._run, name="early-sounds", daemon=True)

    @classmethod
    def start(cls, *args) -> EarlySounds:
        early = cls(*args)
        early._thread.start()
        return early

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        with contextlib.suppress(AttributeError, OSError):  # per-thread nice: Linux only
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        while not self._stop.wait(POLL_S):
            if not self.stream.is_open:  # finished or dropped without stop(): nothing to add
                return
            try:
                self.step()
            except (CoachError, OSError, ValueError, RuntimeError) as error:
                log.warning("sounds while streaming stopped: %r", error)  # after Stop, then
                return

    def step(self) -> None:
        """Score what the words decoded so far allow (once per new set of words)."""
        progress = self.stream.progress()
        words = progress.words
        if not words or words == self._seen or progress.waiting_s > 0:
            return  # nothing new, or the decoder has chunks waiting: it goes first
        self._seen = words
        samples = as_pcm16(self.stream.clip().samples)
        transcript = Transcript(tuple(words), duration_s=len(samples) / 16_000)
        coverage = analyze_coverage(transcript, self.scenario)
        if coverage.covered and not self._stop.is_set():
            score_key_terms(transcript, self.scenario, coverage, self.frames_of(samples),
                            self.phonemize, memo=self.memo)
            self.rounds += 1
