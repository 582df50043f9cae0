"""The "system" voice (pyttsx3; espeak-ng's library on Linux) and its two known defects.

pyttsx3 2.99's espeak driver wrote the file after `runAndWait()` returned, and on a reused
engine ignored rate changes. These tests fail on the naive `save_to_file(); runAndWait()` with
one engine (checked when they were written) and pass with `SystemSynthesizer`.
"""

from __future__ import annotations

import time

import pytest

from coach.audio.wav import wav_duration
from coach.engines.pyttsx3_worker import is_complete
from coach.engines.synthesizer import ENGINES, make_synthesizer
from coach.engines.system_voice import SystemSynthesizer, unavailable_reason

ANSWER = ("My first hypothesis is that the kernel ended the process because it ran out of "
          "memory. I would check the kernel log on the node and compare the memory limit with "
          "the real peak usage of the service, then raise the limit for now and look for the "
          "leak.")
WORDS = len(ANSWER.split())


@pytest.fixture(scope="module")
def system_voice():
    problem = unavailable_reason()
    if problem:
        pytest.fail(f"The system voice cannot run here: {problem}. On Debian: "
                    "apt-get install libespeak-ng1 (scripts/setup_system.sh installs it).")
    return SystemSynthesizer()


def test_system_is_a_voice_choice():
    from coach.cli.main import build_parser

    assert "system" in ENGINES
    assert isinstance(make_synthesizer("system"), SystemSynthesizer)
    args = build_parser().parse_args(["analyze", "a.wav", "-s", "x", "--voice", "system"])
    assert args.voice == "system"


def test_file_is_complete_when_synthesize_returns(system_voice, tmp_path):
    for attempt in range(3):
        path = tmp_path / f"answer-{attempt}.wav"
        speech = system_voice.synthesize(ANSWER, path, wpm=150)
        # no waiting: the file must be whole the moment synthesize() returns
        assert path.exists() and is_complete(str(path))
        duration_now = wav_duration(path)
        assert duration_now == pytest.approx(WORDS * 60 / 150, rel=0.25)
        assert speech.duration_s == duration_now
        time.sleep(0.3)
        assert wav_duration(path) == duration_now  # nothing was still being written


def test_rate_changes_on_one_synthesizer(system_voice, tmp_path):
    durations = {}
    for i, wpm in enumerate([120, 200, 120, 170, 200]):
        speech = system_voice.synthesize(ANSWER, tmp_path / f"{i}.wav", wpm=wpm)
        assert speech.duration_s == pytest.approx(WORDS * 60 / wpm, rel=0.2), wpm
        durations.setdefault(wpm, []).append(speech.duration_s)
    # the same request gives the same pace, whatever came before it
    for same in durations.values():
        assert max(same) / min(same) < 1.05
    assert min(durations[120]) > min(durations[170]) * 1.2 > min(durations[200]) * 1.2


def test_nothing_is_printed_on_stdout(system_voice, tmp_path, capfd):
    # pyttsx3's espeak driver prints "Audio saved to ..."; `coach analyze --json` owns stdout
    system_voice.synthesize("The node ran out of memory.", tmp_path / "x.wav")
    assert capfd.readouterr().out == ""


def test_a_missing_library_is_a_clear_error(tmp_path):
    from coach.errors import SynthesisUnavailable

    voice = SystemSynthesizer(driver="nsss")  # macOS's driver: its PyObjC is not on Linux
    with pytest.raises(SynthesisUnavailable, match="system voice"):
        voice.synthesize("hello", tmp_path / "x.wav")
