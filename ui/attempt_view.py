"""One kept attempt, opened again: its recording to replay and its full feedback.

The History tab lists attempts; each row's "Open" button, and the Practice tab's note about
your last answer (so feedback is never lost to a page reload during an analysis), open the
attempt here, drawn by the same views as fresh feedback (ui/render_html.py) from the record
the history kept (`coach.history.records.kept_feedback`). Its polished and model answers are
read aloud on demand, after the written feedback (`attempt_voices`, with ui/voices.py: the
chosen voice at the chosen speed, as in the Practice tab).

`attempt_view()` lays the viewer out; `open_attempt`, `attempt_voices` and `last_answer` are
the handlers,
returning `{component: update}`. Buttons that open an attempt are `<button data-attempt=ID>`
inside a `gr.HTML` made with `js_on_load=OPEN_JS`, whose click event carries the id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

import gradio as gr

from coach.attempts import judged_scenario, reanalyze
from coach.errors import CoachError
from coach.history.export import when
from coach.history.records import Attempt, kept_feedback
from coach.history.workers import being_analysed
from coach.ui.answer_area import PLAIN_PLAYER
from coach.ui.render_html import (
    details_html,
    error_html,
    follow_ups_html,
    polished_html,
    summary_html,
)
from coach.ui.sounds_view import sound_clips, sounds_html, sounds_request
from coach.ui.voices import MODEL_FAILED, POLISHED_FAILED, speech

log = logging.getLogger("coach.ui")
OPEN_JS = """element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-attempt], [data-round]');
  if (!button) return;
  event.preventDefault();
  if (button.dataset.round) trigger('click', {round: Number(button.dataset.round)});
  else trigger('click', {attempt: Number(button.dataset.attempt)});
});"""


@dataclass(frozen=True)
class AttemptView:
    """The viewer of one kept attempt (hidden until an attempt is opened)."""

    box: gr.Column
    heading: gr.HTML
    recording: gr.Audio
    summary: gr.HTML
    details: gr.HTML
    polished: gr.HTML
    analyse: gr.Button  # shown for an attempt whose analysis never finished
    shown: gr.State  # the id of the attempt shown
    round_report: gr.HTML  # a round opened from the list, in place of an attempt
    polished_player: gr.Audio
    model_player: gr.Audio
    voice_note: gr.HTML  # why a voice cannot read, if one cannot
    voices: gr.State  # what the voices read: {"scenario", "polished", "model", "sounds"}
    sounds: gr.HTML  # the key terms' sounds, then with yours beside the model

    @property
    def outputs(self) -> list:
        return [self.box, self.heading, self.recording, self.summary, self.details,
                self.polished, self.analyse, self.shown, self.round_report,
                self.polished_player, self.model_player, self.voice_note, self.voices,
                self.sounds]

    @property
    def players(self) -> list:
        """What `attempt_voices` fills."""
        return [self.polished_player, self.model_player, self.voice_note, self.sounds]


COLUMN_MIN_PX = 280  # side by side on a wide screen, one under the other on a phone


def attempt_view() -> AttemptView:
    """Lay the viewer out where it is called; it stays hidden until `open_attempt` fills it."""
    with gr.Column(visible=False, elem_id="attempt", elem_classes="attempt-view") as box:
        with gr.Row(equal_height=False, elem_classes="attempt-head"):
            with gr.Column(scale=3, min_width=COLUMN_MIN_PX):
                heading = gr.HTML(elem_id="attempt-heading")
            with gr.Column(scale=2, min_width=COLUMN_MIN_PX):
                recording = gr.Audio(label="Your recording", type="filepath",
                                     interactive=False, elem_id="attempt-recording", buttons=[],
                                     waveform_options=PLAIN_PLAYER)
        summary = gr.HTML(elem_id="attempt-summary")
        details = gr.HTML(elem_id="attempt-details")
        sounds = gr.HTML(elem_id="attempt-sounds")
        with gr.Row(equal_height=False, elem_classes="polished-row"):
            with gr.Column(scale=3, min_width=COLUMN_MIN_PX):
                polished = gr.HTML(elem_id="attempt-polished", elem_classes="card")
            with gr.Column(scale=2, min_width=COLUMN_MIN_PX):
                polished_player = gr.Audio(
                    label="Hear the polished answer", type="filepath", interactive=False,
                    elem_id="attempt-polished-audio", buttons=[], visible=False,
                    waveform_options=PLAIN_PLAYER)
                model_player = gr.Audio(
                    label="Hear the model answer", type="filepath", interactive=False,
                    elem_id="attempt-model-audio", buttons=[], visible=False,
                    waveform_options=PLAIN_PLAYER)
                voice_note = gr.HTML(elem_id="attempt-voice-note")
        with gr.Row():
            analyse = gr.Button("Analyse it now", variant="primary", visible=False, scale=0,
                                min_width=180, elem_id="attempt-analyse")
            close = gr.Button("Close", size="sm", elem_id="attempt-close", scale=0)
    round_report = gr.HTML(visible=False, elem_id="history-round")
    view = AttemptView(box, heading, recording, summary, details, polished, analyse,
                       gr.State(None), round_report, polished_player, model_player,
                       voice_note, gr.State(None), sounds)
    close.click(lambda: gr.update(visible=False), None, box, show_progress="hidden")
    return view


def analyse_again(view: AttemptView, shared, attempt_id) -> dict:
    """Analyse a kept attempt whose analysis never finished (the app stopped), then show it."""
    if shared.store is not None and attempt_id is not None:
        try:
            reanalyze(shared.coach, shared.store, int(attempt_id))
        except CoachError:
            pass  # kept as a failed attempt, with its reason: shown below
        except Exception:  # the page gets a plain message, the log the traceback
            log.exception("re-analysis of attempt %s failed", attempt_id)
    return open_attempt(view, shared, attempt_id)


def _heading(attempt: Attempt, title: str, note: str = "") -> str:
    kind = " · follow-up" if attempt.kind == "follow-up" else ""
    question = (f'<p class="muted small">Question: {escape(attempt.question)}</p>'
                if attempt.question else "")
    return (
        f'<div class="attempt-title" data-testid="attempt" data-id="{attempt.id}">'
        f'<h3>{escape(title)}</h3><p class="muted small">'
        f'Answered {escape(when(attempt.recorded_at))}'
        f"{kind}</p>{question}{note}</div>"
    )


def open_attempt(view: AttemptView, shared, attempt_id) -> dict:
    """Show attempt `attempt_id`: its recording and, once analysed, its full feedback."""
    empty = {view.summary: "", view.details: "", view.sounds: "",
             view.analyse: gr.update(visible=False),
             view.round_report: gr.update(value="", visible=False),
             view.polished: gr.update(value="", visible=False), view.shown: None,
             **no_voices(view)}
    if shared.store is None:
        return {view.box: gr.update(visible=True), view.recording: None, **empty,
                view.heading: error_html("History is not available.", shared.history_problem)}
    try:
        attempt = shared.store.get(int(attempt_id))
    except (CoachError, TypeError, ValueError) as error:
        message = error.message if isinstance(error, CoachError) else "No such attempt."
        return {view.box: gr.update(visible=True), view.recording: None, **empty,
                view.heading: error_html(message, "Reopen the History tab to see the list.")}
    try:
        recording, lost = str(shared.store.recording(attempt)), ""
    except CoachError as error:
        recording, lost = None, error_html(error.message, "The feedback is still here.")
    scenario = _scenario(shared, attempt)
    title = scenario.title if scenario else attempt.title
    update = {view.box: gr.update(visible=True), view.recording: recording, **empty,
              view.shown: attempt.id}
    if attempt.feedback is None or scenario is None:
        update[view.heading] = _heading(attempt, title, lost + _no_feedback(shared, attempt))
        stopped = attempt.status == "recorded" and not _analysing(shared, attempt) and recording
        update[view.analyse] = gr.update(visible=bool(stopped and scenario))
        return update
    try:
        feedback = kept_feedback(attempt.feedback, judged_scenario(scenario, attempt))
    except CoachError as error:
        update[view.heading] = _heading(attempt, title, lost + error_html(error.message,
                                                                          error.hint))
        return update
    model = feedback.model_answer.spoken_text
    return {**update, view.heading: _heading(attempt, title, lost),
            view.summary: summary_html(feedback), view.details: details_html(feedback),
            view.polished: gr.update(value=polished_html(feedback) + follow_ups_html(feedback),
                                     visible=True),
            # shown with their audio (attempt_voices): an empty player is an empty box, and
            # Gradio marks it up with an ARIA label a plain div may not have (axe)
            view.polished_player: gr.update(value=None, visible=False),
            view.model_player: gr.update(value=None, visible=False),
            view.sounds: sounds_html(feedback.sounds),
            view.voices: {"scenario": scenario.id, "polished": feedback.polished.spoken_text,
                          "model": model,
                          "sounds": {**sounds_request(feedback), "audio": recording or ""}}}


def no_voices(view: AttemptView) -> dict:
    """Nothing to read aloud (no attempt shown, or one without feedback)."""
    return {view.polished_player: gr.update(value=None, visible=False),
            view.model_player: gr.update(value=None, visible=False), view.voice_note: "",
            view.voices: None}


def attempt_voices(view: AttemptView, shared, voices: dict | None) -> dict:
    """The opened attempt's polished and model answers read aloud (run after `open_attempt`,
    so the written feedback shows first), each from its spoken text with its pause marks."""
    voices = voices or {}
    scenario_id = voices.get("scenario")
    polished, note = (speech(shared, "polished", scenario_id, POLISHED_FAILED,
                             voices["polished"]) if voices.get("polished") else (None, ""))
    model, model_note = (speech(shared, "model", scenario_id, MODEL_FAILED, voices["model"])
                         if voices.get("model") else (None, ""))
    update = {view.polished_player: gr.update(value=polished, visible=polished is not None),
              view.model_player: gr.update(value=model, visible=model is not None),
              view.voice_note: note or model_note}
    if voices.get("sounds"):  # the key terms' clips, yours beside the model
        update[view.sounds] = sound_clips(shared, voices["sounds"])
    return update


def _scenario(shared, attempt: Attempt):
    try:
        return shared.coach.library.get(attempt.scenario_id)
    except CoachError:  # a scenario since removed from the library
        return None


def _no_feedback(shared, attempt: Attempt) -> str:
    if attempt.status == "failed":
        return error_html("This answer could not be analysed.",
                          attempt.error_message or attempt.error_code)
    if _analysing(shared, attempt):
        return ('<p class="notice" role="status">Still being analysed: open it again in a '
                "moment.</p>")
    return ('<p class="notice">Not analysed: the app stopped before it finished. '
            "Your recording is kept: analyse it now.</p>")


def _analysing(shared, attempt: Attempt) -> bool:
    """A live process is analysing it (coach.history.workers): not merely "recorded"."""
    return (attempt.status == "recorded" and shared.store is not None
            and being_analysed(shared.store.path.parent, attempt.id))


ANY_BROWSER = "*"  # `last_answer` over every browser's answers (the app always names one)


def last_answer(shared, browser: str | None = ANY_BROWSER) -> tuple[str, bool]:
    """(the note about your last practice answer, or ""; whether its analysis is running).

    After a page reload its feedback is one click away; while it is analysed the note says
    so, and the page asks again (the second value) until the feedback is there. `browser`:
    the token of the browser asking (ui/browsers.py); only its own last answer is noted.
    """
    if shared.store is None:
        return "", False
    if browser == ANY_BROWSER:
        attempts = shared.store.attempts(limit=1)
    else:
        mine = shared.browsers.last(browser)
        try:
            attempts = [shared.store.get(mine)] if mine is not None else []
        except CoachError:  # deleted since
            attempts = []
    if not attempts:
        return "", False
    attempt = attempts[-1]
    scenario = _scenario(shared, attempt)
    title = escape(scenario.title if scenario else attempt.title)
    if _analysing(shared, attempt):
        return (f'<div class="last-answer" role="status" data-testid="last-answer-note">'
                f"Your last answer, to <b>{title}</b>, is being analysed…</div>"), True
    action = ("Show its feedback" if attempt.feedback else "Open it")
    return (f'<div class="last-answer" data-testid="last-answer-note">Your last answer: '
            f"<b>{title}</b> <span class=\"muted\">({escape(when(attempt.recorded_at))})"
            f'</span> <button class="link-button" data-attempt="{attempt.id}">{action}'
            f"</button></div>"), False
