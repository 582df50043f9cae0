"""Stand-ins shared by the UI tests that do not need the real speech model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from coach import Coach, Settings
from coach.audio.decode import AudioClip
from coach.errors import NoSpeechDetected
from coach.scenarios import FollowUp, KeyTerm, Scenario
from coach.scenarios.library import ScenarioLibrary
from coach.transcript import Transcript


class FixedTranscriber:
    """Stands in for Whisper: returns the transcript it was given."""

    name = "fixed"

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def transcribe(self, clip, key_terms=()):
        return self.transcript


OOM = Scenario(
    id="oom-silent-restart", title="Restarts <with> no logs", kind="opening", time_limit_s=40,
    prompt="A container keeps restarting & logs nothing.", module="system-debug",
    context="Kubernetes, cgroup v2.",
    key_terms=(KeyTerm("OOMKiller", ("OOM killer",)), KeyTerm("dmesg"), KeyTerm("memory.max")),
    follow_ups=(FollowUp("Where on the node is the proof?", ("dmesg",)),
                FollowUp("Which cgroup file has the limit?", ("memory.max",))))
REVIEW = Scenario(id="retry-loop-review", title="Retry loop", kind="review", time_limit_s=45,
                  prompt="Review this retry loop.", module="code-review",
                  key_terms=(KeyTerm("backoff"), KeyTerm("jitter")))
LIBRARY = ScenarioLibrary([OOM, REVIEW])
TITLES = {s.id: s.title for s in LIBRARY}


class TextCoach:
    """Reads the 'recording' as the words said; an empty file means no speech."""

    library = LIBRARY
    settings = Settings(check_grammar=False)

    def load(self, path, name=None):  # the text file is the 'clip'
        return path

    def analyze(self, path, scenario):
        text = Path(path).read_text(encoding="utf-8")
        if not text.strip():
            raise NoSpeechDetected("No speech was heard in the recording.")
        transcript = Transcript.from_text(text)
        coach = Coach(self.settings, transcriber=FixedTranscriber(transcript),
                      phonemizer=lambda words: {})
        clip = AudioClip.from_array(np.zeros(int(16000 * transcript.duration_s), np.float32))
        return coach.analyze(clip, scenario)


def said_in(folder: Path, text: str) -> Path:
    """A 'recording' for TextCoach: a new file in `folder` holding the words said."""
    path = folder / f"{len(list(folder.iterdir()))}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def drawings_as_text(html: str) -> str:
    """`html` with each SVG drawing replaced by the text it shows. A kept record has the score
    and pace points rounded, which can move a drawing by a fraction of a pixel."""
    return re.sub(r"<svg.*?</svg>",
                  lambda svg: " ".join(re.findall(r">([^<>]+)<", svg.group())), html,
                  flags=re.DOTALL)
