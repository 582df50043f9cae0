"""Every scenario's model answer fits its time limit as the default voice really says it: the
espeak-ng audio at DEFAULT_WPM, measured on the WAV (not estimated), and the estimate shown
before any audio exists (coach.analysis.speech_time) is close to it."""

from __future__ import annotations

import pytest

from coach.analysis.model_answer import model_answer
from coach.engines.synthesizer import EspeakSynthesizer
from coach.scenarios.library import ScenarioLibrary
from coach.settings import DEFAULT_WPM
from coach.speakable import speakable

SCENARIOS = list(ScenarioLibrary.load())
ESTIMATE_WITHIN_S = 5.0  # the fit's worst error on answer-length text: 4.8 s (voice_rate.json)


def test_there_are_27_scenarios():
    assert len(SCENARIOS) == 27


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_the_model_answer_fits_its_limit_on_real_audio(scenario, tmp_path):
    answer = model_answer(scenario, "espeak", DEFAULT_WPM)
    audio = EspeakSynthesizer().synthesize(speakable(answer.spoken_text, scenario.key_terms),
                                           tmp_path / "model.wav", wpm=DEFAULT_WPM)
    assert audio.duration_s <= scenario.time_limit_s, (audio.duration_s, answer.text)
    assert abs(answer.estimated_s - audio.duration_s) <= ESTIMATE_WITHIN_S
