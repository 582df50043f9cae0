"""The question-and-answer area of the Practice and Mock round tabs, built and wired once.

Top to bottom: the question card, the question read aloud (and a note when the voice is
unavailable), the countdown with the recorder under it, and the notice that waits for the
answer or says why it could not be used. ui/countdown.js runs the countdown from the
recorder's start and stop events.

How an answer reaches the app is decided here and only here (`AnswerArea.on_answer`):
- a microphone answer is sent while it is recorded (ui/live_answer.js) and transcribed as it
  arrives (ui/live_answers.py); on Stop the page submits it at once and the handler gets it as
  a `StreamedAnswer`, so only its last chunk is left to decode, without waiting for the
  browser to upload its own recording. `AnswerArea.stream` says which question it is an
  answer to. If streaming did not work for it, the handler gets the browser's recording;
- an uploaded file is handed over whole. With a `keep` function, a fast event of its own (no
  concurrency limit) keeps it in the history first, so an upload waiting for an analysis
  slot is already safe; the analysis then gets what `keep` returned (ui/shared.py
  `KeptUpload`) in place of the file, or the file when it could not be kept.
Either way the handler runs once per answer, and `AnswerArea.answered` changes after it: what
follows an analysis (the voices, the focus) is chained on that.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from coach.scenarios import Scenario
from coach.ui.live_answers import LiveAnswers, decode_chunk, live_answers
from coach.ui.live_panel import PANEL_CLASS, panel_reader
from coach.ui.scenario_view import countdown_html

log = logging.getLogger("coach.ui")

PLAIN_PLAYER = gr.WaveformOptions(show_recording_waveform=False)  # the browser's own compact player
# No waveform drawn while recording: without a GPU it took a whole core of the browser's
# (chromium: 20-23 s of CPU per 20 s recorded, 12 s without it), the core the decoder of the
# answer needs on a 2-core laptop. The recorder's clock, the countdown and the live panel's
# last words heard show that the microphone is working.
QUIET_RECORDER = PLAIN_PLAYER
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
    """For `demo.unload`: the page went away, its answers being recorded are abandoned (and
    its uploads kept but not analysed stay in the history, "recorded", to analyse later)."""
    live_answers.forget_session(request.session_hash)
    kept_uploads.forget_session(request.session_hash)


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
    live_box: gr.HTML  # the page's streaming (ui/live_answer.js): submits an answer on Stop
    answered: gr.State  # a new value after each answer analysed (see `on_answer`)
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

    def on_answer(self, handler, inputs, outputs, keep=None, **options) -> None:
        """Run `handler` on each answer given (recorded or uploaded), once per answer; then
        `answered` changes: chain what follows an analysis on `answered.change`. A recorded
        answer that was streamed reaches `handler` as a StreamedAnswer.

        A recorded answer comes by two events: the page submits it on Stop when it was
        streamed (`live_box.submit`, at once), and Gradio's stop_recording brings the
        browser's own file once it is uploaded (0.4-0.6 s later). Whichever claims the
        streamed answer first runs `handler`; stop_recording analyses the file when streaming
        failed; the other does nothing, and changes nothing.

        An upload runs `keep(*values)` first, at once, when given (see the module's doc)."""
        index = inputs.index(self.recorder)
        others = [x for x in inputs if x is not self.recorder]
        outputs = [*outputs, self.answered]
        page = f"window.coachLive && window.coachLive.stoppedId('{self.recorder_id}')"
        self.live_box.submit(submitted_handler(handler, index, self.live, self.answered),
                             others, outputs, **options)
        self.recorder.stop_recording(stopped_handler(handler, index, self.live, self.answered),
                                     [self.answer_id, *inputs], outputs,
                                     js=f"(id, ...rest) => [{page} || '', ...rest]", **options)
        if keep is None:
            self.recorder.upload(counted(handler, self.answered), inputs, outputs, **options)
            return
        self.recorder.upload(kept_first(keep, index, handler), inputs, None,
                             show_progress="hidden",
                             concurrency_limit=None, concurrency_id="keep-upload").then(
            upload_handler(handler, index, self.answered), inputs, outputs, **options)


class KeptUploads:
    """Uploads kept before their analysis, by (session, uploaded file), until it claims them;
    one file uploaded twice is two kept attempts, claimed in turn. Each is kept with how to
    finish it: a page closed or reloaded before its analysis started (the analysis is the
    page's next event, so it would never come) has it finished here, on a thread of its own,
    so the answer is analysed all the same and its feedback is in the history."""

    GONE_REMEMBERED = 1000  # sessions whose page went, kept for a keep still under way

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], list[tuple[object, Callable[[], object]]]] = {}
        self._gone: deque[str] = deque(maxlen=self.GONE_REMEMBERED)
        self._lock = threading.Lock()

    def put(self, session: str, upload: str, kept, finish: Callable[[], object]) -> None:
        with self._lock:
            # The page may go while its upload is being kept (a reload as soon as the file is
            # written): its analysis will never come, so it is finished here at once.
            if session not in self._gone:
                self._kept.setdefault((session, upload), []).append((kept, finish))
                return
        _finish_apart(finish)

    def claim(self, session: str, upload: str | None):
        with self._lock:
            waiting = self._kept.get((session, str(upload)))
            if not waiting:
                return None
            kept, _ = waiting.pop(0)
            if not waiting:
                del self._kept[(session, str(upload))]
            return kept

    def forget_session(self, session: str) -> None:
        with self._lock:
            self._gone.append(session)
            left = [entry for key in [k for k in self._kept if k[0] == session]
                    for entry in self._kept.pop(key)]
        for _, finish in left:
            _finish_apart(finish)


