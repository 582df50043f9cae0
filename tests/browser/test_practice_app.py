"""The practice app in chromium: record, upload (WebM and video containers too), silence,
rejected files, two users at once, history replay, a reload during an analysis, settings,
filters.

Assertions are on what the page shows. Ground truth comes from audio_fixtures/manifest.toml.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
import wave

import pytest
from pages import tab
from playwright.sync_api import expect

from benchmarks.fixture_truth import load_bad_inputs
from coach.analysis.structure import split_sentences
from coach.scenarios.library import ScenarioLibrary
from coach.settings import NUDGE_LABELS

FEEDBACK_TIMEOUT_MS = 90_000
VIEWPORT = {"width": 1400, "height": 1000}


def open_app(browser, url):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url)
    page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
    return page


def choose(page, scenario):
    page.locator("#scenario-list label").filter(has_text=scenario.title).first.click()
    page.locator(f"[data-testid=scenario][data-id='{scenario.id}']").wait_for(timeout=10_000)


def upload(page, path):
    page.locator("#answer button[aria-label='Upload file']").click()
    page.locator("#answer input[type=file]").set_input_files(str(path))


def wait_for_result(page):
    """The feedback summary or an error banner, whichever the page shows."""
    page.locator("#summary [data-testid=summary], #notice [data-testid=error]").first.wait_for(
        timeout=FEEDBACK_TIMEOUT_MS)
    error = page.locator("#notice [data-testid=error]")
    return error.inner_text() if error.is_visible() else ""


def practise(browser, url, answer):
    """A new page that answered with fixture `answer` (on its own question), feedback shown."""
    page = open_app(browser, url)
    choose(page, ScenarioLibrary.load().get(answer.scenario))
    upload(page, answer.path)
    assert wait_for_result(page) == ""
    return page


def transcript(page) -> str:
    return page.locator("[data-testid=transcript]").inner_text()


def terms(page, state: str) -> list[str]:
    return [t.strip() for t in
            page.locator(f"[data-testid=key-terms] li.{state} b").all_inner_texts()]


def words_of(text: str) -> str:
    """The words of a text, lower case, without punctuation or the reading guide's "/"."""
    return " " + " ".join(re.findall(r"[\w']+(?:\.[\w']+)*", text.lower())) + " "


def test_the_polished_and_the_model_answer_each_play_and_the_speakers_points_stay(
        app_url, launch, truth):
    answer = truth["oom-us150-clean"]  # its text ends with the speaker's mitigation
    mitigation = next(s for s in split_sentences(answer.text) if "mitigate" in s.lower())
    # all but its last word, "leak", which this synthetic voice says so that Whisper base
    # hears "league": the point is that the speaker's sentence stays, not how it was heard
    mitigation = " ".join(words_of(mitigation).split()[:-1])
    page = practise(launch(), app_url, answer)
    polished = page.locator("[data-testid=polished]").inner_text()
    assert f" {mitigation} " in words_of(polished), polished
    model = page.locator("[data-testid=model-answer]").inner_text()
    assert model.strip() and words_of(model) != words_of(polished)
    sounds = {}
    for player in ("polished-audio", "model-audio"):
        audio = page.locator(f"#{player} audio")
        audio.wait_for(state="attached", timeout=60_000)
        source = audio.get_attribute("src")
        assert source, f"#{player} has no audio"
        sounds[player] = page.request.get(source).body()
        duration = page.evaluate(f"""async () => {{ const a = document.querySelector(
            '#{player} audio'); if (!(a.duration > 0)) await new Promise((ok) =>
            a.addEventListener('loadedmetadata', ok, {{once: true}})); return a.duration; }}""")
        assert duration > 5, f"#{player} plays {duration} s"  # a whole answer, read aloud
    assert sounds["polished-audio"] != sounds["model-audio"]


def test_uploaded_file_then_try_again_shows_both_attempts(app_url, launch, truth):
    answer = truth["iomax-us150-short"]
    page = practise(launch(), app_url, answer)
    assert "throttling" in transcript(page).lower()
    assert "io.max" in terms(page, "covered")
    assert page.locator(".was").count() == 0, "a first attempt has nothing to compare with"

    page.locator("#try-again").click()
    expect(page.locator("#notice")).to_contain_text("Attempt 2")
    expect(page.locator("#feedback")).to_be_hidden()
    upload(page, answer.path)
    assert wait_for_result(page) == ""
    summary = page.locator("[data-testid=summary]").inner_text()
    assert "previous attempt" in summary and "was" in summary, summary


def test_silent_recording_says_no_speech_was_detected(app_url, launch, fake_mic, library):
    silence = next(path for path, expect, _ in load_bad_inputs() if expect == "no_speech"
                   and path.name.startswith("silence"))
    page = open_app(launch(fake_mic(silence)), app_url)
    limit = page.locator("[data-testid=countdown] .cd-time").inner_text()
    page.locator("#answer button.record-button").click()
    page.wait_for_timeout(2500)
    page.locator("#answer button.stop-button").click()
    error = wait_for_result(page)
    assert "no speech detected" in error.lower()
    assert "Traceback" not in page.content()
    assert not page.locator("#feedback").is_visible()
    # the clock is ready for the next try, not left at "0:02 recorded · analysing"
    countdown = page.locator("[data-testid=countdown]")
    expect(countdown).to_have_class(re.compile(r"\bidle\b"))
    assert countdown.locator(".cd-time").inner_text() == limit
    assert "analysing" not in countdown.inner_text()


