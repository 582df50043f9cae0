"""Filler rules in context, repeats and restarts: one row per rule, traps included."""

from __future__ import annotations

import pytest

from coach.analysis.fillers import FillerOptions, analyze_fillers, find_fillers, find_repetitions
from coach.transcript import Transcript


def fillers_of(text, **options):
    transcript = Transcript.from_text(text)
    return [(f.text, f.kind) for f in find_fillers(transcript.words, FillerOptions(**options))]


@pytest.mark.parametrize("text, expected", [
    ("Um, so I would check dmesg.", [("um", "vocal")]),
    ("Uh, the uhh, er, erm, hmm, mm.", [("uh", "vocal"), ("uh", "vocal"), ("er", "vocal"),
                                        ("er", "vocal"), ("hmm", "vocal"), ("hmm", "vocal")]),
    ("Umm. Hmm. Ahh, uhm, ummm.", [("um", "vocal"), ("hmm", "vocal"), ("ah", "vocal"),
                                   ("uh", "vocal"), ("um", "vocal")]),
    # like: padding only when set off, never after a governing verb or before "to"
    ("It was, like, very low.", [("like", "discourse")]),
    ("Like, the disk is slow.", [("like", "discourse")]),
    ("I'd like to check the logs.", []),
    ("We would like to restart it.", []),
    ("It looks like the kernel killed it.", []),
    ("It seems like a leak.", []),
    ("Something like that.", []),
    ("It was like a storm.", []),
    # kind of / sort of: hedges, unless after a determiner
    ("It is a kind of error.", []),
    ("What kind of workload is it?", []),
    ("It is kind of slow.", [("kind of", "discourse")]),
    ("Some sort of software decodes it.", []),
    ("It sort of works.", [("sort of", "discourse")]),
    # you know / I mean
    ("You know, the container restarted.", [("you know", "discourse")]),
    ("Do you know what happened?", []),
    ("It is, you know, the OOM killer.", [("you know", "discourse")]),
    ("I mean, it is basically full.", [("i mean", "discourse"), ("basically", "discourse")]),
    ("What I mean by throttling is simple.", []),
    ("Actually it is literally empty.", [("actually", "discourse"), ("literally", "discourse")]),
    ("The user said so.", []),
])
def test_filler_rules(text, expected):
    assert fillers_of(text) == expected


def test_multi_word_filler_counted_once():
    report = analyze_fillers(Transcript.from_text("You know, it was, you know, slow."), 0.5)
    assert report.total == 2
    assert report.counts == {"you know": 2}


def test_user_additions_are_counted():
    assert fillers_of("So, okay, we check it.", extra_discourse=("okay",)) == [
        ("okay", "discourse")
    ]
    assert fillers_of("Ehm the disk.", extra_vocal=("ehm",)) == [("ehm", "vocal")]


def test_filler_times_come_from_words():
    transcript = Transcript.from_text("Well um the disk", words_per_second=2)
    (filler,) = find_fillers(transcript.words)
    assert filler.start == pytest.approx(0.5)


@pytest.mark.parametrize("text, expected", [
    ("the the container restarted", [("the the", "repeat")]),
    ("we retry, retry, retryable calls", [("retry, retry, retryable", "restart")]),
    ("I check, I checked the logs", [("I check, I checked", "restart")]),
    ("the container restarted twice", []),
    ("that that is fine", [("that that", "repeat")]),
])
def test_repetitions(text, expected):
    transcript = Transcript.from_text(text)
    found = find_repetitions(transcript.words, find_fillers(transcript.words))
    assert [(r.text, r.kind) for r in found] == expected


@pytest.mark.parametrize("count, minutes, verdict", [(2, 1.0, "good"), (5, 1.0, "some"),
                                                     (9, 1.0, "high"), (3, 0.5, "some")])
def test_rate_and_verdict(count, minutes, verdict):
    text = " ".join(["um and"] * count)
    report = analyze_fillers(Transcript.from_text(text), minutes)
    assert report.total == count
    assert report.per_minute == pytest.approx(count / minutes)
    assert report.per_100_words == pytest.approx(100 * count / (2 * count))
    assert report.verdict == verdict
