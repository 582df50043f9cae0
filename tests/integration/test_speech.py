"""Spoken playback: real espeak-ng and Piper voices, checked by ear (the real model)."""

from __future__ import annotations

import pytest

from coach.audio import load_audio
from coach.evaluation import word_error_rate

POLISHED = ("My first hypothesis is that the OOMKiller ended the process. I would check dmesg "
            "on the node and compare memory.max with the real peak usage. As a mitigation I "
            "would raise the limit for now and then look for the leak in the service.")


@pytest.mark.parametrize("engine", ["espeak", "piper"])
@pytest.mark.parametrize("wpm", [120, 170])
def test_wav_has_the_expected_length_for_its_pace(offline_coach, tmp_path, engine, wpm):
    speech = offline_coach.speak(POLISHED, tmp_path / "p.wav", engine=engine, wpm=wpm)
    assert speech.path.exists()
    expected = len(POLISHED.split()) * 60 / wpm
    assert speech.duration_s == pytest.approx(expected, rel=0.2)


@pytest.mark.parametrize("engine, bound", [("espeak", 0.25), ("piper", 0.15)])
def test_spoken_polished_answer_is_heard_back(offline_coach, transcriber, tmp_path, engine,
                                             bound):
    speech = offline_coach.speak(POLISHED, tmp_path / "p.wav", engine=engine)
    heard = transcriber.transcribe(load_audio(speech.path), ["OOMKiller", "dmesg", "memory.max"])
    assert word_error_rate(POLISHED, heard.text) <= bound, heard.text
    assert "OOMKiller" in heard.text


def test_unknown_engine_is_a_clear_error(offline_coach, tmp_path):
    from coach.errors import SynthesisUnavailable

    with pytest.raises(SynthesisUnavailable, match="Unknown voice engine"):
        offline_coach.speak("hello", tmp_path / "x.wav", engine="festival")
