"""Timing against the limit, pace over time, and pauses measured on the signal."""

from __future__ import annotations

import numpy as np
import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.pauses import analyze_pauses
from coach.analysis.timing import PaceRange, analyze_timing
from coach.audio.voice_activity import Interval, speech_intervals
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word


def test_over_time_and_verdicts():
    transcript = Transcript.from_text(" ".join(["word"] * 100), words_per_second=100 / 41)
    timing = analyze_timing(transcript, 30)
    assert timing.answer_s == pytest.approx(41, abs=0.5)
    assert timing.over_time_s == pytest.approx(11, abs=0.5)
    assert timing.length_verdict == "11 s over the 30 s limit"
    assert timing.wpm == pytest.approx(100 * 60 / timing.answer_s)


@pytest.mark.parametrize("wps, verdict", [(1.5, "slow"), (2.3, "good"), (3.2, "fast")])
def test_pace_verdict(wps, verdict):
    transcript = Transcript.from_text(" ".join(["word"] * 60), words_per_second=wps)
    assert analyze_timing(transcript, 60).pace_verdict == verdict


def test_pace_range_is_configurable():
    assert PaceRange(90, 120).verdict(130) == "fast"
    assert PaceRange(90, 120).verdict(100) == "good"


def test_short_answer_and_pace_windows():
    transcript = Transcript.from_text(" ".join(["word"] * 20), words_per_second=2)
    timing = analyze_timing(transcript, 30)
    assert timing.length_verdict.startswith("within") is False
    assert "short" in timing.length_verdict
    assert [p.wpm for p in timing.pace_over_time] == pytest.approx([120, 120], abs=2)


def test_first_key_term_time_is_counted_from_the_first_word():
    # 3 s of silence, then 0.4 s a word: "dmesg", the 5th word, comes 1.6 s into the answer
    transcript = Transcript.from_text("so I would check dmesg first", start=3.0)
    scenario = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?",
                        key_terms=(KeyTerm("dmesg"),))
    first = analyze_coverage(transcript, scenario).first_term_at_s
    timing = analyze_timing(transcript, 30, first_key_term_s=first)
    assert timing.first_key_term_s == pytest.approx(1.6)
    assert timing.to_dict()["first_key_term_s"] == 1.6


def words(*spec):
    return tuple(Word(text, start, end) for text, start, end in spec)


def test_pauses_classified_by_the_word_before():
    transcript = Transcript(words(("I", 0.0, 0.2), ("check", 0.3, 0.6), ("the", 0.7, 0.8),
                                  ("memory.", 2.9, 3.4), ("Then,", 3.5, 3.9), ("we", 5.5, 5.7),
                                  ("stop.", 5.8, 6.1), ("Done.", 7.4, 7.8)), 8.0)
    speech = [Interval(0.0, 0.82), Interval(2.9, 3.95), Interval(5.5, 6.15), Interval(7.4, 7.8)]
    report = analyze_pauses(transcript, speech)
    assert [(p.where, round(p.duration, 2)) for p in report.pauses] == [
        ("clause", 2.08), ("phrase", 1.55), ("sentence", 1.25)]
    assert [p.after_word for p in report.long_in_clause] == ["the"]


def test_silence_before_first_and_after_last_word_is_not_a_pause():
    transcript = Transcript(words(("hello", 2.0, 2.5), ("there.", 2.6, 3.0)), 6.0)
    report = analyze_pauses(transcript, [Interval(2.0, 3.0)])
    assert report.pauses == ()


def tone(seconds, rate=16000, level=0.3):
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("noise", [0.0, 0.003])
def test_speech_intervals_find_inserted_silence(noise):
    rng = np.random.default_rng(0)
    signal = np.concatenate([tone(1.0), np.zeros(16000 * 2, np.float32), tone(1.5),
                             np.zeros(1600, np.float32), tone(0.5)])
    signal = signal + noise * rng.standard_normal(len(signal)).astype(np.float32)
    found = speech_intervals(signal)
    assert len(found) == 2  # the 0.1 s gap is bridged, the 2 s one is not
    assert found[0].end == pytest.approx(1.0, abs=0.03)
    assert found[1].start == pytest.approx(3.0, abs=0.03)


def test_speech_coverage_of_recognised_words():
    from coach.engines.chunk_coverage import speech_coverage

    speech = [Interval(0.0, 4.0), Interval(10.0, 14.0)]
    six = words(*((f"w{i}", 0.6 * i, 0.6 * i + 0.4) for i in range(6)))  # 1.5 words/s
    assert speech_coverage(six, speech) == pytest.approx(0.5)
    late = words(*((f"v{i}", 10 + 0.6 * i, 10.4 + 0.6 * i) for i in range(6)))
    assert speech_coverage(six + late, speech) == pytest.approx(1.0)
    stretched = words(("a", 0.1, 3.9), ("b", 10.1, 13.9))  # two words over 8 s of speech
    assert speech_coverage(stretched, speech) == pytest.approx(1 / 6)
    assert speech_coverage((), speech) == 0.0
    assert speech_coverage((), []) == 1.0


def test_a_long_word_split_by_the_voice_detector_covers_both_stretches():
    """"...basically the OOMKiller.": the detector heard 2.46-3.07 s and 3.10-3.52 s, Whisper
    put the word at 2.47-3.50. Counted by word starts, the second stretch had none, and the
    chunk, decoded right, was decoded three more times."""
    from coach.engines.chunk_coverage import speech_coverage

    speech = [Interval(0.96, 1.73), Interval(1.76, 3.07), Interval(3.10, 3.52)]
    said = words(("my", 1.05, 1.2), ("guess", 1.25, 1.5), ("is", 1.51, 1.7),
                 ("basically", 1.71, 2.2), ("the", 2.27, 2.45), ("OOMKiller.", 2.47, 3.50))
    assert speech_coverage(said, speech) == pytest.approx(1.0)
    assert speech_coverage(said[:-1], speech) < 0.9  # without it, the stretch is uncovered
    stretched = words(("a", 0.96, 3.5))  # one word over every stretch: Whisper lost its place
    assert speech_coverage(stretched, speech) < 0.5


def test_the_unwritten_end_of_a_chunk():
    from coach.audio.voice_activity import Interval
    from coach.engines.chunk_coverage import uncovered_tail
    from coach.engines.speech_chunks import SpeechChunk

    chunk = SpeechChunk(0.1, 21.0, (Interval(0.35, 17.4), Interval(17.76, 18.2),
                                    Interval(18.21, 20.86)))
    words = [Word("started", 0.4, 1.0), Word("status.", 16.5, 17.12)]
    tail = uncovered_tail(chunk, words)
    assert tail == SpeechChunk(17.51, 21.0, chunk.speech[1:])  # from 0.25 s before its speech
    assert uncovered_tail(chunk, [*words, Word("nine.", 20.3, 20.8)]) is None  # written
    breath = SpeechChunk(0.1, 18.0, (Interval(0.35, 17.0), Interval(17.3, 17.8)))
    assert uncovered_tail(breath, words[:1] + [Word("end", 16.5, 16.9)]) is None  # 0.5 s: a breath
    assert uncovered_tail(chunk, []) is None  # nothing written: no early end, the halves' case
