"""IPA transcriptions from espeak-ng, for pronunciation hints.

One `espeak-ng --ipa` process handles a whole batch (one line per phrase); results are cached.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Sequence

from coach.errors import EngineUnavailable


class EspeakIpa:
    """Callable: phrases -> {phrase: IPA}. Missing espeak-ng raises EngineUnavailable."""

    name = "espeak-ng"

    def __init__(self, voice: str = "en-us") -> None:
        self.voice = voice
        self._binary = shutil.which("espeak-ng")

    def __call__(self, phrases: Sequence[str]) -> dict[str, str]:
        unique = [p for p in dict.fromkeys(phrases) if p.strip()]
        return {p: self._cached(p) for p in unique} if len(unique) <= 1 else self._batch(unique)

    @functools.lru_cache(maxsize=4096)
    def _cached(self, phrase: str) -> str:
        return self._batch([phrase])[phrase]

    def _batch(self, phrases: list[str]) -> dict[str, str]:
        if not self._binary:
            raise EngineUnavailable(
                "espeak-ng is not installed, so IPA hints are unavailable.",
                hint="Install it: apt-get install espeak-ng (make run does this).",
            )
        cleaned = [re.sub(r"[^\w' ]+", " ", p).strip() or p for p in phrases]
        result = subprocess.run(
            [self._binary, "-q", "--ipa", "-v", self.voice],
            input="\n".join(cleaned) + "\n", capture_output=True, text=True, timeout=20,
            check=False,
        )
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        if result.returncode != 0 or len(lines) != len(phrases):
            # Line counts disagree (a phrase split in two): fall back to one call each.
            return {p: self._one(c) for p, c in zip(phrases, cleaned)}
        return dict(zip(phrases, lines))

    def _one(self, phrase: str) -> str:
        result = subprocess.run([self._binary, "-q", "--ipa", "-v", self.voice, phrase],
                                capture_output=True, text=True, timeout=10, check=False)
        return " ".join(result.stdout.split())
