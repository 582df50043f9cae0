"""Stop -> written feedback on screen, in the real browser, for a ~30 s spoken answer.

    .venv/bin/python benchmarks/browser_latency.py [--runs 5] [--fixture ID] [--no-grammar]
                                                   [--stop-after 0.3] [--json FILE]

Starts the app as `make run` does (`coach serve`, its own data folder) and Debian's chromium
with a ~30 s fixture as its fake microphone (--use-file-for-fake-audio-capture). Each run opens
a new page, picks the fixture's question, records the whole answer, clicks Stop
(`--stop-after` seconds after the answer's audio ends: 0.3 s is a quick click), and times
from the click to the first frame drawn with the feedback summary visible, by the page's own
clock (Playwright's wait for the same element is reported beside it). Two paths:
- "streamed": the page sends the answer while it is recorded (ui/live_answer.js) and submits
  it on Stop; only the last chunk is left to decode;
- "upload": streaming switched off in the page, so the browser's own recording is sent on Stop
  and decoded whole (what uploading a file costs).
One untimed answer first loads the speech model and LanguageTool. The median of the runs is
reported with a breakdown: the page's own marks (Stop -> last chunk handed over -> delivered to
the server) and the server's stage times (stage_ms of the kept feedback: decode, transcribe,
grammar, feedback). The machine load is recorded: other work on the machine slows every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fake_microphone import microphone_wav
from benchmarks.fixture_truth import load_fixtures
from coach.scenarios.library import ScenarioLibrary

RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = Path(os.environ.get("COACH_TEST_CHROMIUM", "/usr/bin/chromium"))
BROWSER_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
FEEDBACK_TIMEOUT_MS = 120_000
STREAMING_OFF = """() => { const live = window.coachLive;
    live.answerId = () => ""; live.opened = () => {}; live.stoppedId = () => ""; }"""
TRAILING_SILENCE_S = 5.0
SHOWN = "#summary [data-testid=summary], #notice [data-testid=error]"
# The page's own clock: from the Stop click to the first frame drawn with the feedback (or an
# error) visible. Playwright's wait for the same element polls the page from this process
# and adds 0.1-0.4 s of its own on this 2-core machine, so it is reported beside it.
WATCH_FEEDBACK = """() => {
    window.benchShown = null;
    const shown = () => [...document.querySelectorAll('SHOWN')].some((e) => e.offsetParent);
    const watch = new MutationObserver(() => {
      if (window.benchShown === null && shown()) {
        watch.disconnect();
        requestAnimationFrame(() => { window.benchShown = performance.now(); });
      }
    });
    watch.observe(document.body, {subtree: true, childList: true, attributes: true});
  }""".replace("SHOWN", SHOWN)
CLICK_STOP = """() => { window.benchClicked = performance.now();
    document.querySelector('#answer button.stop-button').click(); }"""


def start_app(home: Path, grammar: bool) -> tuple[subprocess.Popen, str]:
    data = home / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"check_grammar": grammar}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_CACHE_DIR": str(home / "cache"),
           "GRADIO_ANALYTICS_ENABLED": "False", "GRADIO_TEMP_DIR": str(home / "gradio")}
    server = subprocess.Popen(
        [sys.executable, "-m", "coach.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=(home / "server.log").open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("The app did not start:\n" + (home / "server.log").read_text())


def answer_once(browser, url: str, fixture, title: str, streamed: bool,
                stop_after_s: float = 0.3) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url)
        page.locator("[data-testid=scenario]").wait_for(timeout=30_000)
        page.locator("#scenario-list label").filter(has_text=title).first.click()
        page.locator(f"[data-testid=scenario][data-id='{fixture.scenario}']").wait_for()
        if not streamed:
            page.evaluate(STREAMING_OFF)
        page.locator("#answer button.record-button").click()
        page.wait_for_timeout(int((fixture.duration_s + stop_after_s) * 1000))
        page.locator("#answer button.stop-button").wait_for()
        page.evaluate(WATCH_FEEDBACK)
        clicked = time.perf_counter()
        page.evaluate(CLICK_STOP)
        page.locator(SHOWN).first.wait_for(timeout=FEEDBACK_TIMEOUT_MS)
        playwright_ms = (time.perf_counter() - clicked) * 1000
        stop_to_feedback_ms = page.evaluate("window.benchShown - window.benchClicked")
        error = page.locator("#notice [data-testid=error]")
        if error.count() and error.first.is_visible():
            sys.exit(f"The answer was refused: {error.first.inner_text()}")
        marks = page.evaluate("window.coachLive.marks('answer')") or {}
        row = {"path": "streamed" if streamed else "upload",
               "stop_to_feedback_s": round(stop_to_feedback_ms / 1000, 3),
               "playwright_stop_to_feedback_s": round(playwright_ms / 1000, 3),
               "load_avg_1min": round(os.getloadavg()[0], 2)}
        if streamed:
            if "delivered" not in marks:
                sys.exit(f"The answer was not streamed: {marks}")
            row["stop_to_last_chunk_delivered_s"] = round(
                (marks["delivered"] - marks["stopped"]) / 1000, 3)
        return row
    finally:
        page.close()


def last_feedback(data: Path) -> dict:
    """The feedback record of the app's latest attempt ({} when it has none)."""
    with sqlite3.connect(data / "history.sqlite3") as db:
        (feedback,) = db.execute(
            "SELECT feedback_json FROM attempts ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(feedback) if feedback else {}


def last_stage_ms(data: Path) -> dict:
    return last_feedback(data).get("stage_ms", {})


def summarise(rows: list[dict], path: str) -> dict:
    mine = [r for r in rows if r["path"] == path]
    out = {"runs": len(mine),
           "median_stop_to_feedback_s": statistics.median(r["stop_to_feedback_s"] for r in mine),
           "max_stop_to_feedback_s": max(r["stop_to_feedback_s"] for r in mine),
           "median_playwright_stop_to_feedback_s": statistics.median(
               r["playwright_stop_to_feedback_s"] for r in mine)}
    for stage in ("decode", "transcribe", "grammar", "feedback"):
        values = [r["server_stage_ms"].get(stage) for r in mine]
        if all(v is not None for v in values):
            out[f"median_server_{stage}_ms"] = statistics.median(values)
    if path == "streamed":
        out["median_stop_to_last_chunk_delivered_s"] = statistics.median(
            r["stop_to_last_chunk_delivered_s"] for r in mine)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed answers per path")
    parser.add_argument("--fixture", default="oom-us150-fillers", help="a ~30 s answer")
    parser.add_argument("--no-grammar", action="store_true", help="LanguageTool off")
    parser.add_argument("--stop-after", type=float, default=0.3,
                        help="seconds from the end of the answer's audio to the Stop click")
    parser.add_argument("--json", default=str(RESULTS / "browser_latency.json"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"No browser at {CHROMIUM}: apt-get install chromium")
    fixture = next(f for f in load_fixtures() if f.id == args.fixture)
    title = ScenarioLibrary.load().get(fixture.scenario).title
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as folder:
        home = Path(folder)
        mic = microphone_wav(fixture.path, home / "mic.wav", trailing_silence_s=TRAILING_SILENCE_S)
        server, url = start_app(home, grammar=not args.no_grammar)
        driver = sync_playwright().start()
        try:
            browser = driver.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[*BROWSER_ARGS, f"--use-file-for-fake-audio-capture={mic}"])
            print("warming up (one untimed answer)...", flush=True)
            answer_once(browser, url, fixture, title, streamed=True)  # loads the engines
            for run in range(args.runs):
                for streamed in (True, False):
                    row = answer_once(browser, url, fixture, title, streamed,
                                      args.stop_after)
                    row["server_stage_ms"] = last_stage_ms(home / "data")
                    rows.append(row)
                    print(f"run {run + 1} {row['path']:8s} {row['stop_to_feedback_s']:.3f} s "
                          f"(Playwright {row['playwright_stop_to_feedback_s']:.3f} s)  "
                          f"stages {row['server_stage_ms']}  load {row['load_avg_1min']}",
                          flush=True)
            browser.close()
        finally:
            driver.stop()
            server.terminate()
            server.wait(timeout=30)
    summary = {"fixture": fixture.id, "audio_s": fixture.duration_s,
               "stop_after_s": args.stop_after,
               "grammar": not args.no_grammar, "cpus": os.cpu_count(),
               "streamed": summarise(rows, "streamed"), "upload": summarise(rows, "upload"),
               "rows": rows}
    Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: summary[k] for k in ("streamed", "upload")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
