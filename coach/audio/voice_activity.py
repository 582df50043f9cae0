"""Where in the audio someone is speaking, from frame energy: the input to pause analysis.

Whisper's word gaps are unreliable around pauses (it stretches words over silence), so pauses
are measured on the signal itself. The threshold adapts to the recording: a fraction of the way
from its noise floor to its speech level, so it works on a quiet laptop mic and on a noisy one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The rate coach decodes to (coach.audio.wav.SAMPLE_RATE). Not imported from coach.audio.decode:
# that uses this module, and analyses import Interval from here without loading the decoder.
DEFAULT_RATE = 16_000
FRAME_S = 0.02
HOP_S = 0.01
BRIDGE_S = 0.15  # gaps shorter than this are closures inside words (stop consonants), not pauses
MIN_SPEECH_S = 0.08


@dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def frame_levels_db(samples: np.ndarray, sample_rate: int = DEFAULT_RATE) -> np.ndarray:
    frame, hop = int(FRAME_S * sample_rate), int(HOP_S * sample_rate)
    if len(samples) < frame:
        return np.array([-120.0])
    count = 1 + (len(samples) - frame) // hop
    index = np.arange(frame)[None, :] + hop * np.arange(count)[:, None]
    rms = np.sqrt(np.mean(samples[index] ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-6))


def speech_intervals(samples: np.ndarray, sample_rate: int = DEFAULT_RATE) -> list[Interval]:
    levels = frame_levels_db(samples, sample_rate)
    floor, peak = np.percentile(levels, 10), np.percentile(levels, 95)
    threshold = max(floor + 0.3 * (peak - floor), floor + 6.0)
    active = levels > threshold
    intervals: list[Interval] = []
    start = None
    for i, on in enumerate(np.append(active, False)):
        if on and start is None:
            start = i
        elif not on and start is not None:
            intervals.append(Interval(start * HOP_S, (i - 1) * HOP_S + FRAME_S))
            start = None
    bridged: list[Interval] = []
    for interval in intervals:
        if bridged and interval.start - bridged[-1].end < BRIDGE_S:
            bridged[-1] = Interval(bridged[-1].start, interval.end)
        else:
            bridged.append(interval)
    return [i for i in bridged if i.duration >= MIN_SPEECH_S]
