"""StreamedAnswer (coach/streamed_answer.py) with stand-in streams: what is kept, and when the
stream's transcript may stand in for decoding the kept recording."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from stand_in_stream import StreamingCoach

from coach.audio.decode import AudioClip, check_length, load_audio
from coach.audio.wav import write_pcm_wav
from coach.errors import AudioTooLong, AudioTooShort
from coach.scenarios import KeyTerm, Scenario
from coach.streamed_answer import StreamedAnswer

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller"), KeyTerm("dmesg")))


def test_keep_as_writes_exactly_the_samples_fed(tmp_path):
    coach = StreamingCoach()
    answer = StreamedAnswer.open(coach, OOM)
    rng = np.random.default_rng(7)
    blocks = [rng.integers(-32768, 32767, 4000, dtype=np.int16) for _ in range(5)]
    for block in blocks:
        answer.stream.feed(block, 16000)
    kept = answer.keep_as(tmp_path)
    assert kept.parent == tmp_path
    read_back = load_audio(kept, min_duration_s=0.0).samples
    assert np.array_equal(read_back, np.concatenate(blocks) / np.float32(32768))
    assert np.array_equal(read_back, answer.stream.clip().samples)


def test_keep_as_gives_the_answers_own_file_when_it_has_one(tmp_path):
    recording = tmp_path / "mine.wav"
    write_pcm_wav(recording, np.zeros(16000))
    answer = StreamedAnswer.open(StreamingCoach(), OOM, path=recording)
    assert answer.keep_as(tmp_path / "elsewhere") == recording
    assert not (tmp_path / "elsewhere").exists()


def test_write_pcm_wav_rounds_and_clips_other_floats(tmp_path):
    write_pcm_wav(tmp_path / "a.wav", np.array([0.5, 2.0, -2.0, 1e-6]))
    samples = load_audio(tmp_path / "a.wav", min_duration_s=0.0).samples
    assert list(samples * 32768) == [16384, 32767, -32768, 0]


def test_the_stream_transcribes_when_coach_and_key_terms_match():
    coach = StreamingCoach()
    answer = StreamedAnswer.open(coach, OOM)
    transcribe = answer.transcriber_for(coach, replace(OOM, time_limit_s=30))
    assert transcribe is not None
    assert transcribe().text == "the answer"
    assert answer.stream.state == "finished"


@pytest.mark.parametrize("changed", ["key terms", "coach"])
def test_the_stream_is_dropped_when_the_question_or_the_coach_changed(changed):
    coach = StreamingCoach()
    answer = StreamedAnswer.open(coach, OOM)
    judged, judge = OOM, coach
    if changed == "key terms":  # e.g. a follow-up narrowed to other terms
        judged = replace(OOM, key_terms=(KeyTerm("dmesg"),))
    else:  # e.g. the speech model was changed in the settings meanwhile
        judge = StreamingCoach()
    assert answer.transcriber_for(judge, judged) is None
    assert answer.stream.state == "cancelled"


def test_cancel_stops_the_stream_and_is_harmless_once_finished():
    answer = StreamedAnswer.open(StreamingCoach(), OOM)
    answer.stream.finish()
    answer.cancel()
    assert answer.stream.state == "finished"
    other = StreamedAnswer.open(StreamingCoach(), OOM)
    other.cancel()
    assert other.stream.state == "cancelled"


def test_the_kept_clip_is_the_kept_file_as_load_audio_reads_it(tmp_path):
    answer = StreamedAnswer.open(StreamingCoach(), OOM)
    rng = np.random.default_rng(3)
    answer.stream.feed(rng.integers(-32768, 32767, 8000, dtype=np.int16), 16000)
    answer.stream.feed(rng.uniform(-1.2, 1.2, 8000).astype(np.float32), 16000)  # not 16-bit
    kept = answer.keep_as(tmp_path)
    clip, read_back = answer.kept_clip(kept), load_audio(kept, min_duration_s=0.0)
    assert np.array_equal(clip.samples, read_back.samples)
    assert clip.samples.dtype == read_back.samples.dtype
    assert (clip.source, clip.original_rate, clip.original_channels, clip.codec,
            clip.warnings) == (read_back.source, read_back.original_rate,
                               read_back.original_channels, read_back.codec, read_back.warnings)


def test_an_answer_with_its_own_file_has_no_kept_clip(tmp_path):
    recording = tmp_path / "mine.wav"
    write_pcm_wav(recording, np.zeros(16000))
    assert StreamedAnswer.open(StreamingCoach(), OOM, path=recording).kept_clip(recording) is None


@pytest.mark.parametrize(("seconds", "refused"), [(0.5, AudioTooShort), (12.0, AudioTooLong),
                                                  (3.0, None)])
def test_a_clip_in_memory_is_refused_for_its_length_as_a_file_would_be(tmp_path, seconds,
                                                                        refused):
    clip = AudioClip(np.zeros(int(seconds * 16000), dtype=np.float32), "")
    write_pcm_wav(tmp_path / "same.wav", clip.samples)
    limits = {"min_duration_s": 1.0, "max_duration_s": 10.0}
    if refused is None:
        assert check_length(clip, name="Your recording", **limits) is clip
        return
    with pytest.raises(refused) as in_memory:
        check_length(clip, name="Your recording", **limits)
    with pytest.raises(refused) as from_file:
        load_audio(tmp_path / "same.wav", name="Your recording", **limits)
    assert (in_memory.value.message, in_memory.value.hint) == (from_file.value.message,
                                                                from_file.value.hint)
