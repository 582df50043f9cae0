"""The app for every user, in chromium: a phone's width, a long answer on a desktop, the
keyboard alone, and axe-core's WCAG 2.1 A/AA rules on every tab.

Screenshots of the practice page at 390 and 1280 px go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TABS = ("Practice", "Mock round", "History", "Settings")
FEEDBACK_TIMEOUT_MS = 90_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Violations we cannot fix from the app, each with the element it is on and why. Empty: every
# violation axe found in Gradio's markup was fixed in ui/theme.css or ui/a11y.js.
ALLOWED: dict[str, str] = {}


@pytest.fixture(scope="module")
def long_answer(truth):
    """112 s of unscripted human speech: the longest transcript and pace chart we show."""
    return truth["iomax-us150-short"].path.parents[1] / "human" / "ve9qrp.flac"


def open_app(browser, url, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
    page.wait_for_function("document.querySelectorAll('#scenario-list label').length > 0")
    return page


def upload(page, path):
    page.locator("#answer button[aria-label='Upload file']").click()
    page.locator("#answer input[type=file]").set_input_files(str(path))
    page.locator("#summary [data-testid=summary]").wait_for(timeout=FEEDBACK_TIMEOUT_MS)


def voices_ready(page) -> None:
    """The page is done once both voices (the polished answer, then the model answer) are in."""
    for player in ("#polished-audio audio", "#model-audio audio"):
        page.locator(player).wait_for(state="attached", timeout=30_000)


def settled(page, players: tuple[str, ...] = ()) -> None:
    """`players` are in and no part of the page is being updated: Gradio fades a block to 20%
    opacity while an event updates it, which axe rightly reads as too little contrast, but
    it is a moment of loading, not the page the user reads."""
    for player in players:
        page.locator(player).wait_for(state="attached", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('.pending')", timeout=30_000)


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # checked by conftest's app_url

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['help']} at "
            f"{[(n['target'][-1][:60], n.get('html', '')[:100]) for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v["id"] not in ALLOWED]


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    page.wait_for_timeout(600)  # the tab's content is drawn


def test_no_tab_is_wider_than_a_phone(app_url, launch, artifacts):
    page = open_app(launch(), app_url, PHONE)
    for name in TABS:
        open_tab(page, name)
        assert overflow(page) <= 0, f"the {name} tab is {overflow(page)} px too wide at 390 px"
    open_tab(page, "Practice")
    page.screenshot(path=str(artifacts / "practice-390.png"), full_page=True)


def test_a_long_answers_feedback_fits_the_phone_and_the_desktop(app_url, launch, long_answer,
                                                                artifacts):
    """Analysed once, then looked at on a desktop and on a phone (the page is resized: the
    layout follows the viewport, so a second 112 s analysis would test nothing more)."""
    page = open_app(launch(), app_url, DESKTOP)
    upload(page, long_answer)
    voices_ready(page)
    for viewport in (DESKTOP, PHONE):
        open_tab(page, "Practice")
        page.set_viewport_size(viewport)
        page.wait_for_timeout(500)
        width = viewport["width"]
        assert overflow(page) <= 0, f"{overflow(page)} px too wide at {width} px"
        page.screenshot(path=str(artifacts / f"feedback-long-{width}.png"), full_page=True)
        open_tab(page, "History")
        page.locator("#history .open-attempt").first.click()
        page.locator("#attempt [data-testid=summary]").wait_for(timeout=15_000)
        assert overflow(page) <= 0, f"an opened attempt is too wide at {width} px"


def test_every_tab_passes_axe_wcag_aa(app_url, launch, truth):
    page = open_app(launch(), app_url, DESKTOP)
    found = {}
    for name in TABS:
        open_tab(page, name)
        found[name] = violations(page)
    open_tab(page, "Practice")
    upload(page, truth["iomax-us150-short"].path)
    voices_ready(page)
    settled(page)
    found["Practice, with feedback"] = violations(page)
    open_tab(page, "History")
    page.locator("#history .open-attempt").first.click()
    page.locator("#attempt [data-testid=summary]").wait_for(timeout=15_000)
    settled(page, ("#attempt-polished-audio audio", "#attempt-model-audio audio"))
    found["History, an attempt opened"] = violations(page)
    assert not any(found.values()), found


def tab_to(page, selector: str, limit: int = 80, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    focused = page.evaluate("document.activeElement?.outerHTML.slice(0, 200)")
    raise AssertionError(f"Tab never reached {selector}; last focused: {focused}")


def test_practising_with_the_keyboard_alone(app_url, launch, truth, library):
    answer = truth["iomax-us150-short"]
    wanted = library.get(answer.scenario)
    page = open_app(launch(), app_url, DESKTOP)
    card = page.locator("[data-testid=scenario]")
    # the filters have names a screen reader reads
    for label in ("Search questions", "Module", "Kind of question"):
        expect(page.get_by_label(label, exact=True)).to_have_count(1)
    # the question list: Tab into it, arrow keys to the question
    tab_to(page, "#scenario-list input[type=radio]")
    for _ in range(len(library)):
        if card.get_attribute("data-id") == wanted.id:
            break
        before = card.get_attribute("data-id")
        page.keyboard.press("ArrowDown")
        # 30 s: this test often runs first, while the app's engines and LanguageTool start and
        # the other worker installs a venv; with 10 s it timed out once there (00:10 on
        # 2026-12-08), and passed alone and under two busy-loops (21-33 s for the whole test)
        page.wait_for_function(f"document.querySelector('[data-testid=scenario]').dataset.id"
                               f" != '{before}'", timeout=30_000)
    assert card.get_attribute("data-id") == wanted.id
    assert page.evaluate("document.activeElement.checked"), "the focused question is not chosen"
    # the recorder: switch it to upload, open the file dialog with Enter
    tab_to(page, "#answer button[aria-label='Upload file']")
    page.keyboard.press("Enter")
    page.locator("#answer .upload-container").wait_for()  # the recorder is in upload mode
    tab_to(page, "#answer .upload-container", back=True)  # the drop zone comes first
    # Enter on the drop zone asks the browser for its file dialog (held back here: headless
    # chromium shows one chooser per page at most), which gives the input the chosen file.
    file_input = page.locator("#answer input[type=file]")
    file_input.evaluate("""(input) => input.addEventListener('click', (event) => {
        window.fileDialogAsked = true; event.preventDefault(); }, {once: true})""")
    page.keyboard.press("Enter")
    assert page.evaluate("window.fileDialogAsked === true"), "Enter did not open the file dialog"
    file_input.set_input_files(str(answer.path))
    # the feedback: focus lands on it
    summary = page.locator("#summary [data-testid=summary]")
    summary.wait_for(timeout=FEEDBACK_TIMEOUT_MS)
    expect(summary).to_be_focused()
    assert any("io.max" in t for t in
               page.locator("[data-testid=key-terms] li.covered").all_inner_texts())
    # and on to the next try
    tab_to(page, "#try-again")
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_contain_text(re.compile(r"Attempt \d"))
