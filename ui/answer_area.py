"""The question-and-answer area of the Practice and Mock round tabs, built and wired once.

Top to bottom: the question card, the question read aloud (and a note when the voice is
unavailable), the countdown with the recorder under it, and the notice that waits for the
answer or says why it could not be used. ui/countdown.js runs the countdown from the
recorder's start and stop events.

How an answer reaches the app is decided here and only here (`AnswerArea.on_answer`): today a
finished microphone recording or an uploaded file, each handed over whole.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import gradio as gr

from ui.scenario_view import countdown_html

PLAIN_PLAYER = gr.WaveformOptions(show_recording_waveform=False)  # the browser's own compact player
_countdown_keys = itertools.count(1)  # each countdown drawn differs from the one it replaces


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

    def countdown_html(self, limit_s: int, *, strict: bool = False) -> str:
        """This area's countdown, idle and reset, for an answer of `limit_s` seconds."""
        return countdown_html(limit_s, element_id=self.countdown_id,
                              recorder_id=self.recorder_id, strict=strict,
                              key=next(_countdown_keys))

    def on_answer(self, handler, inputs, outputs, **options) -> list:
        """Run `handler` on each answer given (recorded or uploaded); the events, to chain."""
        return [event(handler, inputs, outputs, **options)
                for event in (self.recorder.stop_recording, self.recorder.upload)]


def answer_area(*, ids: dict[str, str], card: str = "", notice: str = "",
                limit_s: int | None = None, autoplay: bool = False) -> AnswerArea:
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
    area = AnswerArea(card_box, question, voice_note, countdown, recorder, notice_box,
                      ids["countdown"], ids["recorder"])
    clock = f"window.coachCountdown && window.coachCountdown('{area.countdown_id}')"
    recorder.start_recording(None, js=f"() => {{ {clock}.start(); }}")
    recorder.stop_recording(None, js=f"() => {{ {clock}.stop(); }}")
    return area
