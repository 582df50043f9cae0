"""Every answer event's result as Gradio reads it: one value (or a skip) for each output.

The Stop button fires two events for one streamed answer (ui/answer_area.py); the one that
comes second changes nothing. Gradio refuses a result that does not fit the event's outputs
(a traceback in the log, a red "Error" on the page), so each result goes through Gradio's own
`postprocess_data` here.
"""

from __future__ import annotations

import asyncio

import gradio as gr
import numpy as np
import pytest
from stand_in_stream import StreamingCoach

from coach.scenarios import KeyTerm, Scenario
from coach.ui.answer_area import answer_area
from coach.ui.live_answers import LiveAnswers

OOM = Scenario(id="oom", title="OOM", kind="opening", time_limit_s=60, prompt="Why?",
               key_terms=(KeyTerm("OOMKiller"),))


@pytest.fixture
def page():
    live = LiveAnswers()

    def handler(recording, scenario_id):
        return {summary: f"analysed {scenario_id}"}

    with gr.Blocks() as demo:
        area = answer_area(ids={"question": "q", "countdown": "c", "recorder": "r",
                                "notice": "n"}, live=live)
        picker = gr.Textbox("oom")
        summary, other = gr.HTML(), gr.HTML()
        area.on_answer(handler, [area.recorder, picker], [area.notice, summary, other])
    return demo, area, live


def _event(demo, component, name):
    fns = [fn for fn in demo.fns.values() if fn.fn is not None
           and any(t[0] == component._id and t[1] == name
                   for t in fn.targets)
           and len(fn.outputs) > 1]
    assert len(fns) == 1, (name, fns)
    return fns[0]


def _fits(demo, fn, result) -> list:
    return asyncio.run(demo.postprocess_data(fn, result, None))


@pytest.mark.parametrize("second", ["stop_recording", "submit"])
def test_the_second_event_of_one_answer_returns_an_update_gradio_accepts(page, second):
    demo, area, live = page
    live.open("s1", "r", "a1", StreamingCoach(), OOM)
    assert live.feed("a1", 0, np.full(4000, 1000, dtype=np.int16), 16000, True)
    submit = _event(demo, area.live_box, "submit")
    stop = _event(demo, area.recorder, "stop_recording")
    request = gr.Request(session_hash="s1")
    by_submit = lambda: submit.fn(request, gr.EventData(None, {"answer": "a1"}), "oom")  # noqa: E731
    by_stop = lambda: stop.fn(request, "a1", "browser.webm", "oom")  # noqa: E731
    first, then = (by_submit, by_stop) if second == "stop_recording" else (by_stop, by_submit)
    assert "analysed oom" in _fits(demo, submit, first())
    nothing = then()
    assert _fits(demo, stop, nothing) == _fits(demo, stop, gr.skip())
