"""The Practice tab: pick a question, hear it, answer out loud, read the feedback, try again.

`practice_tab(shared, scenarios)` lays the tab out and wires its events; the handlers are the
module-level functions below, each given the tab's components (`PracticeView`) and returning
`{component: update}` for the components it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import gradio as gr

from coach.errors import CoachError
from coach.scenarios import Scenario
from coach.ui.answer_area import PLAIN_PLAYER, AnswerArea, answer_area, question_voice
from coach.ui.attempt_view import OPEN_JS
from coach.ui.bind import bind
from coach.ui.browsers import SECRET, STORAGE_KEY
from coach.ui.render_html import (
    details_html,
    error_html,
    figures,
    follow_ups_html,
    polished_html,
    summary_html,
    waiting_html,
)
from coach.ui.scenario_view import (
    ALL,
    answered_html,
    filter_scenarios,
    kind_choices,
    module_choices,
    scenario_choices,
    scenario_html,
    surprise,
)
from coach.ui.shared import Shared, analyze, keep_upload
from coach.ui.sounds_view import sound_clips, sound_trend_lines, sounds_html, sounds_request
from coach.ui.voices import MODEL_FAILED, POLISHED_FAILED, speak_ahead, speech

IDS = {"question": "question-audio", "countdown": "coach-countdown", "recorder": "answer",
       "notice": "notice"}
# After an analysis: the feedback (or why there is none) gets the keyboard focus, so keyboard
# and screen-reader users land on it, and the page shows it.
FOCUS_RESULT_JS = ("() => { const t = document.querySelector('#summary [data-testid=summary]')"
                   " || document.querySelector('#notice [data-testid=error]');"
                   " if (!t || !t.offsetParent) return; t.setAttribute('tabindex', '-1');"
                   " t.focus({preventScroll: true}); t.scrollIntoView({block: 'start'}); }")
# js run before a handler gets the handler's inputs and must hand them on
SCROLL_JS = ("(...inputs) => { const a = document.getElementById('answer');"
             " if (a) a.scrollIntoView({behavior: 'smooth', block: 'center'}); return inputs; }")


@dataclass(frozen=True)
class PracticeView:
    """The Practice tab's components that handlers read or update."""

    scenarios: tuple[Scenario, ...]
    query: gr.Textbox
    module: gr.Dropdown
    kind: gr.Dropdown
    picker: gr.Radio
    last_answer: gr.HTML  # after a page reload: the last answer, one click from its feedback
    area: AnswerArea  # question card and voice, countdown, recorder, notice
    feedback_box: gr.Column
    summary: gr.HTML
    details: gr.HTML
    polished: gr.HTML
    polished_player: gr.Audio
    model_player: gr.Audio  # the model answer's voice, beside the polished one's
    follow_ups: gr.HTML
    attempts: gr.State  # this session: scenario id -> last figures and attempt count
    polished_speech: gr.State  # the texts the two voices read, with their pause marks
    model_speech: gr.State
    browser: gr.BrowserState  # this browser's token (ui/browsers.py): whose answers are whose
    sounds: gr.HTML  # the key terms' sounds, then with yours beside the model
    sound_request: gr.State  # what the clips of those sounds are made from

    @property
    def filters(self) -> list:
        """The inputs that choose what the list shows, and the current choice."""
        return [self.module, self.kind, self.query, self.picker]

    @property
    def choice(self) -> list:
        """What choosing a scenario in the list may change."""
        return [self.picker, self.module, self.kind, self.query]


LIST_SHOWS = 6  # a phone shows about this many questions: more, and the label says to scroll


def count_label(found: Sequence[Scenario]) -> str:
    """The list's visible label: how many questions, and that it scrolls when it does."""
    count = f"{len(found)} question{'s' if len(found) != 1 else ''}"
    return f"{count} · scroll the list for more" if len(found) > LIST_SHOWS else count