def _finish_apart(finish: Callable[[], object]) -> None:
    threading.Thread(target=finish, name="coach-kept-upload", daemon=True).start()


kept_uploads = KeptUploads()


def _no_progress(*args, **kwargs) -> None:
    """No page is left to show the progress of an upload finished after its page went."""


def kept_first(keep, index: int, handler):
    """The fast event of an upload: `keep(*values)`, its result noted for the analysis, with
    `handler` on it as the way to finish it if the page goes before its analysis starts."""
    def kept(request: gr.Request, *values):
        upload = values[index]
        if upload:
            result = keep(*values)
            if result is not None:
                finish_values = (*values[:index], result, *values[index + 1:])
                kept_uploads.put(request.session_hash, str(upload), result,
                                 lambda: handler(*finish_values, progress=_no_progress))

    return _with_signature(kept, [("request", gr.Request)], _parameters(keep))


def upload_handler(handler, index: int, answered):
    """`handler` for an upload, after `kept_first`: its input `index` replaced by what
    `keep` returned for that upload (the file itself when nothing was kept)."""
    counted_handler = counted(handler, answered)

    def uploaded(request: gr.Request, *values, **options):
        kept = kept_uploads.claim(request.session_hash, values[index])
        if kept is not None:
            values = (*values[:index], kept, *values[index + 1:])
        return counted_handler(*values, **options)

    return _with_signature(uploaded, [("request", gr.Request)], _parameters(handler))


# What the event that comes second for one answer returns: no change to any output. (An empty
# dict is one value to Gradio, which then finds too few values for the outputs and fails.)
NOTHING = gr.skip()
_answers_analysed = itertools.count(1)  # `answered` takes a new value after each analysis


def counted(handler, answered):
    """`handler`, whose `{component: update}` also gives `answered` a new value."""
    @functools.wraps(handler)
    def analysed(*values, **options):
        result = handler(*values, **options)
        return {**result, answered: next(_answers_analysed)} if isinstance(result, dict) \
            else result

    return analysed


def submitted_handler(handler, index: int, live: LiveAnswers, answered):
    """`handler` for the page's submit on Stop (the answer id in the event's data): its input
    `index` is the streamed answer, not an input of the event; nothing happens when the
    answer cannot be claimed (stop_recording then brings the browser's file)."""
    counted_handler = counted(handler, answered)

    def submitted(request: gr.Request, evt: gr.EventData, *values):
        answer_id = str(getattr(evt, "answer", "") or "")
        streamed = live.claim(request.session_hash, answer_id)
        if streamed is None:
            return NOTHING
        return _analyse_streamed(counted_handler, [*values[:index], None, *values[index:]],
                                 index, streamed, lambda: live.settled(answer_id))

    parameters = list(_parameters(handler))
    del parameters[index]
    return _with_signature(submitted, [("request", gr.Request), ("evt", gr.EventData)],
                           parameters)


