"""The app's registry of answers being recorded (ui/live_answers.py), with stand-in streams.

Each answer is fed in order by the page, claimed once by the session that opened it, and
cancelled whenever it is abandoned; whenever it cannot be used, `claim` gives None so that the
browser's own recording is analysed instead.
"""

from __future__ import annotations

import base64
import threading

import numpy as np
import pytest
from stand_in_stream import StreamingCoach

from coach.scenarios import KeyTerm, Scenario
from ui.live_answers import LiveAnswers, decode_chunk

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller"), KeyTerm("dmesg")))
DNS = Scenario(id="dns", title="DNS", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("resolv.conf"),))
CHUNK = 4000  # what the page sends: 0.25 s at 16 kHz


def chunk(value: int = 1000) -> np.ndarray:
    return np.full(CHUNK, value, dtype=np.int16)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def coach():
    return StreamingCoach()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def live(clock):
    return LiveAnswers(max_live=3, idle_s=20.0, clock=clock)


def test_an_answer_fed_in_order_is_claimed_once_with_every_sample(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(1), 16000, False)
    assert live.feed("a1", 1, chunk(2), 16000, False)
    assert live.feed("a1", 2, chunk(3)[:100], 16000, True)
    streamed = live.claim("s1", "a1", timeout_s=0)
    assert streamed is not None and streamed.stream is coach.streams[0]
    assert streamed.key_terms == ("OOMKiller", "dmesg")
    expected = np.concatenate([chunk(1), chunk(2), chunk(3)[:100]]) / 32768
    assert np.array_equal(streamed.stream.samples, expected.astype(np.float32))
    assert streamed.stream.state == "open"  # the handler finishes it
    assert live.claim("s1", "a1", timeout_s=0) is None  # taken out of the registry
    assert len(live) == 0


