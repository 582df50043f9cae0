"""The Settings tab's nudge switches: saved to settings.json and honoured by the live panel.

The Settings tab's own handler (`settings_tab.save`) saves the form; an answer recorded after
that (`LiveAnswers`, with a stand-in stream) shows the live panel with that nudge or without.
"""

from __future__ import annotations

import numpy as np
import pytest

from coach import Settings
from coach.engines.transcription_stream import StreamProgress
from coach.scenarios import KeyTerm, Scenario
from coach.settings import NUDGE_KINDS, NUDGE_LABELS, load_settings
from coach.transcript import Transcript
from coach.ui.live_answers import LiveAnswers
from coach.ui.settings_tab import save
from coach.ui.shared import Shared

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller"), KeyTerm("dmesg")))
NO_FILLERS = "the kernel did it and then it came back " * 8
FORM = (110, 160, "", "", "espeak", 145, "base", False, True)  # the tab's other fields


class NoFillerStream:
    """Stands in for a TranscriptionStream: NO_FILLERS at 2.5 words a second, decoded at once."""

    def __init__(self) -> None:
        self.received_s = 0.0

    def feed(self, samples, sample_rate: int = 16000) -> None:
        self.received_s += len(samples) / sample_rate

    def progress(self) -> StreamProgress:
        words = tuple(w for w in Transcript.from_text(NO_FILLERS).words
                      if w.end <= self.received_s)
        return StreamProgress(words, self.received_s, self.received_s, 0.0, 0.0)

    @property
    def duration_s(self) -> float:
        return self.received_s

    def cancel(self) -> None:
        pass


class SettingsStreamingCoach:
    """Opens stand-in streams; has the settings a Coach has."""

    def __init__(self) -> None:
        self.settings = Settings(check_grammar=False)

    def open_stream(self, scenario) -> NoFillerStream:
        return NoFillerStream()

    def score_while_streaming(self, stream, scenario) -> None:  # sounds: not checked here
        return None

    def caption_while_streaming(self, stream, scenario) -> None:  # the stream's words only
        return None


def nudge_after_12_s(shared: Shared, answer_id: str):
    live = LiveAnswers()
    live.open("s1", "answer", answer_id, shared.coach, OOM)
    for seq in range(48):  # 12 s of audio in 0.25 s blocks
        live.feed(answer_id, seq, np.full(4000, 1000, dtype=np.int16), 16000, False)
    return live.watch(answer_id).nudge


def test_every_nudge_kind_has_a_label_for_its_switch():
    assert set(NUDGE_LABELS) == set(NUDGE_KINDS)
    assert "slow down" in NUDGE_LABELS["slow_down"].lower()


def test_turning_the_no_fillers_nudge_off_stops_it_and_is_saved():
    shared = Shared(SettingsStreamingCoach())
    assert nudge_after_12_s(shared, "a1").kind == "no_fillers"  # on by default
    status = save(shared, *FORM, True, False, True)  # slow down, no fillers, next part
    assert 'data-testid="settings-saved"' in status
    assert shared.coach.settings.nudges == ("slow_down", "next_part")
    assert load_settings().nudges == ("slow_down", "next_part")
    assert nudge_after_12_s(shared, "a2") is None


@pytest.mark.parametrize("switches, kept", [
    ((True, True, True), NUDGE_KINDS),
    ((False, False, False), ()),
    ((False, True, False), ("no_fillers",)),
])
def test_the_switches_give_the_nudges_turned_on(switches, kept):
    shared = Shared(SettingsStreamingCoach())
    save(shared, *FORM, *switches)
    assert shared.coach.settings.nudges == kept
    assert load_settings().nudges == kept


def test_turning_it_back_on_brings_the_nudge_back():
    shared = Shared(SettingsStreamingCoach())
    save(shared, *FORM, True, False, True)
    save(shared, *FORM, True, True, True)
    assert nudge_after_12_s(shared, "a3").kind == "no_fillers"
