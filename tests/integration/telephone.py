"""A digital telephone line's band for tests: what Silero VAD hears least well."""

from __future__ import annotations

import numpy as np

from coach.audio.wav import as_pcm16


def telephone_band(samples: np.ndarray) -> np.ndarray:
    """Only 300-3400 Hz kept, cut sharply, as 16-bit samples."""
    spectrum = np.fft.rfft(samples.astype(np.float64))
    freqs = np.fft.rfftfreq(len(samples), 1 / 16_000)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    return as_pcm16(np.clip(np.fft.irfft(spectrum, len(samples)), -1, 1))