def test_two_users_at_once_each_get_their_own_feedback(app_url, launch, truth, library):
    browser = launch()
    first, second = truth["iomax-us150-short"], truth["oom-us150-clean"]
    pages = []
    for answer in (first, second):
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(app_url)
        page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
        choose(page, library.get(answer.scenario))
        pages.append(page)
    started = time.monotonic()
    for page, answer in zip(pages, (first, second)):
        upload(page, answer.path)
    for page in pages:
        assert wait_for_result(page) == ""
    elapsed = time.monotonic() - started
    one, two = transcript(pages[0]).lower(), transcript(pages[1]).lower()
    assert "throttling" in one and "container" not in one, one
    assert "container" in two and "throttling" not in two, two
    assert pages[0].locator("[data-testid=scenario]").get_attribute("data-id") == first.scenario
    assert elapsed < 60


def test_too_large_upload_is_refused_with_a_plain_message(app_url, launch, tmp_path):
    big = tmp_path / "long-answer.wav"
    with wave.open(str(big), "wb") as out:  # 5 minutes of 48 kHz stereo: ~58 MB
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(bytes(48_000 * 2 * 2 * 300))
    page = open_app(launch(), app_url)
    upload(page, big)
    expect(page.get_by_text("exceed the maximum allowed size")).to_be_visible(timeout=60_000)
    assert not page.locator("#feedback").is_visible()


def test_history_keeps_every_attempt_and_shows_progress(app_url, launch, truth, library):
    answer = truth["iomax-us150-short"]
    page = practise(launch(), app_url, answer)
    tab(page, "History").click()
    history = page.locator("#history [data-testid=history]")
    history.wait_for(timeout=15_000)
    assert library.get(answer.scenario).title in page.locator("#history").inner_text()
    assert page.locator("#history .tiles svg").count() >= 1
    kept = list((app_url.data_dir / "recordings").iterdir())
    assert kept, "the recording was not kept"


def test_filters_search_and_surprise(app_url, launch, library):
    page = open_app(launch(), app_url)
    labels = page.locator("#scenario-list label")
    # the list renders after the scenario card: wait for it rather than racing it
    page.wait_for_function(f"document.querySelectorAll('#scenario-list label').length == "
                           f"{len(library)}", timeout=10_000)
    assert labels.count() == len(library)
    page.locator("#search input, #search textarea").first.fill("overlay")
    expected = [s.title for s in library if "overlay" in s.title.lower() or "overlay" in s.id]
    page.wait_for_function(f"document.querySelectorAll('#scenario-list label').length == "
                           f"{len(expected)}", timeout=10_000)
    assert sorted(labels.all_inner_texts()) == sorted(expected)
    page.locator("#search input, #search textarea").first.fill("")
    page.wait_for_function(f"document.querySelectorAll('#scenario-list label').length == "
                           f"{len(library)}", timeout=10_000)
    before = page.locator("[data-testid=scenario]").get_attribute("data-id")
    page.locator("#surprise").click()
    page.wait_for_function(
        f"document.querySelector('[data-testid=scenario]').dataset.id != '{before}'",
        timeout=10_000)


def test_settings_are_saved_for_the_next_start(app_url, launch):
    page = open_app(launch(), app_url)
    tab(page, "Settings").click()
    box = page.get_by_label("Words and phrases")
    box.fill("right, okay so")
    page.get_by_label(NUDGE_LABELS["no_fillers"]).uncheck()  # one switch per live nudge
    page.get_by_role("button", name="Save settings").click()
    page.locator("[data-testid=settings-saved]").wait_for(timeout=15_000)
    saved = json.loads((app_url.data_dir / "settings.json").read_text())
    assert saved["fillers"]["extra_discourse"] == ["right", "okay so"]
    assert saved["check_grammar"] is False
    assert saved["nudges"] == {"slow_down": True, "no_fillers": False, "next_part": True}


@pytest.mark.parametrize(("name", "truth_id"), [
    ("formats/iomax-us150-short.webm", "iomax-us150-short"),  # what Chrome records
    ("bad/video_with_audio.mp4", "iomax-us150-short"),  # the audio track of a video
])
def test_audio_in_a_video_container_is_accepted(app_url, launch, truth, library, name, truth_id):
    answer = truth[truth_id]
    page = open_app(launch(), app_url)
    choose(page, library.get(answer.scenario))
    page.evaluate("""() => window.addEventListener('change', (e) => {
        window.chosenType = e.target.files && e.target.files[0] && e.target.files[0].type;
    }, true)""")
    upload(page, answer.path.parents[1] / name)
    assert page.evaluate("window.chosenType").startswith("video/"), "not the browser's case"
    assert wait_for_result(page) == ""
    assert "throttling" in transcript(page).lower()
    assert "io.max" in terms(page, "covered")


