"""What every voice shares: the `Synthesizer` interface, its `SpeechAudio` result, and pause marks.

The pause mark " | " in a text is a pause of PAUSE_S seconds (a reading guide marks where to
breathe); each engine says the pieces between marks and joins them with `join_with_pauses`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from coach.settings import DEFAULT_WPM

# espeak-ng speaks ~8% faster than its rate setting on answer-like text (145 -> 157 wpm measured)
ESPEAK_RATE_FACTOR = 0.92

PAUSE_MARK = re.compile(r"\s+\|\s+|^\s*\|\s+|\s+\|\s*$")  # " | " as a word of its own
PAUSE_S = 0.35
_EDGE_MARGIN_S = 0.01  # kept around speech when a piece's silent edges are trimmed
_SILENT_BELOW = 0.01  # of the piece's peak (-40 dB): quieter edge samples are trimmed


@dataclass(frozen=True)
class SpeechAudio:
    path: Path
    duration_s: float
    engine: str
    text: str


class Synthesizer(Protocol):
    name: str

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio: ...


# --- pause marks -------------------------------------------------------------------------
def split_at_pauses(text: str) -> list[str]:
    """The pieces of `text` between pause marks, empty ones dropped ("a | b" -> ["a", "b"])."""
    pieces = [piece.strip() for piece in PAUSE_MARK.split(text)]
    return [piece for piece in pieces if piece] or [text.strip()]


def _trim_silence(samples: np.ndarray, rate: int, *, start: bool, end: bool) -> np.ndarray:
    """`samples` without their silent start and/or end (a small margin is kept)."""
    if samples.size == 0:
        return samples
    level = np.abs(samples.astype(np.int32))
    loud = np.flatnonzero(level > _SILENT_BELOW * level.max())
    if loud.size == 0:
        return samples
    margin = round(_EDGE_MARGIN_S * rate)
    first = max(loud[0] - margin, 0) if start else 0
    last = min(loud[-1] + margin + 1, samples.size) if end else samples.size
    return samples[first:last]


def join_with_pauses(pieces: Sequence[np.ndarray], rate: int, pause_s: float = PAUSE_S
                     ) -> np.ndarray:
    """Int16 pieces joined by `pause_s` of silence, each piece's own silence at the joins cut."""
    if len(pieces) == 1:
        return pieces[0]
    gap = np.zeros(max(round((pause_s - 2 * _EDGE_MARGIN_S) * rate), 0), dtype=np.int16)
    parts = []
    for i, piece in enumerate(pieces):
        if i:
            parts.append(gap)
        parts.append(_trim_silence(piece, rate, start=i > 0, end=i < len(pieces) - 1))
    return np.concatenate(parts)
