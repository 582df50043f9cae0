"""The app's voices: a question, a polished answer or a model answer read aloud, on demand.

`speech` reads a text with the chosen voice at the chosen speed (the settings) and keeps the
WAV in the speech cache (ui/audio_cache.py), named by voice, speed and text, so a text read once
is not read again. The Practice tab and an attempt opened from History both use it.
"""

from __future__ import annotations

import hashlib

from coach.errors import CoachError
from coach.ui.audio_cache import cached_speech
from coach.ui.render_html import error_html

POLISHED_FAILED = "The polished answer cannot be read aloud."
MODEL_FAILED = "The model answer cannot be read aloud."


def speech(shared, kind: str, scenario_id: str | None, failure: str,
           text: str | None = None) -> tuple[str | None, str]:
    """(a WAV of `text`, by default the scenario's question, or None; an error banner, or "")."""
    if not scenario_id:
        return None, ""
    coach = shared.coach
    settings = coach.settings
    try:
        scenario = coach.library.get(scenario_id)
        text = text or scenario.prompt
        key = hashlib.sha256(f"{settings.voice_engine}|{settings.voice_wpm}|{scenario.id}|{text}"
                             .encode()).hexdigest()[:16]
        return cached_speech(kind, f"{scenario.id}-{key}",
                             lambda path: coach.speak(text, path, scenario=scenario)), ""
    except CoachError as error:
        return None, error_html(failure, str(error))
