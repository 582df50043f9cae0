"""Transcribing an answer while it is spoken, so that after Stop only its last chunk is left.

Usage (one stream per answer; the transcriber and its model are shared by the whole app):

    stream = transcriber.open_stream(key_terms)   # or Coach.open_stream(scenario)
    stream.feed(block, sample_rate)               # as audio arrives: any rate, mono or
    stream.feed(block, sample_rate)               #   (n, channels), int16/int32/float
    ...
    transcript = stream.finish()                  # decodes what is left, returns a Transcript
    clip = stream.clip()                          # everything fed, 16 kHz mono: save it, then
                                                  #   Coach.analyze(clip, scenario, transcript=...)

- `feed` converts the block to 16 kHz mono (`BlockResampler`), keeps it, and runs the causal
  chunker (`SpeechChunker`) over it. Chunks it closes are decoded by one background worker
  thread, in order, while the user keeps speaking. `feed` itself only costs the VAD (about 1 ms
  per second of audio), so it can be called from an audio callback.
- `finish()` closes the last chunk, waits for the worker to decode it (and anything still
  queued) and returns the `Transcript`. It raises `NoSpeechDetected` for a silent answer, like
  `WhisperTranscriber.transcribe`, and re-raises any decoding error in the caller's thread.
- `cancel()` drops the answer: queued chunks are not decoded and the worker stops after the
  chunk it is decoding (a model call cannot be interrupted). `feed` after `finish`/`cancel`
  raises `StreamClosed`.
- While the speaker pauses, the chunk that Stop would close is decoded ahead
  (`SpeechChunker.provisional_last_chunk`) by a second thread, beside the closed chunks (the
  transcriber has a model replica for each): when Stop comes before they speak again,
  `finish()` finds that chunk's words ready, or being decoded (it waits for them rather than
  start again), and only the analyses are left to wait for. The result is the one the chunk
  would have got anyway (same samples, same decoding). Only the latest pause's chunk is kept
  waiting for that thread; none is decoded ahead while closed chunks queue up (the decoder is
  behind: the cores are needed for them).
- `partial_words()` gives the words decoded so far (for a live caption); `progress()` a
  `StreamProgress` snapshot for a live panel: those words with the ones of a chunk decoded
  ahead, the audio received and decoded, and how far the decoder is behind real time. It
  never waits for `feed` or for a decoding (its own short lock), so a UI may poll it.
- The stream is thread-safe: `feed` may run in an audio thread while `cancel` comes from the UI.

Whole-file transcription (`transcribe_whole`) cuts the file with the same chunker and decodes
every chunk with the same function, so a recording gives the same transcript whether it was
streamed in blocks of any size or decoded after the fact. A whole file has all its chunks at
once, so they are decoded by `workers` threads side by side (a stream decodes them in order on
one thread, leaving the other core to the browser that records); the words are put back in
chunk order.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import numpy as np

from coach.audio.decode import SAMPLE_RATE, AudioClip
from coach.audio.resampler import BlockResampler, to_mono_float
from coach.engines.speech_chunks import SpeechChunk, SpeechChunker, joined
from coach.transcript import Transcript, Word

DecodeChunk = Callable[[np.ndarray, SpeechChunk], Sequence[Word]]
Assemble = Callable[[Sequence[Word], np.ndarray], Transcript]
_STOP = None
# A pause this long before the chunk Stop would close is decoded ahead. Those decodes also feed
# the live panel's words until the first chunk closes (after 20 s), so the pause is kept short:
# 0.5 s (fewer decodes wasted when the speaker goes on) gave Stop-to-feedback medians of 1.77 s
# and 2.99 s in two runs of 3 idle answers against 2.69 s, no clear gain, and a live panel
# that heard nothing for 20 s of speech without a long pause.
AHEAD_PAUSE_S = 0.25
# The decoder is falling behind when it is CATCHING_UP_S later than a chunk's usual decode:
# one thread, idle 2-core machine, 1.5 s for Whisper's 30 s encoder window and 0.15 s per
# second of audio for the beam search and word times (benchmarks/results/decode_stages.json).
# A 20 s chunk is usually 4-5 s behind when it is decoded: that is the pace, not lagging.
CATCHING_UP_S = 3.0
USUAL_DECODE_S = 1.5
USUAL_DECODE_S_PER_S = 0.15
T = TypeVar("T")


def transcribe_whole(samples: np.ndarray, sample_rate: int, decode_chunk: DecodeChunk,
                     assemble: Assemble, chunker: SpeechChunker, *, workers: int = 1
                     ) -> Transcript:
    """A whole recording: the chunks a stream fed it would close (then `joined` as its policy
    says), each decoded by `decode_chunk` exactly as the stream decodes it, `workers` at a
    time; the words in chunk order."""
    resampler = BlockResampler(sample_rate)
    block = to_mono_float(samples)
    audio = np.concatenate([resampler.push(block), resampler.flush()])
    chunks = joined(chunker.feed(audio) + chunker.finish(len(audio) / SAMPLE_RATE),
                    chunker.policy.join_s)

    def decode(chunk: SpeechChunk) -> Sequence[Word]:
        return tuple(decode_chunk(chunk.samples(audio).copy(), chunk))

    decoded = side_by_side([partial(decode, chunk) for chunk in chunks], workers)
    return assemble([w for words in decoded for w in words], audio)


def side_by_side(jobs: Sequence[Callable[[], T]], workers: int) -> list[T]:
    """The results of `jobs`, in order, run `workers` at a time (one by one for 1); the first
    error is re-raised in the caller's thread."""
    if workers <= 1 or len(jobs) <= 1:
        return [job() for job in jobs]
    with ThreadPoolExecutor(min(workers, len(jobs)), thread_name_prefix="decode") as pool:
        return list(pool.map(lambda job: job(), jobs))


