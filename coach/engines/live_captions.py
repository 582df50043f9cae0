"""Words for the live panel a second or two after they are said (issue 22).

The stream's own decoding (transcription_stream.py) writes the final transcript: the base
model over chunks that end at pauses, each decode taking 2-5 s on one thread. Its words reach
the panel 5-10 s after they are said. `LiveCaptions` fills that gap: a thread beside the stream
decodes the newest audio the stream has not decoded yet (at most WINDOW_S of it) with a small,
fast model (tiny.en in int8, greedy: 0.60-0.70 s for 2-8 s of audio on one thread; its words
need not be the same on every CPU, they are replaced within seconds), again each time
EVERY_S more has been recorded. Its words are shown after the stream's own and replaced by them
as the stream's decoding gets there (`with_captions`); they never reach the feedback.

The captions must never delay the answer:
- their model's worker thread runs at the lowest CPU priority (Linux: nice 19, inherited
  because the model is loaded from a thread at that priority, `Coach._caption_model`), below
  the app's other threads. That worker never holds Python's GIL; the caption thread, which
  does (features, word times), keeps the normal priority, since a thread starved by a busy
  core while it holds the GIL would hold up every other thread of the app;
- nice only ranks a process's own threads, though, and the browser is another process (on
  Linux, in another scheduling group): so no caption starts while the speaker pauses, when the
  stream decodes ahead the chunk that Stop would close, none while the stream's decoder is
  falling behind (a loaded machine), and captions end with the recording.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from coach.engines.transcription_stream import AHEAD_PAUSE_S, StreamProgress, TranscriptionStream
from coach.errors import CoachError
from coach.transcript import Word

CaptionDecoder = Callable[[np.ndarray, float], Sequence[Word]]  # (audio, its start s) -> words

EVERY_S = 1.0  # a new caption once this much more has been recorded
WINDOW_S = 8.0  # at most the newest 8 s are decoded (longer takes longer than it is worth)
MIN_WINDOW_S = 1.0  # less undecoded audio than this: the stream's words are recent enough
CUT_WORD_S = 0.3  # a window cut inside the speech: its first word may be half a word
POLL_S = 0.2
SWITCH_VARIABLE = "COACH_LIVE_CAPTIONS"  # "0": no captions (the panel waits for the stream)
NICE = 19  # the lowest priority: captions only use CPU nothing else wants
log = logging.getLogger("coach.captions")


def captions_wanted() -> bool:
    return os.environ.get(SWITCH_VARIABLE, "1") != "0"


def lowest_priority() -> None:
    """This thread, and the threads it starts from now on, at NICE (Linux; elsewhere a no-op)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


def caption_window(decoded_s: float, received_s: float) -> tuple[float, bool] | None:
    """Where the next caption's audio starts, and whether that start cuts into the speech
    (the window was capped at WINDOW_S); None when the undecoded audio is too short."""
    start = max(decoded_s, received_s - WINDOW_S)
    if received_s - start < MIN_WINDOW_S:
        return None
    return start, start > decoded_s


def updated_captions(captions: Sequence[Word], start_s: float, new: Sequence[Word],
                     cut: bool) -> tuple[Word, ...]:
    """The caption words after a new caption of the audio from `start_s`: the earlier words
    that end before it, then its words (without a first word the cut may have halved)."""
    kept = [w for w in captions if w.end <= start_s]
    fresh = [w for w in new if not (cut and w.start < start_s + CUT_WORD_S)]
    return (*kept, *fresh)


def with_captions(progress: StreamProgress, captions: Sequence[Word]) -> StreamProgress:
    """`progress` with the caption words after its own words (those the stream has decoded
    are its own: a caption word starting before the end of its last word or chunk is dropped)."""
    words = progress.words
    confirmed_s = max(progress.decoded_s, words[-1].end if words else 0.0)
    later = tuple(w for w in captions if w.start >= confirmed_s - 0.05)
    return replace(progress, words=(*words, *later)) if later else progress


class LiveCaptions:
    """A caption thread for one stream (see the module docstring); `stop()` at Stop."""

    def __init__(self, stream: TranscriptionStream, decoder: Callable[[], CaptionDecoder]
                 ) -> None:
        """`decoder`: gives the caption decoder, loading its model on first use (it is called
        on this object's thread, at NICE)."""
        self.stream = stream
        self._decoder = decoder
        self._words: tuple[Word, ...] = ()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._captioned_at = 0.0  # the received audio at the last caption
        self.decodes = 0  # captions started (for tests and benchmarks)
        self._thread = threading.Thread(target=self._run, name="live-captions", daemon=True)

    @classmethod
    def start(cls, stream: TranscriptionStream, decoder: Callable[[], CaptionDecoder]
              ) -> LiveCaptions:
        captions = cls(stream, decoder)
        captions._thread.start()
        return captions

    def stop(self) -> None:
        """No more captions; returns at once (a caption being decoded is left to end at its
        low priority rather than waited for)."""
        self._stop.set()

    @property
    def words(self) -> tuple[Word, ...]:
        with self._lock:
            return self._words

    def progress(self) -> StreamProgress:
        """The stream's progress with the caption words after its own."""
        return with_captions(self.stream.progress(), self.words)

    def _run(self) -> None:
        try:
            decode = self._decoder()
            while not self._stop.wait(POLL_S) and self.stream.is_open:
                self.step(decode)
        except (CoachError, OSError, ValueError, RuntimeError) as error:
            log.warning("live captions stopped: %r", error)  # the panel keeps the stream's words

    def step(self, decode: CaptionDecoder) -> None:
        """Caption the newest audio once EVERY_S more has been recorded."""
        progress = self.stream.progress()
        received = progress.received_s
        if (received - self._captioned_at < EVERY_S or progress.pause_s >= AHEAD_PAUSE_S
                or progress.falling_behind):
            return  # little new audio; a pause, when the stream decodes ahead (Stop may come);
            # or the stream's decoder is behind: the cores are its own
        self._captioned_at = received
        window = caption_window(progress.decoded_s, received)
        if window is None:
            return
        start, cut = window
        self.decodes += 1
        words = decode(self.stream.audio_between(start, received), start)
        if not self._stop.is_set():
            with self._lock:
                self._words = updated_captions(self._words, start, words, cut)
