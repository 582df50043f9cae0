"""IPA transcriptions from espeak-ng, for pronunciation hints.

One `espeak-ng --ipa` process handles a whole batch (one line per phrase); results are cached.
"""

from __future__ import annotations

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
        self._cache: dict[str, str] = {}

    def __call__(self, phrases: Sequence[str]) -> dict[str, str]:
        wanted = [p for p in dict.fromkeys(phrases) if p.strip()]
        missing = [p for p in wanted if p not in self._cache]
        if missing:
            self._cache.update(self._batch(missing))
        return {p: self._cache[p] for p in wanted}

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
