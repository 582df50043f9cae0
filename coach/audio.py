"""Reading any recording a user has into 16 kHz mono samples, with plain errors for bad input.

Decoding uses PyAV (FFmpeg's libraries, already a dependency of faster-whisper), so WAV, FLAC,
MP3, OGG/Opus, WebM (what browsers record), M4A and the audio track of a video all work, at any
sample rate and channel count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from coach.errors import AudioTooLong, AudioTooShort, NoAudioStream, UnreadableAudio

SAMPLE_RATE = 16_000
MIN_DURATION_S = 1.0
MAX_DURATION_S = 300.0


@dataclass(frozen=True)
class AudioClip:
    samples: np.ndarray  # float32 in [-1, 1], mono, SAMPLE_RATE
    source: str = ""
    original_rate: int = SAMPLE_RATE
    original_channels: int = 1
    codec: str = ""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @functools.cached_property
    def speech(self):
        """Where someone is speaking (list of Interval), found once per clip and shared by the
        transcriber's completeness check and the pause analysis."""
        from coach.engines.voice_activity import speech_intervals  # it imports this module

        return speech_intervals(self.samples)

    @classmethod
    def from_array(cls, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> AudioClip:
        """A clip from samples already in memory (mono float, any rate)."""
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim > 1:
            samples = samples.mean(axis=1)
        if sample_rate != SAMPLE_RATE:
            positions = np.arange(0, len(samples), sample_rate / SAMPLE_RATE)
            samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
        return cls(samples=samples, original_rate=sample_rate)


def probe(path: str | Path) -> tuple[int, int, str, float]:
    """(sample rate, channels, codec, duration in s) of the first audio stream."""
    path = Path(path)
    _check_file(path)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = _audio_stream(container, path)
            duration = _container_duration(container, stream)
            return stream.rate or 0, stream.channels or 0, stream.codec_context.name, duration
    except av.FFmpegError as error:
        raise _unreadable(path, error) from None


def load_audio(
    path: str | Path,
    *,
    min_duration_s: float = MIN_DURATION_S,
    max_duration_s: float = MAX_DURATION_S,
) -> AudioClip:
    """Decode `path` to 16 kHz mono float32, checking length limits before and after decoding."""
    path = Path(path)
    rate, channels, codec, declared = probe(path)
    # Refuse an over-long file before spending time decoding all of it.
    if declared and declared > max_duration_s + 1:
        raise _too_long(declared, max_duration_s)
    samples = _decode(path)
    clip = AudioClip(samples, str(path), rate, channels, codec)
    if clip.duration_s < min_duration_s:
        raise AudioTooShort(
            f"The recording is only {clip.duration_s:.1f} s long.",
            hint=f"Record at least {min_duration_s:.0f} s of speech.",
        )
    if clip.duration_s > max_duration_s:
        raise _too_long(clip.duration_s, max_duration_s)
    return clip


def _decode(path: Path) -> np.ndarray:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = _audio_stream(container, path)
            try:
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1))
            except av.error.InvalidDataError:
                pass  # a truncated tail: keep what decoded, as players do
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as error:
        raise _unreadable(path, error) from None
    if not chunks:
        raise UnreadableAudio(
            f"{path.name} contains no decodable audio.",
            hint="The file may be damaged; record it again.",
        )
    return (np.concatenate(chunks).astype(np.float32) / 32768.0).clip(-1.0, 1.0)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableAudio(f"{path} does not exist.")
    if path.is_dir():
        raise UnreadableAudio(f"{path} is a folder, not an audio file.")
    if path.stat().st_size == 0:
        raise UnreadableAudio(f"{path.name} is empty (0 bytes).", hint="Record it again.")


def _audio_stream(container, path: Path):
    if not container.streams.audio:
        kind = "a video without sound" if container.streams.video else "not an audio file"
        raise NoAudioStream(
            f"{path.name} has no audio track ({kind}).",
            hint="Choose a recording of your answer (WAV, MP3, FLAC, OGG, WebM, M4A).",
        )
    return container.streams.audio[0]


def _container_duration(container, stream) -> float:
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def _unreadable(path: Path, error: Exception) -> UnreadableAudio:
    return UnreadableAudio(
        f"{path.name} could not be read as audio ({type(error).__name__}).",
        hint="Use WAV, MP3, FLAC, OGG, WebM or M4A; the file may be damaged.",
    )


def _too_long(duration: float, limit: float) -> AudioTooLong:
    minutes, seconds = divmod(round(duration), 60)
    return AudioTooLong(
        f"The recording is {minutes} min {seconds:02d} s long; answers are limited to "
        f"{limit / 60:.0f} minutes.",
        hint="Trim it to the answer itself, or split it.",
    )
