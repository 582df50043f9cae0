"""Stand-ins shared by the UI tests that do not need the real speech model."""

from __future__ import annotations

from coach.transcript import Transcript


class FixedTranscriber:
    """Stands in for Whisper: returns the transcript it was given."""

    name = "fixed"

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def transcribe(self, clip, key_terms=()):
        return self.transcript
