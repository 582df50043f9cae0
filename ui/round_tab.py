"""The Mock round tab: several questions in a row, follow-ups read aloud, then a round report.

The round is `coach.rounds` (what `coach round` runs in the terminal): this tab shows each step,
hands each recording to the round and renders the report. Every browser session keeps its own
round in `gr.State`; the Coach and the history store are the app's shared ones.

    with gr.Tabs() as tabs:
        practice = practice_tab(shared, scenarios)
        round_tab(shared, tabs, practice)   # report links open a scenario in the Practice tab

`round_tab` lays the tab out and wires its events; the handlers are the module-level `on_*`
functions, each given the tab's components (`RoundView`) and returning `{component: update}`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import gradio as gr

from coach.errors import CoachError
from coach.history.export import round_markdown
from coach.rounds import (
    DEFAULT_MODULES,
    MAX_FOLLOW_UPS,
    MockRound,
    RoundReport,
    RoundSettings,
    StepResult,
    abandoned_note,
    kept_answers,
    plan_round,
)
from coach.scenarios import MODULES
from coach.scenarios.library import ScenarioLibrary
from coach.streamed_answer import StreamedAnswer
from coach.ui.answer_area import AnswerArea, answer_area, question_voice
from coach.ui.audio_cache import audio_cache_dir, cached_speech
from coach.ui.bind import bind
from coach.ui.practice_tab import PracticeView, select_scenario
from coach.ui.render_html import error_html
from coach.ui.round_view import (
    module_label,
    notice_html,
    progress_html,
    report_html,
    step_html,
    total_steps,
)
from coach.ui.shared import GENERIC_FAILURE, Shared

log = logging.getLogger("coach.ui")

HERE = Path(__file__).resolve().parent
IDS = {"card": "round-step", "question": "round-question-audio", "countdown": "round-countdown",
       "recorder": "round-answer", "notice": "round-notice"}
TIMING = [("Lenient: the clock only reports the time", "lenient"),
          ("Strict: the recording stops at the time limit", "strict")]
FOLLOW_UPS = [("None", 0), ("One", 1), ("Two", 2)]
INTRO = """<h3>Mock interview round</h3>
<p class="muted small">A round is like the daily drill: one question per module, in order, each
answer followed by the interviewer's follow-up questions, read aloud. Follow-ups go after what
your answer missed. At the end: the figures of every answer, your best and weakest, what
improved since your last round and three things to practise next.</p>"""
HOW = """<h3>How it goes</h3><ol class="round-how">
<li>Listen to the question (or read it) and press record when you are ready.</li>
<li>Stop when you are done: the answer is analysed and the next question appears.</li>
<li>If a recording cannot be used, you answer the same question again.</li>
<li>Finish early whenever you like: the report covers what you answered.</li></ol>
<p class="muted small">Every answer is kept in your history, like practice answers.
From the terminal: <code>coach round --follow-ups 1 --strict</code>.</p>"""
# Report links: "Practise …" buttons carry the scenario id to the click event.
LINK_JS = """element.addEventListener('click', (event) => {
  const link = event.target.closest('[data-scenario]');
  if (!link) return;
  event.preventDefault();
  trigger('click', {scenario: link.dataset.scenario});
});"""
TOP_JS = "(...inputs) => { window.scrollTo({top: 0, behavior: 'smooth'}); return inputs; }"


def round_css() -> str:
    """ui/round.css nested in the selector Gradio puts before the app's CSS, to weigh as much."""
    return ".gradio-container .contain {\n" + (HERE / "round.css").read_text(encoding="utf-8") + "}"


# --- the round --------------------------------------------------------------------------------
class AppRound(MockRound):
    """A MockRound of the app: it analyses with the app's current Coach (settings may change
    during a round), and a step whose recording fails is asked again (one answer at a time).

    The failed attempt stays in the history; the report leaves it out once the step has an
    analysed answer (`coach.rounds.kept_answers`).
    """

    def __init__(self, shared: Shared, plan) -> None:
        if shared.store is None:
            raise ValueError("a round needs the history store")
        super().__init__(shared.coach, shared.store, plan, ask_again_on_error=True)
        self.shared = shared
        self.lock = threading.Lock()
        self.retried = 0

    @property
    def coach(self):
        return self.shared.coach

    def finish(self) -> RoundReport:
        report = super().finish()
        attempts = self.store.attempts(round_id=self.id)
        self.retried = len(attempts) - len(kept_answers(attempts))
        return report


def begin(shared: Shared, modules: Sequence[str], follow_ups: int, timing: str
          ) -> tuple[AppRound | None, str]:
    """A new round with these settings, or None and an error banner saying why not."""
    if shared.store is None:
        return None, error_html("A round needs the practice history, which cannot be opened.",
                                shared.history_problem)
    chosen = set(modules or ())
    try:
        settings = RoundSettings(tuple(m for m in MODULES if m in chosen), int(follow_ups or 0),
                                 timing == "strict")
        plan = plan_round(shared.coach.library, settings, shared.store.attempts(kind="answer"))
        return AppRound(shared, plan), ""
    except CoachError as error:
        return None, error_html(error.message, error.hint)


