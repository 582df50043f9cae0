"""The Settings tab: voice, speech model, pace range, extra fillers, grammar, sounds, live nudges;
saved to disk."""

from __future__ import annotations

from html import escape

import gradio as gr

from coach.engines.models import DEFAULT_MODEL, available_models
from coach.engines.synthesizer import ENGINE_LABELS, ENGINES
from coach.errors import CoachError
from coach.settings import NUDGE_KINDS, NUDGE_LABELS, save_settings, settings_from_dict
from coach.ui.bind import bind
from coach.ui.shared import Shared

SOUNDS_LABEL = "Check the sounds of key terms (phoneme scores)"


def model_choices(current: str | None) -> list[str]:
    names = [m.name for m in available_models() if m.installed]
    if current and current not in names:
        names.append(current)
    return names or [DEFAULT_MODEL]


def _words(text: str) -> list[str]:
    return [w.strip() for w in (text or "").split(",") if w.strip()]


def build_settings(shared: Shared, low: float, high: float, vocal: str, discourse: str,
                   engine: str, wpm: float, model: str, grammar: bool, sounds: bool,
                   *nudges: bool):
    """The Settings the form describes, or a CoachError-style message for what is wrong.
    `nudges`: one switch per NUDGE_KINDS, in that order (none given: left as they are)."""
    if low is None or high is None or not 40 <= low < high <= 300:
        return None, "The pace range needs a low below the high, both between 40 and 300 wpm."
    current = shared.coach.settings
    model = (model or "").strip()
    data = {"model": None if model in ("", DEFAULT_MODEL) else model,
            "pace_range": [low, high],
            "fillers": {"extra_vocal": _words(vocal), "extra_discourse": _words(discourse)},
            "voice_engine": engine, "voice_wpm": wpm, "check_grammar": bool(grammar),
            "check_sounds": bool(sounds)}
    if nudges:
        data["nudges"] = {kind: bool(on) for kind, on in zip(NUDGE_KINDS, nudges, strict=True)}
    return settings_from_dict(data, current), ""


def save(shared: Shared, *form) -> str:
    settings, problem = build_settings(shared, *form)
    if problem:
        return f'<div class="banner error">{escape(problem)}</div>'
    try:
        shared.apply(settings)
    except CoachError as error:
        return f'<div class="banner error">Not saved: {escape(str(error))}</div>'
    path = save_settings(settings)
    return (f'<div class="banner ok" data-testid="settings-saved">Saved. New answers use these '
            f'settings. <span class="muted">({escape(str(path))})</span></div>')


def settings_tab(shared: Shared):
    s = shared.coach.settings
    with gr.Row(equal_height=False):
        with gr.Column(elem_classes="card"):
            gr.HTML("<h3>Voice</h3><p class='muted small'>Reads the question and your polished "
                    "answer aloud.</p>")
            engine = gr.Radio([(ENGINE_LABELS[name], name) for name in ENGINES],
                              value=s.voice_engine, label="Voice engine")
            wpm = gr.Slider(100, 200, value=s.voice_wpm, step=5, label="Speed (words per minute)")
            gr.HTML("<h3>Speech recognition</h3>")
            model = gr.Dropdown(
                model_choices(s.model),
                value=s.model or DEFAULT_MODEL,
                allow_custom_value=True,
                label="Whisper model",
                info="'base' (default) is the most accurate; 'tiny.en' is about twice as "
                "fast, for slow machines. You can also paste a CTranslate2 "
                "model folder.",
            )
            grammar = gr.Checkbox(value=s.check_grammar, label="Check grammar (LanguageTool)")
            sounds = gr.Checkbox(value=s.check_sounds, label=SOUNDS_LABEL, elem_id="check-sounds",
                                 info="Which sound of each key term you said was off, with "
                                 "your clip beside the voice's.")
        with gr.Column(elem_classes="card"):
            gr.HTML("<h3>Pace</h3><p class='muted small'>The range the pace chart shades as "
                    "good. 110–160 suits dense technical answers.</p>")
            with gr.Row():
                low = gr.Number(s.pace_range.low, label="Slowest good pace (wpm)", precision=0)
                high = gr.Number(s.pace_range.high, label="Fastest good pace (wpm)", precision=0)
            gr.HTML("<h3>Your own fillers</h3><p class='muted small'>Added to the built-in list "
                    "(um, uh, you know, basically, like …). Separate with commas.</p>")
            vocal = gr.Textbox(", ".join(s.fillers.extra_vocal), label="Sounds",
                               placeholder="e.g. mhm, eh")
            discourse = gr.Textbox(", ".join(s.fillers.extra_discourse), label="Words and phrases",
                                   placeholder="e.g. right, so yeah, okay so")
            gr.HTML("<h3>Live nudges</h3><p class='muted small'>Shown now and then while you "
                    "record, at most one every 8 seconds.</p>")
            nudges = [gr.Checkbox(value=kind in s.nudges, label=NUDGE_LABELS[kind],
                                  elem_id=f"nudge-{kind}") for kind in NUDGE_KINDS]
    with gr.Row():
        button = gr.Button("Save settings", variant="primary", scale=0, min_width=180)
        status = gr.HTML()
    return button.click(bind(save, shared),
                        [low, high, vocal, discourse, engine, wpm, model, grammar, sounds, *nudges],
                        status)

