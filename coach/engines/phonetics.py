"""IPA transcriptions for pronunciation hints, from espeak-ng: the command, or the library that
the piper-tts wheel bundles (so pip alone gives IPA, with stress marks ˈ ˌ, on any OS).

Both give the same IPA (checked by tests/integration/test_phonetics.py). `make_phonemizer()`
picks one; with neither, hints keep their respelling and drop the IPA. Results are cached.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from coach.errors import EngineUnavailable

if TYPE_CHECKING:
    from coach.analysis.pronunciation import Phonemizer

# piper's espeak-ng library has global state (the voice) and Piper's synthesis uses it too.
ESPEAK_BRIDGE_LOCK = threading.RLock()


def _cleaned(phrase: str) -> str:
    return re.sub(r"[^\w' ]+", " ", phrase).strip() or phrase


class _CachedIpa:
    """Callable: phrases -> {phrase: IPA}, with each phrase transcribed once."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, phrases: Sequence[str]) -> dict[str, str]:
        wanted = [p for p in dict.fromkeys(phrases) if p.strip()]
        missing = [p for p in wanted if p not in self._cache]
        if missing:
            self._cache.update(self._batch(missing))
        return {p: self._cache[p] for p in wanted}

    def _batch(self, phrases: list[str]) -> dict[str, str]:
        raise NotImplementedError


class EspeakIpa(_CachedIpa):
    """The `espeak-ng` command: one process for a whole batch (one line per phrase)."""

    name = "espeak-ng"

    def __init__(self, voice: str = "en-us") -> None:
        super().__init__()
        self.voice = voice
        self._binary = shutil.which("espeak-ng")

    def _batch(self, phrases: list[str]) -> dict[str, str]:
        binary = self._binary
        if not binary:
            raise EngineUnavailable(
                "espeak-ng is not installed, so IPA hints are unavailable.",
                hint="Install it: apt-get install espeak-ng (make run does this).",
            )
        cleaned = [_cleaned(p) for p in phrases]
        result = subprocess.run(
            [binary, "-q", "--ipa", "-v", self.voice],
            input="\n".join(cleaned) + "\n", capture_output=True, text=True, timeout=20,
            check=False,
        )
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        if result.returncode != 0 or len(lines) != len(phrases):
            # Line counts disagree (a phrase split in two): fall back to one call each.
            return {p: self._one(binary, c) for p, c in zip(phrases, cleaned)}
        return dict(zip(phrases, lines))

    def _one(self, binary: str, phrase: str) -> str:
        result = subprocess.run([binary, "-q", "--ipa", "-v", self.voice, phrase],
                                capture_output=True, text=True, timeout=10, check=False)
        return " ".join(result.stdout.split())


class BundledEspeakIpa(_CachedIpa):
    """The espeak-ng library and data inside the piper-tts wheel (`piper.espeakbridge`)."""

    name = "espeak-ng (bundled with Piper)"

    def __init__(self, voice: str = "en-us") -> None:
        super().__init__()
        self.voice = voice
        self._bridge: ModuleType | None = None  # piper.espeakbridge, once initialised

    def _load(self) -> ModuleType:
        if self._bridge is None:
            try:
                from piper import espeakbridge
                from piper.phonemize_espeak import ESPEAK_DATA_DIR
            except ImportError:
                raise EngineUnavailable(
                    "piper-tts is not installed, so IPA hints are unavailable.",
                    hint="pip install piper-tts (make run installs it).",
                ) from None
            espeakbridge.initialize(str(ESPEAK_DATA_DIR))
            self._bridge = espeakbridge
        return self._bridge

    def _batch(self, phrases: list[str]) -> dict[str, str]:
        with ESPEAK_BRIDGE_LOCK:
            bridge = self._load()
            bridge.set_voice(self.voice)
            return {p: " ".join(" ".join(clause for clause, _, _ in bridge.get_phonemes(
                _cleaned(p))).split()) for p in phrases}


def bundled_ipa_available() -> bool:
    """Whether piper-tts with its espeak-ng library is installed (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("piper")
    folders = spec.submodule_search_locations if spec else None
    return any(Path(folder).glob("espeakbridge.*") for folder in folders or ())


def make_phonemizer() -> Phonemizer | None:
    """The espeak-ng command if installed, else Piper's bundled espeak-ng, else None."""
    if shutil.which("espeak-ng"):
        return EspeakIpa()
    if bundled_ipa_available():
        return BundledEspeakIpa()
    return None
