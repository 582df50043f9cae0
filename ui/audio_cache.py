"""The app's one cache of speech: questions, follow-ups and polished answers as WAV files.

The app serves files from `audio_cache_dir()` (Gradio's `allowed_paths`). A file is written
under a temporary name and renamed when complete, so a player never gets half a file. One
maker per file: a second asker of the same speech while it is being made (the answer handler
makes the polished voice ahead, ui/voices.py `speak_ahead`, then the player asks) waits for
that one instead of making it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from coach.audio.wav import write_once
from coach.settings import cache_dir

_MAKERS_LOCK = threading.Lock()
_MAKERS: dict[Path, threading.Lock] = {}  # one lock per file this process made (a few bytes)


def audio_cache_dir() -> Path:
    return cache_dir() / "ui-audio"


def cached_speech(kind: str, name: str, speak: Callable[[Path], object]) -> str:
    """The path of `kind/name.wav` in the cache, made by `speak(path)` unless already there.

    `name` must change whenever the speech would (text, voice, speed). Raises what `speak`
    raises (CoachError when the voice is unavailable).
    """
    target = audio_cache_dir() / kind / f"{name}.wav"
    with _MAKERS_LOCK:
        maker = _MAKERS.setdefault(target, threading.Lock())
    with maker:
        return write_once(target, speak)
