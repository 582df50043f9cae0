"""Coach.analyze judges the key terms' sounds beside the grammar check, not after it: after
Stop the user waits for the longer of the two, not their sum."""

from __future__ import annotations

import threading

import numpy as np
from history_factory import OOM

import coach.coach as coach_module
from coach import Coach, Settings
from coach.audio.decode import AudioClip
from coach.grammar.issues import CheckResult
from coach.phonemes.answer import not_checked
from coach.transcript import Transcript, Word

WAIT_S = 5.0


class GrammarWaitingForSounds:
    name = "stand-in"

    def __init__(self, sounds_started: threading.Event) -> None:
        self.sounds_started = sounds_started
        self.saw_sounds_start = False

    def check(self, text: str) -> CheckResult:
        self.saw_sounds_start = self.sounds_started.wait(WAIT_S)
        return CheckResult()


def test_sounds_are_judged_while_the_grammar_is_checked(monkeypatch):
    sounds_started = threading.Event()
    grammar = GrammarWaitingForSounds(sounds_started)

    def judge(*args, **kwargs):
        sounds_started.set()
        return not_checked("stand-in")

    monkeypatch.setattr(coach_module, "judge_sounds", judge)
    coach = Coach(Settings(check_sounds=True), grammar=grammar, phonemizer=lambda p: {})
    said = Transcript((Word("The", 0.0, 0.3), Word("OOMKiller", 0.3, 1.0),
                       Word("fired.", 1.0, 1.4)), 2.0)
    clip = AudioClip(np.zeros(32_000, dtype=np.float32), "answer.wav", 16_000, 1, "pcm")
    feedback = coach.analyze(clip, OOM, transcript=said)
    assert grammar.saw_sounds_start, "the sounds were judged only after the grammar check"
    assert feedback.sounds.message == "stand-in"
