"""A stand-in TranscriptionStream for unit tests of what holds streams (no speech model)."""

from __future__ import annotations

import numpy as np

from coach.audio.decode import SAMPLE_RATE, AudioClip
from coach.audio.resampler import to_mono_float
from coach.engines.transcription_stream import StreamClosed, StreamProgress
from coach.transcript import Transcript


class StandInStream:
    """Keeps what it is fed; `finish` gives a fixed transcript; records cancel/finish."""

    def __init__(self, key_terms=(), text: str = "the answer") -> None:
        self.key_terms = tuple(key_terms)
        self.text = text
        self.blocks: list[np.ndarray] = []
        self.rate: int | None = None
        self.state = "open"

    def feed(self, samples, sample_rate: int = SAMPLE_RATE) -> None:
        if self.state != "open":
            raise StreamClosed(f"already {self.state}")
        if self.rate is not None and sample_rate != self.rate:
            raise ValueError("sample rate changed")
        self.rate = sample_rate
        self.blocks.append(to_mono_float(np.asarray(samples)))

    @property
    def samples(self) -> np.ndarray:
        return np.concatenate(self.blocks) if self.blocks else np.zeros(0, np.float32)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def clip(self) -> AudioClip:
        return AudioClip(self.samples, "stream")

    backlog_s = 0.0  # what `progress` reports as the decoder's backlog
    waiting_s: float | None = None  # the audio waiting for the decoder (None: the backlog)

    def progress(self) -> StreamProgress:
        """The words of `text` (2.5 a second) heard so far, as if decoded at once."""
        received = self.duration_s
        words = tuple(w for w in Transcript.from_text(self.text).words
                      if w.end <= received - self.backlog_s)
        waiting = self.backlog_s if self.waiting_s is None else self.waiting_s
        return StreamProgress(words, received, received - self.backlog_s, self.backlog_s,
                              waiting)

    @property
    def is_done(self) -> bool:
        return self.state != "open"

    def finish(self) -> Transcript:
        if self.state != "open":
            raise StreamClosed(f"already {self.state}")
        self.state = "finished"
        return Transcript.from_text(self.text)

    def cancel(self) -> None:
        if self.state == "open":
            self.state = "cancelled"


class StreamingCoach:
    """Opens stand-in streams and remembers them (the rest of a Coach is not needed here)."""

    def __init__(self) -> None:
        self.streams: list[StandInStream] = []

    def open_stream(self, scenario) -> StandInStream:
        stream = StandInStream(t.term for t in scenario.key_terms)
        self.streams.append(stream)
        return stream

    def score_while_streaming(self, stream, scenario) -> None:  # sounds: not checked here
        return None

    def caption_while_streaming(self, stream, scenario) -> None:  # the stream's words only
        return None