# --- choosing a question ----------------------------------------------------------------------
def select_scenario(view: PracticeView, scenario_id: str, module: str, kind: str,
                    query: str) -> dict:
    """Select `scenario_id` in the list; when the filters hide it, clear them first."""
    if any(s.id == scenario_id for s in filter_scenarios(view.scenarios, module, kind, query)):
        return {view.picker: gr.update(value=scenario_id)}
    return {view.picker: gr.update(choices=scenario_choices(view.scenarios), value=scenario_id,
                                   label=count_label(view.scenarios)),
            view.module: ALL, view.kind: ALL, view.query: ""}


def refilter(view: PracticeView, module: str, kind: str, query: str, current: str) -> dict:
    found = filter_scenarios(view.scenarios, module, kind, query)
    ids = [s.id for s in found]
    value = current if current in ids else (ids[0] if ids else None)
    return {view.picker: gr.update(choices=scenario_choices(found), value=value,
                                   label=count_label(found))}


def pick_surprise(view: PracticeView, module: str, kind: str, query: str, current: str):
    """A random question among those the filters show (among all when they show none)."""
    matching = filter_scenarios(view.scenarios, module, kind, query)
    chosen = surprise(matching or list(view.scenarios), current)
    if chosen is None:
        return gr.skip()
    return select_scenario(view, chosen.id, module, kind, query)


def _scenario(shared: Shared, scenario_id: str | None) -> Scenario | None:
    try:
        return shared.coach.library.get(scenario_id) if scenario_id else None
    except CoachError:  # an id from an old page: show the empty card
        return None


def _waiting(view: PracticeView, shared: Shared, scenario_id: str | None, attempts, *,
             problem: str = "") -> dict:
    """The answer area ready for a new attempt at `scenario_id` (under `problem`, if any)."""
    s = _scenario(shared, scenario_id)
    tries = (attempts or {}).get(scenario_id, {}).get("count", 0)
    return {view.area.notice: gr.update(value=problem + waiting_html(tries + 1, bool(tries)),
                                        visible=True),
            view.feedback_box: gr.update(visible=False),
            view.area.countdown: view.area.countdown_html(s.time_limit_s if s else 60)}


def show(view: PracticeView, shared: Shared, scenario_id: str | None, attempts) -> dict:
    return {**_waiting(view, shared, scenario_id, attempts), view.area.recorder: None,
            view.area.card: scenario_html(_scenario(shared, scenario_id)),
            **_no_voices(view)}


def again(view: PracticeView, shared: Shared, scenario_id: str | None, attempts) -> dict:
    return {**_waiting(view, shared, scenario_id, attempts), view.area.recorder: None}


# --- speech -----------------------------------------------------------------------------------
def prompt(view: PracticeView, shared: Shared, scenario_id: str | None) -> dict:
    path, note = speech(shared, "prompts", scenario_id, "The question cannot be read aloud.")
    return {view.area.question: question_voice(path), view.area.voice_note: note}


def _no_voices(view: PracticeView) -> dict:
    return {view.polished_player: None, view.model_player: None, view.polished_speech: "",
            view.model_speech: ""}


def polished_voice(view: PracticeView, shared: Shared, text: str | None,
                   scenario_id: str | None) -> dict:
    """The polished answer read aloud: `text` is its spoken text, whose pause marks the voice
    honours (the reading guide's pauses), unclear words left out."""
    if not text:
        return {view.polished_player: None, view.area.voice_note: ""}
    path, note = speech(shared, "polished", scenario_id, POLISHED_FAILED, text)
    return {view.polished_player: path, view.area.voice_note: note}


def model_voice(view: PracticeView, shared: Shared, text: str | None,
                scenario_id: str | None) -> dict:
    """The model answer read aloud, from its spoken text; it runs after the polished voice
    and leaves that one's note alone unless it has a problem of its own."""
    if not text:
        return {view.model_player: None}
    path, note = speech(shared, "model", scenario_id, MODEL_FAILED, text)
    return {view.model_player: path, **({view.area.voice_note: note} if note else {})}