class StreamClosed(RuntimeError):
    """A finished or cancelled stream was used again (a programming error, not bad input)."""


@dataclass(frozen=True)
class StreamProgress:
    """Where a stream's decoding stands (`TranscriptionStream.progress()`).

    Attributes:
    words: the words decoded so far, in order (with those of a chunk decoded ahead).
    received_s: seconds of audio fed.
    decoded_s: the words stand for the audio up to here (the end of the last chunk decoded).
    backlog_s: how far the decoder is behind real time: the audio received since the oldest
        chunk still waiting to be decoded was closed (0 when the decoder has caught up).
    waiting_s: seconds of audio in closed chunks still waiting for the decoder.
    pause_s: how long the speaker has been silent at the end of the audio received (0 while
        they speak; counted once the silence has lasted the chunker's `pad_s`).
    """

    words: tuple[Word, ...]
    received_s: float
    decoded_s: float
    backlog_s: float
    waiting_s: float
    pause_s: float = 0.0

    @property
    def falling_behind(self) -> bool:
        """The decoder is CATCHING_UP_S later than it usually is with what is waiting for it
        (then the live panel says "catching up", and the live captions give it the CPU)."""
        usual = (USUAL_DECODE_S + USUAL_DECODE_S_PER_S * self.waiting_s) if self.waiting_s else 0
        return self.backlog_s > CATCHING_UP_S + usual


class _GrowingBuffer:
    """float32 samples appended in blocks, stored contiguously (capacity doubles)."""

    def __init__(self) -> None:
        self._data = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self.size = 0

    def append(self, samples: np.ndarray) -> None:
        needed = self.size + len(samples)
        if needed > len(self._data):
            grown = np.zeros(max(needed, 2 * len(self._data)), dtype=np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : needed] = samples
        self.size = needed

    def view(self) -> np.ndarray:
        return self._data[: self.size]


