"""An answer transcribed while it was recorded, handed to `analyze_and_keep` in place of a file.

    answer = StreamedAnswer.open(coach, scenario, path=wav)   # before recording starts
    answer.stream.feed(block, 16000)                          # each block, as it is recorded
    analyze_and_keep(coach, store, answer, scenario)          # after Stop

`analyze_and_keep` keeps the recording first (`path`, or the stream's own audio written as a
16 kHz 16-bit WAV when the answer has no file), then finishes the stream, which only has its
last chunk left to decode, and analyses the kept recording with the stream's transcript.

That transcript is the one decoding the kept file whole would give (see
coach/engines/transcription_stream.py) when two things hold: the stream was fed exactly the
recording's samples (16 kHz 16-bit PCM, as the app's page and `coach practice` record), and it
was prompted with the key terms the answer is judged on, by the speech model that judges it.
`transcriber_for` checks the second at analysis time: if the question or the speech model
changed while the answer was recorded, the stream is dropped and the recording decoded whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.audio.decode import AudioClip
from coach.audio.wav import SAMPLE_RATE, as_pcm16, write_pcm_wav
from coach.engines.transcription_stream import TranscriptionStream
from coach.scenarios import Scenario
from coach.scenarios.vocabulary import key_terms_of
from coach.transcript import Transcript

if TYPE_CHECKING:  # coach.coach loads the engines' modules: not needed to run this one
    from coach.coach import Coach
    from coach.engines.live_captions import LiveCaptions
    from coach.engines.transcription_stream import StreamProgress
    from coach.streamed_sounds import EarlySounds


@dataclass(frozen=True)
class StreamedAnswer:
    stream: TranscriptionStream
    coach: Coach  # the Coach whose speech model decodes the stream
    key_terms: tuple[str, ...]  # what the stream was prompted with
    path: Path | None = None  # the recording as a file; None: the stream's audio is the recording
    name: str = "Your recording"  # how messages call the recording
    sounds: EarlySounds | None = None  # key terms' sounds scored while recorded
    captions: LiveCaptions | None = None  # the live panel's words ahead of the stream's

    @classmethod
    def open(cls, coach: Coach, scenario: Scenario, *, path: Path | None = None,
             name: str = "Your recording") -> StreamedAnswer:
        """A new stream for an answer to `scenario` (the one the answer will be judged on)."""
        stream = coach.open_stream(scenario)
        return cls(stream, coach, key_terms_of(scenario), path, name,
                   coach.score_while_streaming(stream, scenario),
                   coach.caption_while_streaming(stream, scenario))

    def progress(self) -> StreamProgress:
        """The stream's progress for the live panel: its words, then the captions' newer ones."""
        return self.captions.progress() if self.captions else self.stream.progress()

    def keep_as(self, folder: Path) -> Path:
        """The file to keep: `path`, or the stream's audio written into `folder` as a WAV."""
        if self.path is not None:
            return self.path
        target = Path(folder) / "recording.wav"
        write_pcm_wav(target, self.stream.clip().samples)
        return target

    def kept_clip(self, kept: Path) -> AudioClip | None:
        """The recording kept from the stream's audio (`keep_as`, then copied to `kept`) as
        `load_audio(kept)` reads it, sample for sample, without reading it back: None when the
        answer has a file of its own (load that)."""
        if self.path is not None:
            return None
        return AudioClip(as_pcm16(self.stream.clip().samples), str(kept), SAMPLE_RATE, 1,
                         "pcm_s16le")

    def transcriber_for(self, coach: Coach, scenario: Scenario
                        ) -> Callable[[], Transcript] | None:
        """`stream.finish` when the stream decodes this answer as `coach` would for `scenario`;
        otherwise None (the stream is cancelled: decode the kept recording whole)."""
        if coach is self.coach and key_terms_of(scenario) == self.key_terms:
            return self._finish
        self.cancel()
        return None

    def recorded(self) -> None:
        """The recording has ended: no more live captions (the decoder needs the cores)."""
        if self.captions is not None:
            self.captions.stop()

    def _finish(self) -> Transcript:
        self.recorded()
        try:
            return self.stream.finish()
        finally:  # the terms scored so far are in the coach's memo for the analysis
            if self.sounds is not None:
                self.sounds.stop()

    def cancel(self) -> None:
        """Stop decoding (no-op once finished): the answer is abandoned or was used."""
        self.stream.cancel()
        self.recorded()
        if self.sounds is not None:
            self.sounds.stop()
