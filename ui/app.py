"""The practice app: pick a question, hear it, answer out loud, read the feedback, try again.

    coach serve                 # or: make run
    python -m ui.app --port 7861

One `Coach` is created at start-up and shared by every browser session; per-session data (the
previous attempt's figures) lives in `gr.State`. The app binds to 127.0.0.1 unless told
otherwise and never creates a public share link.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import gradio as gr

from coach import Coach, capabilities
from coach.config import data_dir, writable_folder
from coach.errors import CoachError
from coach.history import HistoryStore
from coach.user_settings import load_settings
from ui import practice
from ui.history_tab import load_history_html
from ui.practice import Shared, audio_cache_dir
from ui.render_html import (
    details_html,
    error_html,
    figures,
    follow_ups_html,
    polished_html,
    summary_html,
    waiting_html,
)
from ui.round_tab import round_tab
from ui.scenario_view import (
    ALL,
    answered_html,
    countdown_html,
    filter_scenarios,
    kind_choices,
    module_choices,
    scenario_choices,
    scenario_html,
    surprise,
)
from ui.settings_tab import settings_tab

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = "50mb"  # the app records 16-bit mono WAV: 5 minutes (the analysis limit) is ~27 MB
HEADER = """<header class="app-header"><div class="brand"><span class="logo">◐</span>coach</div>
<div class="tagline">Spoken interview practice for SRE and infrastructure engineers ·
runs entirely on this machine</div></header>"""
START_JS = "() => { window.coachCountdown && window.coachCountdown.start(); }"
STOP_JS = "() => { window.coachCountdown && window.coachCountdown.stop(); }"
PLAIN_PLAYER = gr.WaveformOptions(show_recording_waveform=False)  # the browser's own compact player
# js run before a handler gets the handler's inputs and must hand them on
SCROLL_JS = ("(...inputs) => { const a = document.getElementById('answer');"
             " if (a) a.scrollIntoView({behavior: 'smooth', block: 'center'}); return inputs; }")


def count_label(found) -> str:
    return f"{len(found)} question{'s' if len(found) != 1 else ''}"


def theme() -> gr.themes.Base:
    # The system's own UI font: native on every desktop, nothing to download.
    return gr.themes.Base(primary_hue="indigo", secondary_hue="emerald", neutral_hue="slate",
                          radius_size="lg",
                          font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Cantarell",
                                "Helvetica Neue", "Arial", "sans-serif"])


def build_app(shared: Shared) -> gr.Blocks:
    scenarios = list(shared.coach.library)
    first = scenarios[0] if scenarios else None

    def scenario(scenario_id):
        try:
            return shared.coach.library.get(scenario_id) if scenario_id else None
        except CoachError:  # an id from an old page: show the empty card
            return None

    def refilter(module, kind, query, current):
        found = filter_scenarios(scenarios, module, kind, query)
        ids = [s.id for s in found]
        value = current if current in ids else (ids[0] if ids else None)
        return gr.update(choices=scenario_choices(found), value=value, label=count_label(found))

    def pick_surprise(module, kind, query, current):
        matching = filter_scenarios(scenarios, module, kind, query)
        chosen = surprise(matching or scenarios, current)
        unchanged = gr.update()
        if chosen is None:
            return unchanged, unchanged, unchanged, unchanged
        if matching:
            return gr.update(value=chosen.id), unchanged, unchanged, unchanged
        # nothing matches the filters: clear them and pick from every question
        return (gr.update(choices=scenario_choices(scenarios), value=chosen.id,
                          label=count_label(scenarios)), ALL, ALL, "")

    def show(scenario_id, attempts):
        s = scenario(scenario_id)
        tries = (attempts or {}).get(scenario_id, {}).get("count", 0)
        return (scenario_html(s), countdown_html(s.time_limit_s if s else 60), None,
                gr.update(value=waiting_html(tries + 1, bool(tries)), visible=True),
                gr.update(visible=False), None, "")

    def prompt(scenario_id):
        path, problem = practice.prompt_audio(shared, scenario_id)
        return path, (error_html("The question cannot be read aloud.", problem) if problem else "")

    def answer(recording, scenario_id, attempts, progress=gr.Progress()):  # noqa: B008 - gradio's way
        progress(0.05, desc="Listening to your answer…")
        outcome = practice.analyze(shared, recording, scenario_id)
        attempts = dict(attempts or {})
        if outcome.feedback is None:
            tries = attempts.get(scenario_id, {}).get("count", 0)
            message = error_html(outcome.error, outcome.hint) + waiting_html(tries + 1, bool(tries))
            current = scenario(scenario_id)
            return (gr.update(value=message, visible=True), gr.update(visible=False), gr.update(),
                    gr.update(), gr.update(), gr.update(), None, "", attempts,
                    countdown_html(current.time_limit_s if current else 60))
        feedback = outcome.feedback
        before = attempts.get(scenario_id, {})
        attempts[scenario_id] = {"figures": figures(feedback), "count": before.get("count", 0) + 1}
        return (gr.update(value="", visible=False), gr.update(visible=True),
                summary_html(feedback, before.get("figures")), details_html(feedback),
                polished_html(feedback), follow_ups_html(feedback), None,
                feedback.polished.text, attempts,
                answered_html(feedback.timing.answer_s, feedback.timing.limit_s))

    def polished_voice(text, scenario_id):
        path, problem = practice.polished_audio(shared, text, scenario_id)
        return path, (error_html("The polished answer cannot be read aloud.", problem)
                      if problem else "")

    def again(scenario_id, attempts):
        s = scenario(scenario_id)
        tries = (attempts or {}).get(scenario_id, {}).get("count", 0)
        return (None, gr.update(value=waiting_html(tries + 1, bool(tries)), visible=True),
                gr.update(visible=False), countdown_html(s.time_limit_s if s else 60))

    with gr.Blocks(title="coach · interview practice", analytics_enabled=False,
                   fill_width=True) as demo:
        attempts = gr.State({})  # this session: scenario id -> last figures and attempt count
        polished_text = gr.State("")
        gr.HTML(HEADER)
        with gr.Tabs(elem_classes="main-tabs"):
            with gr.Tab("Practice", id="practice"):  # noqa: SIM117 - the layout reads as nested
                with gr.Row(equal_height=False, elem_classes="practice-row"):
                    with gr.Column(scale=1, min_width=270, elem_classes="sidebar"):
                        query = gr.Textbox(placeholder="Search questions", show_label=False,
                                           elem_id="search", container=False)
                        module = gr.Dropdown(module_choices(), value=ALL, show_label=False,
                                             container=False, elem_id="module-filter")
                        kind = gr.Dropdown(kind_choices(), value=ALL, show_label=False,
                                           container=False, elem_id="kind-filter")
                        lucky = gr.Button("Surprise me", size="sm", elem_id="surprise")
                        picker = gr.Radio(scenario_choices(scenarios),
                                          value=first.id if first else None,
                                          label=count_label(scenarios), show_label=True,
                                          container=False,
                                          elem_classes="scenario-list",
                                          elem_id="scenario-list")
                    with gr.Column(scale=4, elem_classes="main"):
                        card = gr.HTML(scenario_html(first))
                        question = gr.Audio(label="Hear the question", type="filepath",
                                            interactive=False, elem_id="question-audio",
                                            buttons=[], waveform_options=PLAIN_PLAYER)
                        voice_note = gr.HTML()
                        with gr.Group(elem_classes="answer-box"):
                            countdown = gr.HTML(countdown_html(first.time_limit_s if first else 60))
                            recorder = gr.Audio(sources=["microphone", "upload"], type="filepath",
                                                label="Your answer", elem_id="answer",
                                                buttons=[], editable=False)
                        notice = gr.HTML(waiting_html(), elem_id="notice")
                        with gr.Column(visible=False, elem_id="feedback") as feedback_box:
                            summary = gr.HTML(elem_id="summary")
                            details = gr.HTML(elem_id="details")
                            with gr.Row(equal_height=False, elem_classes="polished-row"):
                                with gr.Column(scale=3, elem_classes="card"):
                                    polished = gr.HTML(elem_id="polished")
                                with gr.Column(scale=2, elem_classes="card"):
                                    polished_player = gr.Audio(
                                        label="Hear the polished answer", type="filepath",
                                        interactive=False, elem_id="polished-audio", buttons=[],
                                        waveform_options=PLAIN_PLAYER)
                                    follow_ups = gr.HTML()
                                    with gr.Row():
                                        retry = gr.Button("↻  Try again", variant="primary",
                                                          elem_id="try-again")
                                        onward = gr.Button("Next question", elem_id="next")
            round_tab(shared, picker, [module, kind, query])
            with gr.Tab("History", id="history") as history_tab:
                history_view = gr.HTML(elem_id="history")
            with gr.Tab("Settings", id="settings"):
                settings_tab(shared)

        filters = [module, kind, query, picker]
        for control in (module, kind):
            control.change(refilter, filters, picker, show_progress="hidden")
        query.change(refilter, filters, picker, show_progress="hidden")
        shown = [card, countdown, recorder, notice, feedback_box, polished_player, polished_text]
        picker.change(show, [picker, attempts], shown, show_progress="hidden").then(
            prompt, picker, [question, voice_note], show_progress="minimal")
        for button in (lucky, onward):
            button.click(pick_surprise, filters, [picker, module, kind, query],
                         show_progress="hidden")
        demo.load(prompt, picker, [question, voice_note], show_progress="hidden")

        recorder.start_recording(None, js=START_JS)
        recorder.stop_recording(None, js=STOP_JS)
        results = [notice, feedback_box, summary, details, polished, follow_ups,
                   polished_player, polished_text, attempts, countdown]
        for event in (recorder.stop_recording, recorder.upload):
            event(answer, [recorder, picker, attempts], results, show_progress_on=[notice],
                  concurrency_id="analysis", concurrency_limit=2).then(
                polished_voice, [polished_text, picker], [polished_player, voice_note],
                show_progress="minimal")
        history_tab.select(lambda: load_history_html(shared), None, history_view,
                           show_progress="hidden")
        retry.click(again, [picker, attempts], [recorder, notice, feedback_box, countdown],
                    show_progress="hidden", js=SCROLL_JS)
    return demo


def serve(host: str = "127.0.0.1", port: int = 7860, model: str | None = None, *,
          block: bool = True):
    """Start the app. Raises CoachError (e.g. ModelNotFound) before serving if it cannot work."""
    writable_folder(data_dir())  # history, recordings and settings all live there
    settings = load_settings()
    capabilities.report_once(("grammar", "ipa", "voice"), voice=settings.voice_engine)
    if model:
        settings = replace(settings, model=model)
    coach = Coach(settings)
    shared: Shared | None = None
    try:
        coach.warm_up().wait()  # a missing model fails here, before anything is served
        try:
            shared = Shared(coach, HistoryStore())
        except CoachError as error:  # e.g. a history written by a newer version: practise anyway
            shared = Shared(coach, None, str(error))
        demo = build_app(shared)
        demo.queue(default_concurrency_limit=2)
        audio_cache_dir().mkdir(parents=True, exist_ok=True)
        demo.launch(server_name=host, server_port=port, share=False, inbrowser=False,
                    max_file_size=MAX_UPLOAD, allowed_paths=[str(audio_cache_dir())],
                    footer_links=[], show_error=False, prevent_thread_lock=not block,
                    theme=theme(), css_paths=[HERE / "theme.css"],
                    js=(HERE / "countdown.js").read_text(encoding="utf-8"))
    except BaseException:
        block = True  # nothing will serve: stop the grammar server on the way out
        raise
    finally:
        if block:
            (shared.coach if shared else coach).close()
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Start the coach practice app.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--model")
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, model=args.model)


if __name__ == "__main__":
    main()
