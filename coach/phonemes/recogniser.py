"""The hama phoneme recogniser (PyPI `hama`, Apache-2.0): frame log-probabilities for a clip.

hama ships a 4.7 MB CTC model run by its own native engine (no onnxruntime): one frame every
20 ms (320 samples at 16 kHz), 191 output symbols (IPA phonemes, Korean glides, tone marks,
<wb> word boundary, <blank>). Its own decoder keeps only the best symbol per frame; the full
frame log-probabilities (log-softmax, each row sums to 1) come from the model's session.

The model loads on first use, once per process (thread-safe), ~0.1 s; inference takes about
0.07 s of CPU per second of audio.
"""

from __future__ import annotations

import threading

import numpy as np

from coach.errors import EngineUnavailable

SAMPLE_RATE = 16_000
FRAME_SAMPLES = 320
FRAME_S = FRAME_SAMPLES / SAMPLE_RATE  # 0.02 s


class PhonemeRecogniser:
    """Lazy wrapper of `hama.ASRModel`: `log_probs(samples)` -> (frames, symbols) array."""

    def __init__(self, model_path: str | None = None) -> None:
        self._model_path = model_path
        self._model = None
        self._lock = threading.Lock()

    def load(self):
        with self._lock:
            if self._model is None:
                try:
                    from hama import ASRModel  # type: ignore[import-untyped]
                except ImportError:
                    raise EngineUnavailable(
                        "The hama phoneme recogniser is not installed.",
                        hint="pip install hama==1.7.0",
                    ) from None
                self._model = ASRModel(model_path=self._model_path)
            return self._model

    @property
    def symbols(self) -> list[str]:
        """The model's output symbols, in column order (the last two: <wb>, <blank>)."""
        return list(self.load().decoder_tokens)

    def log_probs(self, samples: np.ndarray) -> np.ndarray:
        """(frames, symbols) natural-log probabilities of a 16 kHz mono float clip.

        Frame t covers samples [320 t, 320 (t + 1)). An empty clip gives (0, symbols).
        """
        model = self.load()
        wave = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
        if wave.size < FRAME_SAMPLES:
            return np.zeros((0, len(model.decoder_tokens)), dtype=np.float32)
        feeds = {
            model._waveform_input_name: wave.reshape(1, -1),
            model._waveform_lengths_input_name: np.array([wave.size], dtype=np.int64),
        }
        with self._lock:  # the native session is not documented as re-entrant
            log_probs, lengths = model.session.run(
                [model._log_probs_output_name, model._out_lengths_output_name], feeds)
        valid = int(np.asarray(lengths).reshape(-1)[0])
        return np.asarray(log_probs, dtype=np.float32)[0, :valid]


_SHARED: PhonemeRecogniser | None = None
_SHARED_LOCK = threading.Lock()


def shared_recogniser() -> PhonemeRecogniser:
    """One recogniser per process (the model is loaded on its first use)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = PhonemeRecogniser()
        return _SHARED


def frame_of(seconds: float) -> int:
    """The frame that holds the instant `seconds` (clamped at 0)."""
    return max(int(seconds / FRAME_S), 0)
