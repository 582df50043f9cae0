"""The question-and-answer area of the Practice and Mock round tabs, built and wired once.

Top to bottom: the question card, the question read aloud (and a note when the voice is
unavailable), the countdown with the recorder under it, and the notice that waits for the
answer or says why it could not be used. ui/countdown.js runs the countdown from the
recorder's start and stop events.

How an answer reaches the app is decided here and only here (`AnswerArea.on_answer`):
- a microphone answer is sent while it is recorded (ui/live_answer.js) and transcribed as it
  arrives (ui/live_answers.py); on Stop the handler gets it as a `StreamedAnswer`, so only its
  last chunk is left to decode. `AnswerArea.stream` says which question it is an answer to.
  If streaming did not work for it, the handler gets the browser's recording instead;
- an uploaded file is handed over whole.
"""

from __future__ import annotations

import inspect
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from coach.scenarios import Scenario
from ui.live_answers import LiveAnswers, decode_chunk, live_answers
from ui.scenario_view import countdown_html

log = logging.getLogger("coach.ui")

PLAIN_PLAYER = gr.WaveformOptions(show_recording_waveform=False)  # the browser's own compact player
LIVE_JS = (Path(__file__).resolve().parent / "live_answer.js").read_text(encoding="utf-8")
_countdown_keys = itertools.count(1)  # each countdown drawn differs from the one it replaces


def chunk_receiver(live: LiveAnswers) -> Callable[[dict], dict]:
    """The server side of the page's `server.live_chunk(message)`: one chunk of an answer."""
    def live_chunk(message: dict) -> dict:
        try:
            answer_id, seq, samples, rate, last = decode_chunk(message)
        except ValueError:
            return {"ok": False}
        return {"ok": live.feed(answer_id, seq, samples, rate, last)}

    return live_chunk


def forget_live_answers(request: gr.Request) -> None:
    """For `demo.unload`: the page went away, its answers being recorded are abandoned."""
    live_answers.forget_session(request.session_hash)


@dataclass(frozen=True)
class AnswerArea:
    card: gr.HTML
    question: gr.Audio
    voice_note: gr.HTML
    countdown: gr.HTML
    recorder: gr.Audio
    notice: gr.HTML
    countdown_id: str
    recorder_id: str
    answer_id: gr.Textbox  # the answer being recorded, as the page calls it (hidden)
    live: LiveAnswers

    def countdown_html(self, limit_s: int, *, strict: bool = False) -> str:
        """This area's countdown, idle and reset, for an answer of `limit_s` seconds."""
        return countdown_html(limit_s, element_id=self.countdown_id,
                              recorder_id=self.recorder_id, strict=strict,
                              key=next(_countdown_keys))

    def stream(self, shared, scenario_of: Callable[..., Scenario | None], inputs: list) -> None:
        """Transcribe microphone answers while they are recorded. `scenario_of(*inputs)` is
        the scenario the answer being recorded will be judged on (None: none)."""
        def open_answer(request: gr.Request, answer_id: str, *values) -> None:
            scenario = scenario_of(*values)
            if not answer_id or scenario is None:
                return
            try:
                self.live.open(request.session_hash, self.recorder_id, answer_id, shared.coach,
                               scenario)
            except Exception:  # the answer is then analysed from the browser's file
                log.exception("cannot stream answer %s", answer_id[:8])

        def forget(request: gr.Request, *values) -> None:
            self.live.forget_other_questions(request.session_hash, self.recorder_id,
                                             scenario_of(*values))

        page = f"window.coachLive && window.coachLive.%s('{self.recorder_id}')"
        self.recorder.start_recording(
            open_answer, [self.answer_id, *inputs], None, show_progress="hidden",
            concurrency_limit=None, js=f"(id, ...rest) => [{page % 'answerId'} || '', ...rest]",
        ).then(None, js=f"() => {{ {page % 'opened'}; }}")
        self.card.change(forget, inputs, None, show_progress="hidden", concurrency_limit=None)

    def on_answer(self, handler, inputs, outputs, **options) -> list:
        """Run `handler` on each answer given (recorded or uploaded); the events, to chain.
        A recorded answer that was streamed reaches `handler` as a StreamedAnswer."""
        stopped = with_streamed_answer(handler, inputs.index(self.recorder), self.live)
        page = f"window.coachLive && window.coachLive.stoppedId('{self.recorder_id}')"
        return [self.recorder.stop_recording(stopped, [self.answer_id, *inputs], outputs,
                                             js=f"(id, ...rest) => [{page} || '', ...rest]",
                                             **options),
                self.recorder.upload(handler, inputs, outputs, **options)]


def with_streamed_answer(handler, index: int, live: LiveAnswers):
    """`handler` for stop_recording: its input `index` (the browser's recording) replaced by
    the streamed answer the page names, when there is a usable one."""
    def stopped(request: gr.Request, answer_id: str, *values):
        values = list(values)
        streamed = live.claim(request.session_hash, answer_id) if answer_id else None
        if streamed is None:
            return handler(*values)
        values[index] = streamed
        try:
            return handler(*values)
        finally:
            streamed.cancel()  # used, or not (a page from before a restart): stop decoding

    # Gradio passes special arguments (gr.Request, a gr.Progress default) by signature
    parameters = list(inspect.signature(handler).parameters.values())
    stopped.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=gr.Request),
        inspect.Parameter("answer_id", inspect.Parameter.POSITIONAL_OR_KEYWORD), *parameters])
    stopped.__annotations__ = {"request": gr.Request}
    return stopped


def answer_area(*, ids: dict[str, str], card: str = "", notice: str = "",
                limit_s: int | None = None, autoplay: bool = False,
                live: LiveAnswers = live_answers) -> AnswerArea:
    """Lay the area out where it is called. `ids`: the elem_id of "card", "question",
    "countdown", "recorder" and "notice" (tests and CSS find them by these)."""
    card_box = gr.HTML(card, elem_id=ids.get("card"))
    question = gr.Audio(label="Hear the question", type="filepath", autoplay=autoplay,
                        interactive=False, elem_id=ids["question"], buttons=[],
                        waveform_options=PLAIN_PLAYER)
    voice_note = gr.HTML()
    with gr.Group(elem_classes="answer-box"):
        countdown = gr.HTML("" if limit_s is None else countdown_html(
            limit_s, element_id=ids["countdown"], recorder_id=ids["recorder"]))
        recorder = gr.Audio(sources=["microphone", "upload"], type="filepath",
                            label="Your answer", elem_id=ids["recorder"], buttons=[],
                            editable=False)
    notice_box = gr.HTML(notice, elem_id=ids["notice"])
    answer_id = gr.Textbox(visible=False)
    gr.HTML("", js_on_load=LIVE_JS, server_functions=[chunk_receiver(live)],
            recorder=ids["recorder"], visible="hidden")
    area = AnswerArea(card_box, question, voice_note, countdown, recorder, notice_box,
                      ids["countdown"], ids["recorder"], answer_id, live)
    clock = f"window.coachCountdown && window.coachCountdown('{area.countdown_id}')"
    recorder.start_recording(None, js=f"() => {{ {clock}.start(); }}")
    recorder.stop_recording(None, js=f"() => {{ {clock}.stop(); }}")
    return area
