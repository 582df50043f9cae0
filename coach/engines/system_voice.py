"""The "system" voice: the operating system's own speech through pyttsx3.

pyttsx3 picks the platform's engine: SAPI5 on Windows, NSSpeechSynthesizer on macOS, the
espeak-ng library (Debian's libespeak-ng1) on Linux. Its 2.99 espeak driver has two defects,
measured here on Linux:

(a) `save_to_file()` + `runAndWait()` returns before the file is written (espeak synthesises on
    its own thread; the first call's file did not exist yet when `runAndWait()` returned);
(b) on a reused engine the rate stops changing: requests at 120, 170, 200 and 120 wpm came out
    at 148, 210, 210 and 210 wpm.

So every utterance runs in a fresh process (`pyttsx3_worker.py`, a new engine with one rate,
~60 ms in all on Linux), which waits until the file's header says it is complete before it
exits; this side checks that again before reading the file. The pieces of a text with pause
marks are said by parallel workers and joined with the pause between them.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coach.audio.wav import read_audio, wav_duration, write_wav
from coach.engines.pyttsx3_worker import CANCELLED, is_complete
from coach.engines.speech_pieces import (
    ESPEAK_RATE_FACTOR,
    SpeechAudio,
    join_with_pauses,
    split_at_pauses,
)
from coach.errors import SynthesisUnavailable
from coach.settings import DEFAULT_WPM

WORKER = Path(__file__).with_name("pyttsx3_worker.py")
ATTEMPTS = 3
_LINUX_LIBRARY = "libespeak-ng.so.1"


def default_driver() -> str:
    """pyttsx3's driver for this OS: "sapi5", "nsss" or "espeak"."""
    if sys.platform == "win32":
        return "sapi5"
    if sys.platform == "darwin":
        return "nsss"
    return "espeak"


def unavailable_reason(driver: str | None = None) -> str:
    """Why the system voice cannot work here ("" when it can), without starting it."""
    driver = driver or default_driver()
    if importlib.util.find_spec("pyttsx3") is None:
        return "pyttsx3 is not installed (pip install pyttsx3)"
    if driver == "espeak" and sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(_LINUX_LIBRARY)
        except OSError:
            return f"the espeak-ng library ({_LINUX_LIBRARY}) is missing"
    if driver == "nsss" and importlib.util.find_spec("AppKit") is None:
        return "PyObjC is not installed (pip install pyobjc)"
    if driver == "sapi5" and importlib.util.find_spec("comtypes") is None:
        return "comtypes is not installed (pip install comtypes)"
    return ""


def install_hint(driver: str) -> str:
    if driver == "espeak":
        return ("Install the espeak-ng library: apt-get install libespeak-ng1 (make run does), "
                "or choose the Piper voice.")
    return "Reinstall coach's dependencies (pip install pyttsx3), or choose the Piper voice."


class SystemSynthesizer:
    """`Synthesizer` for the OS voice; one worker process per call (see the module doc)."""

    name = "system"

    def __init__(self, driver: str | None = None, *, timeout_s: float = 120.0) -> None:
        self.driver = driver or default_driver()
        self.timeout_s = timeout_s

    def rate_for(self, wpm: int) -> int:
        # pyttsx3's rate is words per minute; espeak speaks faster than asked (see synthesizer)
        return round(wpm * ESPEAK_RATE_FACTOR) if self.driver == "espeak" else wpm

    def synthesize(self, text: str, path: Path, *, wpm: int = DEFAULT_WPM) -> SpeechAudio:
        problem = unavailable_reason(self.driver)
        if problem:
            raise SynthesisUnavailable(f"The system voice cannot speak: {problem}.",
                                       hint=install_hint(self.driver))
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pieces = split_at_pauses(text)
        suffix = ".aiff" if self.driver == "nsss" else ".wav"
        with tempfile.TemporaryDirectory(prefix="coach-voice-") as folder:
            files = [Path(folder) / f"piece-{i}{suffix}" for i in range(len(pieces))]
            with ThreadPoolExecutor(max_workers=2) as pool:  # pieces of a marked text at once
                list(pool.map(self._say, pieces, files, [self.rate_for(wpm)] * len(pieces)))
            audio = [read_audio(file) for file in files]
        rate = audio[0][1]
        if any(r != rate for _, r in audio):
            raise SynthesisUnavailable("The system voice wrote pieces at different sample rates.")
        write_wav(path, join_with_pauses([samples for samples, _ in audio], rate), rate)
        return SpeechAudio(path, wav_duration(path), self.name, text)

    def _say(self, text: str, file: Path, rate: int) -> None:
        """One worker process writes `text` into `file`; a cut-short utterance is said again."""
        request = json.dumps({"driver": self.driver, "rate": rate, "text": text,
                              "path": str(file)})
        for _ in range(ATTEMPTS):
            try:
                result = subprocess.run([sys.executable, str(WORKER)], input=request,
                                        capture_output=True, text=True,
                                        timeout=self.timeout_s, check=False)
            except subprocess.TimeoutExpired:
                raise SynthesisUnavailable(
                    f"The system voice did not finish within {self.timeout_s:.0f} s.",
                    hint="Try a shorter text, or the Piper voice.") from None
            if result.returncode != CANCELLED:
                break
        if result.returncode != 0 or not is_complete(str(file)):
            detail = result.stderr.strip().splitlines()[-1:] or ["no audio was written"]
            raise SynthesisUnavailable(f"The system voice failed: {detail[0][:200]}",
                                       hint=install_hint(self.driver))
