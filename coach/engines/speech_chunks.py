"""Where to cut a recording into the chunks Whisper decodes, decided causally as audio arrives.

One chunker serves both whole-file decoding and live streaming, so that both produce the same
chunks and therefore the same transcript: a boundary is decided only from the audio up to that
point, never from audio that comes after it.

Speech is found by Silero VAD (the ONNX model shipped with faster-whisper). It is a recurrent
model: the probability of each 32 ms window depends on the windows before it only, and running
it over the audio in blocks of any size with its state carried over gives bit-identical
probabilities (checked on a 112 s recording). On top of those probabilities, `SpeechChunker`
applies rules that only look back:

- a chunk opens when speech starts (with `ChunkPolicy.pad_s` of audio before it);
- a pause of `split_pause_s` closes it once it holds `target_s` of audio, so a long answer is
  decoded in pieces while it is being spoken and only the last piece is left after Stop;
- a pause of `end_pause_s` closes it whatever its length (the speaker stopped);
- at `max_s` (Whisper sees 30 s at most) it is cut at its longest pause so far, or right there
  if it has none, and what follows goes into the next chunk;
- at the end of the audio the open chunk is closed.

Chunks are whole stretches of the recording (pauses inside them are kept), so word times
inside a chunk only need its start added to be on the recording's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from coach.audio.decode import SAMPLE_RATE
from coach.audio.voice_activity import Interval

WINDOW = 512  # samples per Silero VAD window at 16 kHz
WINDOW_S = WINDOW / SAMPLE_RATE  # 32 ms
_CONTEXT = 64  # samples of the previous window Silero v6 sees before each window
# Silero scores speech cut off sharply under 300 Hz (a telephone band of 300-3400 Hz, filtered
# with a brick wall) far lower: a median of 0.29-0.48 inside speech against 0.95-0.99, so chunks
# at the 0.5 threshold held 59 % of the speech of 14 answers band-passed so, none of one, and
# the coach and plain faster-whisper wrote 5 of its 53 words. While the audio so far has almost
# no energy under LOW_HZ (below NARROW_SHARE of its 60 Hz-4 kHz energy, once MIN_LOUD_WINDOWS
# of it are at -50 dBFS or louder), its probabilities are scaled by NARROW_GAIN: thresholds of
# 0.5 / 0.35 then act as 0.2 / 0.14. That kept 90 % of that speech; on 7 band-passed answers
# WER 0.18 against plain faster-whisper's 0.43 (that answer 0.06 against 0.91); it found no
# speech in band-passed noise, room tone or a modem. Of the 693 recordings under audio_fixtures/
# (answers, rooms, the pronunciation set), only the modem is taken as narrow; a gentler
# telephone filter (Butterworth, 8th order at 300 Hz), which Silero copes with, sometimes is,
# and its WER did not move (0.144 against 0.147 on 6 answers).
LOW_HZ = 250.0
NARROW_SHARE = 0.01
NARROW_GAIN = 2.5
LOUD_WINDOW = 1e-5  # mean square of a window at -50 dBFS
MIN_LOUD_WINDOWS = 47  # no verdict before 1.5 s of audio at that level or louder


@dataclass(frozen=True)
class ChunkPolicy:
    """Attributes:
    threshold: Silero probability at or above which a window is speech.
    neg_threshold: probability below which speech has stopped (hysteresis, as in Silero).
    split_pause_s: a pause this long closes a chunk that holds at least `target_s` of audio.
    target_s: length from which a chunk is closed at the next short pause. 20 s: Whisper
        hears more context, which matters in noise; against 10 s on audio_fixtures/rooms/
        (benchmarks/room_accuracy.py), WER clean 0.116 -> 0.101, 20 dB 0.196 -> 0.153, 10 dB
        0.305 -> 0.281, key terms right at 20 dB 0.862 -> 0.931 and at 10 dB 0.810 -> 0.862
        (clean 0.983 -> 0.966), no false credit in either; on the 51 fixtures WER 0.075 both,
        key terms 0.971 -> 0.962. An answer is still decoded in pieces while it is spoken,
        the last piece after Stop: `benchmarks/streaming.py --answers 3` run back to back on
        a loaded machine (load 4.5), median wait after Stop 3.15 s against 3.61 s with 10 s.
    end_pause_s: a pause this long closes the chunk whatever its length.
    max_s: hard limit of a chunk (Whisper decodes 30 s windows).
    pad_s: audio kept before speech starts and after it stops.
    min_speech_s: a chunk with less speech than this is dropped (a click, a breath).
    join_s: whole files only (`joined`): consecutive chunks are joined while together they
        span at most this, so a short last chunk does not cost an encoder pass of its own;
        0: never (a stream, whose earlier chunks are decoded before the next one exists).
    """

    threshold: float = 0.5
    neg_threshold: float = 0.35
    split_pause_s: float = 0.15
    target_s: float = 20.0
    end_pause_s: float = 2.0
    max_s: float = 25.0
    pad_s: float = 0.25
    min_speech_s: float = 0.1
    join_s: float = 0.0


@dataclass(frozen=True)
class SpeechChunk:
    """A stretch of the recording to decode, with where the VAD heard speech inside it."""

    start: float
    end: float
    speech: tuple[Interval, ...]

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def speech_s(self) -> float:
        return sum(i.duration for i in self.speech)

    def samples(self, audio: np.ndarray) -> np.ndarray:
        return audio[round(self.start * SAMPLE_RATE) : round(self.end * SAMPLE_RATE)]


def joined(chunks: list[SpeechChunk], up_to_s: float) -> list[SpeechChunk]:
    """`chunks` (in order) with each joined to the one before while the two span at most
    `up_to_s` (the pause between them is kept); all of them as they are when it is 0."""
    out: list[SpeechChunk] = []
    for chunk in chunks:
        if out and chunk.end - out[-1].start <= up_to_s:
            out[-1] = SpeechChunk(out[-1].start, chunk.end, out[-1].speech + chunk.speech)
        else:
            out.append(chunk)
    return out


class NarrowBand:
    """The audio's energy under LOW_HZ and in 60 Hz-4 kHz so far, window by window."""

    _HANN = np.hanning(WINDOW)
    _FREQS = np.fft.rfftfreq(WINDOW, 1 / SAMPLE_RATE)
    _LOW = (_FREQS >= 60) & (_FREQS < LOW_HZ)
    _BAND = (_FREQS >= 60) & (_FREQS < 4000)

    def __init__(self) -> None:
        self._low = self._band = 0.0
        self._loud = 0

    def narrow(self, windows: np.ndarray) -> np.ndarray:
        """For each window (rows of WINDOW samples): whether the audio up to and with it has
        lost its low frequencies (see NARROW_SHARE)."""
        frames = windows.astype(np.float64)
        spectra = np.abs(np.fft.rfft(frames * self._HANN, axis=1)) ** 2
        low = self._low + np.cumsum(spectra[:, self._LOW].sum(axis=1))
        band = self._band + np.cumsum(spectra[:, self._BAND].sum(axis=1))
        loud = self._loud + np.cumsum(np.mean(frames ** 2, axis=1) >= LOUD_WINDOW)
        self._low, self._band, self._loud = low[-1], band[-1], int(loud[-1])
        return (loud >= MIN_LOUD_WINDOWS) & (low < NARROW_SHARE * band)


