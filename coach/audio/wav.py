"""16-bit PCM WAV files, read and written in one place: recordings, voices and kept answers.

Samples are int16 here, or floats that are int16 / FULL_SCALE exactly (what a 16-bit WAV holds,
and what `coach.audio.decode.load_audio` reads back as the same floats).
"""

from __future__ import annotations

import os
import uuid
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from coach.errors import UnreadableAudio

SAMPLE_RATE = 16_000  # the rate every analysis works at
FULL_SCALE = 32768  # 16-bit PCM: float samples are int16 / FULL_SCALE


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Mono int16 `samples` as a 16-bit WAV file at `rate`."""
    with pcm_writer(path, rate) as out:
        out.writeframes(np.asarray(samples).astype("<i2").tobytes())


def pcm_writer(path: Path, rate: int) -> wave.Wave_write:
    """An open mono 16-bit WAV file to append int16 blocks to (`writeframes`), as they come."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = wave.open(str(path), "wb")  # noqa: SIM115 - the caller's `with` closes it
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(rate)
    return out


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and the sample rate of a 16-bit PCM WAV file (channels averaged)."""
    with wave.open(str(path), "rb") as audio:
        if audio.getsampwidth() != 2:
            raise UnreadableAudio(f"{Path(path).name} is not 16-bit PCM audio.")
        samples = np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)
        if audio.getnchannels() > 1:
            samples = samples.reshape(-1, audio.getnchannels()).mean(axis=1).astype(np.int16)
        return samples, audio.getframerate()


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and rate of a WAV file, or of any file PyAV decodes (macOS's AIFF)."""
    with open(path, "rb") as audio:
        is_wav = audio.read(4) == b"RIFF"
    if is_wav:
        return read_wav(path)
    import av  # only the system voice on macOS writes other formats

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        blocks = [resampled.to_ndarray().reshape(-1)
                  for frame in [*container.decode(stream), None]
                  for resampled in resampler.resample(frame)]
    return np.concatenate(blocks).astype(np.int16), rate


def centred_in_silence(samples: np.ndarray, rate: int, min_s: float) -> np.ndarray:
    """`samples` with silence added evenly before and after, to last at least `min_s`."""
    missing = int(np.ceil(min_s * rate)) - len(samples)
    if missing <= 0:
        return samples
    return np.concatenate([np.zeros(missing // 2, samples.dtype), samples,
                           np.zeros(missing - missing // 2, samples.dtype)])


def wav_duration(path: Path) -> float:
    """Seconds of audio a WAV file's header announces."""
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def _int16(samples: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.clip(np.round(np.asarray(samples, dtype=np.float64) * FULL_SCALE),
                   -FULL_SCALE, FULL_SCALE - 1).astype("<i2")


def as_pcm16(samples: Sequence[float] | np.ndarray) -> np.ndarray:
    """Float samples as a 16-bit WAV of them holds them (what `write_pcm_wav` writes)."""
    return (_int16(samples).astype(np.float32) / FULL_SCALE).astype(np.float32)


def write_pcm_wav(path: Path, samples: Sequence[float] | np.ndarray) -> None:
    """16 kHz mono 16-bit WAV of float samples that are int16 / FULL_SCALE, exactly (what
    `load_audio` reads back as the same floats); other floats are rounded to 16 bits."""
    write_wav(path, _int16(samples), SAMPLE_RATE)


WAV_HEADER_BYTES = 44  # a WAV file no bigger than its header holds no sound


def write_once(target: Path, make: Callable[[Path], object]) -> str:
    """`target`, made by `make(path)` under a temporary name and moved into place, unless a
    WAV with sound is already there (a cache: concurrent makers never see half a file)."""
    if target.exists() and target.stat().st_size > WAV_HEADER_BYTES:
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{uuid.uuid4().hex}.wav")
    try:
        make(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return str(target)
