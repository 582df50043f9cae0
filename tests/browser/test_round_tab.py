"""The Mock round tab in chromium: a two-module round with follow-ups, driven by uploads.

Each step must advance, show its question (the follow-up's own text for follow-ups) and a line
of figures for the answer before; a recording without speech is refused and the same step is
asked again; the report shows the figures table and practise-next links that open the
scenario in the Practice tab. Ground truth comes from audio_fixtures/manifest.toml.
"""

from __future__ import annotations

import re

from pages import tab
from playwright.sync_api import expect

from benchmarks.fixture_truth import load_bad_inputs
from coach.rounds import GENERATED_FOLLOW_UP

STEP_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 1000}
# Answers per module: (main answer, follow-up answer). Rounds pick the least practised scenario
# of each module, which need not be the one a fixture was spoken for: the figures are then low.
ANSWERS = {"system-debug": ("cpu-us120-clean", "cpu-joe-slow-missing"),
           "code-review": ("retry-joe-pauses", "retry-scot140-grammar")}


def open_round_tab(browser, url):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url)
    page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
    tab(page, "Mock round").click()
    page.locator("#round-start").wait_for(timeout=10_000)
    return page


def upload(page, path):
    page.locator("#round-answer button[aria-label='Upload file']").click()
    page.locator("#round-answer input[type=file]").set_input_files(str(path))


def step(page, number: int):
    """The card of step `number` (0-based), once the page shows it."""
    card = page.locator(f"[data-testid=round-step][data-step='{number}']")
    card.wait_for(timeout=STEP_TIMEOUT_MS)
    return card


def test_round_with_follow_ups_ends_in_a_report_that_links_to_practice(
        app_url, launch, truth, library, artifacts):
    page = open_round_tab(launch(), app_url)
    for label in ("Expressive English", "System design"):
        page.locator("#round-modules label").filter(has_text=label).click()
    expect(page.locator("#round-follow-ups input[value='1']")).to_be_checked()
    page.locator("#round-start").click()

    silence = next(path for path, expected, _ in load_bad_inputs() if expected == "no_speech"
                   and path.name.startswith("silence"))
    asked = []
    for number in range(4):
        card = step(page, number)
        expect(card.locator("[data-testid=round-counter]")).to_have_text(
            f"Question {number + 1} of 4")
        scenario = library.get(card.get_attribute("data-id"))
        kind = card.get_attribute("data-kind")
        assert kind == ("answer" if number % 2 == 0 else "follow-up")
        assert scenario.module == ("system-debug" if number < 2 else "code-review")
        shown = card.locator("[data-testid=round-question]").inner_text().strip()
        if kind == "answer":
            assert shown == scenario.prompt.strip()
            assert card.locator(".scenario-title").inner_text().strip() == scenario.title
        else:  # the follow-up's own question, read aloud like the first one
            own = [f.question for f in scenario.follow_ups]
            generated = re.escape(GENERATED_FOLLOW_UP).replace(r"\{term\}", ".+")
            assert shown in own or re.fullmatch(generated, shown), shown
            expect(page.locator("[data-testid=last-answer]")).to_contain_text(
                f"Question {number} answered")
            assert re.search(r"\d+/100( \(partial\))? · \d+ wpm · fillers .* · key terms \d+% · "
                             r"\d:\d\d of",
                             page.locator("[data-testid=last-answer]").inner_text())
        asked.append((scenario.id, kind, shown))
        audio = page.locator("#round-question-audio audio")
        audio.wait_for(state="attached", timeout=20_000)
        assert audio.get_attribute("src"), "the question is not read aloud"

        if number == 1:
            page.wait_for_timeout(300)
            page.screenshot(path=str(artifacts / "round-step.png"), full_page=True)
        if number == 1:  # no speech: a plain message, and the same question again
            upload(page, silence)
            error = page.locator("#round-notice [data-testid=error]")
            error.wait_for(timeout=STEP_TIMEOUT_MS)
            assert "no speech" in error.inner_text().lower()
            assert step(page, 1).get_attribute("data-kind") == "follow-up"
            expect(page.locator("#round-notice")).to_contain_text("Answer question 2 again")
        main, follow_up = ANSWERS[scenario.module]
        upload(page, truth[main if kind == "answer" else follow_up].path)

    report = page.locator("[data-testid=round-report]")
    report.wait_for(timeout=STEP_TIMEOUT_MS)
    assert page.locator("[data-testid=round-step]").is_hidden()
    rows = report.locator("[data-testid=round-figures] tbody tr")
    expect(rows).to_have_count(4)  # the failed recording stays in History, not in the report
    for row, (scenario_id, kind, _) in zip(rows.all(), asked):
        text = row.inner_text()
        assert library.get(scenario_id).title in text
        assert ("follow-up" if kind == "follow-up" else "answer") in text.lower()
        assert re.search(r"\d+ wpm", text) and "%" in text, text
    assert "/100" in report.locator("[data-testid=round-best]").inner_text()
    assert "/100" in report.locator("[data-testid=round-weakest]").inner_text()
    assert "first round" in report.inner_text()
    links = report.locator("[data-testid=practice-link]")
    assert 1 <= report.locator("[data-testid=practice-next] > li").count() <= 3
    assert links.count() >= 1
    page.wait_for_timeout(300)
    report.screenshot(path=str(artifacts / "round-report.png"))

    with page.expect_download() as saved:
        page.locator("#round-download").click()
    markdown = saved.value.path().read_text(encoding="utf-8")
    assert markdown.startswith("# Mock interview round") and "## Answer details" in markdown

    target = links.first.get_attribute("data-scenario")
    links.first.click()
    expect(tab(page, "Practice")).to_have_attribute("aria-selected", "true")
    practice_card = page.locator(f"[data-testid=scenario][data-id='{target}']")
    practice_card.wait_for(timeout=15_000)
    assert practice_card.is_visible()
    assert library.get(target).title in practice_card.inner_text()


