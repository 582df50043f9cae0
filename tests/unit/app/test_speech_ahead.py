"""The polished answer's voice starts as soon as its text exists, and is made once.

Piper's polished audio came about 11 s after the written feedback: its synthesis only began
when the page, having drawn the feedback, asked for the player. Now the answer handler starts
it (and the model answer's) in the background; the player's handler then finds the WAV made,
or waits for the one being made (ui/audio_cache.py: one maker per file), never making it twice.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import gradio as gr
from fakes import OOM
from test_handlers import SpeakingCoach

from coach.history import HistoryStore
from coach.ui.audio_cache import cached_speech
from coach.ui.practice_tab import answer, model_voice, polished_voice, practice_tab
from coach.ui.shared import Shared
from coach.ui.voices import speech

SAID = ("I think the OOMKiller killed it, because the container writes no logs and dmesg "
        "shows the kill. To mitigate, I raise the limit and look for the leak.")


def _wait_for(condition, timeout_s=10.0):
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


def test_two_askers_of_one_speech_at_once_make_it_once(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    made = []

    def slow(path: Path) -> None:
        made.append(path)
        time.sleep(0.3)
        Path(path).write_bytes(b"RIFF" + b"x" * 200)

    paths = []
    askers = [threading.Thread(target=lambda: paths.append(cached_speech("polished", "a", slow)))
              for _ in range(2)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(made) == 1 and len(set(paths)) == 1 and Path(paths[0]).exists()


def test_the_answer_starts_both_voices_before_the_page_asks(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    coach = SpeakingCoach()
    shared = Shared(coach, HistoryStore())
    with gr.Blocks():
        p = practice_tab(shared, list(coach.library))
    from fakes import said_in

    shown = answer(p, shared, str(said_in(tmp_path, SAID)), OOM.id, {},
                   progress=lambda *a, **k: None)
    polished, model = shown[p.polished_speech], shown[p.model_speech]
    assert _wait_for(lambda: coach.said == [polished, model]), coach.said  # polished first
    first = polished_voice(p, shared, polished, OOM.id)
    second = model_voice(p, shared, model, OOM.id)
    assert coach.said == [polished, model]  # made once, ahead
    assert first[p.polished_player] == speech(shared, "polished", OOM.id, "", polished)[0]
    assert Path(second[p.model_player]).read_bytes().startswith(b"RIFF" + model.encode())
