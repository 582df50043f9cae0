"""`coach practice`'s live panel in the terminal, and a file played like a microphone."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest
from stand_in_stream import StandInStream

from coach.audio.recorder import FileSource
from coach.audio.wav import write_pcm_wav
from coach.cli.live_view import LiveView, panel_lines
from coach.scenarios import KeyTerm, Scenario
from coach.settings import Settings

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller"), KeyTerm("dmesg")))


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


class Screen(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal(out):
    from coach.cli.practice import Terminal

    return Terminal(io.StringIO(), out)


def fed(seconds: float, text: str, backlog_s: float = 0.0) -> StandInStream:
    stream = StandInStream(text=text)
    stream.feed(np.zeros(int(seconds * 16000), np.float32))
    stream.backlog_s = backlog_s
    return stream


def test_the_panel_shows_time_left_terms_fillers_and_the_backlog():
    stream = fed(8.0, "Um, I think the OOMKiller killed it, like, twice.", backlog_s=5.0)
    stream.waiting_s = 1.0  # 5 s behind with 1 s waiting: later than the usual 1.65 s + 3 s
    view = LiveView(terminal(io.StringIO()), OOM, Settings(), stream, clock=Clock())
    view.update(8.0, 0.5)
    lines = panel_lines(8.0, 0.5, view.panel, None, view.progress, 60)
    assert lines[0].endswith("52 s left")
    assert "fillers 1 (um)" in lines[1]  # "like" comes after what was decoded (5 s behind)
    assert lines[2] == "  key terms: ✓ OOMKiller  ○ dmesg"
    assert lines[3] == "  parts: ✓ hypothesis  ○ first checks  ○ mitigation"
    assert lines[6].startswith("  catching up (5 s behind) [###")


def test_on_a_terminal_the_panel_is_redrawn_in_place_and_worked_out_once_a_second():
    out, clock = Screen(), Clock()
    stream = fed(2.0, "the OOMKiller")
    view = LiveView(terminal(out), OOM, Settings(), stream, clock=clock)
    view.update(2.0, 0.1)
    first = view.panel
    clock.now = 0.5
    view.update(2.5, 0.1)
    assert view.panel is first  # not worked out again within the second
    clock.now = 1.0
    view.update(3.0, 0.1)
    assert view.panel is not first
    drawn = out.getvalue()
    assert drawn.count("\x1b[7F") == 2 and drawn.count("\x1b[2K") == 21  # 3 draws of 7 lines


def test_without_a_terminal_the_panel_is_printed_when_it_changes_at_most_every_5_s():
    out, clock = io.StringIO(), Clock()
    stream = fed(0.0, "the OOMKiller was it and dmesg said so " * 3)
    view = LiveView(terminal(out), OOM, Settings(), stream, clock=clock)
    for tick in range(60):  # 6 s, ten updates a second, new words each second
        stream.feed(np.zeros(1600, np.float32))
        clock.now = tick / 10
        view.update(tick / 10, 0.1)
    assert out.getvalue().count("key terms:") == 2 and "\x1b" not in out.getvalue()


def test_a_file_played_in_real_time_hands_on_every_block_and_keeps_them(tmp_path):
    source = tmp_path / "answer.wav"
    samples = (np.sin(np.arange(19200) / 10) * 0.3).astype(np.float32)  # 1.2 s
    write_pcm_wav(source, samples)
    blocks, ticks = [], []
    recording = FileSource(source, realtime=True).record(
        tmp_path / "kept", 1.45, lambda: False, lambda e, lvl: ticks.append(e), blocks.append)
    assert recording.stopped_by == "limit" and recording.duration_s == 1.45  # then silence
    assert len(blocks) == 15 and ticks == pytest.approx([n / 10 for n in range(1, 15)] + [1.45])
    with wave.open(str(recording.path)) as kept:
        assert kept.readframes(30000) == np.concatenate(blocks).tobytes()
    assert not np.concatenate(blocks)[19200:].any()


def test_enter_stops_a_file_played_in_real_time(tmp_path):
    source = tmp_path / "answer.wav"
    write_pcm_wav(source, np.full(32000, 0.1, np.float32))
    calls = []
    recording = FileSource(source, realtime=True).record(
        tmp_path / "kept", 60, lambda: (calls.append(1), len(calls) > 3)[1])
    assert recording.stopped_by == "enter" and recording.duration_s == 0.3


@pytest.mark.parametrize("saved, given", [({}, ["no_fillers"]),
                                          ({"nudges": {"no_fillers": False}}, [])])
def test_practice_gives_the_nudges_settings_json_turns_on(saved, given):
    """`coach practice` builds its Coach from settings_for_command (settings.json + flags) and
    hands `coach.settings` to the LiveView: a nudge turned off in the Settings tab stays off."""
    import argparse
    import json

    from coach.settings import settings_for_command, settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps(saved))
    settings = settings_for_command(argparse.Namespace(scenario=None, no_grammar=True))
    stream = fed(12.0, "the kernel did it and then it came back " * 8)  # no fillers
    view = LiveView(terminal(io.StringIO()), OOM, settings, stream, clock=Clock())
    view.update(12.0, 0.5)
    assert [n.kind for n in view.history] == given
