"""The Mock round tab: several questions in a row, follow-ups read aloud, then a round report.

The round is `coach.rounds` (what `coach round` runs in the terminal): this tab shows each step,
hands each recording to the round and renders the report. Every browser session keeps its own
round in `gr.State`; the Coach and the history store are the app's shared ones.

    with gr.Tabs():
        ...
        round_tab(shared, picker, [module, kind, query])   # the Practice tab's picker and filters
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Sequence
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
    kept_answers,
    plan_round,
)
from coach.scenarios import MODULES
from ui.practice import GENERIC_FAILURE, Shared, audio_cache_dir
from ui.render_html import error_html
from ui.round_view import (
    countdown_html,
    module_label,
    notice_html,
    progress_html,
    report_html,
    step_html,
    total_steps,
)
from ui.scenario_view import ALL, filter_scenarios, scenario_choices

log = logging.getLogger("coach.ui")

HERE = Path(__file__).resolve().parent
PLAIN_PLAYER = gr.WaveformOptions(show_recording_waveform=False)
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
STOP_JS = ("() => { clearTimeout(window.coachRoundLimit);"
           " window.coachRoundCountdown && window.coachRoundCountdown.stop(); }")


def start_js() -> str:
    """Runs when recording starts: the Practice tab's countdown script on #round-countdown.

    ui/countdown.js is run unchanged with `window` and `document` standing for a scope of its
    own and a document whose countdown is the round's, so both tabs keep their own clock.
    Strict rounds also press the recorder's stop button when the time is up (and a moment
    more, so the last word is kept and the answer reads as a time-out).
    """
    source = (HERE / "countdown.js").read_text(encoding="utf-8")
    return f"""() => {{
  if (!window.coachRoundCountdown) {{
    const scope = {{}};
    const page = {{getElementById: () => document.getElementById("round-countdown")}};
    ((window, document) => ({source.strip()})())(scope, page);
    window.coachRoundCountdown = scope.coachCountdown;
  }}
  const GRACE_S = 0.3;
  window.coachRoundCountdown.start();
  clearTimeout(window.coachRoundLimit);
  const clock = document.getElementById("round-countdown");
  if (clock && clock.dataset.strict === "true") {{
    window.coachRoundLimit = setTimeout(() => {{
      const stop = document.querySelector("#round-answer button.stop-button");
      if (stop) stop.click();
    }}, ((Number(clock.dataset.limit) || 60) + GRACE_S) * 1000);
  }}
}}"""


def round_css() -> str:
    """ui/round.css nested in the selector Gradio puts before the app's CSS, to weigh as much."""
    return ".gradio-container .contain {\n" + (HERE / "round.css").read_text(encoding="utf-8") + "}"


# --- the round --------------------------------------------------------------------------------
class AppRound(MockRound):
    """A MockRound in which a step whose recording fails is asked again (one answer at a time).

    The failed attempt stays in the history; the report leaves it out once the step has an
    analysed answer (`coach.rounds.kept_answers`).
    """

    def __init__(self, coach, store, plan) -> None:
        super().__init__(coach, store, plan, ask_again_on_error=True)
        self.lock = threading.Lock()
        self.retried = 0

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
    coach = shared.coach
    chosen = set(modules or ())
    try:
        settings = RoundSettings(tuple(m for m in MODULES if m in chosen), int(follow_ups or 0),
                                 timing == "strict")
        plan = plan_round(coach.library, settings, shared.store.attempts(kind="answer"))
        return AppRound(coach, shared.store, plan), ""
    except CoachError as error:
        return None, error_html(error.message, error.hint)


def answer(shared: Shared, round_: AppRound, recording: str | None
           ) -> tuple[StepResult | None, tuple[str, str] | None]:
    """Give the recording to the current step: (its result, or None; (error, hint) or None)."""
    if not recording:
        return None, ("No recording arrived.", "Record again, or upload a file.")
    round_.coach = shared.coach  # the settings (or model) may have changed since the start
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


def question_audio(shared: Shared, round_: AppRound | None) -> tuple[str | None, str]:
    """(the current question as a WAV, or None; a message if the voice is unavailable)."""
    step = round_.current if round_ else None
    if step is None:
        return None, ""
    target = audio_cache_dir() / "rounds" / f"round-{round_.id}-{step.number}-{step.kind}.wav"
    if target.exists() and target.stat().st_size > 44:
        return str(target), ""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{uuid.uuid4().hex}.wav")
    round_.coach = shared.coach
    try:
        round_.speak_question(partial)
        os.replace(partial, target)
    except CoachError as error:
        return None, str(error)
    finally:
        partial.unlink(missing_ok=True)
    return str(target), ""


def report_file(report: RoundReport, library) -> str:
    """The full report (every answer's details too) as a Markdown file the page can offer."""
    scenarios = {s.id: s for s in library}
    target = audio_cache_dir() / "rounds" / f"round-{report.round.id}-report.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(round_markdown(report, scenarios), encoding="utf-8")
    return str(target)