class TranscriptionStream:
    """One answer: audio in with `feed`, a `Transcript` out of `finish` (see the module doc)."""

    def __init__(self, decode_chunk: DecodeChunk, assemble: Assemble,
                 chunker: SpeechChunker, *, source: str = "stream") -> None:
        self._decode_chunk = decode_chunk
        self._assemble = assemble
        self._chunker = chunker
        self._source = source
        self._audio = _GrowingBuffer()
        self._resampler: BlockResampler | None = None
        self._lock = threading.Lock()
        self._jobs: queue.Queue = queue.Queue()
        self._words: list[Sequence[Word]] = []  # per decoded chunk, in order
        self._ahead: tuple[SpeechChunk, Sequence[Word]] | None = None  # decoded ahead
        self._ahead_queued: SpeechChunk | None = None
        self._ahead_turn = threading.Condition()  # guards the two below
        self._ahead_wanted: tuple[SpeechChunk, np.ndarray] | None = None  # not started yet
        self._ahead_running: SpeechChunk | None = None
        self._progress_lock = threading.Lock()  # words, ahead and pending: never held long
        self._pending: deque[SpeechChunk] = deque()  # closed chunks not decoded yet, in order
        self._decoded_until = 0.0  # end of the last chunk decoded (not ahead)
        self._pause_s = 0.0  # the speaker's silence at the end of the audio fed
        self._error: BaseException | None = None
        self._state = "open"  # open | finished | cancelled
        self._worker = threading.Thread(target=self._work, name="transcription-stream",
                                        daemon=True)
        self._worker.start()
        self._ahead_worker = threading.Thread(target=self._work_ahead, daemon=True,
                                              name="transcription-ahead")
        self._ahead_worker.start()

    # --- the caller's side ------------------------------------------------------------------
    def feed(self, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
        block = to_mono_float(samples)
        with self._lock:
            self._check_open()
            if self._resampler is None:
                self._resampler = BlockResampler(sample_rate)
            elif sample_rate != self._resampler.rate:
                raise ValueError(f"sample rate changed from {self._resampler.rate} to "
                                 f"{sample_rate} Hz within one answer")
            self._take(self._resampler.push(block))

    def finish(self) -> Transcript:
        with self._lock:
            self._check_open()
            self._state = "finished"
            if self._resampler is not None:
                self._take(self._resampler.flush())
            last = self._chunker.finish(self.duration_s)
            for chunk in last:
                self._queue(chunk)
            self._jobs.put(_STOP)
        self._wake_ahead(keep=last[-1] if last else None)
        self._worker.join()
        if self._error is not None:
            raise self._error
        words = [w for chunk_words in self._words for w in chunk_words]
        return self._assemble(words, self._audio.view())

    def cancel(self) -> None:
        with self._lock:
            if self._state != "open":
                return
            self._state = "cancelled"
            while True:
                try:
                    self._jobs.get_nowait()
                except queue.Empty:
                    break
            self._jobs.put(_STOP)
        self._wake_ahead()

    @property
    def is_open(self) -> bool:
        """Still fed: neither finished nor cancelled."""
        return self._state == "open"

    @property
    def is_done(self) -> bool:
        """Finished and every chunk decoded (or cancelled, or failed): no decoding is left."""
        return self._state != "open" and not self._worker.is_alive()

    @property
    def duration_s(self) -> float:
        return self._audio.size / SAMPLE_RATE

    def clip(self) -> AudioClip:
        """Everything fed so far as a 16 kHz mono clip (what is transcribed and analysed)."""
        with self._lock:
            samples = self._audio.view().copy()
        rate = self._resampler.rate if self._resampler else SAMPLE_RATE
        return AudioClip(samples, self._source, rate, 1, "pcm")

    def audio_between(self, start_s: float, end_s: float) -> np.ndarray:
        """A copy of the 16 kHz audio fed from `start_s` to `end_s` (clipped to what was fed)."""
        with self._lock:
            audio = self._audio.view()
            return audio[max(0, round(start_s * SAMPLE_RATE)):
                         max(0, round(end_s * SAMPLE_RATE))].copy()

    def partial_words(self) -> list[Word]:
        return [w for chunk_words in list(self._words) for w in chunk_words]

    def progress(self) -> StreamProgress:
        """A snapshot of the decoding so far (thread-safe, does not wait for `feed`)."""
        received = self.duration_s
        with self._progress_lock:
            words = [w for chunk_words in self._words for w in chunk_words]
            decoded = self._decoded_until
            if self._ahead is not None and self._ahead[0].start >= decoded:
                words += self._ahead[1]
                decoded = self._ahead[0].end
            oldest = self._pending[0].end if self._pending else None
            waiting = sum(c.duration for c in self._pending)
        backlog = 0.0 if oldest is None else max(0.0, received - oldest)
        return StreamProgress(tuple(words), received, decoded, backlog, waiting, self._pause_s)

    # --- inside -------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._state != "open":
            raise StreamClosed(f"this transcription stream is already {self._state}")

    def _take(self, samples: np.ndarray) -> None:
        if not len(samples):
            return
        self._audio.append(samples)
        for chunk in self._chunker.feed(samples):
            self._queue(chunk)
        ahead = self._chunker.provisional_last_chunk()
        with self._ahead_turn:
            if self._ahead_wanted is not None and self._ahead_wanted[0] != ahead:
                self._ahead_wanted = None  # not started, and the speaker went on: stale
            paused_s = self.duration_s - (ahead.end - self._chunker.policy.pad_s) if ahead else 0
            self._pause_s = paused_s
            if (ahead is not None and ahead != self._ahead_queued and len(self._pending) <= 1
                    and paused_s >= AHEAD_PAUSE_S):
                self._ahead_queued = ahead
                self._ahead_wanted = (ahead, ahead.samples(self._audio.view()).copy())
                self._ahead_turn.notify_all()

    def _queue(self, chunk: SpeechChunk) -> None:
        with self._progress_lock:
            self._pending.append(chunk)
        self._jobs.put((chunk, chunk.samples(self._audio.view()).copy()))

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP or self._state == "cancelled":
                return
            chunk, samples = job
            try:
                words = self._decoded_ahead(chunk)
                if words is None:
                    words = tuple(self._decode_chunk(samples, chunk))
            except BaseException as error:  # noqa: BLE001 - re-raised by finish() in the caller
                self._error = error
                return
            with self._progress_lock:
                self._words.append(words)
                self._decoded_until = chunk.end
                if self._pending and self._pending[0] == chunk:
                    self._pending.popleft()

    def _decoded_ahead(self, chunk: SpeechChunk) -> Sequence[Word] | None:
        """The words of `chunk` from the ahead thread: ready, or being decoded (then wait for
        them); None when it has not got to it (the caller decodes it now)."""
        with self._ahead_turn:
            if self._ahead_wanted is not None and self._ahead_wanted[0] == chunk:
                self._ahead_wanted = None
            while self._ahead_running == chunk:
                self._ahead_turn.wait()
            if self._ahead is not None and self._ahead[0] == chunk:
                return self._ahead[1]
        return None

    def _work_ahead(self) -> None:
        while True:
            with self._ahead_turn:
                while self._ahead_wanted is None and self._state == "open":
                    self._ahead_turn.wait()
                if self._ahead_wanted is None:
                    return
                (chunk, samples), self._ahead_wanted = self._ahead_wanted, None
                self._ahead_running = chunk
            words: Sequence[Word] | None = None
            try:
                words = tuple(self._decode_chunk(samples, chunk))
            except Exception:  # noqa: BLE001 - a guess; the chunk is decoded again if needed
                words = None
            with self._ahead_turn:
                self._ahead_running = None
                if words is not None:
                    with self._progress_lock:
                        self._ahead = (chunk, words)
                self._ahead_turn.notify_all()

    def _wake_ahead(self, keep: SpeechChunk | None = None) -> None:
        """No more pauses to decode ahead: the chunk waiting for the ahead thread is dropped
        unless it is `keep` (the last chunk, at Stop); the thread ends once it is idle."""
        with self._ahead_turn:
            if self._ahead_wanted is not None and self._ahead_wanted[0] != keep:
                self._ahead_wanted = None
            self._ahead_turn.notify_all()
