"""The phoneme recogniser's frames for stretches of one recording (`coach.phonemes.answer.Frames`).

Only the stretches around key terms are run through the recogniser, each with PAD_S of audio
on both sides so the model hears the sounds in context, cut at frame boundaries so its frames
fall where the whole clip's would. A 30 s answer with five key terms costs five ~2 s runs, not
a 30 s one.

The recogniser (hama) is loaded on first use and shared (`shared_recogniser`). When it is not
installed or fails, `EngineUnavailable` is raised with a plain message, never its traceback.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np

from coach.errors import EngineUnavailable
from coach.phonemes import inventory
from coach.phonemes.answer import NotYet
from coach.phonemes.recogniser import FRAME_SAMPLES, SAMPLE_RATE, PhonemeRecogniser

PAD_S = 0.5
log = logging.getLogger("coach.phonemes")


class ClipFrames:
    """Callable (start_s, end_s) -> (class log-probs of that stretch plus padding, its start)."""

    def __init__(self, samples: np.ndarray, recogniser: PhonemeRecogniser, *,
                 complete: bool = True) -> None:
        """`complete` False: the recording goes on (samples so far): a stretch that reaches
        past them raises NotYet instead of being cut short."""
        self.samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        self.recogniser = recogniser
        self.complete = complete
        self._membership: np.ndarray | None = None

    def _stretch(self, start_s: float, end_s: float) -> tuple[int, int]:
        first = max(int((start_s - PAD_S) * SAMPLE_RATE) // FRAME_SAMPLES, 0) * FRAME_SAMPLES
        wanted = int(np.ceil((end_s + PAD_S) * SAMPLE_RATE))
        if not self.complete and wanted > self.samples.size:
            raise NotYet(f"{end_s:.2f} s is not recorded yet")
        return first, min(wanted, self.samples.size)

    def key(self, start_s: float, end_s: float) -> str:
        """A digest of the samples the stretch is judged on (memo key; see score_key_terms)."""
        first, last = self._stretch(start_s, end_s)
        return hashlib.blake2b(self.samples[first:last].tobytes(), digest_size=16).hexdigest()

    def __call__(self, start_s: float, end_s: float) -> tuple[np.ndarray, float]:
        first, last = self._stretch(start_s, end_s)
        try:
            if self._membership is None:
                self._membership = inventory.class_matrix(self.recogniser.symbols)
            log_probs = self.recogniser.log_probs(self.samples[first:max(last, first)])
            class_lp = inventory.class_log_probs(log_probs, self._membership)
        except EngineUnavailable:
            raise
        except (RuntimeError, OSError, ValueError, AttributeError, TypeError) as error:
            log.warning("phoneme recogniser failed: %r", error)
            raise EngineUnavailable(
                "The phoneme recogniser failed on this recording.",
                hint="Reinstall it: pip install hama==1.7.0") from error
        return class_lp, first / SAMPLE_RATE
