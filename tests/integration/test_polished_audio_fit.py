"""The polished answer fits its limit as the default voice really says it: espeak-ng audio at
DEFAULT_WPM measured on the WAV, for every answer of benchmarks/polish_fit.py (each synthetic
fixture's text as said, said three times over, and joined with another take). The fit aims
under the limit (coach.analysis.condense.FIT_MARGIN), so the estimate's error never puts the
audio over; an answer whose points alone run over says so (`fits` is false)."""

from __future__ import annotations

import pytest

from benchmarks.fixture_truth import load_fixtures
from benchmarks.polish_fit import answers
from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.polish import polish_answer
from coach.analysis.unclear import find_unclear
from coach.engines.synthesizer import EspeakSynthesizer
from coach.grammar import not_checked
from coach.scenarios.library import ScenarioLibrary
from coach.settings import DEFAULT_WPM
from coach.speakable import speakable
from coach.transcript import Transcript

SCENARIOS = {s.id: s for s in ScenarioLibrary.load()}
ANSWERS = answers()


def _polished(scenario, text):
    said = Transcript.from_text(text)
    grammar = not_checked("none", "off")
    return polish_answer(said, scenario, analyze_fillers(said, 0.5),
                         analyze_coverage(said, scenario), grammar, find_unclear(said, grammar),
                         engine="espeak", wpm=DEFAULT_WPM)


@pytest.mark.parametrize(("name", "scenario_id", "text"), ANSWERS,
                         ids=[a[0] for a in ANSWERS])
def test_the_polished_audio_is_never_over_the_limit_when_it_says_it_fits(
        name, scenario_id, text, tmp_path):
    scenario = SCENARIOS[scenario_id]
    polished = _polished(scenario, text)
    audio = EspeakSynthesizer().synthesize(speakable(polished.spoken_text, scenario.key_terms),
                                           tmp_path / "polished.wav", wpm=DEFAULT_WPM)
    if polished.fits:  # else its points alone run over, and the page says so
        assert audio.duration_s <= scenario.time_limit_s, (audio.duration_s, polished.text)


def test_overlay_joe_clean_fits_on_real_audio(tmp_path):
    fixture = next(f for f in load_fixtures() if f.id == "overlay-joe-clean")
    scenario = SCENARIOS[fixture.scenario]
    polished = _polished(scenario, fixture.text)
    audio = EspeakSynthesizer().synthesize(speakable(polished.spoken_text, scenario.key_terms),
                                           tmp_path / "polished.wav", wpm=DEFAULT_WPM)
    assert polished.fits and audio.duration_s <= scenario.time_limit_s, (audio.duration_s,
                                                                         polished.spoken_text)
