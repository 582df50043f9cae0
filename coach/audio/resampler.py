"""Audio blocks as they arrive (any rate, mono or stereo, int or float) -> 16 kHz mono float32.

Streaming and whole-file transcription must see the same samples, so the conversion gives the
same output however the input is split into blocks: output sample k is interpolated between
the two input samples around position k * rate / 16000, computed with exact integer positions
and carried across blocks (the same linear interpolation as `AudioClip.from_array`).
"""

from __future__ import annotations

import numpy as np

from coach.audio.decode import SAMPLE_RATE


def to_mono_float(block: np.ndarray) -> np.ndarray:
    """float32 mono in [-1, 1] from (n,) or (n, channels) samples; (channels, n) is accepted too."""
    block = np.asarray(block)
    if block.ndim not in (1, 2):
        raise ValueError(f"audio block must be 1-D or 2-D, not {block.ndim}-D")
    if block.dtype.kind in "iu":  # full scale of the integer type is 1.0; unsigned is offset
        half = 2.0 ** (np.iinfo(block.dtype).bits - 1)
        offset = half if block.dtype.kind == "u" else 0.0
        samples = ((block.astype(np.float64) - offset) / half).astype(np.float32)
    else:
        samples = block.astype(np.float32)
    if samples.ndim == 2:
        samples = (samples.T if samples.shape[1] > samples.shape[0] else samples).mean(axis=1)
    return np.clip(np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)


class BlockResampler:
    """Stateful linear-interpolation resampler to 16 kHz; `push` blocks, then `flush` once."""

    def __init__(self, rate: int) -> None:
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, not {rate}")
        self.rate = int(rate)
        self._buffer = np.zeros(0, dtype=np.float32)  # input samples from index _base on
        self._base = 0
        self._next = 0  # index of the next output sample

    def push(self, samples: np.ndarray) -> np.ndarray:
        if self.rate == SAMPLE_RATE:
            return samples
        self._buffer = np.concatenate([self._buffer, samples])
        last = self._base + len(self._buffer) - 1
        # output k lies between inputs floor(k * rate / 16000) and the one after: both here
        return self._emit((last * SAMPLE_RATE - 1) // self.rate, hold=False)

    def flush(self) -> np.ndarray:
        """The samples after the last full interpolation pair (the final one is held)."""
        if self.rate == SAMPLE_RATE or not len(self._buffer):
            return np.zeros(0, dtype=np.float32)
        end = self._base + len(self._buffer)  # every output position before the input's end
        return self._emit((end * SAMPLE_RATE - 1) // self.rate, hold=True)

    def _emit(self, last_k: int, hold: bool) -> np.ndarray:
        if last_k < self._next:
            return np.zeros(0, dtype=np.float32)
        k = np.arange(self._next, last_k + 1, dtype=np.int64)
        position = k * self.rate
        index = position // SAMPLE_RATE - self._base
        fraction = (position % SAMPLE_RATE) / SAMPLE_RATE
        following = np.minimum(index + 1, len(self._buffer) - 1) if hold else index + 1
        out = self._buffer[index] * (1.0 - fraction) + self._buffer[following] * fraction
        self._next = last_k + 1
        keep_from = min((self._next * self.rate) // SAMPLE_RATE - self._base, len(self._buffer))
        self._buffer = self._buffer[keep_from:]
        self._base += keep_from
        return out.astype(np.float32)
