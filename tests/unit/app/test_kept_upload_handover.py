"""KeptUploads alone: a page that goes, even while its upload is being kept, never loses the
analysis of that upload (the app-level tests are in test_kept_uploads.py)."""

from __future__ import annotations

import threading

from coach.ui.answer_area import KeptUploads


def finisher():
    done = threading.Event()
    return done, done.set


def test_a_page_gone_before_its_analysis_has_the_kept_upload_finished():
    kept = KeptUploads()
    done, finish = finisher()
    kept.put("s1", "a.wav", "attempt-1", finish)
    kept.forget_session("s1")
    assert done.wait(5)
    assert kept.claim("s1", "a.wav") is None


def test_a_page_gone_while_its_upload_was_being_kept_still_has_it_finished():
    """The reload came between the recording being written and the upload being noted."""
    kept = KeptUploads()
    kept.forget_session("s1")
    done, finish = finisher()
    kept.put("s1", "a.wav", "attempt-1", finish)
    assert done.wait(5)
    assert kept.claim("s1", "a.wav") is None


def test_a_page_still_there_claims_its_upload_and_nothing_is_finished_apart():
    kept = KeptUploads()
    done, finish = finisher()
    kept.put("s2", "a.wav", "attempt-1", finish)
    kept.forget_session("s1")  # another page went
    assert kept.claim("s2", "a.wav") == "attempt-1"
    assert not done.wait(0.2)