# --- the answer -------------------------------------------------------------------------------
def answer(view: PracticeView, shared: Shared, recording: str | None, scenario_id: str | None,
           attempts, browser: str | None = None,
           progress=gr.Progress()) -> dict:  # noqa: B008 - gradio's way
    progress(0.05, desc="Listening to your answer…")
    outcome = analyze(shared, recording, scenario_id, browser)
    attempts = dict(attempts or {})
    if outcome.error is not None:
        problem = error_html(outcome.error.message, outcome.error.hint)
        return {**_waiting(view, shared, scenario_id, attempts, problem=problem),
                **_no_voices(view), view.attempts: attempts, view.sounds: "",
                view.sound_request: None}
    feedback = outcome.feedback
    speak_ahead(shared, scenario_id, {"polished": feedback.polished.spoken_text,
                                      "model": feedback.model_answer.spoken_text})
    before = attempts.get(scenario_id, {})
    attempts[scenario_id] = {"figures": figures(feedback), "count": before.get("count", 0) + 1}
    unkept = outcome.unkept  # a full disk...: the feedback is shown, and where the answer is
    trends = sound_trend_lines(shared, feedback.sounds)  # "your /dʒ/ in jitter: 3 of ..."
    return {view.area.notice: gr.update(value=error_html(unkept.message, unkept.hint)
                                        if unkept else "", visible=bool(unkept)),
            view.last_answer: gr.update(visible=False),
            view.feedback_box: gr.update(visible=True),
            view.summary: summary_html(feedback, before.get("figures")),
            view.details: details_html(feedback), view.polished: polished_html(feedback),
            view.sounds: sounds_html(feedback.sounds, trends=trends),
            view.sound_request: sounds_request(feedback, trends),
            view.follow_ups: follow_ups_html(feedback), view.polished_player: None,
            view.model_player: gr.update(value=None, visible=bool(feedback.model_answer.text)),
            view.polished_speech: feedback.polished.spoken_text,
            view.model_speech: feedback.model_answer.spoken_text, view.attempts: attempts,
            view.area.countdown: answered_html(feedback.timing.length_s,
                                               feedback.timing.limit_s,
                                               speech_s=feedback.timing.answer_s)}


def keep_answer(shared: Shared, recording: str | None, scenario_id: str | None, attempts,
                browser: str | None = None):
    """An uploaded answer kept in the history before its analysis (ui/answer_area.py)."""
    return keep_upload(shared, recording, scenario_id, browser)


