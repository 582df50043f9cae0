"""The polished answer on real recordings: synthetic answers and human speech, real Whisper and a
real LanguageTool. Measured as benchmarks/polish_fidelity.py measures it.

On every fixture: no structure part the speaker covered is lost and every key term they said is
still there; an answer that did not need condensing keeps at least 90% of its content words (one
condensed to fit keeps every point, not every word), no unclear word is rewritten or read
aloud, nothing but the scenario's short clauses is added. Every answer whose recording is
within its limit is polished to fit it; the few longer than their limit (two overtime answers,
two long human clips) keep every point, get nothing added, and say they still run over.
"""

from __future__ import annotations

import pytest

from benchmarks.fixture_truth import FIXTURES
from benchmarks.polish_fidelity import (
    GENERIC_SCENARIO,
    content_kept,
    fixtures_to_measure,
    parts_lost,
    unclear_rewritten,
)
from coach.analysis.reading_guide import PAUSE
from coach.analysis.structure import split_sentences
from coach.analysis.terms import mentions
from coach.analysis.text import bare

MEASURED = fixtures_to_measure()


@pytest.fixture(scope="module")
def coach(transcriber):
    from coach import Coach, Settings

    # the key terms' sounds change nothing in the polished answer, and cost a phoneme
    # recogniser's pass over every answer (they are tested in test_sounds_in_feedback.py)
    engine = Coach(Settings(check_grammar=True, check_sounds=False), transcriber=transcriber)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def polished(coach):
    """Feedback per fixture id, analysed once for the module."""
    cache = {}

    def get(fixture):
        if fixture.id not in cache:
            cache[fixture.id] = coach.analyze(fixture.path, fixture.scenario or GENERIC_SCENARIO)
        return cache[fixture.id]

    return get


def test_measured_fixtures_are_synthetic_and_human():
    sources = {f.source for f in MEASURED}
    assert sources == {"synthetic", "human"} and len(MEASURED) >= 30


@pytest.mark.parametrize("fixture", MEASURED, ids=[f.id for f in MEASURED])
def test_the_polished_answer_is_the_speakers_own(polished, fixture):
    feedback = polished(fixture)
    p = feedback.polished
    assert feedback.grammar.checked, feedback.grammar.reason  # a real LanguageTool ran
    assert parts_lost(feedback) == ()
    words = [w.text for w in feedback.transcript.words]
    lost = [hit.term for hit in feedback.coverage.covered  # kept as the term, or as heard
            if not mentions(p.text, (hit.term, " ".join(
                words[hit.word_index:hit.word_index + hit.word_count])))]
    assert lost == [], p.text
    if not p.left_out:  # nothing condensed away: the speaker's own words, nearly all
        assert content_kept(feedback) >= 0.9, (p.text, feedback.transcript.text)
    assert unclear_rewritten(feedback) == ()
    # unclear words are shown as heard and never read aloud
    spoken = [bare(w) for w in p.spoken_text.split() if w != "|"]
    said = " ".join(w.text for w in p.words if w.origin != "unclear")
    assert spoken == [bare(w) for w in said.split()]
    added = [w.text for w in p.words if w.origin == "added"]
    clauses = " ".join(k.clause for k in feedback.scenario.key_terms).lower()
    assert all(w.strip(",.").lower() in clauses or w == "and" for w in added), added
    for key in feedback.scenario.key_terms:
        assert key.model_sentence not in p.text
    assert "|" not in p.text
    if len(split_sentences(p.text)) > 1 and any(w.pause == "phrase" for w in p.words):
        assert PAUSE in p.spoken_text  # (none when the points alone ran over: Voice.brisk)
    if fixture.duration_s <= feedback.scenario.time_limit_s and not p.fits:
        # said faster than the voice says it, and every sentence left carries a point: it may
        # still run over, and then says so (nothing added, nothing more it could cut)
        assert p.added_terms == () and p.could_cut == () and p.left_out, (p.estimated_s, p.text)
    if not p.fits:
        assert p.added_terms == () and p.estimated_s > feedback.scenario.time_limit_s


def test_the_speakers_mitigation_sentence_is_kept(polished):
    fixture = next(f for f in MEASURED if f.id == "oom-us150-clean")
    feedback = polished(fixture)
    # The voice says "To mitigate, I raise the limit and look for the leak."; the recogniser's
    # punctuation and its last word vary with the model, the speaker's point must not.
    mitigation = "i raise the limit and look for the"
    heard = " ".join(bare(w.text) for w in feedback.transcript.words)
    polished_words = " ".join(bare(w) for w in feedback.polished.text.split())
    assert mitigation in heard, heard
    assert mitigation in polished_words, feedback.polished.text
    assert "mitigation" in feedback.polished.structure.present
    assert feedback.model_answer.text == feedback.scenario.reference_answer
    assert feedback.model_answer.text not in feedback.polished.text


def test_human_speech_off_the_question_gets_nothing_added(polished):
    for fixture in (f for f in MEASURED if f.source == "human"):
        feedback = polished(fixture)
        assert feedback.polished.added_terms == (), fixture.id
        assert (FIXTURES / fixture.path.relative_to(FIXTURES)).is_file()
