"""The live panel and its nudges: tables of words heard so far -> what the panel shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coach.analysis.live import (
    NUDGE_GAP_S,
    LivePanel,
    Nudge,
    live_panel,
    next_nudge,
    recent_pace,
)
from coach.analysis.timing import PaceRange
from coach.feedback import build_feedback
from coach.grammar.report import GrammarReport
from coach.scenarios import KeyTerm, Scenario
from coach.settings import Settings
from coach.transcript import Transcript, Word

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller", ("OOM killer",)), KeyTerm("dmesg"),
                          KeyTerm("memory.max")))


def words(text: str, per_second: float = 2.5, start: float = 0.0) -> tuple[Word, ...]:
    return Transcript.from_text(text, words_per_second=per_second, start=start).words


@pytest.mark.parametrize("said, terms_said, fillers, parts", [
    ("", (), (), ()),
    ("My guess is the OOM killer.", ("OOMKiller",), (), ("hypothesis",)),
    ("Um, I think it is, like, the OOMKiller. I'd check dmesg.",
     ("OOMKiller", "dmesg"), ("um", "like"), ("hypothesis", "first checks")),
    ("I'd like to look at memory dot max first.", ("memory.max",), (), ("first checks",)),
    ("Basically I would raise the limit.", (), ("basically",), ("mitigation",)),
])
def test_panel_ticks_terms_fillers_and_parts(said, terms_said, fillers, parts):
    panel = live_panel(words(said), 12.0, OOM, Settings())
    assert panel.terms_said == terms_said
    assert set(panel.terms_missing) == {t.term for t in OOM.key_terms} - set(terms_said)
    assert tuple(f.text for f in panel.fillers) == fillers
    assert panel.parts_present == parts
    assert panel.parts_expected == ("hypothesis", "first checks", "mitigation")


@pytest.mark.parametrize("elapsed, left", [(0.0, 60.0), (45.5, 14.5), (70.0, -10.0)])
def test_time_left_counts_from_the_start_of_the_recording(elapsed, left):
    assert live_panel(words("I think"), elapsed, OOM, Settings()).time_left_s == left


@pytest.mark.parametrize("per_second, heard_s, expected_wpm, pace", [
    (2.0, None, 120.0, "good"),  # 2 words a second for 20 s: 120 wpm
    (3.0, None, 180.0, "fast"),
    (1.5, None, 90.0, "slow"),
    (2.0, 30.0, 120.0, "good"),  # silence after the last word is a pause, not a pace
])
def test_pace_is_that_of_the_last_ten_seconds(per_second, heard_s, expected_wpm, pace):
    said = words("word " * int(20 * per_second), per_second)
    panel = live_panel(said, 22.0, OOM, Settings(), heard_s=heard_s or said[-1].end)
    assert panel.recent_wpm == pytest.approx(expected_wpm, rel=0.1)
    assert panel.pace == pace


def test_the_last_ten_seconds_only_count():
    slow_then_fast = words("word " * 20, 1.0) + words("word " * 30, 3.0, start=20.0)
    assert recent_pace(slow_then_fast) == pytest.approx(180, rel=0.05)


@pytest.mark.parametrize("said", ["", "um so", "word " * 8])  # under 5 s of speech
def test_no_pace_before_five_seconds_of_speech(said):
    panel = live_panel(words(said), 3.0, OOM, Settings())
    assert (panel.recent_wpm, panel.pace) == (None, "")


def test_the_pace_range_and_own_fillers_come_from_the_settings():
    settings = replace(Settings(), pace_range=PaceRange(80, 100),
                       fillers=replace(Settings().fillers, extra_discourse=("right",)))
    panel = live_panel(words("right " + "word " * 30, 2.0), 16.0, OOM, settings)
    assert panel.pace == "fast" and [f.text for f in panel.fillers] == ["right"]


def test_live_and_final_feedback_agree_on_the_same_words():
    said = words("Um, my guess is the OOM killer, like, it was killed. I'd check dmesg on the "
                 "node and compare memory dot max with the usage. To mitigate I raise the limit.")
    panel = live_panel(said, 30.0, OOM, Settings())
    final = build_feedback(Transcript(said, 30.0), OOM, GrammarReport(False, "none"))
    assert panel.terms_said == final.coverage.said
    assert [f.text for f in panel.fillers] == [f.text for f in final.fillers.items]
    assert panel.parts_present == final.polished.structure.present


def panel(**changes) -> LivePanel:
    base = LivePanel(elapsed_s=30.0, limit_s=60, heard_s=25.0, word_count=50, recent_wpm=130.0,
                     pace="good", pace_range=PaceRange(), fillers=(), terms_said=(),
                     terms_missing=(), parts_expected=("hypothesis", "first checks"),
                     parts_present=("hypothesis", "first checks"), last_words="",
                     nudges=Settings().nudges, speech_start_s=20.0)
    return replace(base, **changes)


FAST = {"pace": "fast", "recent_wpm": 190.0}
FILLER = live_panel(words("I think um it is the kernel", 2.5, start=1.0), 4.0, OOM,
                    Settings()).fillers
LATE = {"elapsed_s": 52.0, "parts_present": ("hypothesis",)}


@pytest.mark.parametrize("changes, history, kind, text", [
    ({}, [], None, None),  # nothing to say: 5 s of clean speech, good pace
    (FAST, [], "slow_down", "Slow down: 190 wpm, aim for 110-160. Pause after each point."),
    (FAST, [Nudge("slow_down", "", 25.0)], None, None),  # 5 s ago: too soon for another
    (FAST, [Nudge("slow_down", "", 30.0 - NUDGE_GAP_S)], "slow_down", None),
    ({**FAST, "nudges": ("no_fillers", "next_part")}, [], None, None),  # turned off
    ({"speech_start_s": 10.0}, [], "no_fillers", "No fillers for 15 s, good."),
    ({"speech_start_s": 10.0}, [Nudge("no_fillers", "", 15.0, 21.0)], None, None),  # said
    ({"speech_start_s": 0.0, "fillers": FILLER}, [Nudge("no_fillers", "", 15.0, 1.0)],
     "no_fillers", "No fillers for 23 s, good."),  # a filler since the last praise
    ({"speech_start_s": 0.0, "fillers": FILLER, "heard_s": 10.0}, [], None, None),
    # words after 18 s are live captions (a smaller model, which drops fillers): no praise yet
    ({"speech_start_s": 10.0, "confirmed_s": 18.0}, [], None, None),
    ({"speech_start_s": 10.0, "confirmed_s": 21.0}, [], "no_fillers", "No fillers for 11 s, good."),
    (LATE, [], "next_part", "8 s left: state your next check."),
    ({**LATE, **FAST}, [], "next_part", None),  # time comes first
    ({**LATE, **FAST}, [Nudge("next_part", "", 40.0)], "slow_down", None),  # said once
    ({**LATE, "nudges": ("slow_down",)}, [], None, None),
    ({**LATE, "parts_present": ("hypothesis", "first checks")}, [], None, None),
    ({**LATE, "elapsed_s": 61.0}, [], None, None),  # over the limit: too late
])
def test_nudges(changes, history, kind, text):
    nudge = next_nudge(history, panel(**changes), panel(**changes).elapsed_s)
    assert (nudge and nudge.kind) == kind
    if text:
        assert nudge.text == text
    if nudge:
        assert nudge.at_s == panel(**changes).elapsed_s


def test_only_the_final_decodings_words_earn_praise_for_no_fillers():
    """The stream has decoded up to 12 s, with an "um" at 1.5 s; captions add 12 s of words
    without a filler after it. The panel counts the captions' words, but the praise waits for
    the final decoding to get there (it may well hear an "uh" the captions left out)."""
    said = words("I think um it is the kernel", 2.5, start=1.0)
    captions = words(" ".join(["and then I check the limit"] * 6), 2.5, start=12.0)
    shown = live_panel((*said, *captions), 26.0, OOM, Settings(), heard_s=12.0,
                       confirmed_s=12.0)
    assert shown.heard_s == captions[-1].end and shown.confirmed_s == 12.0
    assert next_nudge([], shown, 26.0) is None
    confirmed = live_panel((*said, *captions), 26.0, OOM, Settings(), heard_s=24.0,
                           confirmed_s=24.0)
    nudge = next_nudge([], confirmed, 26.0)
    assert nudge is not None and nudge.kind == "no_fillers"
