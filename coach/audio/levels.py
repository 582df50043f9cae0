"""How loud a recording is: silent (nothing to transcribe), very quiet (worth a note), or fine.

A level is that of the recording's loudest 50 ms window, in dBFS (`loudest_window_dbfs`):
- below SILENCE_DBFS it is silent: digital silence or a muted microphone's noise floor, and it
  is not transcribed. The line was -50 dBFS, which turned speech recorded 40 dB below the
  fixtures' level (a microphone with its gain down, or far away; loudest window -59 dBFS) into
  "the recording is silent", while plain faster-whisper wrote it down. Whisper does not mind
  the level (its log-mel features are scaled to each window), nor does the VAD down to about
  -60 dBFS: at -70, three answers 40 dB down came out at WER 0.075-0.15 (0.07-0.12 at their
  level); 50 dB down (-69 dBFS) the VAD began to miss speech (WER 0.16-0.64). Room tone with
  no speech (audio_fixtures/bad/room_tone_5s.wav, -50.5 dBFS) now gets the VAD's and the
  decoder's "No speech detected in the recording", with the hint to speak closer.
- below QUIET_DBFS (about 25 dB under a usual microphone level) it is transcribed, with a note
  that says how to be heard better (`quiet_note`).
"""

from __future__ import annotations

import numpy as np

SILENCE_DBFS = -70.0
QUIET_DBFS = -45.0
WINDOW = 800  # 50 ms at 16 kHz


def loudest_window_dbfs(samples: np.ndarray, window: int = WINDOW) -> float:
    """Level in dBFS of the loudest 50 ms window (at 16 kHz)."""
    if len(samples) < window:
        window = max(len(samples), 1)
    frames = len(samples) // window
    if frames == 0:
        return -120.0
    rms = np.sqrt(np.mean(samples[: frames * window].reshape(frames, window) ** 2, axis=1))
    return float(20 * np.log10(max(rms.max(), 1e-6)))


def quiet_note(loudest_dbfs: float) -> str | None:
    """The note for a recording this loud, when it is very quiet (None otherwise)."""
    if loudest_dbfs >= QUIET_DBFS:
        return None
    return (f"The recording is very quiet (its loudest moment is at {loudest_dbfs:.0f} dBFS): "
            "speak closer to the microphone or raise its input level, so that every word is "
            "heard.")
