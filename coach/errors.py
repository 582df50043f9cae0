"""Typed errors: every failure a user can meet has its own class and a plain message.

`code` is a stable, machine-readable name used in `coach analyze --json` error objects and by
the UI; `str(error)` is the one-line message shown to the user.
"""

from __future__ import annotations


class CoachError(Exception):
    """Base class: a failure with a user-facing message."""

    code = "error"
    rejects_input = False  # see AudioError

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint}


# --- audio input -------------------------------------------------------------------------
class AudioError(CoachError):
    """The recording cannot be analysed.

    `rejects_input`: the file itself is unusable (not audio, empty, too short or too long), so
    analysing it again can never succeed and there is nothing worth keeping in the history.
    """

    code = "audio_error"
    rejects_input = True


class UnreadableAudio(AudioError):
    code = "unreadable"


class NoAudioStream(AudioError):
    code = "no_audio_stream"


class AudioTooShort(AudioError):
    code = "too_short"


class AudioTooLong(AudioError):
    code = "too_long"


class NoSpeechDetected(AudioError):
    """A real recording in which no speech was found (a muted microphone, or a quiet voice a
    better model might still hear): kept, so it can be analysed again."""

    code = "no_speech"
    rejects_input = False


# Error codes of files that were never usable recordings (see AudioError.rejects_input).
REJECTED_INPUT_CODES = tuple(kind.code for kind in (AudioError, *AudioError.__subclasses__())
                             if kind.rejects_input)


# --- the user's data folder ----------------------------------------------------------------
class DataFolderUnusable(CoachError):
    """The data folder (COACH_DATA_DIR) is a file, or a folder that cannot be written."""

    code = "data_folder_unusable"


# --- scenarios ---------------------------------------------------------------------------
class ScenarioError(CoachError):
    code = "scenario_error"


class ScenarioNotFound(ScenarioError):
    code = "scenario_not_found"


class ScenarioInvalid(ScenarioError):
    """A scenario file is malformed; `problems` holds one line-numbered message per problem."""

    code = "scenario_invalid"

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(f"{path}: " + "; ".join(self.problems))


# --- engines -----------------------------------------------------------------------------
class EngineUnavailable(CoachError):
    """An engine (model, grammar server, voice, audio device) is not installed or not running."""

    code = "engine_unavailable"


class ModelNotFound(EngineUnavailable):
    code = "model_not_found"


class GrammarUnavailable(EngineUnavailable):
    code = "grammar_unavailable"


class SynthesisUnavailable(EngineUnavailable):
    code = "synthesis_unavailable"


class AudioDeviceUnavailable(EngineUnavailable):
    code = "no_audio_device"
