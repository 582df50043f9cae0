"""The practice loop's work, behind the Gradio events: plain functions and one shared Coach.

`Shared` holds what every browser session shares (the Coach with its loaded engines, the audio
cache). Nothing here keeps per-user state: the previous attempt travels in each session's
`gr.State` and comes back as an argument.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from coach import Coach, Settings
from coach.config import cache_dir
from coach.errors import CoachError
from coach.feedback import Feedback
from coach.history import HistoryStore
from coach.practice_session import analyze_and_keep
from coach.scenarios import Scenario

log = logging.getLogger("coach.ui")

GENERIC_FAILURE = ("Something went wrong while analysing this recording. "
                   "Try again; if it keeps happening, the server log has the details.")


def audio_cache_dir() -> Path:
    """Synthesized prompts and polished answers; the app serves files from here."""
    return cache_dir() / "ui-audio"


class Shared:
    """The one Coach of the app, and the settings it runs with.

    Settings changes that keep the speech model apply in place (the Coach reads them on each
    call); a new model means a new Coach, built and loaded before it replaces the old one, so
    a request in flight finishes on the Coach it started with.
    """

    def __init__(self, coach: Coach, store: HistoryStore | None = None,
                 history_problem: str = "") -> None:
        self._coach = coach
        self.store = store  # None when the history could not be opened (history_problem says why)
        self.history_problem = history_problem
        self._lock = threading.Lock()

    @property
    def coach(self) -> Coach:
        return self._coach

    def apply(self, settings: Settings) -> None:
        """Raises CoachError (e.g. ModelNotFound) and keeps the old settings if they cannot work."""
        with self._lock:
            old = self._coach
            grammar_was_on = old.settings.check_grammar
            if settings.model == old.settings.model:
                old.settings = settings
                if settings.check_grammar and not grammar_was_on:
                    _start_grammar(old)
                return
            new = Coach(settings, grammar=old.grammar if settings.check_grammar else None,
                        phonemizer=old.phonemizer, library=old.library)
            new.transcriber.load()
            self._coach = new


def _start_grammar(coach: Coach) -> None:
    starter = getattr(coach.grammar, "start_in_background", None)
    if starter:
        starter()


# --- analysis ---------------------------------------------------------------------------------
def run_analysis(shared: Shared, recording: str, scenario: Scenario) -> Feedback:
    """Every analysis in the app goes through here. Raises CoachError for unusable audio.

    With a history, the recording is kept before the analysis starts (analyze_and_keep), so
    a crash loses nothing; without one (it could not be opened) the answer is only analysed.
    """
    coach = shared.coach
    if shared.store is None:
        return coach.analyze(recording, scenario)
    _attempt, feedback, error = analyze_and_keep(coach, shared.store, recording, scenario)
    if error is not None:
        raise error
    return feedback


@dataclass(frozen=True)
class Outcome:
    feedback: Feedback | None = None
    error: str = ""
    hint: str = ""


def analyze(shared: Shared, recording: str | None, scenario_id: str | None) -> Outcome:
    if not recording:
        return Outcome(error="No recording arrived.", hint="Record again, or upload a file.")
    try:
        scenario = shared.coach.library.get(scenario_id or "")
        return Outcome(feedback=run_analysis(shared, recording, scenario))
    except CoachError as error:
        return Outcome(error=error.message, hint=error.hint)
    except Exception:  # the page gets a plain message, the log the traceback
        log.exception("analysis failed for %s on %s", recording, scenario_id)
        return Outcome(error=GENERIC_FAILURE)


# --- speech -----------------------------------------------------------------------------------
def _cached_speech(coach: Coach, kind: str, text: str, scenario: Scenario) -> str:
    settings = coach.settings
    key = hashlib.sha256(
        f"{settings.voice_engine}|{settings.voice_wpm}|{scenario.id}|{text}".encode()).hexdigest()
    target = audio_cache_dir() / kind / f"{scenario.id}-{key[:16]}.wav"
    if target.exists() and target.stat().st_size > 44:
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{uuid.uuid4().hex}.wav")
    try:
        coach.speak(text, partial, scenario=scenario)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return str(target)


def prompt_audio(shared: Shared, scenario_id: str | None) -> tuple[str | None, str]:
    """(path of the question read aloud, or None; a message if the voice is unavailable)."""
    if not scenario_id:
        return None, ""
    coach = shared.coach
    try:
        scenario = coach.library.get(scenario_id)
        return _cached_speech(coach, "prompts", scenario.prompt, scenario), ""
    except CoachError as error:
        return None, str(error)


def polished_audio(shared: Shared, text: str | None, scenario_id: str | None
                   ) -> tuple[str | None, str]:
    if not text or not scenario_id:
        return None, ""
    coach = shared.coach
    try:
        scenario = coach.library.get(scenario_id)
        return _cached_speech(coach, "polished", text, scenario), ""
    except CoachError as error:
        return None, str(error)