# --- the tab ----------------------------------------------------------------------------------
def practice_tab(shared: Shared, scenarios: Sequence[Scenario]) -> PracticeView:
    """The "Practice" tab, laid out and wired; call it inside the app's `gr.Tabs`."""
    first = scenarios[0] if scenarios else None
    with gr.Tab("Practice", id="practice"), gr.Row(equal_height=False,
                                                     elem_classes="practice-row"):
        with gr.Column(scale=1, min_width=270, elem_classes="sidebar"):
            query = gr.Textbox(placeholder="Search questions", label="Search questions",
                               show_label=False, elem_id="search", container=False)
            module = gr.Dropdown(module_choices(), value=ALL, label="Module", show_label=False,
                                 container=False, elem_id="module-filter")
            kind = gr.Dropdown(kind_choices(), value=ALL, label="Kind of question",
                               show_label=False, container=False, elem_id="kind-filter")
            lucky = gr.Button("Surprise me", size="sm", elem_id="surprise")
            picker = gr.Radio(scenario_choices(scenarios), value=first.id if first else None,
                              label=count_label(scenarios), container=False,
                              elem_classes="scenario-list", elem_id="scenario-list")
        with gr.Column(scale=4, elem_classes="main"):
            last_answer = gr.HTML(visible=False, elem_id="last-answer", js_on_load=OPEN_JS)
            area = answer_area(ids=IDS, card=scenario_html(first), notice=waiting_html(),
                               limit_s=first.time_limit_s if first else 60)
            with gr.Column(visible=False, elem_id="feedback") as feedback_box:
                summary = gr.HTML(elem_id="summary")
                details = gr.HTML(elem_id="details")
                sounds = gr.HTML(elem_id="sounds")
                with gr.Row(equal_height=False, elem_classes="polished-row"):
                    with gr.Column(scale=3, elem_classes="card"):
                        polished = gr.HTML(elem_id="polished")
                    with gr.Column(scale=2, elem_classes="card"):
                        polished_player = gr.Audio(
                            label="Hear the polished answer", type="filepath",
                            interactive=False, elem_id="polished-audio", buttons=[],
                            waveform_options=PLAIN_PLAYER)
                        model_player = gr.Audio(
                            label="Hear the model answer", type="filepath",
                            interactive=False, elem_id="model-audio", buttons=[],
                            waveform_options=PLAIN_PLAYER)
                        follow_ups = gr.HTML()
                        with gr.Row():
                            retry = gr.Button("↻  Try again", variant="primary",
                                              elem_id="try-again")
                            onward = gr.Button("Next question", elem_id="next")
        attempts, polished_speech, model_speech = gr.State({}), gr.State(""), gr.State("")
        sound_request = gr.State(None)
        # Inside the tab: a BrowserState made directly in the app's gr.Tabs is taken for a tab
        # and relabels the tab bar ("Practice, Mock round, Mock round, Settings").
        browser = gr.BrowserState("", storage_key=STORAGE_KEY, secret=SECRET)
    view = PracticeView(tuple(scenarios), query, module, kind, picker, last_answer, area,
                        feedback_box, summary, details, polished, polished_player,
                        model_player, follow_ups, attempts, polished_speech, model_speech,
                        browser, sounds, sound_request)
    _wire(view, shared, lucky, onward, retry)
    return view


def _wire(view: PracticeView, shared: Shared, lucky: gr.Button, onward: gr.Button,
          retry: gr.Button) -> None:
    v, a = view, view.area
    for control in (v.module, v.kind, v.query):
        control.change(bind(refilter, v), v.filters, v.picker, show_progress="hidden")
    voices = [v.polished_player, v.model_player, v.polished_speech, v.model_speech]
    v.picker.change(bind(show, v, shared), [v.picker, v.attempts],
                    [a.card, a.countdown, a.recorder, a.notice, v.feedback_box, *voices],
                    show_progress="hidden").then(
        bind(prompt, v, shared), v.picker, [a.question, a.voice_note], show_progress="minimal")
    for button in (lucky, onward):
        button.click(bind(pick_surprise, v), v.filters, v.choice, show_progress="hidden")
    results = [a.notice, v.last_answer, v.feedback_box, v.summary, v.details, v.polished,
               v.follow_ups, *voices, v.attempts, a.countdown, v.sounds, v.sound_request]
    a.stream(shared, bind(_scenario, shared), [v.picker])
    a.on_answer(bind(answer, v, shared), [a.recorder, v.picker, v.attempts, v.browser], results,
                keep=bind(keep_answer, shared), show_progress_on=[a.notice],
                concurrency_id="analysis", concurrency_limit=2)
    # the voices come after the written feedback: the speaker's own answer first
    a.answered.change(bind(polished_voice, v, shared), [v.polished_speech, v.picker],
                      [v.polished_player, a.voice_note], show_progress="minimal").then(
        bind(model_voice, v, shared), [v.model_speech, v.picker],
        [v.model_player, a.voice_note], show_progress="minimal").then(
        bind(sound_clips, shared), v.sound_request, v.sounds, show_progress="hidden")
    a.answered.change(None, js=FOCUS_RESULT_JS)
    retry.click(bind(again, v, shared), [v.picker, v.attempts],
                [a.recorder, a.notice, v.feedback_box, a.countdown], show_progress="hidden",
                js=SCROLL_JS)

