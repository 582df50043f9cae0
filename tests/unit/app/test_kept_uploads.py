"""An uploaded answer is kept in the history first, by a fast event of its own, and analysed
after, in the "analysis" group: an upload waiting for an analysis slot is already safe."""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr
from fakes import OOM, TextCoach, drawings_as_text, said_in

from coach.history import HistoryStore
from coach.history.errors import HistoryWriteFailed
from coach.ui.answer_area import forget_live_answers
from coach.ui.attempt_view import last_answer
from coach.ui.practice_tab import answer, practice_tab
from coach.ui.shared import Shared

SAID = "Um the OOMKiller killed it, dmesg shows it."


def _page():
    shared = Shared(TextCoach(), HistoryStore())
    with gr.Blocks() as demo:
        p = practice_tab(shared, list(shared.coach.library))
    fns = list(demo.fns.values())
    [keep] = [fn for fn in fns if any(t[0] == p.area.recorder._id and t[1] == "upload"
                                      for t in fn.targets)]
    [analysis] = [fn for fn in fns if fn.trigger_after == keep._id]
    return shared, p, keep, analysis


def test_an_upload_is_kept_before_its_analysis_then_analysed_once(tmp_path):
    shared, p, keep, analysis = _page()
    assert keep.concurrency_limit is None and keep.concurrency_id != "analysis"
    assert analysis.concurrency_id == "analysis" and analysis.concurrency_limit == 2
    upload = str(said_in(tmp_path, SAID))
    request = gr.Request(session_hash="s1")
    keep.fn(request, upload, OOM.id, {}, "browser-a")
    [kept] = shared.store.attempts()  # kept before any analysis runs
    assert kept.status == "recorded" and Path(kept.recording_path).is_file()
    assert f'data-attempt="{kept.id}"' in last_answer(shared, "browser-a")[0]
    shown = analysis.fn(request, upload, OOM.id, {}, "browser-a",
                        progress=lambda *a, **k: None)
    [done] = shared.store.attempts()  # the same attempt, analysed: no second copy
    assert done.id == kept.id and done.status == "analyzed"
    assert len(list(shared.store.recordings_dir.rglob("*.*"))) == 1
    other = Shared(TextCoach(), HistoryStore(tmp_path / "other" / "history.db",
                                          recordings=tmp_path / "other" / "rec"))
    with gr.Blocks():
        q = practice_tab(other, list(other.coach.library))
    direct = answer(q, other, upload, OOM.id, {}, progress=lambda *a, **k: None)
    assert drawings_as_text(shown[p.summary]) == drawings_as_text(direct[q.summary])
    assert shown[p.details] == direct[q.details]


def test_an_upload_the_history_cannot_keep_is_analysed_as_before(tmp_path, monkeypatch):
    shared, p, keep, analysis = _page()

    def full_disk(*args, **kwargs):
        raise HistoryWriteFailed("The disk is full.")

    monkeypatch.setattr(shared.store, "save_recording", full_disk)
    upload = str(said_in(tmp_path, SAID))
    request = gr.Request(session_hash="s1")
    keep.fn(request, upload, OOM.id, {}, None)
    shown = analysis.fn(request, upload, OOM.id, {}, None, progress=lambda *a, **k: None)
    assert 'data-testid="summary"' in shown[p.summary] and "disk is full" in str(
        shown[p.area.notice])


def test_a_page_closed_before_the_analysis_still_gets_its_upload_analysed(tmp_path):
    shared, p, keep, analysis = _page()
    upload = str(said_in(tmp_path, SAID))
    request = gr.Request(session_hash="s2")
    keep.fn(request, upload, OOM.id, {}, None)
    forget_live_answers(request)  # the page went (a reload): its analysis event never comes
    deadline = time.monotonic() + 20
    while shared.store.attempts()[0].status != "analyzed":  # finished without the page
        assert time.monotonic() < deadline, shared.store.attempts()[0].status
        time.sleep(0.05)
    assert len(shared.store.attempts()) == 1  # the kept attempt itself, not a second copy
