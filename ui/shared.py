"""What every browser session of the app shares: the one Coach and the history, and the one
call that analyses an answer for the app. No Gradio here, and no per-user state: the previous
attempt travels in each session's `gr.State` and comes back as an argument.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from coach import Coach, Settings
from coach.attempts import Outcome, analyze_and_keep, reanalyze
from coach.errors import AudioError, CoachError
from coach.history import HistoryStore
from coach.streamed_answer import StreamedAnswer
from coach.ui.browsers import BrowserAnswers

log = logging.getLogger("coach.ui")

GENERIC_FAILURE = ("Something went wrong while analysing this recording. "
                   "Try again; if it keeps happening, the server log has the details.")


class Shared:
    """The one Coach of the app, the settings it runs with, and the history store.

    Settings changes that keep the speech model apply in place (the Coach reads them on each
    call); a new model means a new Coach, built and loaded before it replaces the old one, so
    a request in flight finishes on the Coach it started with. Whoever needs the Coach asks
    `shared.coach` at the time of use, never keeps it.
    """

    def __init__(self, coach: Coach, store: HistoryStore | None = None,
                 history_problem: str = "") -> None:
        self._coach = coach
        self.store = store  # None when the history could not be opened (history_problem says why)
        self.history_problem = history_problem
        # which browser gave which answer (the "last answer" note is that browser's own)
        self.browsers = BrowserAnswers(store.path.parent / "browsers.json" if store else None)
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


@dataclass(frozen=True)
class KeptUpload:
    """An uploaded answer already kept in the history, as attempt `attempt_id` (status
    "recorded"), waiting for its analysis."""

    attempt_id: int
    name: str  # the user's file name, for messages


def keep_upload(shared: Shared, recording: str | None, scenario_id: str | None,
                browser: str | None = None) -> KeptUpload | None:
    """Keep an uploaded answer in the history at once, before it waits for an analysis slot.

    None when it cannot be kept now (no history, no question, a full disk...): `analyze`
    then keeps it as it always did, or says why it cannot. Never raises.
    """
    if shared.store is None or not recording:
        return None
    try:
        scenario = shared.coach.library.get(scenario_id or "")
        attempt = shared.store.save_recording(recording, scenario.id)
    except CoachError:
        return None
    except Exception:  # the analysis path then keeps it, or says what went wrong
        log.exception("cannot keep the upload %s", recording)
        return None
    shared.browsers.note(browser, attempt.id)
    return KeptUpload(attempt.id, Path(recording).name)


def analyze(shared: Shared, recording: str | StreamedAnswer | KeptUpload | None,
            scenario_id: str | None, browser: str | None = None) -> Outcome:
    """Analyse one answer of the Practice tab; never raises.

    With a history, the recording is kept before the analysis starts (analyze_and_keep), so
    a crash loses nothing; without one (it could not be opened) the answer is only analysed.
    A failure is an `Outcome` whose `error` says what to do, in plain words. `recording` is a
    file, or an answer transcribed while it was recorded (ui/live_answers.py). `browser`: the
    token of the browser that gave it (ui/browsers.py), noted as soon as the answer is kept.
    A `KeptUpload` is an upload kept already (`keep_upload`): only analysed, never kept twice.
    """
    if not recording:
        return Outcome(None, None, AudioError("No recording arrived.",
                                              hint="Record again, or upload a file."))
    coach = shared.coach
    try:
        if isinstance(recording, KeptUpload) and shared.store is not None:
            return reanalyze(coach, shared.store, recording.attempt_id, name=recording.name)
        scenario = coach.library.get(scenario_id or "")
        if shared.store is None:
            return Outcome(None, analyze_only(coach, recording, scenario), None)
        return analyze_and_keep(coach, shared.store, recording, scenario,
                                on_kept=lambda kept: shared.browsers.note(browser, kept.id))
    except CoachError as error:
        return Outcome(None, None, error)
    except Exception:  # the page gets a plain message, the log the traceback
        log.exception("analysis failed for %s on %s", recording, scenario_id)
        return Outcome(None, None, CoachError(GENERIC_FAILURE))


def analyze_only(coach: Coach, recording: str | StreamedAnswer, scenario):
    """The feedback on a recording that cannot be kept (no history)."""
    if not isinstance(recording, StreamedAnswer):
        return coach.analyze(recording, scenario)
    with tempfile.TemporaryDirectory(prefix="coach-answer-") as folder:
        clip = coach.load(recording.keep_as(Path(folder)), name=recording.name)  # its checks
    transcribe = recording.transcriber_for(coach, scenario)
    return coach.analyze(clip, scenario, transcript=transcribe() if transcribe else None)