def answer(round_: AppRound, recording: str | StreamedAnswer | None
           ) -> tuple[StepResult | None, tuple[str, str] | None]:
    """Give the recording to the current step: (its result, or None; (error, hint) or None)."""
    if not recording:
        return None, ("No recording arrived.", "Record again, or upload a file.")
    try:
        with round_.lock:
            result = round_.answer(recording)
    except CoachError as error:
        return None, (error.message, error.hint)
    except Exception:  # the page gets a plain message, the log the traceback
        log.exception("round %s: analysis failed for %s", round_.id, recording)
        return None, (GENERIC_FAILURE, "")
    if result.error is not None:
        return result, (result.error.message, result.error.hint)
    return result, None


def judged_on(round_: AppRound | None):
    """The scenario the answer being recorded is judged on (a follow-up's narrowed one)."""
    step = round_.current if round_ else None
    return step.judged_on if step else None


def question_audio(round_: AppRound | None) -> tuple[str | None, str]:
    """(the current question as a WAV, or None; a message if the voice is unavailable)."""
    step = round_.current if round_ else None
    if step is None:
        return None, ""
    try:
        return cached_speech("rounds", f"round-{round_.id}-{step.number}-{step.kind}",
                             round_.speak_question), ""
    except CoachError as error:
        return None, str(error)


def report_file(report: RoundReport, library: ScenarioLibrary) -> str:
    """The full report (every answer's details too) as a Markdown file the page can offer."""
    scenarios = {s.id: s for s in library}
    target = audio_cache_dir() / "rounds" / f"round-{report.round.id}-report.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(round_markdown(report, scenarios), encoding="utf-8")
    return str(target)


# --- the handlers -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundView:
    """The Mock round tab's components that handlers read or update, and the Practice tab's
    (its report links select a scenario there)."""

    titles: dict[str, str]
    session: gr.State  # this session's AppRound
    spoken: gr.State  # the question file last given to the player
    setup_box: gr.Row
    setup_note: gr.HTML
    step_box: gr.Row
    progress: gr.HTML
    area: AnswerArea  # question card and voice, countdown, recorder, notice
    report_box: gr.Column
    report: gr.HTML
    download: gr.DownloadButton
    tabs: gr.Tabs
    practice: PracticeView

    @property
    def steps(self) -> list:
        """What showing a step (or the report instead) updates."""
        a = self.area
        return [self.session, self.setup_box, self.step_box, self.report_box, self.progress,
                a.card, a.countdown, a.notice, a.recorder, self.report, self.download]


def step_view(view: RoundView, round_: AppRound, last: StepResult | None = None,
              error: tuple[str, str] | None = None) -> dict:
    step = round_.current
    strict = round_.plan.settings.strict
    return {view.session: round_, view.setup_box: gr.update(visible=False),
            view.step_box: gr.update(visible=True), view.report_box: gr.update(visible=False),
            view.progress: progress_html(round_, view.titles),
            view.area.card: step_html(step, total_steps(round_)),
            view.area.countdown: view.area.countdown_html(step.time_limit_s, strict=strict),
            view.area.notice: notice_html(step, strict, last, error), view.area.recorder: None}


def report_view(view: RoundView, shared: Shared, round_: AppRound) -> dict:
    """The round's report in place of its steps; a banner if the report cannot be made."""
    try:
        result = round_.finish()
    except CoachError as error:
        return {view.area.notice: error_html(error.message, error.hint)}
    return {view.session: None, view.step_box: gr.update(visible=False),
            view.report_box: gr.update(visible=True),
            view.report: report_html(result, view.titles, retried=round_.retried),
            view.download: gr.update(value=report_file(result, shared.coach.library))}


def on_start(view: RoundView, shared: Shared, modules, follow_ups, timing) -> dict:
    round_, problem = begin(shared, modules, follow_ups, timing)
    if round_ is None:
        return {view.setup_note: problem}
    shown = step_view(view, round_)
    if round_.abandoned:  # said above the first question's notice
        shown[view.area.notice] = (f'<p class="muted small" data-testid="abandoned-note">'
                                   f"{escape(abandoned_note(round_.abandoned))}</p>"
                                   + shown[view.area.notice])
    return {**shown, view.setup_note: "", view.area.question: question_voice(None),
            view.area.voice_note: ""}


def on_answer(view: RoundView, shared: Shared, round_: AppRound | None, recording: str | None,
              progress=gr.Progress()) -> dict:  # noqa: B008 - gradio's way
    if round_ is None or round_.current is None:  # a page from before a restart
        return {view.area.recorder: None}
    progress(0.05, desc="Listening to your answer…")
    result, error = answer(round_, recording)
    if round_.current is not None:
        return step_view(view, round_, result, error)
    return report_view(view, shared, round_)


