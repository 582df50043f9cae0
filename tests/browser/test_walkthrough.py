"""A walk through every tab at 1280 px and at 390 px (a phone), as a user would see it.

One microphone answer (desktop) and one upload (phone), and at each width a one-question mock
round answered by an upload, to its report. The app checks grammar with the real LanguageTool,
as `make run` does; the uploaded answer has grammar mistakes, and the grammar card must list
them. At every state the walk fails on:
- a traceback or an ERROR line in the server's log;
- a Gradio error (a toast, or "Error" in a component's status tracker);
- anything wider than the screen, or a question of the list the user cannot scroll to;
- one answer shown with two different figures (length, score, key-term status, grammar
  findings) in two views, the round report and History included.
Each state's screenshot is saved in test-artifacts/walkthrough/ (look at them).
"""

from __future__ import annotations

import re

import pytest
from pages import tab
from playwright.sync_api import expect

FEEDBACK_TIMEOUT_MS = 90_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MIC_ANSWER = "oom-us150-clean"
UPLOADED = "cpu-joe-grammar"  # "the dashboard show", "I runs", "a process like this were"
ROUND_ANSWER = "cpu-us120-clean"  # the round asks a system-debugging question
ERROR_PILL_DELAY_MS = 3000  # a failed event shows its error within this long
APP_CHECKS_GRAMMAR = True  # conftest.app_url: the real LanguageTool, as `make run` runs it

