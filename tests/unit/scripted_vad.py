"""A stand-in for Silero VAD in unit tests: one scripted speech probability per 32 ms window."""

from __future__ import annotations

import numpy as np

from coach.engines.speech_chunks import WINDOW, WINDOW_S


class ScriptedProbabilities:
    """One probability per full 512-sample window, read from a script."""

    def __init__(self, script: np.ndarray) -> None:
        self.script = script
        self.samples = 0
        self.given = 0

    def push(self, samples: np.ndarray) -> np.ndarray:
        self.samples += len(samples)
        count = self.samples // WINDOW - self.given
        out = self.script[self.given : self.given + count]
        self.given += count
        return out

    def flush(self) -> np.ndarray:
        return self.script[self.given : self.given + (1 if self.samples % WINDOW else 0)]


def script(*parts: tuple[str, float]) -> np.ndarray:
    """('s', 2.0) = two seconds of speech, ('-', 0.5) = half a second of silence."""
    windows = [np.full(round(seconds / WINDOW_S), 0.9 if kind == "s" else 0.05)
               for kind, seconds in parts]
    return np.concatenate(windows)
