"""The app's registry of answers being recorded (ui/live_answers.py), with stand-in streams.

Each answer is fed in order by the page, claimed once by the session that opened it, and
cancelled whenever it is abandoned; whenever it cannot be used, `claim` gives None so that the
browser's own recording is analysed instead.
"""

from __future__ import annotations

import base64
import threading
import time

import numpy as np
import pytest
from stand_in_stream import StreamingCoach

from coach.scenarios import KeyTerm, Scenario
from coach.ui.answer_area import NOTHING
from coach.ui.live_answers import LiveAnswers, decode_chunk

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
    monkeypatch.setattr("coach.ui.live_answers.MAX_DURATION_S", 1.0)
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


# --- the Stop handlers and the page's chunk receiver (ui/answer_area.py) ------------------------

ANSWERED = "answered"  # stands for the area's `answered` state


def stop_handlers(live):
    """(the page's submit handler, the stop_recording handler, what the stand-in answer
    handler around which both are built got)."""
    from coach.ui.answer_area import stopped_handler, submitted_handler

    got = []

    def handler(recording, scenario_id, attempts):
        got.append(recording)
        if hasattr(recording, "stream"):
            got.append(recording.stream.state)  # the handler sees it open, to finish it
        return {"feedback": scenario_id}

    return (submitted_handler(handler, 0, live, ANSWERED),
            stopped_handler(handler, 0, live, ANSWERED), got)


def request(session: str):
    import gradio as gr

    return gr.Request(session_hash=session)


def submit(answer_id: str):
    import gradio as gr

    return gr.EventData(None, {"answer": answer_id})


def analysed(result) -> bool:
    """Whether a handler's result is feedback, with `answered` changed (else it is nothing)."""
    import gradio as gr

    if result == gr.skip():
        return False
    assert result["feedback"] == "oom" and result[ANSWERED] > 0
    return True


def test_on_stop_a_complete_stream_replaces_the_browsers_file(live, coach):
    _, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, True)
    assert analysed(stopped(request("s1"), "a1", "browser.webm", "oom", 0))
    assert got[0].stream is coach.streams[0] and got[1] == "open"
    assert coach.streams[0].state == "cancelled"  # not finished by the stand-in: stopped after


@pytest.mark.parametrize("case", ["no id", "unknown id", "other session", "incomplete", "broken"])
def test_on_stop_an_unusable_stream_leaves_the_browsers_file(live, coach, case, monkeypatch):
    monkeypatch.setattr("coach.ui.live_answers.CLAIM_TIMEOUT_S", 0.05)
    _, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, case != "incomplete")
    if case == "broken":
        live.feed("a1", 5, chunk(), 16000, True)
    answer_id = {"no id": "", "unknown id": "zz"}.get(case, "a1")
    session = "s2" if case == "other session" else "s1"
    assert analysed(stopped(request(session), answer_id, "browser.webm", "oom", 0))
    assert got == ["browser.webm"]


def test_a_submitted_answer_is_analysed_once_from_its_stream(live, coach):
    submitted, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, True)
    assert analysed(submitted(request("s1"), submit("a1"), "oom", 0))
    assert got[0].stream is coach.streams[0]
    # the browser's upload comes after: nothing to do, and nothing changes
    assert stopped(request("s1"), "a1", "browser.webm", "oom", 0) == NOTHING
    assert len(got) == 2


def test_a_submit_that_comes_after_the_upload_does_nothing(live, coach):
    submitted, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, True)
    assert analysed(stopped(request("s1"), "a1", "browser.webm", "oom", 0))
    assert submitted(request("s1"), submit("a1"), "oom", 0) == NOTHING
    assert got[0].stream is coach.streams[0] and len(got) == 2


@pytest.mark.parametrize("case", ["incomplete", "unknown id", "other session", "no data"])
def test_a_submitted_answer_that_cannot_be_used_leaves_the_browsers_file(live, coach, case,
                                                                        monkeypatch):
    import gradio as gr

    monkeypatch.setattr("coach.ui.live_answers.CLAIM_TIMEOUT_S", 0.05)
    submitted, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, case != "incomplete")
    event = gr.EventData(None, {}) if case == "no data" else submit(
        "zz" if case == "unknown id" else "a1")
    session = "s2" if case == "other session" else "s1"
    assert submitted(request(session), event, "oom", 0) == NOTHING
    assert got == []
    assert analysed(stopped(request("s1"), "a1", "browser.webm", "oom", 0))
    assert got[0] == "browser.webm" or got[0].stream is coach.streams[0]
    assert got[0] == "browser.webm" if case == "incomplete" else got[1] == "open"