# --- the tab ----------------------------------------------------------------------------------
def round_tab(shared: Shared, picker: gr.Radio, filters: Sequence[gr.components.Component]
              ) -> None:
    """The "Mock round" tab; call it inside the app's `gr.Tabs`.

    `picker` and `filters` (module, kind, search) are the Practice tab's: the report's
    practise-next links select their scenario there, as "Surprise me" does.
    """
    scenarios = list(shared.coach.library)
    titles = {s.id: s.title for s in scenarios}

    with gr.Tab("Mock round", id="round") as tab:
        session = gr.State(None)  # this session's AppRound
        spoken = gr.State(None)  # the question file last given to the player
        with gr.Row(equal_height=False, elem_classes="round-setup") as setup_box:
            with gr.Column(scale=3, elem_classes="card"):
                gr.HTML(INTRO, head=f"<style>{round_css()}</style>")
                modules = gr.CheckboxGroup([(module_label(m), m) for m in MODULES],
                                           value=list(DEFAULT_MODULES), label="Modules, asked in this order",
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
                card = gr.HTML(elem_id="round-step")
                question = gr.Audio(label="Hear the question", type="filepath", autoplay=True,
                                    interactive=False, elem_id="round-question-audio",
                                    buttons=[], waveform_options=PLAIN_PLAYER)
                voice_note = gr.HTML()
                with gr.Group(elem_classes="answer-box"):
                    countdown = gr.HTML()
                    recorder = gr.Audio(sources=["microphone", "upload"], type="filepath",
                                        label="Your answer", elem_id="round-answer",
                                        buttons=[], editable=False)
                notice = gr.HTML(elem_id="round-notice")
        with gr.Column(visible=False, elem_id="round-end") as report_box:
            report = gr.HTML(elem_id="round-report", js_on_load=LINK_JS)
            with gr.Row(elem_classes="round-actions"):
                again = gr.Button("Start another round", variant="primary", scale=0,
                                  min_width=220, elem_id="round-again")
                download = gr.DownloadButton("Download the full report (Markdown)", scale=0,
                                             min_width=340, elem_id="round-download")
    tabs = tab.parent  # the app's gr.Tabs, to switch to the Practice tab

    def step_view(round_: AppRound, last: StepResult | None = None,
                  error: tuple[str, str] | None = None) -> dict:
        step = round_.current
        strict = round_.plan.settings.strict
        return {session: round_, setup_box: gr.update(visible=False),
                step_box: gr.update(visible=True), report_box: gr.update(visible=False),
                progress: progress_html(round_, titles), card: step_html(step, total_steps(round_)),
                countdown: countdown_html(step.time_limit_s, strict),
                notice: notice_html(step, strict, last, error), recorder: None}

    def report_view(round_: AppRound) -> dict:
        result = round_.finish()
        return {session: None, step_box: gr.update(visible=False),
                report_box: gr.update(visible=True),
                report: report_html(result, titles, retried=round_.retried),
                download: gr.update(value=report_file(result, shared.coach.library))}

    def on_start(chosen, follow, pace):
        round_, problem = begin(shared, chosen, follow, pace)
        if round_ is None:
            return {setup_note: problem}
        return {**step_view(round_), setup_note: "", question: None, voice_note: ""}

    def on_answer(round_, recording, progress_bar=gr.Progress()):  # noqa: B008 - gradio's way
        if round_ is None or round_.current is None:  # a page from before a restart
            return {recorder: None}
        progress_bar(0.05, desc="Listening to your answer…")
        result, error = answer(shared, round_, recording)
        if round_.current is not None:
            return step_view(round_, result, error)
        try:
            return report_view(round_)
        except CoachError as problem:
            return {notice: error_html(problem.message, problem.hint)}

    def on_finish(round_):
        if round_ is None:
            return {}
        try:
            return report_view(round_)
        except CoachError as error:
            return {notice: error_html(error.message, error.hint)}

    def on_speak(round_, spoken):
        path, problem = question_audio(shared, round_)
        note = error_html("The question cannot be read aloud.", problem) if problem else ""
        if path and path == spoken:  # the same question again (a retry): do not replay it
            return gr.update(), note, spoken
        return path, note, path

    def on_again():
        return {session: None, setup_box: gr.update(visible=True),
                step_box: gr.update(visible=False), report_box: gr.update(visible=False),
                setup_note: ""}

    def on_open(module, kind, query, evt: gr.EventData):
        try:
            scenario_id = evt.scenario  # sent by LINK_JS
        except (AttributeError, TypeError):
            scenario_id = None
        if scenario_id not in titles:
            return gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        practice = gr.update(selected="practice")
        if any(s.id == scenario_id for s in filter_scenarios(scenarios, module, kind, query)):
            return practice, gr.update(value=scenario_id), gr.update(), gr.update(), gr.update()
        # hidden by the Practice tab's filters: clear them, as "Surprise me" does
        return (practice, gr.update(choices=scenario_choices(scenarios), value=scenario_id,
                                    label=f"{len(scenarios)} questions"), ALL, ALL, "")

    steps = [session, setup_box, step_box, report_box, progress, card, countdown, notice,
             recorder]
    ending = [report, download]
    start.click(on_start, [modules, follow_ups, timing],
                [*steps, setup_note, question, voice_note], show_progress="minimal",
                js=TOP_JS).then(on_speak, [session, spoken], [question, voice_note, spoken],
                                show_progress="hidden")
    recorder.start_recording(None, js=start_js())
    recorder.stop_recording(None, js=STOP_JS)
    for event in (recorder.stop_recording, recorder.upload):
        event(on_answer, [session, recorder], [*steps, *ending], show_progress_on=[notice],
              concurrency_id="analysis", concurrency_limit=2).then(
            on_speak, [session, spoken], [question, voice_note, spoken], show_progress="hidden")
    finish_now.click(on_finish, session, [session, step_box, report_box, notice, *ending],
                     js=TOP_JS)
    again.click(on_again, None, [session, setup_box, step_box, report_box, setup_note],
                js=TOP_JS)
    report.click(on_open, list(filters), [tabs, picker, *filters], js=TOP_JS)

