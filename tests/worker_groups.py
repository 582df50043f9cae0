"""How `make test` spreads the slow tiers over the cores (pytest-xdist, see tests/conftest.py).

- A test file never straddles two workers: its module fixtures (a started app, a pip install,
  a LanguageTool server) are made once.
- The browser files make two groups, each run one file after another on one worker, with apps
  and chromiums of their own (each module starts its app on a free port with its own data
  folder). One group for all of them was the suite's long pole: a worker walked through every
  browser test, most of it waiting on microphones played in real time and on the app, while
  the other worker had run out of work. The groups are balanced by the CPU time of their files
  (measured at nice 19, see BROWSER_HALVES).
- The two browser groups start first, one on each worker: they take the longest (real-time
  microphones, the app's analyses, voices) but leave a core partly idle, which the background
  per-CPU-code-path run (tests/integration/isa_runs.py, nice 19) takes meanwhile. Then the
  other groups, biggest first (xdist's order); the tests judging the background runs come
  last, so that no worker sits waiting for those runs while there is work left.
"""

from __future__ import annotations

# Browser file -> its group, balanced by CPU seconds per file (user+sys, the app and chromium
# included, each file alone at nice 19): practice_app 145, round_tab 85, accessibility 61,
# walkthrough 37, streamed_answer_app 40, live_panel 35, term_sounds 25: 206 and 223 a half.
# Since then practice_app's recorded answer (about 25 s of it) went into streamed_answer_app,
# which moved to the first half (by the files' durations in `make test`: 423 s and 389 s).
BROWSER_HALVES = {
    "tests/browser/test_practice_app.py": "tests/browser (first half)",
    "tests/browser/test_term_sounds.py": "tests/browser (first half)",
    "tests/browser/test_live_panel.py": "tests/browser (first half)",
    "tests/browser/test_streamed_answer_app.py": "tests/browser (first half)",
    "tests/browser/test_round_tab.py": "tests/browser (second half)",
    "tests/browser/test_accessibility.py": "tests/browser (second half)",
    "tests/browser/test_walkthrough.py": "tests/browser (second half)",
}
OTHER_BROWSER_FILES = "tests/browser (second half)"
LAST = "tests/integration/test_transcription_isa.py"


def worker_group(nodeid: str) -> str:
    """The group of a test: its file, or its half of the browser files."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/browser/"):
        return BROWSER_HALVES.get(path, OTHER_BROWSER_FILES)
    return path


def queue_order(sizes: dict[str, int]) -> list[str]:
    """Groups in the order workers take them: the browser groups, then the others by size
    (tests), biggest first, and LAST at the end."""
    browser = set(BROWSER_HALVES.values()) | {OTHER_BROWSER_FILES}
    return sorted(sizes, key=lambda group: (group == LAST, group not in browser, -sizes[group]))