def test_finishing_early_then_a_strict_round_that_stops_the_recording_itself(  # and streams it
        app_url, launch, fake_mic, truth, library):
    spoken = truth["cpu-us120-clean"]
    page = open_round_tab(launch(fake_mic(spoken.path)), app_url)
    for label in ("Expressive English", "System design"):  # leaves system-debug, code-review
        page.locator("#round-modules label").filter(has_text=label).click()
    page.locator("#round-follow-ups label").filter(has_text="None").click()
    page.locator("#round-start").click()
    expect(step(page, 0).locator("[data-testid=round-counter]")).to_have_text("Question 1 of 2")
    upload(page, truth["cpu-joe-slow-missing"].path)
    step(page, 1)
    page.locator("#round-finish").click()
    report = page.locator("[data-testid=round-report]")
    report.wait_for(timeout=STEP_TIMEOUT_MS)
    expect(report.locator("[data-testid=round-figures] tbody tr")).to_have_count(1)
    assert "Not answered:" in report.inner_text()
    first_round = int(report.get_attribute("data-round"))

    page.locator("#round-again").click()
    page.locator("#round-timing label").filter(has_text="Strict").click()
    for label in ("Code review",):
        page.locator("#round-modules label").filter(has_text=label).click()
    page.locator("#round-follow-ups label").filter(has_text="None").click()
    page.locator("#round-start").click()
    card = step(page, 0)
    countdown = page.locator("#round-countdown")
    assert countdown.get_attribute("data-strict") == "true"
    assert "stops at the limit" in countdown.inner_text()
    limit_s = 4  # the scenario's 30 s, shortened in the page: the stop is the page's doing
    page.evaluate(f"document.getElementById('round-countdown').dataset.limit = '{limit_s}'")
    page.locator("#round-answer button.record-button").click()
    page.wait_for_timeout(1500)
    assert "running" in countdown.get_attribute("class")
    assert library.get(card.get_attribute("data-id")).module == "system-debug"
    # nobody presses stop: the recording ends at the limit and goes to the analysis
    report.wait_for(timeout=STEP_TIMEOUT_MS)
    assert int(report.get_attribute("data-round")) > first_round
    row = report.locator("[data-testid=round-figures] tbody tr")
    expect(row).to_have_count(1)
    assert re.search(r"0:0[3-5] of 0:30", row.inner_text()), row.inner_text()
    marks = page.evaluate("window.coachLive.marks('round-answer')") or {}
    assert "submitted" in marks and "delivered" in marks, f"not streamed: {marks}"
    assert "strict timing" in report.inner_text()
    changes = report.locator("[data-testid=round-changes] li")
    assert changes.count() >= 1 and f"since round {first_round}" in changes.first.inner_text()


def test_two_users_at_once_each_get_their_own_round(app_url, launch, truth, library):
    browser = launch()
    modules = {"system-debug": ("Code review", "cpu-us120-clean"),
               "code-review": ("System debugging", "retry-joe-pauses")}
    pages = {}
    for module, (other, _) in modules.items():
        page = open_round_tab(browser, app_url)  # a page of its own context: its own session
        for label in (other, "Expressive English", "System design"):
            page.locator("#round-modules label").filter(has_text=label).click()
        page.locator("#round-follow-ups label").filter(has_text="None").click()
        page.locator("#round-start").click()
        assert library.get(step(page, 0).get_attribute("data-id")).module == module
        pages[module] = page
    for module, page in pages.items():
        upload(page, truth[modules[module][1]].path)
    rounds = set()
    for module, page in pages.items():
        report = page.locator("[data-testid=round-report]")
        report.wait_for(timeout=STEP_TIMEOUT_MS)
        rows = report.locator("[data-testid=round-figures] tbody tr")
        expect(rows).to_have_count(1)
        scenario = next(s for s in library if s.title in rows.first.inner_text())
        assert scenario.module == module
        rounds.add(report.get_attribute("data-round"))
    assert len(rounds) == 2


def test_each_question_starts_with_a_fresh_countdown(app_url, launch, fake_mic, truth):
    """A recorded answer leaves its clock at "0:03 recorded · analysing"; the follow-up after
    it (same 30 s limit, so the same idle countdown) must not inherit that."""
    page = open_round_tab(launch(fake_mic(truth["cpu-us120-clean"].path)), app_url)
    for label in ("Code review", "Expressive English", "System design"):
        page.locator("#round-modules label").filter(has_text=label).click()
    page.locator("#round-start").click()
    step(page, 0)
    countdown = page.locator("#round-countdown")
    first_limit = countdown.get_attribute("data-limit")
    page.locator("#round-answer button.record-button").click()
    page.wait_for_timeout(3000)
    page.locator("#round-answer button.stop-button").click()
    expect(countdown).to_contain_text("recorded")
    step(page, 1)
    limit = int(countdown.get_attribute("data-limit"))
    assert limit == int(first_limit), "the follow-up has its own limit: not the stale case"
    expect(countdown).to_have_class(re.compile(r"\bidle\b"))
    assert countdown.locator(".cd-time").inner_text() == f"{limit // 60}:{limit % 60:02d}"
    assert "recorded" not in countdown.inner_text() and "over" not in countdown.inner_text()
