"""scripts/setup_system.sh and the Makefile's set-up on machines other than this one.

The script is run by the real bash with a PATH where some commands are missing (no apt-get and
dpkg-query, as on macOS) and others are stand-ins that record how they were called (`brew`,
`apt-get`, `dpkg-query`, `id`). Whatever is missing, it must end with a plain message, never a
shell error half-way.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from fake_path import path_without

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts/setup_system.sh"
SYSTEM_TOOLS = {"java", "javac", "mvn", "espeak-ng", "espeak", "chromium", "brew"}
PACKAGE_MANAGERS = {"apt-get", "apt", "dpkg-query", "dpkg"}
SHELL_ERROR = re.compile(r"line \d+:|command not found|unbound variable|syntax error")


def fake(folder: Path, name: str, body: str) -> None:
    script = folder / name
    script.write_text(f'#!/bin/bash\necho "{name} $*" >> "$FAKE_LOG"\n{body}\n')
    script.chmod(0o755)


def run_setup(tmp_path: Path, purpose: str, fakes: dict[str, str], removed: set[str]):
    stand_ins = tmp_path / "fakes"
    stand_ins.mkdir()
    for name, body in fakes.items():
        fake(stand_ins, name, body)
    path = path_without(tmp_path / "system", removed | set(fakes), first=[stand_ins])
    log = tmp_path / "calls.log"
    log.touch()
    result = subprocess.run(["bash", str(SCRIPT), purpose], capture_output=True, text=True,
                            env={"PATH": path, "FAKE_LOG": str(log), "HOME": str(tmp_path)},
                            timeout=60, check=False)
    assert not SHELL_ERROR.search(result.stderr), result.stderr
    return result, log.read_text().splitlines()


# --- macOS: Homebrew, no apt ---------------------------------------------------------------
def test_brew_installs_what_is_missing(tmp_path):
    brew = 'case "$1" in list) exit 1 ;; install) exit 0 ;; esac'
    result, calls = run_setup(tmp_path, "run", {"brew": brew}, SYSTEM_TOOLS | PACKAGE_MANAGERS)
    assert result.returncode == 0, result.stderr
    assert "brew install espeak-ng openjdk maven" in calls
    assert not any(call.startswith(("apt-get", "dpkg")) for call in calls)


def test_brew_installs_nothing_when_everything_is_there(tmp_path):
    result, calls = run_setup(tmp_path, "run", {"brew": "exit 0"},
                              SYSTEM_TOOLS | PACKAGE_MANAGERS)
    assert result.returncode == 0, result.stderr
    assert [c for c in calls if c.startswith("brew install")] == []
    assert "brew list --formula espeak-ng" in calls


@pytest.mark.parametrize(("purpose", "code"), [("run", 0), ("test", 1)])
def test_failed_brew_install_is_told_not_crashed(tmp_path, purpose, code):
    brew = 'case "$1" in list) exit 1 ;; install) echo "Error: no network" >&2; exit 1 ;; esac'
    result, _ = run_setup(tmp_path, purpose, {"brew": brew}, SYSTEM_TOOLS | PACKAGE_MANAGERS)
    assert result.returncode == code
    assert "brew install espeak-ng openjdk maven failed" in result.stderr


# --- neither apt nor brew ----------------------------------------------------------------
@pytest.mark.parametrize(("purpose", "code"), [("run", 0), ("test", 1)])
def test_without_a_package_manager_it_says_what_is_missing(tmp_path, purpose, code):
    result, calls = run_setup(tmp_path, purpose, {}, SYSTEM_TOOLS | PACKAGE_MANAGERS)
    assert result.returncode == code
    for needed in ("espeak-ng", "Java 17+", "Maven", "Homebrew"):
        assert needed in result.stderr
    assert ("chromium" in result.stderr) == (purpose == "test")
    assert calls == []


# --- Debian --------------------------------------------------------------------------------
NOT_INSTALLED = "exit 1"
INSTALLED = "printf 'install ok installed'"


@pytest.mark.parametrize(("purpose", "code"), [("run", 0), ("test", 1)])
def test_debian_without_root_prints_the_apt_command(tmp_path, purpose, code):
    fakes = {"dpkg-query": NOT_INSTALLED, "apt-get": "exit 0", "id": "echo 1000"}
    result, calls = run_setup(tmp_path, purpose, fakes, SYSTEM_TOOLS)
    assert result.returncode == code
    assert "sudo apt-get update && sudo apt-get install -y espeak-ng libespeak-ng1" in (
        result.stderr)
    assert not any(call.startswith("apt-get") for call in calls)


def test_debian_as_root_installs_only_what_is_missing(tmp_path):
    dpkg = f'[ "$3" = libespeak-ng1 ] && {NOT_INSTALLED}; {INSTALLED}'
    fakes = {"dpkg-query": dpkg, "apt-get": "exit 0", "id": "echo 0"}
    result, calls = run_setup(tmp_path, "run", fakes, SYSTEM_TOOLS - {"java", "mvn"})
    assert result.returncode == 0, result.stderr
    installs = [c for c in calls if c.startswith("apt-get install")]
    assert installs == ["apt-get install -y -qq --no-install-recommends libespeak-ng1"]


def test_debian_with_everything_installed_does_nothing(tmp_path):
    fakes = {"dpkg-query": INSTALLED, "apt-get": "exit 0", "id": "echo 0"}
    result, calls = run_setup(tmp_path, "test", fakes, {"brew"})
    assert result.returncode == 0, result.stderr
    assert [c for c in calls if c.startswith("apt-get")] == []
    assert result.stdout == result.stderr == ""


# --- make run goes on without LanguageTool; make test does not ----------------------------
@pytest.mark.parametrize(("target", "ok"), [("languagetool-if-possible", True),
                                            ("languagetool", False)])
def test_make_languagetool_without_java(tmp_path, target, ok):
    path = path_without(tmp_path / "system", SYSTEM_TOOLS)
    env = {**os.environ, "PATH": path, "COACH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("COACH_SKIP_LANGUAGETOOL", None)
    result = subprocess.run(["make", "-s", "-C", str(ROOT), target], capture_output=True,
                            text=True, env=env, timeout=60, check=False)
    assert (result.returncode == 0) == ok, result.stderr
    assert "java mvn not found" in result.stderr
    if ok:
        assert "grammar will be checked by Harper" in result.stdout
