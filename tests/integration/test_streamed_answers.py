"""analyze_and_keep with an answer transcribed while it was recorded (a StreamedAnswer), with the
real model: the recording is kept before the stream is finished, and the feedback is the one
the kept recording gets when it is decoded whole.

The fixture is fed as a page or a microphone feeds it: 16-bit PCM in 0.25 s blocks.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from coach.attempts import analyze_and_keep
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.audio.wav import write_pcm_wav
from coach.errors import NoSpeechDetected
from coach.history import HistoryStore
from coach.scenarios.library import ScenarioLibrary
from coach.streamed_answer import StreamedAnswer

LIBRARY = ScenarioLibrary.load()
BLOCK = SAMPLE_RATE // 4


def pcm_of(fixture) -> np.ndarray:
    samples = load_audio(fixture.path).samples
    return np.clip(np.round(samples * 32768), -32768, 32767).astype(np.int16)


def streamed(coach, scenario, pcm: np.ndarray, **options) -> StreamedAnswer:
    answer = StreamedAnswer.open(coach, scenario, **options)
    for offset in range(0, len(pcm), BLOCK):
        answer.stream.feed(pcm[offset : offset + BLOCK], SAMPLE_RATE)
    return answer


@pytest.fixture
def store(tmp_path):
    return HistoryStore(tmp_path / "history.db", recordings=tmp_path / "recordings")


def test_a_streamed_answer_is_kept_first_and_gets_the_whole_file_feedback(
        offline_coach, fixtures, store):
    fixture = fixtures["oom-us150-fillers"]
    scenario = LIBRARY.get(fixture.scenario)
    answer = streamed(offline_coach, scenario, pcm_of(fixture))
    finish = answer.stream.finish
    kept_before_finish = []

    def finish_after_checking():
        kept_before_finish.extend((a.status, a.recording_path) for a in store.attempts())
        return finish()

    object.__setattr__(answer.stream, "finish", finish_after_checking)
    attempt, feedback, error = analyze_and_keep(offline_coach, store, answer, scenario)
    assert error is None and attempt.status == "analyzed"
    assert kept_before_finish == [("recorded", attempt.recording_path)]
    kept = load_audio(attempt.recording_path).samples
    assert np.array_equal(kept, pcm_of(fixture) / np.float32(32768))

    _, whole, error = analyze_and_keep(offline_coach, store, attempt.recording_path, scenario)
    assert error is None
    assert feedback.transcript.words == whole.transcript.words
    same = {"audio": "", "stage_ms": {}}  # where it is kept and how long each step took
    assert feedback.to_dict() | same == whole.to_dict() | same


def test_a_follow_up_judged_on_other_terms_is_decoded_whole(offline_coach, fixtures, store,
                                                            tmp_path):
    fixture = fixtures["oom-us150-clean"]
    scenario = LIBRARY.get(fixture.scenario)
    recording = tmp_path / "answer.wav"
    write_pcm_wav(recording, pcm_of(fixture) / 32768)
    answer = streamed(offline_coach, scenario, pcm_of(fixture), path=recording)
    question, targets = "Where is the proof?", ("dmesg",)
    _, feedback, error = analyze_and_keep(offline_coach, store, answer, scenario,
                                                question=question, targets=targets)
    assert error is None
    assert answer.stream._state == "cancelled"  # prompted with all the terms: not used
    _, whole, _ = analyze_and_keep(offline_coach, store, recording, scenario,
                                   question=question, targets=targets)
    assert feedback.transcript.words == whole.transcript.words


def test_a_silent_streamed_answer_says_so_and_is_kept(offline_coach, store):
    scenario = LIBRARY.get("oom-silent-restart")
    answer = streamed(offline_coach, scenario, np.zeros(SAMPLE_RATE * 5, np.int16))
    attempt, feedback, error = analyze_and_keep(offline_coach, store, answer, scenario)
    assert feedback is None and isinstance(error, NoSpeechDetected)
    assert [a.id for a in store.attempts()] == [attempt.id]
    assert len(load_audio(attempt.recording_path).samples) == SAMPLE_RATE * 5


def test_an_abandoned_stream_is_cancelled_even_when_keeping_fails(offline_coach, store):
    scenario = replace(LIBRARY.get("oom-silent-restart"), id="")  # save_recording refuses it
    answer = streamed(offline_coach, scenario, np.zeros(SAMPLE_RATE, np.int16))
    with pytest.raises(Exception):  # noqa: B017 - whatever the store raises
        analyze_and_keep(offline_coach, store, answer, scenario)
    assert answer.stream._state == "cancelled"
