"""The app's voices: a question, a polished answer or a model answer read aloud, on demand.

`speech` reads a text with the chosen voice at the chosen speed (the settings) and keeps the
WAV in the speech cache (ui/audio_cache.py), named by voice, speed and text, so a text read once
is not read again. The Practice tab and an attempt opened from History both use it.

`speak_ahead` starts the polished and model answers' speech in the background as soon as the
feedback exists (Piper takes seconds): the players' handlers, which the page fires once it has
drawn the written feedback, then find the WAV made or wait for it (one maker per file).
"""

from __future__ import annotations

import hashlib
import threading

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


def speak_ahead(shared, scenario_id: str | None, texts: dict[str, str]) -> None:
    """Make the WAVs of `texts` ({kind: text}, in order) in a background thread, as `speech`
    would. A failure is left for the player's own `speech` call to report."""
    def make() -> None:
        try:
            for kind, text in texts.items():
                if text:
                    speech(shared, kind, scenario_id, "", text)
        except Exception:  # noqa: BLE001 - the player's own call says what went wrong
            return

    threading.Thread(target=make, name="speak-ahead", daemon=True).start()
