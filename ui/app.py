"""The practice app: pick a question, hear it, answer out loud, read the feedback, try again.

    coach serve                 # or: make run
    python -m ui.app --port 7861

One `Coach` is created at start-up and shared by every browser session (ui/shared.py);
per-session data (the previous attempt's figures, a round in progress) lives in `gr.State`.
Each tab is its own module: practice_tab.py, round_tab.py, history_tab.py, settings_tab.py.
The app binds to 127.0.0.1 unless told otherwise and never creates a public share link.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import gradio as gr

from coach import Coach, capabilities, serving
from coach.errors import CoachError
from coach.history import HistoryStore
from coach.settings import data_dir, load_settings, writable_cache, writable_folder
from coach.ui.answer_area import forget_live_answers
from coach.ui.attempt_view import attempt_voices, last_answer
from coach.ui.audio_cache import audio_cache_dir
from coach.ui.bind import bind
from coach.ui.browsers import token_for
from coach.ui.history_tab import history_tab, load_history_html, on_open
from coach.ui.practice_tab import practice_tab, prompt
from coach.ui.round_tab import round_tab
from coach.ui.settings_tab import settings_tab
from coach.ui.shared import Shared

HERE = Path(__file__).resolve().parent
PAGE_SCRIPTS = ("countdown.js", "upload_types.js", "a11y.js", "played_length.js")
DELETE_CACHE = (3600, 86400)  # uploads and generated files: checked hourly, gone after a day
MAX_UPLOAD = "50mb"  # the app records 16-bit mono WAV: 5 minutes (the analysis limit) is ~27 MB
SHOW_OPENED_JS = ("() => { const h = document.querySelector('#attempt-heading h3');"
                  " if (h) { h.setAttribute('tabindex', '-1'); h.focus(); "
                  "h.scrollIntoView({block: 'start'}); } }")
HEADER = """<header class="app-header"><div class="brand"><span class="logo">◐</span>coach</div>
<div class="tagline">Spoken interview practice for SRE and infrastructure engineers ·
runs entirely on this machine</div></header>"""


def theme() -> gr.themes.Base:
    # The system's own UI font: native on every desktop, nothing to download.
    # WCAG AA: text at least 4.5:1 against its background, so grey text is slate-600 (7.6:1 on
    # white; slate-400 in dark mode) and primary buttons are indigo-600 under white text.
    return gr.themes.Base(primary_hue="indigo", secondary_hue="emerald", neutral_hue="slate",
                          radius_size="lg",
                          font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Cantarell",
                                "Helvetica Neue", "Arial", "sans-serif"]).set(
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_400",
        input_placeholder_color="*neutral_500", input_placeholder_color_dark="*neutral_400",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        button_primary_background_fill_dark="*primary_600",
        button_primary_text_color="white", button_primary_text_color_dark="white")


def page_js() -> str:
    """The page's scripts (each file is one arrow function), run once when the page loads."""
    calls = "".join(f"({(HERE / name).read_text(encoding='utf-8').strip()})();\n"
                    for name in PAGE_SCRIPTS)
    return f"() => {{\n{calls}}}"


def build_app(shared: Shared) -> gr.Blocks:
    """The page: a header and four tabs, each laid out and wired by its own module."""
    scenarios = list(shared.coach.library)
    with gr.Blocks(title="coach · interview practice", analytics_enabled=False,
                   fill_width=True, delete_cache=DELETE_CACHE) as demo:
        gr.HTML(HEADER)
        with gr.Tabs(elem_classes="main-tabs") as tabs:
            practice = practice_tab(shared, scenarios)
            round_tab(shared, tabs, practice)
            with gr.Tab("History", id="history") as history:
                listing, opened = history_tab(shared)
            with gr.Tab("Settings", id="settings"):
                saved = settings_tab(shared)
        # a new voice (or speed) reads the current question again in that voice
        saved.then(bind(prompt, practice, shared), practice.picker,
                   [practice.area.question, practice.area.voice_note], show_progress="hidden")
        polling = gr.Timer(2.0, active=False)
        demo.load(bind(prompt, practice, shared), practice.picker,
                  [practice.area.question, practice.area.voice_note], show_progress="hidden")
        for event in (demo.load, polling.tick):  # after a reload, the answer being analysed
            event(bind(show_last_answer, shared), practice.browser,
                  [practice.last_answer, polling, practice.browser], show_progress="hidden")
        demo.unload(forget_live_answers)
        history.select(bind(load_history_html, shared), None, listing, show_progress="hidden")
        opening = bind(on_open, opened, listing, tabs, shared)
        for link in (listing, practice.last_answer):
            link.click(opening, None, [tabs, listing, *opened.outputs],
                       show_progress="hidden").then(None, js=SHOW_OPENED_JS).then(
                bind(attempt_voices, opened, shared), opened.voices, opened.players,
                show_progress="minimal")
    return demo


def show_last_answer(shared: Shared, browser: str | None):
    """The Practice tab's note about this browser's last answer, whether to look again
    shortly, and the browser's token (a new one for a browser seen for the first time)."""
    browser = token_for(browser)
    html, analysing = last_answer(shared, browser)
    return gr.update(value=html, visible=bool(html)), gr.Timer(active=analysing), browser


def served_folders(shared: Shared) -> list[str]:
    """What the page may load files from: the speech cache and the kept recordings."""
    folders = [str(audio_cache_dir())]
    if shared.store is not None:
        folders.append(str(shared.store.recordings_dir))
    return folders


def serve(host: str = "127.0.0.1", port: int = 7860, model: str | None = None, *,
          block: bool = True, password: str | None = None):
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
        writable_cache(audio_cache_dir().name).chmod(0o700)  # speech of the user's answers
        print(f"coach: serving on http://{host}:{port}"
              + (" (password required)" if password else ""), flush=True)
        demo.launch(server_name=host, server_port=port, share=False, inbrowser=False,
                    quiet=True, auth=(serving.USER, password) if password else None,
                    max_file_size=MAX_UPLOAD, allowed_paths=served_folders(shared),
                    footer_links=[], show_error=False, prevent_thread_lock=not block,
                    theme=theme(), css_paths=[HERE / "theme.css"],
                    js=page_js())
    except BaseException:
        block = True  # nothing will serve: stop the grammar server on the way out
        raise
    finally:
        if block:
            (shared.coach if shared else coach).close()
    return demo


def main(argv: list[str] | None = None) -> None:
    """`python -m coach.ui.app`: the flags and checks of `coach serve`."""
    parser = argparse.ArgumentParser(description="Start the coach practice app.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--model")
    parser.add_argument("--allow-network", action="store_true")
    parser.add_argument("--password-file")
    args = parser.parse_args(argv)
    try:
        password = serving.prepare(args.host, args.port, allow_network=args.allow_network,
                                   password_file=args.password_file)
    except CoachError as error:
        raise SystemExit(f"coach: {error}") from None
    serve(host=args.host, port=args.port, model=args.model, password=password)


if __name__ == "__main__":
    main()