def stopped_handler(handler, index: int, live: LiveAnswers, answered):
    """`handler` for stop_recording: its input `index` (the browser's recording) replaced by
    the streamed answer the page names when there is a usable one not claimed already;
    nothing happens when the page's submit took it."""
    counted_handler = counted(handler, answered)

    def stopped(request: gr.Request, answer_id: str, *values):
        streamed = live.claim(request.session_hash, answer_id) if answer_id else None
        if streamed is None:
            if answer_id and live.used(request.session_hash, answer_id):
                return NOTHING
            return counted_handler(*values)
        return _analyse_streamed(counted_handler, values, index, streamed,
                                 lambda: live.settled(answer_id))

    return _with_signature(stopped, [("request", gr.Request), ("answer_id", None)],
                           _parameters(handler))


def _analyse_streamed(handler, values, index: int, streamed, settled: Callable[[], None]):
    """`handler` on `values` with the streamed answer at `index`; its stream stops after, and
    `settled` says the live panel's wait is over."""
    values = list(values)
    values[index] = streamed
    try:
        return handler(*values)
    finally:
        streamed.cancel()  # used, or not (a page from before a restart): stop decoding
        settled()


def _parameters(handler) -> list[inspect.Parameter]:
    return list(inspect.signature(handler).parameters.values())


def _with_signature(function, leading: list[tuple[str, type | None]],
                    parameters: list[inspect.Parameter]):
    """`function` as Gradio reads it: `leading` parameters (name, special type or None), then
    the handler's own. Gradio passes special arguments (gr.Request, gr.EventData, a
    gr.Progress default) by signature."""
    first = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               **({"annotation": kind} if kind else {}))
             for name, kind in leading]
    function.__signature__ = inspect.Signature([*first, *parameters])
    function.__annotations__ = {name: kind for name, kind in leading if kind}
    return function


def question_voice(path: str | None):
    """The question player's update: the voice, shown only when there is one."""
    return gr.update(value=path, visible=bool(path))


def answer_area(*, ids: dict[str, str], card: str = "", notice: str = "",
                limit_s: int | None = None, autoplay: bool = False,
                live: LiveAnswers = live_answers) -> AnswerArea:
    """Lay the area out where it is called. `ids`: the elem_id of "card", "question",
    "countdown", "recorder" and "notice" (tests and CSS find them by these)."""
    card_box = gr.HTML(card, elem_id=ids.get("card"))
    # shown with its voice (`question_voice`): an empty player is a div axe rejects
    question = gr.Audio(label="Hear the question", type="filepath", autoplay=autoplay,
                        interactive=False, elem_id=ids["question"], buttons=[],
                        waveform_options=PLAIN_PLAYER, visible=False)
    voice_note = gr.HTML()
    with gr.Group(elem_classes="answer-box"):
        countdown = gr.HTML("" if limit_s is None else countdown_html(
            limit_s, element_id=ids["countdown"], recorder_id=ids["recorder"]))
        recorder = gr.Audio(sources=["microphone", "upload"], type="filepath",
                            label="Your answer", elem_id=ids["recorder"], buttons=[],
                            editable=False, waveform_options=QUIET_RECORDER)
        panel_id = ids.get("live", f"{ids['recorder']}-live")  # the live panel (live_panel.py)
        gr.HTML(f'<div id="{panel_id}" class="{PANEL_CLASS}-box"></div>')
    notice_box = gr.HTML(notice, elem_id=ids["notice"])
    answer_id = gr.Textbox(visible=False)
    live_box = gr.HTML("", js_on_load=LIVE_JS,
                       server_functions=[chunk_receiver(live), panel_reader(live)],
                       recorder=ids["recorder"], panel=panel_id, visible="hidden")
    area = AnswerArea(card_box, question, voice_note, countdown, recorder, notice_box,
                      ids["countdown"], ids["recorder"], answer_id, live_box, gr.State(0), live)
    clock = f"window.coachCountdown && window.coachCountdown('{area.countdown_id}')"
    recorder.start_recording(None, js=f"() => {{ {clock}.start(); }}")
    recorder.stop_recording(None, js=f"() => {{ {clock}.stop(); }}")
    return area