def test_a_chunk_out_of_order_breaks_the_answer_and_stops_decoding(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    assert not live.feed("a1", 2, chunk(), 16000, False)  # chunk 1 was lost
    assert not live.feed("a1", 1, chunk(), 16000, True)  # too late: the answer is broken
    assert live.claim("s1", "a1", timeout_s=0) is None
    assert coach.streams[0].state == "cancelled"


def test_a_repeated_chunk_breaks_the_answer(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    assert not live.feed("a1", 0, chunk(), 16000, False)
    assert live.claim("s1", "a1", timeout_s=0) is None


def test_another_session_cannot_claim_an_answer(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, True)
    assert live.claim("s2", "a1", timeout_s=0) is None
    assert coach.streams[0].state == "open"  # still the owner's
    assert live.claim("s1", "a1", timeout_s=0) is not None


def test_unknown_answers_are_refused(live):
    assert not live.feed("nobody", 0, chunk(), 16000, False)
    assert live.claim("s1", "nobody", timeout_s=0) is None
    assert live.claim("s1", "", timeout_s=0) is None


def test_an_incomplete_answer_is_not_claimed_after_the_wait(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)  # the last chunk never comes
    assert live.claim("s1", "a1", timeout_s=0.05) is None
    assert coach.streams[0].state == "cancelled"


def test_a_claim_waits_for_the_last_chunk(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    late = threading.Timer(0.1, lambda: live.feed("a1", 1, chunk(), 16000, True))
    late.start()
    streamed = live.claim("s1", "a1", timeout_s=5)
    late.join()
    assert streamed is not None and streamed.stream.duration_s == pytest.approx(0.5)


def test_starting_again_in_the_same_area_cancels_the_previous_answer(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    live.open("s1", "round", "r1", coach, OOM)  # another area of the same page: kept
    live.open("s2", "answer", "b1", coach, OOM)  # another user: kept
    live.open("s1", "answer", "a2", coach, OOM)
    assert [s.state for s in coach.streams] == ["cancelled", "open", "open", "open"]
    assert not live.feed("a1", 0, chunk(), 16000, True)
    assert live.claim("s1", "a1", timeout_s=0) is None


def test_answers_idle_too_long_are_dropped_when_another_opens(live, coach, clock):
    live.open("s1", "answer", "a1", coach, OOM)
    clock.now = 15.0
    live.open("s2", "answer", "b1", coach, OOM)
    assert live.feed("b1", 0, chunk(), 16000, False)
    clock.now = 30.0  # a1 silent for 30 s, b1 for 15 s
    live.open("s3", "answer", "c1", coach, OOM)
    assert [s.state for s in coach.streams] == ["cancelled", "open", "open"]


def test_at_most_max_live_answers_the_oldest_goes(live, coach):
    for n in range(4):
        live.open(f"s{n}", "answer", f"a{n}", coach, OOM)
    assert len(live) == 3
    assert [s.state for s in coach.streams] == ["cancelled", "open", "open", "open"]
    assert not live.feed("a0", 0, chunk(), 16000, False)


def test_a_page_that_goes_away_cancels_its_answers_and_wakes_a_waiting_claim(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    live.open("s1", "round", "r1", coach, OOM)
    live.open("s2", "answer", "b1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    threading.Timer(0.1, live.forget_session, ["s1"]).start()
    assert live.claim("s1", "a1", timeout_s=5) is None  # returns at once, not after 5 s
    assert [s.state for s in coach.streams] == ["cancelled", "cancelled", "open"]


def test_moving_to_another_question_cancels_answers_prompted_for_the_old_one(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    live.forget_other_questions("s1", "answer", OOM)  # the same question: kept
    assert coach.streams[0].state == "open"
    live.forget_other_questions("s1", "answer", DNS)
    assert coach.streams[0].state == "cancelled"
    live.open("s1", "answer", "a2", coach, DNS)
    live.forget_other_questions("s1", "answer", None)  # no question at all
    assert coach.streams[1].state == "cancelled"


def test_a_rate_change_within_an_answer_breaks_it(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    assert not live.feed("a1", 1, chunk(), 48000, True)
    assert live.claim("s1", "a1", timeout_s=0) is None


def test_a_cancelled_stream_breaks_the_answer(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    coach.streams[0].cancel()
    assert not live.feed("a1", 0, chunk(), 16000, True)
    assert live.claim("s1", "a1", timeout_s=0) is None


def test_an_answer_longer_than_any_analysis_accepts_stops_decoding(live, coach, monkeypatch):
    monkeypatch.setattr("ui.live_answers.MAX_DURATION_S", 1.0)
    live.open("s1", "answer", "a1", coach, OOM)
    results = [live.feed("a1", n, chunk(), 16000, False) for n in range(10)]
    assert results[:8] == [True] * 8 and not results[8]  # 2.25 s > 1 s + 1 s
    assert coach.streams[0].state == "cancelled"


def message(**changes):
    pcm = base64.b64encode(np.arange(4, dtype="<i2").tobytes()).decode()
    return {"answer": "a1", "seq": 3, "rate": 16000, "last": False, "pcm": pcm, **changes}


def test_a_chunk_message_is_decoded():
    answer_id, seq, samples, rate, last = decode_chunk(message(last=True))
    assert (answer_id, seq, rate, last) == ("a1", 3, 16000, True)
    assert samples.dtype == np.int16 and list(samples) == [0, 1, 2, 3]


@pytest.mark.parametrize("bad", [{"pcm": "not base64!"}, {"pcm": "AAAA"}, {"seq": "x"},
                                 {"rate": 100}, {"rate": 10**7}, {"answer": None, "pcm": 5},
                                 {"pcm": base64.b64encode(bytes(400_000)).decode()}])
def test_anything_else_is_not_a_chunk(bad):
    with pytest.raises(ValueError):
        decode_chunk(message(**bad))


def test_a_message_missing_a_field_is_not_a_chunk():
    with pytest.raises(ValueError):
        decode_chunk({"answer": "a1"})