def test_a_dropped_webm_is_accepted(app_url, launch, truth, library):
    answer = truth["iomax-us150-short"]
    page = open_app(launch(), app_url)
    choose(page, library.get(answer.scenario))
    page.locator("#answer button[aria-label='Upload file']").click()
    webm = answer.path.parents[1] / "formats" / "iomax-us150-short.webm"
    dropped = page.evaluate_handle(
        """(b64) => { const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], 'answer.webm', {type: 'video/webm'}));
            return files; }""", base64.b64encode(webm.read_bytes()).decode())
    page.locator("#answer .upload-container").dispatch_event("drop", {"dataTransfer": dropped})
    assert wait_for_result(page) == ""
    assert "throttling" in transcript(page).lower()


def latest_attempt_rows(page) -> int:
    tab(page, "History").click()
    listing = page.locator("#history [data-testid=history], #history .placeholder").first
    listing.wait_for(timeout=15_000)
    rows = page.locator("#history [data-testid=attempts] tr[data-attempt-row]").count()
    tab(page, "Practice").click()
    return rows


def test_a_rejected_upload_names_the_users_file_and_is_not_kept(app_url, launch, tmp_path):
    short = next(path for path, expect, _ in load_bad_inputs() if expect == "too_short")
    mine = tmp_path / "my answer, take 2.wav"
    shutil.copy(short, mine)
    page = open_app(launch(), app_url)
    rows = latest_attempt_rows(page)
    kept = set((app_url.data_dir / "recordings").glob("*"))
    upload(page, mine)
    error = wait_for_result(page)
    assert "my answer, take 2.wav" in error, error
    assert "recordings" not in error and str(app_url.data_dir) not in error
    assert set((app_url.data_dir / "recordings").glob("*")) == kept
    assert latest_attempt_rows(page) == rows


def test_reload_during_the_analysis_then_open_its_feedback_and_replay_it(app_url, launch,
                                                                          truth, library):
    answer = truth["iomax-us150-short"]
    page = open_app(launch(), app_url)
    choose(page, library.get(answer.scenario))
    kept = set((app_url.data_dir / "recordings").glob("*"))
    long_reading = truth["human-librivox-long"]
    upload(page, long_reading.path)  # 63 s of reading: an analysis long enough to reload during
    deadline = time.monotonic() + 30
    while set((app_url.data_dir / "recordings").glob("*")) == kept:  # the answer is kept...
        assert time.monotonic() < deadline, "the recording was not kept"
        time.sleep(0.1)
    page.reload()  # ...and the page reloads before its feedback arrives
    note = page.locator("#last-answer [data-testid=last-answer-note]")
    expect(note).to_be_visible(timeout=30_000)
    assert library.get(answer.scenario).title in note.inner_text()
    button = note.get_by_role("button", name="Show its feedback")
    button.wait_for(timeout=FEEDBACK_TIMEOUT_MS)  # the page asks until the analysis is done
    button.click()
    expect(tab(page, "History")).to_have_attribute("aria-selected", "true")
    opened = page.locator("#attempt")
    expect(opened.locator("[data-testid=summary]")).to_be_visible(timeout=15_000)
    said = opened.locator("[data-testid=transcript]").inner_text().lower()
    assert "dashwood" in said and len(said.split()) > 100, said  # the reading itself
    assert opened.locator("[data-testid=polished]").inner_text().strip()
    player = page.locator("#attempt-recording audio")
    player.wait_for(state="attached", timeout=15_000)
    assert player.get_attribute("src")
    duration = page.evaluate("""async () => { const a = document.querySelector(
        '#attempt-recording audio'); if (!(a.duration > 0)) await new Promise((ok) =>
        a.addEventListener('loadedmetadata', ok, {once: true})); return a.duration; }""")
    assert abs(duration - long_reading.duration_s) < 1, duration  # the kept recording is served


def test_history_opens_any_attempt_with_its_feedback(app_url, launch, truth, library):
    answer = truth["iomax-us150-short"]
    page = practise(launch(), app_url, answer)
    shown = page.locator("#summary [data-testid=summary]").inner_text()
    said = transcript(page)
    tab(page, "History").click()
    first = page.locator("#history [data-testid=attempts] tr[data-attempt-row]").first
    first.get_by_role("button", name=re.compile("^Open")).click()
    opened = page.locator("#attempt")
    expect(opened.locator("[data-testid=summary]")).to_be_visible(timeout=15_000)
    assert opened.locator("[data-testid=summary]").inner_text() == shown
    assert opened.locator("[data-testid=transcript]").inner_text() == said
    assert library.get(answer.scenario).title in opened.locator("#attempt-heading").inner_text()
    for voice in ("#attempt-polished-audio audio", "#attempt-model-audio audio"):  # read aloud
        player = page.locator(voice)
        player.wait_for(state="attached", timeout=60_000)
        assert player.get_attribute("src"), voice
    page.locator("#attempt-close").click()
    expect(opened).to_be_hidden()