def on_finish(view: RoundView, shared: Shared, round_: AppRound | None):
    return gr.skip() if round_ is None else report_view(view, shared, round_)


def on_speak(view: RoundView, round_: AppRound | None, spoken: str | None) -> dict:
    path, problem = question_audio(round_)
    note = error_html("The question cannot be read aloud.", problem) if problem else ""
    if path and path == spoken:  # the same question again (a retry): do not replay it
        return {view.area.voice_note: note}
    return {view.area.question: question_voice(path), view.area.voice_note: note,
            view.spoken: path}


def on_again(view: RoundView) -> dict:
    return {view.session: None, view.setup_box: gr.update(visible=True),
            view.step_box: gr.update(visible=False), view.report_box: gr.update(visible=False),
            view.setup_note: ""}


def on_open(view: RoundView, module: str, kind: str, query: str, evt: gr.EventData):
    """A report's "Practise …" link: that scenario, in the Practice tab."""
    try:
        scenario_id = evt.scenario  # sent by LINK_JS
    except (AttributeError, TypeError):
        scenario_id = None
    if scenario_id not in view.titles:
        return gr.skip()
    return {view.tabs: gr.update(selected="practice"),
            **select_scenario(view.practice, scenario_id, module, kind, query)}


# --- the tab ----------------------------------------------------------------------------------
def round_tab(shared: Shared, tabs: gr.Tabs, practice: PracticeView) -> RoundView:
    """The "Mock round" tab; call it inside the app's `gr.Tabs` (`tabs`)."""
    with gr.Tab("Mock round", id="round"):
        session = gr.State(None)
        spoken = gr.State(None)
        with gr.Row(equal_height=False, elem_classes="round-setup") as setup_box:
            with gr.Column(scale=3, elem_classes="card"):
                gr.HTML(INTRO, head=f"<style>{round_css()}</style>")
                modules = gr.CheckboxGroup([(module_label(m), m) for m in MODULES],
                                           value=list(DEFAULT_MODULES),
                                           label="Modules, asked in this order",
                                           elem_id="round-modules")
                follow_ups = gr.Radio(FOLLOW_UPS[:MAX_FOLLOW_UPS + 1], value=1,
                                      label="Follow-up questions after each answer",
                                      elem_id="round-follow-ups")
                timing = gr.Radio(TIMING, value="lenient", label="Timing", elem_id="round-timing")
                start = gr.Button("Start round", variant="primary", elem_id="round-start")
                setup_note = gr.HTML()
            with gr.Column(scale=2, elem_classes="card"):
                gr.HTML(HOW)
        with gr.Row(equal_height=False, visible=False, elem_classes="practice-row") as step_box:
            with gr.Column(scale=1, min_width=270, elem_classes="sidebar round-side"):
                progress = gr.HTML(elem_id="round-progress")
                finish_now = gr.Button("Finish the round now", size="sm", elem_id="round-finish")
            with gr.Column(scale=4, elem_classes="main"):
                area = answer_area(ids=IDS, autoplay=True)
        with gr.Column(visible=False, elem_id="round-end") as report_box:
            report = gr.HTML(elem_id="round-report", js_on_load=LINK_JS)
            with gr.Row(elem_classes="round-actions"):
                again = gr.Button("Start another round", variant="primary", scale=0,
                                  min_width=220, elem_id="round-again")
                download = gr.DownloadButton("Download the full report (Markdown)", scale=0,
                                             min_width=340, elem_id="round-download")
    view = RoundView({s.id: s.title for s in practice.scenarios}, session, spoken, setup_box,
                     setup_note, step_box, progress, area, report_box, report, download, tabs,
                     practice)
    v, a = view, view.area
    speak = (bind(on_speak, v), [v.session, v.spoken], [a.question, a.voice_note, v.spoken])
    start.click(bind(on_start, v, shared), [modules, follow_ups, timing],
                [*v.steps, v.setup_note, a.question, a.voice_note], show_progress="minimal",
                js=TOP_JS).then(*speak, show_progress="hidden")
    a.stream(shared, judged_on, [v.session])
    a.on_answer(bind(on_answer, v, shared), [v.session, a.recorder], v.steps,
                show_progress_on=[a.notice], concurrency_id="analysis", concurrency_limit=2)
    a.answered.change(*speak, show_progress="hidden")
    finish_now.click(bind(on_finish, v, shared), v.session, v.steps, js=TOP_JS)
    again.click(bind(on_again, v), None, [v.session, v.setup_box, v.step_box, v.report_box,
                                          v.setup_note], js=TOP_JS)
    p = v.practice
    v.report.click(bind(on_open, v), [p.module, p.kind, p.query], [v.tabs, *p.choice], js=TOP_JS)
    return view
