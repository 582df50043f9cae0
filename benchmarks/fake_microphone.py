"""A recording turned into the WAV chromium plays as its fake microphone
(--use-file-for-fake-audio-capture): for the browser tests and the browser latency benchmark."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from coach.audio.decode import SAMPLE_RATE, load_audio


def microphone_wav(source: Path, target: Path, rate: int = 48_000,
                   trailing_silence_s: float = 0.0) -> Path:
    """A 16-bit mono WAV at `rate` of `source` (any format), then `trailing_silence_s` of
    silence. Chromium loops the file: the silence keeps the answer's first words from coming
    back before Stop, as they never would from a speaker."""
    samples = load_audio(source, min_duration_s=0.0).samples
    samples = np.concatenate([samples, np.zeros(round(trailing_silence_s * SAMPLE_RATE),
                                                np.float32)])
    positions = np.arange(0, len(samples), SAMPLE_RATE / rate)
    resampled = np.interp(positions, np.arange(len(samples)), samples)
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(resampled, -1, 1) * 32767).astype("<i2").tobytes())
    return target
