"""The app's one cache of speech: questions, follow-ups and polished answers as WAV files.

The app serves files from `audio_cache_dir()` (Gradio's `allowed_paths`). A file is written
under a temporary name and renamed when complete, so a player never gets half a file, and two
sessions asking for the same speech at once both get a whole one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coach.audio.wav import write_once
from coach.settings import cache_dir


def audio_cache_dir() -> Path:
    return cache_dir() / "ui-audio"


def cached_speech(kind: str, name: str, speak: Callable[[Path], object]) -> str:
    """The path of `kind/name.wav` in the cache, made by `speak(path)` unless already there.

    `name` must change whenever the speech would (text, voice, speed). Raises what `speak`
    raises (CoachError when the voice is unavailable).
    """
    return write_once(audio_cache_dir() / kind / f"{name}.wav", speak)