def test_the_upload_waits_for_a_submit_still_waiting_for_the_last_chunk(live, coach):
    submitted, stopped, got = stop_handlers(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert live.feed("a1", 0, chunk(), 16000, False)
    results = {}
    first = threading.Thread(target=lambda: results.setdefault(
        "submit", submitted(request("s1"), submit("a1"), "oom", 0)))
    first.start()
    while "a1" not in live._claims:  # until the submit has taken the answer
        time.sleep(0.001)
    second = threading.Thread(target=lambda: results.setdefault(
        "stop", stopped(request("s1"), "a1", "browser.webm", "oom", 0)))
    second.start()
    threading.Timer(0.1, lambda: live.feed("a1", 1, chunk(), 16000, True)).start()
    first.join(5)
    second.join(5)
    assert analysed(results["submit"]) and results["stop"] == NOTHING
    assert len(got) == 2 and got[0].stream is coach.streams[0]


def test_the_stop_handlers_ask_gradio_for_the_request_and_keep_the_handlers_arguments():
    import inspect

    import gradio as gr

    from coach.ui.answer_area import stopped_handler, submitted_handler

    def handler(recording, scenario_id, progress=gr.Progress()):  # noqa: B008 - as Gradio asks
        return recording

    def names(function):
        return list(inspect.signature(function).parameters)

    assert names(stopped_handler(handler, 0, LiveAnswers(), ANSWERED)) == [
        "request", "answer_id", "recording", "scenario_id", "progress"]
    submitted = submitted_handler(handler, 0, LiveAnswers(), ANSWERED)
    assert names(submitted) == ["request", "evt", "scenario_id", "progress"]
    assert submitted.__annotations__ == {"request": gr.Request, "evt": gr.EventData}


def test_the_chunk_receiver_feeds_the_answer_and_refuses_what_is_not_a_chunk(live, coach):
    from coach.ui.answer_area import chunk_receiver

    receive = chunk_receiver(live)
    live.open("s1", "answer", "a1", coach, OOM)
    assert receive(message(seq=0)) == {"ok": True}
    assert receive(message(seq=1, pcm="%%")) == {"ok": False}
    assert receive(message(seq=1, last=True)) == {"ok": True}
    assert live.claim("s1", "a1", timeout_s=0).stream.duration_s == pytest.approx(8 / 16000)


def test_the_live_panel_of_an_answer_being_recorded(live, coach):
    from coach.ui.live_panel import panel_html, panel_reader

    live.open("s1", "answer", "a1", coach, OOM)
    coach.streams[-1].text = "Um, I think the OOMKiller did it, like, because of the limit."
    for seq in range(20):  # 5 s of audio
        live.feed("a1", seq, chunk(), 16000, False)
    view = live.watch("a1")
    assert view.panel.elapsed_s == 5.0 and view.panel.time_left_s == 55.0
    assert view.panel.terms_said == ("OOMKiller",) and view.panel.terms_missing == ("dmesg",)
    assert [f.text for f in view.panel.fillers] == ["um", "like"]
    html = panel_reader(live)({"answer": "a1"})["html"]
    assert html == panel_html(view)
    assert 'data-testid="live-time" class="lp-time ">0:55 left' in html
    assert ('<li class="lp-said" data-said="true"><span aria-hidden="true">✓</span> OOMKiller'
            in html)
    assert 'data-count="2">2 fillers (um, like)' in html
    assert "catching up" not in html
    coach.streams[-1].backlog_s = 4.0  # 4 s waiting, 4 s behind: a decode's usual pace
    assert "catching up" not in panel_reader(live)({"answer": "a1"})["html"]
    coach.streams[-1].backlog_s = 6.0  # later than 3 s + the usual 1.5 + 0.15 x 6 s
    assert "catching up (6 s behind)" in panel_reader(live)({"answer": "a1"})["html"]


@pytest.mark.parametrize("message", [{}, {"answer": "nope"}, {"answer": 3}, "a1", None])
def test_no_panel_for_an_unknown_answer(live, coach, message):
    from coach.ui.live_panel import panel_reader

    live.open("s1", "answer", "a1", coach, OOM)
    assert panel_reader(live)(message) == {"html": ""}


def test_no_panel_once_the_answer_is_complete(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    live.feed("a1", 0, chunk(), 16000, True)
    assert live.watch("a1") is None


def test_a_nudge_is_shown_for_a_while_and_not_repeated(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    coach.streams[-1].text = "the kernel did it and then it came back " * 8  # no fillers
    for seq in range(48):  # 12 s
        live.feed("a1", seq, chunk(), 16000, False)
    first = live.watch("a1").nudge
    assert first.kind == "no_fillers" and first.at_s == 12.0
    for seq in range(48, 60):  # 3 s later: still shown, not given again
        live.feed("a1", seq, chunk(), 16000, False)
    assert live.watch("a1").nudge == first
    for seq in range(60, 80):  # 8 s after it: gone
        live.feed("a1", seq, chunk(), 16000, False)
    assert live.watch("a1").nudge is None


def test_after_stop_the_panel_says_what_is_left_until_the_feedback_is_ready(live, coach):
    """Stop -> "transcribing the last N s" (with progress) while the stream decodes its end,
    then "checking grammar...", then nothing once the handler has the feedback."""
    from coach.ui.live_panel import finishing_html, panel_reader

    live.open("s1", "answer", "a1", coach, OOM)
    read = panel_reader(live)
    live.feed("a1", 0, chunk(), 16000, False)
    assert 'data-testid="live-finishing"' not in read({"answer": "a1"})["html"]  # recording
    live.feed("a1", 1, chunk(), 16000, True)  # Stop: the last chunk, not claimed yet
    assert 'data-stage="transcribing"' in read({"answer": "a1"})["html"]
    streamed = live.claim("s1", "a1", timeout_s=0)
    assert live.finishing("a1").transcribing
    streamed.stream.finish()
    stage = live.finishing("a1")
    assert not stage.transcribing
    assert 'data-stage="analysing"' in finishing_html(stage)
    live.settled("a1")
    assert live.finishing("a1") is None and read({"answer": "a1"}) == {"html": ""}


def test_an_answer_that_cannot_be_used_shows_no_wait(live, coach):
    live.open("s1", "answer", "a1", coach, OOM)
    live.feed("a1", 0, chunk(), 16000, False)
    assert not live.feed("a1", 2, chunk(), 16000, True)  # a chunk lost: broken
    assert live.finishing("a1") is None
    assert live.claim("s1", "a1", timeout_s=0) is None
    assert live.finishing("a1") is None


def test_the_live_panel_rounds_the_time_left_up_as_the_page_s_countdown_does(live, coach):
    """5.5 s recorded of 60: "0:55 left" (rounded down it would read 0:54, and beside the
    recorder's own 0:05 the two clocks would not add up to the limit)."""
    from coach.ui.live_panel import panel_reader

    live.open("s1", "answer", "a1", coach, OOM)
    for seq in range(22):
        live.feed("a1", seq, chunk(), 16000, False)
    assert live.watch("a1").panel.time_left_s == 54.5
    assert 'data-testid="live-time" class="lp-time ">0:55 left' in panel_reader(live)(
        {"answer": "a1"})["html"]


@pytest.mark.parametrize(("backlog_s", "waiting_s", "behind"), [
    (5.0, 20.0, False),  # a 20 s chunk being decoded, as on an idle machine
    (8.0, 20.0, True),  # the same chunk 3.5 s later than usual: a loaded machine
    (6.0, 4.0, True),  # a 4 s chunk usually takes 2.1 s
    (0.0, 0.0, False)])
def test_catching_up_means_later_than_the_usual_decode(backlog_s, waiting_s, behind):
    from coach.engines.transcription_stream import StreamProgress

    assert StreamProgress((), 30.0, 10.0, backlog_s, waiting_s).falling_behind is behind