class SpeechProbabilities:
    """Silero VAD run incrementally: push 16 kHz samples, get one probability per full window
    (scaled up where the audio so far has lost its low frequencies: NARROW_GAIN)."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model  # loads onnxruntime; deferred on purpose

        self._session = get_vad_model().session  # shared and thread-safe; the state is ours
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._band = NarrowBand()

    def push(self, samples: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        count = len(data) // WINDOW
        self._pending = data[count * WINDOW :]
        if count == 0:
            return np.zeros(0, dtype=np.float32)
        windows = data[: count * WINDOW].reshape(count, WINDOW)
        contexts = np.vstack([self._context[None, :], windows[:-1, -_CONTEXT:]])
        self._context = windows[-1, -_CONTEXT:].copy()
        output, self._h, self._c = self._session.run(
            None, {"input": np.concatenate([contexts, windows], axis=1), "h": self._h,
                   "c": self._c})
        probabilities = output.reshape(-1)
        narrow = self._band.narrow(windows)
        if not narrow.any():
            return probabilities
        return np.where(narrow, np.minimum(probabilities * NARROW_GAIN, 1.0),
                        probabilities).astype(np.float32)

    def flush(self) -> np.ndarray:
        """The last, partial window, padded with silence (as faster-whisper pads the end)."""
        if not len(self._pending):
            return np.zeros(0, dtype=np.float32)
        return self.push(np.zeros(WINDOW - len(self._pending), dtype=np.float32))


@dataclass
class _OpenChunk:
    start: float
    speech: list[Interval] = field(default_factory=list)


class SpeechChunker:
    """Feed 16 kHz mono samples in blocks of any size; closed chunks come back as they close."""

    def __init__(self, policy: ChunkPolicy | None = None,
                 probabilities: SpeechProbabilities | None = None) -> None:
        self.policy = policy or ChunkPolicy()
        self._vad = probabilities or SpeechProbabilities()
        self._windows = 0  # windows seen so far
        self._speech_since: float | None = None  # start of the current run of speech
        self._silence_since: float | None = None  # start of the current pause, after speech
        self._chunk: _OpenChunk | None = None
        self._last_end = 0.0  # end of the last closed chunk

    def feed(self, samples: np.ndarray) -> list[SpeechChunk]:
        return self._step_all(self._vad.push(samples))

    def finish(self, duration_s: float) -> list[SpeechChunk]:
        """Close what is open at the end of a recording `duration_s` long."""
        closed = self._step_all(self._vad.flush())
        if self._chunk is not None:
            end = duration_s
            if self._speech_since is not None:
                self._chunk.speech.append(Interval(self._speech_since, min(self._now, end)))
            elif self._silence_since is not None:
                end = min(end, self._silence_since + self.policy.pad_s)
            closed += self._close(max(end, self._chunk.start))
        return closed

    def provisional_last_chunk(self) -> SpeechChunk | None:
        """The chunk `finish()` would close if the recording ended now, once the speaker has been
        silent for `pad_s` (its end no longer moves then); None while speech goes on.

        A stream decodes it ahead, while the speaker pauses: if Stop comes before they speak
        again, `finish()` closes exactly this chunk and its words are already there.
        """
        if self._chunk is None or self._silence_since is None:
            return None
        if self._now - self._silence_since < self.policy.pad_s:
            return None
        return self._as_chunk(self._chunk, self._silence_since + self.policy.pad_s)

    @property
    def _now(self) -> float:
        return self._windows * WINDOW_S

    def _step_all(self, probabilities: np.ndarray) -> list[SpeechChunk]:
        closed: list[SpeechChunk] = []
        for probability in probabilities:
            closed += self._step(float(probability))
        return closed

    def _step(self, probability: float) -> list[SpeechChunk]:
        policy, t0 = self.policy, self._now
        self._windows += 1
        if self._speech_since is not None:
            if probability < policy.neg_threshold:
                assert self._chunk is not None  # a run of speech is always in an open chunk
                self._chunk.speech.append(Interval(self._speech_since, t0))
                self._speech_since, self._silence_since = None, t0
        elif probability >= policy.threshold:
            if self._chunk is None:
                self._chunk = _OpenChunk(max(self._last_end, t0 - policy.pad_s))
            self._speech_since, self._silence_since = t0, None
        if self._chunk is None:
            return []
        now = self._now
        if self._silence_since is not None:
            pause = now - self._silence_since
            length = self._silence_since - self._chunk.start
            if pause >= policy.end_pause_s or (
                pause >= policy.split_pause_s and length >= policy.target_s
            ):
                return self._close(self._silence_since + min(policy.pad_s, pause))
        if now - self._chunk.start >= policy.max_s:
            return self._cut_at_longest_pause(self._chunk, now)
        return []

    def _cut_at_longest_pause(self, chunk: _OpenChunk, now: float) -> list[SpeechChunk]:
        """The chunk (the open one) is at its limit: cut it in its longest pause, or here if it
        has none."""
        since = self._speech_since  # None: no run of speech is going on
        speech = list(chunk.speech)
        if since is not None:
            speech.append(Interval(since, now))
        gaps = [(b.start - a.end, i) for i, (a, b) in enumerate(pairwise(speech))]
        if gaps:
            _, i = max(gaps)
            cut = (speech[i].end + speech[i + 1].start) / 2
            before, after = speech[: i + 1], speech[i + 1 :]
        else:
            cut, before, after = now, speech, []
        chunk.speech = before
        closed = self._close(cut)
        if since is not None:  # the run of speech still going on is tracked by _speech_since
            after = after[:-1]
            self._speech_since = max(since, cut)
        self._chunk = _OpenChunk(cut, after)
        return closed

    def _close(self, end: float) -> list[SpeechChunk]:
        chunk, self._chunk = self._chunk, None
        assert chunk is not None  # only an open chunk is closed
        self._last_end = end
        closed = self._as_chunk(chunk, end)
        return [closed] if closed else []

    def _as_chunk(self, chunk: _OpenChunk, end: float) -> SpeechChunk | None:
        speech = tuple(Interval(max(i.start, chunk.start), min(i.end, end))
                       for i in chunk.speech if i.end > chunk.start and i.start < end)
        if sum(i.duration for i in speech) < self.policy.min_speech_s:
            return None
        return SpeechChunk(chunk.start, end, speech)
