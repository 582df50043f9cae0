"""A microphone answer streamed while it is recorded, in chromium (ui/live_answer.js).

The fake microphone plays a fixture; the page reads the question aloud and counts down from
the limit while the answer is recorded, sends it to the server as it is recorded; on Stop it
submits it, and the server analyses it from the stream, once (the browser's own upload comes
later and finds it taken). The feedback has the answer's words, key terms and fillers; the
kept recording is then the stream's own 16 kHz WAV (the browser's file would be WebM), and
uploading that recording gives the same feedback. (One recorded answer checks all of this:
each costs 30 s of real time and a core of the machine for as long.)
"""

from __future__ import annotations

import re
import wave

from playwright.sync_api import expect
from test_practice_app import choose, open_app, terms, transcript, upload, wait_for_result

from benchmarks.word_error_rate import word_error_rate


def record(page, seconds: float) -> None:
    page.locator("#answer button.record-button").click()
    page.wait_for_timeout(int(seconds * 1000))
    page.locator("#answer button.stop-button").click()


def the_question_is_read_and_the_clock_counts_down(page, scenario) -> None:
    """Before and just after Record: the limit shown, the question's voice, a running clock."""
    assert page.locator("[data-testid=time-limit]").inner_text().strip().endswith(
        f"{scenario.time_limit_s // 60}:{scenario.time_limit_s % 60:02d}")
    assert scenario.prompt[:40] in page.locator("[data-testid=scenario] .prompt").inner_text()
    question = page.locator("#question-audio audio")
    question.wait_for(state="attached", timeout=20_000)
    assert question.get_attribute("src"), "the question is not read aloud"
    page.locator("#answer button.record-button").click()
    page.wait_for_timeout(1500)
    countdown = page.locator("[data-testid=countdown]")
    assert "running" in countdown.get_attribute("class")
    assert re.fullmatch(r"0:2\d", countdown.locator(".cd-time").inner_text()), \
        "the countdown does not count down from the limit"


def kept_recordings(app_url) -> set:
    return set((app_url.data_dir / "recordings").glob("*"))


def test_a_streamed_answer_gets_the_feedback_of_the_same_audio_uploaded(
        app_url, launch, fake_mic, truth, library, artifacts):
    answer = truth["oom-us150-fillers"]
    page = open_app(launch(fake_mic(answer.path)), app_url)
    scenario = library.get(answer.scenario)
    choose(page, scenario)
    before = kept_recordings(app_url)
    the_question_is_read_and_the_clock_counts_down(page, scenario)
    page.wait_for_timeout(int((answer.duration_s - 1.5 + 0.3) * 1000))
    page.locator("#answer button.stop-button").click()
    error = wait_for_result(page)
    assert not error, f"a spoken answer was refused: {error}"
    marks = page.evaluate("window.coachLive.marks('answer')")
    assert marks and "delivered" in marks, f"the answer was not streamed: {marks}"
    assert "submitted" in marks, f"the answer was not submitted on Stop: {marks}"
    assert marks["sentSamples"] / 16000 >= answer.duration_s - 0.5  # all of it was sent
    # what follows the feedback runs once it is drawn: the focus, the polished voice
    expect(page.locator("#summary [data-testid=summary]")).to_be_focused()
    polished_voice = page.locator("#polished-audio audio")
    polished_voice.wait_for(state="attached", timeout=60_000)
    assert polished_voice.get_attribute("src")
    said = transcript(page)
    words = re.sub(r"\d+:\d\d", " ", said)  # the transcript shows times between its words
    assert word_error_rate(answer.text, words) <= 0.3, said
    assert "killer" in said.lower() and "container" in said.lower(), said
    assert "OOMKiller" in terms(page, "covered")
    assert set(answer.terms_not_said) <= set(terms(page, "missed")) | set(terms(page, "heard"))
    fillers = int(page.locator("[data-testid=filler-count]").inner_text())
    assert abs(fillers - len(answer.fillers)) <= 1, f"{fillers} fillers shown, {said}"
    assert page.locator(".transcript mark.filler").count() >= fillers - 1
    assert page.locator("[data-testid=polished]").inner_text().strip()
    assert "done" in page.locator("[data-testid=countdown]").get_attribute("class")
    page.screenshot(path=str(artifacts / "feedback.png"), full_page=True)

    page.wait_for_timeout(2000)  # the browser's own upload has come (and found it taken)
    (kept,) = kept_recordings(app_url) - before  # analysed once
    with wave.open(str(kept)) as audio:  # the stream's audio, not the browser's WebM
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (16000, 1, 2)
        assert abs(audio.getnframes() / 16000 - answer.duration_s) < 2.0

    again = open_app(launch(), app_url)
    choose(again, library.get(answer.scenario))
    upload(again, kept)
    assert wait_for_result(again) == ""
    assert transcript(again) == said
    figures = "[data-testid=filler-count], [data-testid=key-terms], [data-testid=polished]"
    assert again.locator(figures).all_inner_texts() == page.locator(figures).all_inner_texts()