# Everything wider than the screen: (element, its left and right edges). Elements hidden by
# an ancestor that clips them (a closed dropdown, the sr-only label of a control) are not seen.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, wide = [];
  const seen = (el) => { for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a); if (s.display === 'none' || s.visibility === 'hidden')
        return false;
      if (s.overflowX !== 'visible') { const r = a.getBoundingClientRect();
        const e = el.getBoundingClientRect(); if (e.right <= r.left || e.left >= r.right)
          return false; } }
    return true; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width < 2 || r.height < 2 || s.visibility === 'hidden' || s.display === 'none')
      continue;
    if ((r.right > width + 1 || r.left < -1) && seen(el))
      wide.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} ` +
                `[${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 12)};
}"""

# Gradio's error shows: toasts, and "Error" in the status tracker of a component.
ERRORS_JS = """() => {
  const shown = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  const toasts = [...document.querySelectorAll('.toast-wrap .toast-body')].filter(shown)
    .map((t) => 'toast: ' + t.innerText.trim().slice(0, 200));
  const pills = [...document.querySelectorAll('[data-testid=status-tracker]')]
    .filter((t) => shown(t) && (t.querySelector('.error') || /\\bError\\b/.test(t.innerText)))
    .map((t) => 'status: ' + (t.closest('[id]') || t).id + ' ' + t.innerText.trim());
  return [...toasts, ...pills];
}"""

# Each question of the list, scrolled into view the way a user scrolls the list: where it is
# then, and whether it is the element the user would touch at its centre.
REACH_JS = """() => {
  const list = document.querySelector('#scenario-list div.wrap:has(> label)');
  const box = list.getBoundingClientRect(), width = document.documentElement.clientWidth;
  const out = {sideways: list.scrollWidth - list.clientWidth, scrolls:
               list.scrollHeight > list.clientHeight + 1, unreachable: [], left: new Set()};
  for (const label of list.querySelectorAll('label')) {
    list.scrollTop = label.offsetTop - list.offsetTop - 4;
    label.scrollIntoView({block: 'nearest', inline: 'nearest'});
    const r = label.getBoundingClientRect(), l = list.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    out.left.add(Math.round(r.left - box.left));
    if (r.left < l.left - 1 || r.right > l.right + 1 || r.right > width || r.left < 0
        || r.top < l.top - 1 || r.bottom > l.bottom + 1 || !hit || !label.contains(hit))
      out.unreachable.push(label.innerText.trim());
  }
  list.scrollTop = 0;
  out.left = [...out.left];
  out.count = list.querySelectorAll('label').length;
  return out;
}"""


@pytest.fixture(scope="module")
def walkthrough(artifacts):
    folder = artifacts / "walkthrough"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


MAIN_TABS = ["Practice", "Mock round", "History", "Settings"]
# The main tab bar as the user reads it: visible tab buttons, left to right.
TAB_BAR_JS = """() => [...document.querySelectorAll('.main-tabs button[role=tab]')]
  .filter(b => b.offsetParent !== null && !b.closest('.main-tabs .tabs .tabs'))
  .map(b => b.textContent.trim())"""


class Walk:
    """Checks and screenshots each state of one page."""

    def __init__(self, page, folder, server_log, width: int) -> None:
        self.page, self.folder, self.log, self.width = page, folder, server_log, width
        self.problems: list[str] = []

    def state(self, name: str) -> None:
        page = self.page
        page.wait_for_timeout(300)
        page.screenshot(path=str(self.folder / f"{self.width}-{name}.png"), full_page=True)
        where = f"{self.width} px, {name}"
        errors = page.evaluate(ERRORS_JS)
        if errors:
            self.problems.append(f"{where}: Gradio shows an error: {errors}")
        wide = page.evaluate(OVERFLOW_JS)
        if wide["wide"] or wide["page"] > wide["width"]:
            self.problems.append(f"{where}: wider than the screen ({wide['page']} px): "
                                 f"{wide['wide']}")
        logged = self.log()
        if logged:
            self.problems.append(f"{where}: the server logged:\n{logged}")
        tabs = page.evaluate(TAB_BAR_JS)
        if tabs != MAIN_TABS:
            self.problems.append(f"{where}: the tab bar reads {tabs}, not {MAIN_TABS}")

    def check(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def open_page(browser, url, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(url)
    page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
    page.locator("#question-audio audio").wait_for(state="attached", timeout=30_000)
    return page


def every_question_reachable(page, library) -> None:
    reach = page.evaluate(REACH_JS)
    assert reach["count"] == len(list(library)), reach
    assert reach["sideways"] <= 1, f"the list scrolls sideways by {reach['sideways']} px"
    assert len(reach["left"]) == 1, f"the list is laid out in columns: {reach['left']}"
    assert not reach["unreachable"], f"questions out of reach: {reach['unreachable']}"
    if reach["scrolls"]:  # a cue that there is more to see
        assert "scroll" in page.locator("#scenario-list").inner_text().lower()


def choose(page, scenario) -> None:
    page.locator("#scenario-list label").filter(has_text=scenario.title).first.click()
    page.locator(f"[data-testid=scenario][data-id='{scenario.id}']").wait_for(timeout=10_000)
    page.locator("#question-audio audio").wait_for(state="attached", timeout=30_000)


def wait_for_feedback(page) -> None:
    page.locator("#summary [data-testid=summary], #notice [data-testid=error]").first.wait_for(
        timeout=FEEDBACK_TIMEOUT_MS)
    error = page.locator("#notice [data-testid=error]")
    assert not error.is_visible(), error.inner_text()
    page.locator("#polished-audio audio").wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(ERROR_PILL_DELAY_MS)


def clock_s(text: str) -> int:
    minutes, seconds = re.search(r"(\d+):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


def shown_figures(root) -> dict:
    """The answer's figures as one view shows them: length (s), score, key-term status and
    the grammar card (which engine checked it, what it lists). Fails when LanguageTool did
    not check the answer: the test app runs it, as `make run` does."""
    terms = {}
    for item in root.locator("[data-testid=key-terms] li").all():
        status = item.get_attribute("class") or ""
        terms[item.locator("b").first.inner_text().strip()] = status.split()[0] if status else ""
    grammar = root.locator("[data-testid=grammar]")
    assert grammar.get_attribute("data-state") == "checked", grammar.inner_text()
    assert grammar.get_attribute("data-engine").startswith("LanguageTool"), \
        grammar.get_attribute("data-engine")
    return {"length": clock_s(root.locator("[data-testid=stat-length] .stat-value").inner_text()),
            "score": root.locator(".score-ring .score-number").first.text_content().strip(),
            "terms": terms,
            "grammar": grammar.locator("ul.issues > li").all_inner_texts()
                       or [grammar.inner_text().strip()]}


def terms_agree_with_transcript(root) -> None:
    """A key term the checklist ticks is never marked unclear where it is said."""
    covered = [t.lower() for t in root.locator(
        "[data-testid=key-terms] li.covered b").all_inner_texts()]
    for mark in root.locator("[data-testid=transcript] mark.unsure").all():
        said = mark.inner_text().strip().lower()
        assert not any(said == term or said in term.split() for term in covered), \
            f"'{said}' is a ticked key term and marked unclear"


def audio_length_s(page, selector: str) -> float:
    return page.evaluate(f"""async () => {{ const a = document.querySelector('{selector} audio');
        if (!(a.duration > 0)) await new Promise((ok) => a.addEventListener('loadedmetadata', ok,
        {{once: true}})); return a.duration; }}""")


def lengths_agree_with_players(page, view: str, players: dict[str, str]) -> None:
    """Each answer's note gives its player's own length once the audio is there, never a
    differing estimate ({note test id: player id})."""
    for note, player in players.items():
        page.locator(f"#{player} audio").wait_for(state="attached", timeout=60_000)
        played = int(audio_length_s(page, f"#{player}"))  # whole seconds, as the player shows
        expect(page.locator(f"#{view} [data-testid={note}]")).to_have_text(
            f"{played} s as read aloud", timeout=5_000)


def row_figures(text: str) -> dict:
    """Score, pace, key terms and length as one table row shows them."""
    found = {name: re.search(pattern, text) for name, pattern in (
        ("score", r"\b(\d+)(?:/100)?\b"), ("wpm", r"(\d+) wpm"), ("terms", r"(\d+)%"),
        ("length", r"\b(\d+:\d\d)\b"))}
    assert all(found.values()), (text, found)
    return {name: m.group(1) for name, m in found.items()}


def play_round(page, walk, path) -> dict:
    """A one-question round (system debugging, no follow-up) answered by uploading `path`;
    its report's figures, checked against History's row for the same answer."""
    for label in ("Code review", "Expressive English", "System design"):
        page.locator("#round-modules label").filter(has_text=label).click()
    page.locator("#round-follow-ups label").filter(has_text="None").click()
    page.locator("#round-start").click()
    card = page.locator("[data-testid=round-step][data-step='0']")
    card.wait_for(timeout=FEEDBACK_TIMEOUT_MS)
    page.locator("#round-question-audio audio").wait_for(state="attached", timeout=30_000)
    walk.state("round-question")
    page.locator("#round-answer button[aria-label='Upload file']").click()
    page.locator("#round-answer input[type=file]").set_input_files(str(path))
    report = page.locator("[data-testid=round-report]")
    report.wait_for(timeout=FEEDBACK_TIMEOUT_MS)
    page.wait_for_timeout(ERROR_PILL_DELAY_MS)
    walk.state("round-report")
    rows = report.locator("[data-testid=round-figures] tbody tr")
    expect(rows).to_have_count(1)
    figures = row_figures(" ".join(rows.first.locator(f"td[data-label='{label}']").inner_text()
                                   for label in ("Score", "Pace", "Key terms", "Time")))
    assert figures["score"] in report.locator("[data-testid=round-best]").inner_text()
    ring = report.locator(".score-ring .score-number").first.text_content().strip()
    assert ring == figures["score"], (ring, figures)  # the average of its one answer
    round_id = report.get_attribute("data-round")

    tab(page, "History").click()
    page.locator("#history [data-testid=history]").wait_for(timeout=15_000)
    walk.state("history-after-round")
    row = page.locator("#history [data-testid=attempts] tr[data-attempt-row]").first
    cells = row.locator("td")
    history = row_figures(" ".join(cells.nth(n).inner_text() for n in range(2, 7)))
    assert history == figures, (history, figures)
    rounds = page.locator(f"#history tr[data-round-row='{round_id}']")
    expect(rounds).to_have_count(1)
    assert re.search(r"\b1\b", rounds.locator("td[data-label=Answers]").inner_text())
    return figures


def test_walkthrough(app_url, launch, fake_mic, truth, library, walkthrough, server_log):
    spoken, uploaded = truth[MIC_ANSWER], truth[UPLOADED]
    browser = launch(fake_mic(spoken.path))

    # --- desktop: the list, a microphone answer, History, Mock round, Settings -------------
    page = open_page(browser, app_url, DESKTOP)
    walk = Walk(page, walkthrough, server_log, DESKTOP["width"])
    walk.state("practice")
    every_question_reachable(page, library)
    choose(page, library.get(spoken.scenario))
    page.locator("#answer button.record-button").click()
    page.wait_for_timeout(int((spoken.duration_s + 0.3) * 1000))
    walk.state("recording")
    page.locator("#answer button.stop-button").click()
    wait_for_feedback(page)
    walk.state("feedback")
    practice = shown_figures(page.locator("#feedback"))
    terms_agree_with_transcript(page.locator("#feedback"))
    countdown = clock_s(page.locator("[data-testid=countdown] .cd-time").inner_text())
    assert countdown == practice["length"], (countdown, practice)
    lengths_agree_with_players(page, "polished", {"polished-length": "polished-audio",
                                                  "model-length": "model-audio"})

    tab(page, "History").click()
    page.locator("#history [data-testid=history]").wait_for(timeout=15_000)
    walk.state("history")
    row = page.locator("#history [data-testid=attempts] tr[data-attempt-row]").first
    assert practice["score"] in row.inner_text()
    row.get_by_role("button", name=re.compile("^Open")).click()
    opened = page.locator("#attempt")
    expect(opened.locator("[data-testid=summary]")).to_be_visible(timeout=15_000)
    walk.state("history-opened")
    assert shown_figures(opened) == practice
    kept = audio_length_s(page, "#attempt-recording")
    # whole seconds, as its player shows it ("0:00 / 0:24" for 24.7 s): the same figure as
    # the length card beside it (a rounded card said 0:25 there)
    assert int(kept) == practice["length"], (kept, practice)
    lengths_agree_with_players(page, "attempt-polished",
                               {"polished-length": "attempt-polished-audio",
                                "model-length": "attempt-model-audio"})

    tab(page, "Mock round").click()
    page.locator("#round-start").wait_for(timeout=10_000)
    walk.state("round")
    play_round(page, walk, truth[ROUND_ANSWER].path)
    tab(page, "Settings").click()
    page.get_by_text("Voice", exact=False).first.wait_for(timeout=10_000)
    walk.state("settings")

    # --- phone: the list, an upload, the same tabs ------------------------------------------
    phone = open_page(browser, app_url, PHONE)
    walk_phone = Walk(phone, walkthrough, server_log, PHONE["width"])
    walk_phone.state("practice")
    every_question_reachable(phone, library)
    choose(phone, library.get(uploaded.scenario))
    phone.locator("#answer button[aria-label='Upload file']").click()
    phone.locator("#answer input[type=file]").set_input_files(str(uploaded.path))
    wait_for_feedback(phone)
    walk_phone.state("feedback")
    mine = shown_figures(phone.locator("#feedback"))
    terms_agree_with_transcript(phone.locator("#feedback"))
    assert any(" → " in finding for finding in mine["grammar"]), \
        f"no grammar mistake listed with its fix in an answer that has three: {mine['grammar']}"
    tab(phone, "History").click()
    phone.locator("#history [data-testid=history]").wait_for(timeout=15_000)
    walk_phone.state("history")
    button = phone.locator("#history [data-testid=attempts] tr[data-attempt-row]").first \
        .get_by_role("button", name=re.compile("^Open"))
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], \
        f"History's Open button is off-screen at {PHONE['width']} px: {box} {walk_phone.problems}"
    button.click()
    expect(phone.locator("#attempt [data-testid=summary]")).to_be_visible(timeout=15_000)
    walk_phone.state("history-opened")
    assert shown_figures(phone.locator("#attempt")) == mine
    polished = phone.locator("#attempt-polished").bounding_box()  # not squeezed by its players
    assert polished and polished["width"] >= PHONE["width"] * 0.75, polished
    tab(phone, "Mock round").click()
    phone.locator("#round-start").wait_for(timeout=10_000)
    walk_phone.state("round")
    play_round(phone, walk_phone, truth[ROUND_ANSWER].path)
    tab(phone, "Settings").click()
    walk_phone.state("settings")

    walk.check()
    walk_phone.check()
