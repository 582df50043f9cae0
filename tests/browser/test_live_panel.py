"""The live panel while a microphone answer is recorded, in chromium (ui/live_panel.py).

The fake microphone plays a fixture with fillers; before Stop, the panel under the recorder
shows the time left, ticks a key term the answer says and counts its fillers, read from the
stream's snapshot and its live captions, which the page polls once a second. On Stop the
panel goes and the feedback comes as before. The words reach the panel 2-4 s behind the speaker
on an idle machine (coach/engines/live_captions.py), later on a loaded one (captions run at the
lowest priority, and the stream's own words then come a chunk behind): the test records for as
long as that takes (chromium's fake microphone plays the fixture again and again), up to
LIVE_TIMEOUT_MS.
"""

from __future__ import annotations

import time

from test_practice_app import choose, open_app, wait_for_result

PANEL = "#answer-live [data-testid=live-panel]"
LIVE_TIMEOUT_MS = 150_000


def test_the_live_panel_ticks_a_key_term_and_counts_fillers_before_stop(
        app_url, launch, fake_mic, truth, library):
    answer = truth["oom-us150-fillers"]  # "Um, so my guess is basically the OOMKiller. ..."
    scenario = library.get(answer.scenario)
    page = open_app(launch(fake_mic(answer.path)), app_url)
    choose(page, scenario)
    page.locator("#answer button.record-button").click()
    started = time.monotonic()
    panel = page.locator(PANEL)
    panel.wait_for(timeout=10_000)
    assert "left" in panel.locator("[data-testid=live-time]").inner_text()

    ticked = panel.locator("[data-testid=live-terms] li[data-said=true]")
    ticked.first.wait_for(timeout=LIVE_TIMEOUT_MS)  # the first sentence says one
    fillers = panel.locator("[data-testid=live-fillers]")
    page.wait_for_function(
        "() => Number(document.querySelector("
        "'#answer-live [data-testid=live-fillers]')?.dataset.count || 0) >= 1",
        timeout=LIVE_TIMEOUT_MS)
    # the first sentence's term: a decode of the audio so far can mishear it (once the panel
    # had ticked memory.max, said later, and not OOMKiller); its chunk, closed, gets it right
    ticked.filter(has_text="OOMKiller").wait_for(timeout=LIVE_TIMEOUT_MS)
    said_live = ticked.all_inner_texts()
    # a ticked term is good news: not drawn like a mistake (the feedback's red wavy underline
    # of "what you said" once leaked into the panel through a shared class name)
    # read in one step: the panel is redrawn every second, and a chip detached between
    # finding it and reading its style reads "" (a fresh clone's make test once failed so)
    decoration = page.wait_for_function(
        "(s) => { const e = document.querySelector(s);"
        " return e && e.isConnected ? getComputedStyle(e).textDecorationLine : null; }",
        arg=f"{PANEL} [data-testid=live-terms] li[data-said=true]",
        timeout=LIVE_TIMEOUT_MS).json_value()
    assert decoration == "none", f"a ticked key term is underlined: {decoration}"
    fillers_live = int(fillers.get_attribute("data-count"))
    assert page.locator("#answer button.stop-button").is_visible(), "still recording"
    assert any("OOMKiller" in t for t in said_live), said_live
    assert fillers_live >= 1
    limit = f"{scenario.time_limit_s // 60}:{scenario.time_limit_s % 60:02d} left"
    assert panel.locator("[data-testid=live-time]").inner_text() != limit, "the clock runs"
    marks = page.evaluate("window.coachLive.marks('answer')")
    assert marks["panels"] >= 2, marks  # refreshed while recording

    left_s = started + answer.duration_s + 0.3 - time.monotonic()  # the rest of the answer
    page.wait_for_timeout(int(max(0.0, left_s) * 1000))
    page.locator("#answer button.stop-button").click()
    assert wait_for_result(page) == ""
    # after Stop it says what is left to do until the feedback comes, then goes
    page.locator(PANEL).wait_for(state="detached", timeout=3_000)


CLOCKS_JS = """() => {
  const clock = document.querySelector('#coach-countdown .cd-time');
  const panel = document.querySelector('#answer-live [data-testid=live-time]');
  return [clock ? clock.textContent : null, panel ? panel.textContent : null];
}"""


def test_the_countdown_and_the_live_panel_show_the_same_time_left(
        app_url, launch, fake_mic, truth, library):
    answer = truth["oom-us150-fillers"]
    page = open_app(launch(fake_mic(answer.path)), app_url)
    choose(page, library.get(answer.scenario))
    page.locator("#answer button.record-button").click()
    page.locator(PANEL).wait_for(timeout=10_000)
    seen = []
    for _ in range(12):  # read both at once, at moments spread over the ticks of both clocks
        clock, panel = page.evaluate(CLOCKS_JS)
        seen.append((clock, panel))
        page.wait_for_timeout(370)
    assert all(panel is not None and panel.split()[0] == clock for clock, panel in seen), seen
    assert len({clock for clock, _ in seen}) >= 3, seen  # the clocks ran
    page.locator("#answer button.stop-button").click()
    assert wait_for_result(page) == ""
