"""The app's event handlers without a browser: plain functions returning {component: update}.

The tabs are built in a Blocks that is never launched; the handlers are called directly with
what the page would send. The stand-in coach reads each "recording" as the words said.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from fakes import OOM, REVIEW, TextCoach, drawings_as_text, said_in

from coach.errors import CoachError, SynthesisUnavailable
from coach.history import HistoryStore
from coach.history.workers import analysing as analysing_mark
from coach.scenarios.library import ScenarioLibrary
from coach.ui.attempt_view import (
    analyse_again,
    attempt_view,
    attempt_voices,
    last_answer,
    open_attempt,
)
from coach.ui.practice_tab import (
    again,
    answer,
    model_voice,
    pick_surprise,
    polished_voice,
    practice_tab,
    select_scenario,
)
from coach.ui.round_tab import on_answer, on_open, on_start, round_tab
from coach.ui.scenario_view import ALL
from coach.ui.shared import Shared


@pytest.fixture
def app():
    shared = Shared(TextCoach(), HistoryStore())
    with gr.Blocks(), gr.Tabs() as tabs:
        practice = practice_tab(shared, list(shared.coach.library))
        rounds = round_tab(shared, tabs, practice)
        with gr.Tab("History"):
            opened = attempt_view()
    return SimpleNamespace(shared=shared, practice=practice, rounds=rounds, tabs=tabs,
                           opened=opened)


def being_analysed_here(store, attempt_id):
    """This test process marked as the live worker analysing `attempt_id`."""
    return analysing_mark(store.path.parent, attempt_id)


def value(update):
    return update["value"] if isinstance(update, dict) else update


def test_choosing_a_question_the_filters_hide_clears_them(app):
    p = app.practice
    assert select_scenario(p, OOM.id, "system-debug", ALL, "") == {
        p.picker: gr.update(value=OOM.id)}
    cleared = select_scenario(p, REVIEW.id, "system-debug", ALL, "restarts")
    assert value(cleared[p.picker]) == REVIEW.id
    assert [c for _, c in cleared[p.picker]["choices"]] == [OOM.id, REVIEW.id]
    assert (cleared[p.module], cleared[p.kind], cleared[p.query]) == (ALL, ALL, "")


def test_surprise_picks_another_shown_question(app):
    p = app.practice
    assert value(pick_surprise(p, ALL, ALL, "", OOM.id)[p.picker]) == REVIEW.id
    # nothing matches the filters: pick from every question and clear them
    update = pick_surprise(p, ALL, ALL, "no such words", OOM.id)
    assert value(update[p.picker]) == REVIEW.id and update[p.query] == ""


def test_a_report_link_opens_its_question_in_the_practice_tab(app):
    r, p = app.rounds, app.practice
    update = on_open(r, "code-review", ALL, "", SimpleNamespace(scenario=OOM.id))
    assert update[app.tabs] == gr.update(selected="practice")
    assert value(update[p.picker]) == OOM.id and update[p.module] == ALL
    assert on_open(r, ALL, ALL, "", SimpleNamespace(scenario="not-a-question")) == gr.skip()


def test_an_answer_then_another_compares_the_two(app, tmp_path):
    p, a = app.practice, app.practice.area
    first = answer(p, app.shared, str(said_in(tmp_path, "Um the OOMKiller killed it.")), OOM.id,
                   {}, progress=lambda *args, **kw: None)
    assert first[p.feedback_box] == gr.update(visible=True)
    assert first[p.attempts][OOM.id]["count"] == 1
    assert "previous attempt" not in first[p.summary]
    assert "answered within" in first[a.countdown]
    retry = again(p, app.shared, OOM.id, first[p.attempts])
    assert "Attempt 2." in value(retry[a.notice]) and retry[a.recorder] is None
    second = answer(p, app.shared, str(said_in(tmp_path, "The OOMKiller killed it: see dmesg.")),
                    OOM.id, first[p.attempts], progress=lambda *args, **kw: None)
    assert second[p.attempts][OOM.id]["count"] == 2
    assert "previous attempt" in second[p.summary]
    assert len(app.shared.store.attempts()) == 2  # both kept in the history


@pytest.mark.parametrize(("recording", "message"), [
    (None, "No recording arrived."), ("", "No speech was heard in the recording.")])
def test_an_unusable_answer_says_why_and_waits_for_another(app, tmp_path, recording, message):
    p, a = app.practice, app.practice.area
    path = None if recording is None else str(said_in(tmp_path, recording))
    update = answer(p, app.shared, path, OOM.id, {}, progress=lambda *args, **kw: None)
    notice = value(update[a.notice])
    assert message in notice and 'role="alert"' in notice and "Record your" in notice
    assert update[p.feedback_box] == gr.update(visible=False)
    assert update[p.attempts] == {} and p.summary not in update
    assert 'id="coach-countdown" class="countdown idle"' in update[a.countdown]
    # the next error draws the countdown again: the page must replace a clock left running
    again_ = answer(p, app.shared, path, OOM.id, {}, progress=lambda *args, **kw: None)
    assert again_[a.countdown] != update[a.countdown]


def test_a_round_step_by_step_in_dicts(app, tmp_path):
    r, a = app.rounds, app.rounds.area
    started = on_start(r, app.shared, ["system-debug"], 0, "strict")
    round_ = started[r.session]
    assert round_ is not None and started[r.setup_note] == ""
    countdown = started[a.countdown]
    assert 'id="round-countdown"' in countdown and 'data-strict="true"' in countdown
    again_ = on_answer(r, app.shared, round_, str(said_in(tmp_path, "")), lambda *a, **k: None)
    assert "Answer question 1 again" in again_[a.notice] and again_[r.session] is round_
    done = on_answer(r, app.shared, round_, str(said_in(tmp_path, "The OOMKiller, see dmesg.")),
                     lambda *a, **k: None)
    assert done[r.session] is None and done[r.report_box] == gr.update(visible=True)
    assert 'data-testid="round-report"' in done[r.report]


def test_a_kept_attempt_opens_with_its_recording_and_feedback(app, tmp_path):
    p, o = app.practice, app.opened
    recording = said_in(tmp_path, "Um the OOMKiller killed it, dmesg shows it.")
    fresh = answer(p, app.shared, str(recording), OOM.id, {}, progress=lambda *a, **k: None)
    kept = app.shared.store.attempts()[-1]
    shown = open_attempt(o, app.shared, kept.id)
    assert shown[o.box] == gr.update(visible=True)
    assert shown[o.recording] == kept.recording_path
    assert drawings_as_text(shown[o.summary]) == drawings_as_text(fresh[p.summary])
    assert drawings_as_text(shown[o.details]) == drawings_as_text(fresh[p.details])
    assert "Where on the node is the proof?" in value(shown[o.polished])  # its follow-ups
    assert 'data-testid="attempt"' in shown[o.heading] and "Restarts &lt;with&gt;" in \
        shown[o.heading]


def test_an_attempt_without_feedback_or_recording_says_why(app, tmp_path):
    o, store = app.opened, app.shared.store
    waiting = store.save_recording(said_in(tmp_path, "The OOMKiller."), OOM.id)
    with being_analysed_here(store, waiting.id):
        shown = open_attempt(o, app.shared, waiting.id)
    assert "Still being analysed" in shown[o.heading] and shown[o.summary] == ""
    failed = store.record_failure(store.save_recording(said_in(tmp_path, "x"), OOM.id).id,
                                  CoachError("The speech model stopped."))
    shown = open_attempt(o, app.shared, failed.id)
    assert "could not be analysed" in shown[o.heading] and "model stopped" in shown[o.heading]
    assert shown[o.recording] == failed.recording_path
    gone = store.save_recording(said_in(tmp_path, "The OOMKiller."), OOM.id)
    Path(gone.recording_path).unlink()
    shown = open_attempt(o, app.shared, gone.id)
    assert shown[o.recording] is None and "is missing" in shown[o.heading]
    missing = open_attempt(o, app.shared, 9999)
    assert "No attempt with id 9999" in missing[o.heading] and 'role="alert"' in \
        missing[o.heading]


def test_after_a_reload_the_last_answer_is_one_click_away(app, tmp_path):
    assert last_answer(app.shared) == ("", False)  # nothing answered yet: no note
    kept = app.shared.store.save_recording(said_in(tmp_path, "The OOMKiller."), OOM.id)
    with being_analysed_here(app.shared.store, kept.id):
        note, analysing = last_answer(app.shared)  # recorded, a live worker analyses it
    assert analysing and "being analysed" in note and "Restarts &lt;with&gt;" in note
    answer(app.practice, app.shared, str(said_in(tmp_path, "Um the OOMKiller killed it.")),
           OOM.id, {}, progress=lambda *a, **k: None)
    note, analysing = last_answer(app.shared)
    latest = app.shared.store.attempts()[-1]
    assert not analysing and latest.id != kept.id
    assert f'data-attempt="{latest.id}"' in note and "Show its feedback" in note


def test_an_analysis_the_app_never_finished_can_be_run_from_the_page(app, tmp_path,
                                                                     monkeypatch):
    o = app.opened
    kept = app.shared.store.save_recording(said_in(tmp_path, "The OOMKiller, see dmesg."),
                                           OOM.id)
    shown = open_attempt(o, app.shared, kept.id)
    assert "Not analysed" in shown[o.heading] and shown[o.analyse] == gr.update(visible=True)
    assert shown[o.shown] == kept.id
    done = analyse_again(o, app.shared, kept.id)
    assert 'data-testid="summary"' in done[o.summary] and done[o.analyse] == gr.update(
        visible=False)
    assert app.shared.store.get(kept.id).status == "analyzed"


class SpeakingCoach(TextCoach):
    """The stand-in coach with a voice: it keeps what it was asked to say, and can fail."""

    library = ScenarioLibrary([replace(OOM, reference_answer=(
        "My first guess is the OOMKiller, because nothing is logged. I'd read dmesg on the "
        "node, then compare memory.max with the peak.")), REVIEW])

    def __init__(self) -> None:
        self.said: list[str] = []
        self.broken = False

    def speak(self, text, path, *, scenario=None):
        if self.broken:
            raise SynthesisUnavailable("espeak-ng is not installed.")
        self.said.append(text)
        Path(path).write_bytes(b"RIFF" + text.encode().ljust(200))


def said_ahead(coach, texts, timeout_s=10.0) -> bool:
    """Wait until the voices the answer handler makes ahead (ui/voices.py) said `texts`."""
    end = time.monotonic() + timeout_s
    while coach.said != texts and time.monotonic() < end:
        time.sleep(0.02)
    return coach.said == texts


def test_both_voices_read_their_spoken_text_once_the_feedback_is_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    coach = SpeakingCoach()
    shared = Shared(coach, HistoryStore())
    with gr.Blocks():
        p = practice_tab(shared, list(coach.library))
    said = ("I think the OOMKiller killed it, because the container writes no logs and dmesg "
            "shows the kill. To mitigate, I raise the limit and look for the leak.")
    shown = answer(p, shared, str(said_in(tmp_path, said)), OOM.id, {},
                   progress=lambda *a, **k: None)
    polished, model = shown[p.polished_speech], shown[p.model_speech]
    # the written feedback comes first; both voices are made ahead, in the background
    assert said_ahead(coach, [polished, model])
    assert " | " in polished and " | " in model  # the reading guide's pauses
    assert polished.replace(" |", "") != model.replace(" |", "")
    assert shown[p.model_player] == gr.update(value=None, visible=True)
    first = polished_voice(p, shared, polished, OOM.id)
    second = model_voice(p, shared, model, OOM.id)
    assert coach.said == [polished, model]
    assert first[p.polished_player] != second[p.model_player]
    assert Path(second[p.model_player]).read_bytes().startswith(b"RIFF" + model.encode())
    assert p.area.voice_note not in second  # the polished voice's note stays
    assert model_voice(p, shared, model, OOM.id) == second and coach.said == [polished, model]
    coach.broken = True  # a voice that fails says so, and the written feedback stays
    shared.coach.settings = replace(coach.settings, voice_wpm=coach.settings.voice_wpm + 20)
    failed = model_voice(p, shared, model, OOM.id)
    assert failed[p.model_player] is None
    assert "model answer cannot be read aloud" in failed[p.area.voice_note]


def test_an_attempt_opened_from_history_reads_both_answers_aloud(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    coach = SpeakingCoach()
    shared = Shared(coach, HistoryStore())
    with gr.Blocks():
        p = practice_tab(shared, list(coach.library))
        o = attempt_view()
    said = ("I think the OOMKiller killed it, because the container writes no logs and dmesg "
            "shows the kill. To mitigate, I raise the limit and look for the leak.")
    fresh = answer(p, shared, str(said_in(tmp_path, said)), OOM.id, {},
                   progress=lambda *a, **k: None)
    polished, model = fresh[p.polished_speech], fresh[p.model_speech]
    assert said_ahead(coach, [polished, model])  # by the answer, in the background
    shown = open_attempt(o, shared, shared.store.attempts()[-1].id)
    assert coach.said == [polished, model]  # opening reads nothing: the voices come on demand
    assert value(shown[o.polished_player]) is None and value(shown[o.model_player]) is None
    assert not shown[o.polished_player]["visible"]  # no empty player box before its audio
    heard = attempt_voices(o, shared, shown[o.voices])
    assert coach.said == [polished, model]
    assert heard[o.polished_player]["visible"] and heard[o.model_player]["visible"]
    assert Path(value(heard[o.polished_player])).read_bytes().startswith(
        b"RIFF" + polished.encode())
    assert Path(value(heard[o.model_player])).read_bytes().startswith(b"RIFF" + model.encode())
    assert heard[o.voice_note] == ""
    # the chosen speed: a new one reads them again
    shared.coach.settings = replace(coach.settings, voice_wpm=coach.settings.voice_wpm + 20)
    faster = attempt_voices(o, shared, shown[o.voices])
    assert len(coach.said) == 4
    assert value(faster[o.polished_player]) != value(heard[o.polished_player])
    coach.broken = True
    shared.coach.settings = replace(coach.settings, voice_wpm=coach.settings.voice_wpm + 20)
    failed = attempt_voices(o, shared, shown[o.voices])
    assert value(failed[o.polished_player]) is None
    assert not failed[o.polished_player]["visible"]
    assert "cannot be read aloud" in failed[o.voice_note]
    # an attempt with no feedback has no voices
    waiting = shared.store.save_recording(said_in(tmp_path, "The OOMKiller."), OOM.id)
    unheard = open_attempt(o, shared, waiting.id)
    assert value(attempt_voices(o, shared, unheard[o.voices])[o.polished_player]) is None


def test_opening_an_attempt_in_the_app_then_reads_its_answers_aloud():
    from coach.ui.app import build_app

    demo = build_app(Shared(TextCoach(), HistoryStore()))
    fns = list(demo.fns.values())
    opens = [fn for fn in fns if getattr(fn.fn, "__name__", "") == "on_open"
             and any(o.elem_id == "attempt-heading" for o in fn.outputs)]
    assert opens
    for fn in opens:
        chain, step = [], fn
        while (step := next((f for f in fns if f.trigger_after == step._id), None)):
            chain.append(getattr(step.fn, "__name__", ""))
        assert "attempt_voices" in chain, chain


def test_saving_the_settings_reads_the_current_question_again_in_the_new_voice():
    from coach.ui.app import build_app

    shared = Shared(TextCoach(), HistoryStore())
    demo = build_app(shared)
    fns = list(demo.fns.values())
    save = next(fn for fn in fns if getattr(fn.fn, "__name__", "") == "save")
    after = [fn for fn in fns if fn.trigger_after == save._id]
    assert [getattr(fn.fn, "__name__", "") for fn in after] == ["prompt"]
    assert any(o.elem_id == "question-audio" for o in after[0].outputs)


def test_the_last_answer_note_is_only_shown_to_the_browser_that_gave_it(app, tmp_path):
    from coach.ui.app import show_last_answer

    mine_html, _, mine = show_last_answer(app.shared, None)  # two browsers open the page
    theirs_html, _, theirs = show_last_answer(app.shared, "")
    assert mine and theirs and mine != theirs  # each gets its own token, kept by the browser
    assert value(mine_html) == value(theirs_html) == ""
    answer(app.practice, app.shared, str(said_in(tmp_path, "Um the OOMKiller killed it.")),
           OOM.id, {}, mine, progress=lambda *a, **k: None)
    [kept] = app.shared.store.attempts()
    note, _, same = show_last_answer(app.shared, mine)  # a reload of the same browser
    assert same == mine and f'data-attempt="{kept.id}"' in value(note)
    other, polling, _ = show_last_answer(app.shared, theirs)
    assert value(other) == "" and "OOMKiller" not in str(other)
    # the record outlives the app: a new one (a restart) still knows whose answer it was
    restarted = Shared(app.shared.coach, HistoryStore())
    assert f'data-attempt="{kept.id}"' in last_answer(restarted, mine)[0]
    assert last_answer(restarted, theirs) == ("", False)


def test_an_answer_being_analysed_is_noted_for_its_browser_before_the_analysis(app, tmp_path,
                                                                              monkeypatch):
    seen = {}

    def slow_analysis(path, scenario):  # the note, read while this answer is analysed
        seen["note"] = last_answer(app.shared, "browser-a")[0]
        seen["other"] = last_answer(app.shared, "browser-b")[0]
        return TextCoach.analyze(app.shared.coach, path, scenario)

    monkeypatch.setattr(app.shared.coach, "analyze", slow_analysis)
    answer(app.practice, app.shared, str(said_in(tmp_path, "The OOMKiller.")), OOM.id, {},
           "browser-a", progress=lambda *a, **k: None)
    assert "Your last answer" in seen["note"] and seen["other"] == ""


def test_a_round_left_open_is_abandoned_and_every_round_opens_from_history(app, tmp_path):
    from coach.ui.history_tab import load_history_html, open_round

    r, a, o = app.rounds, app.rounds.area, app.opened
    first = on_start(r, app.shared, ["system-debug"], 0, "strict")[r.session]
    second = on_start(r, app.shared, ["system-debug"], 0, "strict")
    assert "abandoned-note" in second[a.notice]
    assert f"Round {first.id} was left" in second[a.notice]
    assert app.shared.store.get_round(first.id).status == "abandoned"
    on_answer(r, app.shared, second[r.session], str(said_in(tmp_path, "The OOMKiller, dmesg.")),
              lambda *a, **k: None)
    listing = load_history_html(app.shared)
    for round_id in (first.id, second[r.session].id):
        assert f'data-round="{round_id}"' in listing
    assert "abandoned" in listing
    shown = open_round(o, app.shared, second[r.session].id)
    assert shown[o.box] == gr.update(visible=False)
    assert 'data-testid="round-report"' in value(shown[o.round_report])
    assert "round-figures" in value(shown[o.round_report])


def test_the_question_player_shows_only_with_its_voice(app, monkeypatch):
    """An empty visible player is a div with an ARIA label axe rejects (and nothing to play):
    the question's player starts hidden and is shown with the voice, hidden without one."""
    import coach.ui.practice_tab as practice_module

    prompt = practice_module.prompt
    monkeypatch.setattr(practice_module, "speech", lambda shared, kind, scenario_id, failure: (
        ("/voices/question.wav", "") if scenario_id else (None, "")))
    assert app.practice.area.question.visible is False
    spoken = prompt(app.practice, app.shared, OOM.id)[app.practice.area.question]
    assert spoken["visible"] is True and spoken["value"]
    nothing = prompt(app.practice, app.shared, None)[app.practice.area.question]
    assert nothing["visible"] is False and nothing["value"] is None
