"""Typed errors of the practice history and of mock-interview rounds.

They extend `coach.errors.CoachError`, so the CLI prints them as one line (`coach: message`)
and `to_dict()` gives the UI a stable `code`.
"""

from __future__ import annotations

from coach.errors import CoachError


class HistoryError(CoachError):
    """The history database or a recording in it cannot be used."""

    code = "history_error"


class AttemptNotFound(HistoryError):
    code = "attempt_not_found"


class RoundNotFound(HistoryError):
    code = "round_not_found"


class RecordingNotFound(HistoryError):
    """A recording to keep does not exist, or a kept one was deleted from the data folder."""

    code = "recording_not_found"


class HistoryUnreadable(HistoryError):
    """The database file is damaged or is not a coach history database."""

    code = "history_unreadable"


class HistoryWriteFailed(HistoryError):
    """The data folder cannot take a write: it is full, read-only, or its disk failed.

    The message names the folder and, when it is full, the free space it has and needs.
    """

    code = "history_unwritable"


class HistoryTooNew(HistoryError):
    """The database was written by a newer coach (its schema version is above ours)."""

    code = "history_too_new"


class RoundError(CoachError):
    """A mock-interview round cannot start or go on as asked."""

    code = "round_error"


class InvalidRoundSettings(RoundError):
    code = "round_settings"


class RoundInputMismatch(RoundError):
    """`coach round --input ...` got more or fewer recordings than the round has steps."""

    code = "round_inputs"


class RoundFinished(RoundError):
    """An answer was given after the last step of the round."""

    code = "round_finished"
