"""`pip install .` alone gives a working coach, on a machine with no Java, espeak-ng or Maven.

A fresh virtualenv gets a normal (non-editable) install of a copy of this checkout, from PyPI
or pip's cache. `coach analyze` and `coach serve` then run with a PATH from which java,
espeak-ng and mvn are removed: grammar comes from Harper, the polished answer from Piper, IPA
from the espeak-ng library inside piper-tts, and one line says what is reduced.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import wave
from pathlib import Path

import pytest
from fake_path import path_without

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "coach", "ui", "scenarios"]
REMOVED_TOOLS = {"java", "javac", "espeak-ng", "espeak", "mvn", "speak-ng"}
FIXTURE = ROOT / "audio_fixtures/answers/oom-us150-clean.flac"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with coach installed from a copy of the checkout (no editable link)."""
    base = tmp_path_factory.mktemp("pip-only")
    source = base / "source"
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # --no-compile: byte-compiling gradio & co. is most of an install's time, and Python
    # compiles what it imports anyway; what is installed is the same.
    result = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q",
                             "--no-compile", str(source)],
                            capture_output=True, text=True, timeout=900, check=False,
                            env=_without_pythonpath())
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.rmtree(source)  # nothing may be read from the copy any more
    return venv


def _without_pythonpath(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def bare_path(tmp_path_factory, installed) -> str:
    """PATH: the venv, then the system's commands except java, espeak-ng and mvn."""
    return path_without(tmp_path_factory.mktemp("tools"), REMOVED_TOOLS,
                        first=[installed / "bin"])


def run_coach(installed: Path, path: str, tmp_path: Path, *args: str, **kwargs):
    env = _without_pythonpath(PATH=path, COACH_DATA_DIR=str(tmp_path / "data"),
                              COACH_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([str(installed / "bin/coach"), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, check=False, **kwargs)


def test_the_install_is_a_copy_with_its_data(installed):
    probe = ("import coach, importlib.resources as r; from coach.settings import scenarios_dir; "
             "print(coach.__file__); print(scenarios_dir()); "
             "print(r.files('coach.ui').joinpath('theme.css').is_file(), "
             "r.files('coach.ui').joinpath('countdown.js').is_file()); "
             "import importlib.util as u; print(u.find_spec('ui'))")
    out = subprocess.run([str(installed / "bin/python"), "-c", probe], capture_output=True,
                         text=True, check=True, cwd="/", env=_without_pythonpath()).stdout
    module, scenarios, assets, top_level_ui = out.splitlines()
    assert module.startswith(str(installed)), module
    assert Path(scenarios).is_relative_to(installed), scenarios
    assert len(list(Path(scenarios).glob("*.toml"))) == len(
        list((ROOT / "scenarios").glob("*.toml"))
    )
    assert assets == "True True"
    assert top_level_ui == "None"  # the app is coach.ui: no top-level `ui` package installed
    site = next(installed.glob("lib/python*/site-packages"))
    assert not (site / "ui").exists()


def test_analyze_without_java_or_espeak(installed, bare_path, tmp_path):
    spoken = tmp_path / "polished.wav"
    result = run_coach(installed, bare_path, tmp_path, "analyze", str(FIXTURE),
                       "--scenario", "oom-silent-restart", "--json",
                       "--speak", str(spoken), "--voice", "piper", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    feedback = json.loads(result.stdout)
    assert feedback["grammar"]["checked"] is True
    assert feedback["grammar"]["engine"] == "Harper (LanguageTool not available)"
    assert "OOMKiller" in feedback["coverage"]["covered"]
    reduced = [line for line in result.stderr.splitlines() if "reduced" in line]
    assert len(reduced) == 1, result.stderr
    assert "grammar checked by Harper" in reduced[0] and "Java is not installed" in reduced[0]
    with wave.open(str(spoken)) as audio:
        assert audio.getnframes() / audio.getframerate() > 10  # the whole polished answer
    assert "piper" in result.stderr


def test_grammar_errors_are_found_without_java(installed, bare_path, tmp_path):
    grammar = ROOT / "audio_fixtures/answers/oom-joe-grammar.flac"
    result = run_coach(installed, bare_path, tmp_path, "analyze", str(grammar),
                       "--scenario", "oom-silent-restart", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)["grammar"]["issues"]
    # "we doesn't" (Harper's rule) and "the OOMKiller have" (coach's noun agreement rule)
    assert {"don't", "has"} <= {issue["suggestion"] for issue in issues}, issues


def test_serve_starts_without_java_or_espeak(installed, bare_path, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _without_pythonpath(PATH=bare_path, COACH_DATA_DIR=str(tmp_path / "data"),
                              COACH_CACHE_DIR=str(tmp_path / "cache"))
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([str(installed / "bin/coach"), "serve", "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        page = _wait_for_page(f"http://127.0.0.1:{port}/", server, timeout=180)
        assert "coach" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Traceback" not in text, text
    assert text.count("coach: reduced here:") == 1, text


def _wait_for_page(url: str, server: subprocess.Popen, timeout: float) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "coach serve stopped"
        try:
            with opener.open(url, timeout=5) as page:
                return page.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"coach serve did not answer within {timeout:.0f} s")
