"""What a machine lacks, what stands in, and the one line that says so (checks stubbed out)."""

from __future__ import annotations

import io

import pytest

from coach import capabilities
from coach.capabilities import Reduction, report_once, summary


@pytest.fixture
def machine(monkeypatch):
    """A machine whose commands are the set it holds; Harper and Piper installed."""
    commands: set[str] = {"java", "espeak-ng", "apt-get"}
    monkeypatch.setattr(capabilities.shutil, "which",
                        lambda name: f"/usr/bin/{name}" if name in commands else None)
    monkeypatch.setattr(capabilities.sys, "platform", "linux")
    monkeypatch.setattr(capabilities, "harper_installed", lambda: True)
    monkeypatch.setattr(capabilities, "_reported", False)
    java_17 = type("Shown", (), {"stderr": 'openjdk version "17.0.15" 2025-04-15', "stdout": ""})
    monkeypatch.setattr(capabilities.subprocess, "run", lambda *a, **k: java_17)
    return commands


def test_nothing_reduced_says_nothing(machine, monkeypatch):
    monkeypatch.setattr(capabilities, "languagetool_missing", lambda: "")
    assert capabilities.reductions(["grammar", "voice"]) == []
    assert summary([]) == ""


def test_no_java_means_harper_and_how_to_get_languagetool(machine):
    machine.discard("java")
    [reduction] = capabilities.reductions(["grammar"])
    assert reduction.feature == "grammar"
    assert "Harper" in reduction.instead and "Java is not installed" in reduction.instead
    assert "sudo apt-get install -y openjdk-17-jre-headless" in reduction.how


def test_on_macos_the_fix_is_homebrew(machine, monkeypatch):
    machine.difference_update({"java", "apt-get"})
    monkeypatch.setattr(capabilities.sys, "platform", "darwin")
    [reduction] = capabilities.reductions(["grammar"])
    assert "brew install openjdk" in reduction.how


def test_without_harper_either_grammar_is_not_checked(machine, monkeypatch):
    machine.discard("java")
    monkeypatch.setattr(capabilities, "harper_installed", lambda: False)
    [reduction] = capabilities.reductions(["grammar"])
    assert reduction.instead.startswith("not checked")


def test_missing_espeak_voice_falls_back_to_piper(machine):
    machine.discard("espeak-ng")
    assert capabilities.voice_to_use("espeak") == "piper"
    assert capabilities.voice_to_use("piper") == "piper"
    [reduction] = capabilities.reductions(["voice"], voice="espeak")
    assert "Piper reads aloud instead" in str(reduction)
    assert "apt-get install -y espeak-ng" in reduction.how


def test_present_voice_is_kept(machine):
    assert capabilities.voice_to_use("espeak") == "espeak"
    assert capabilities.voice_to_use("festival") == "festival"  # unknown: its own clear error


def test_the_line_names_every_reduction():
    line = summary([Reduction("grammar", "checked by Harper", "install Java"),
                    Reduction("the espeak voice:", "Piper reads aloud instead", "brew install")])
    assert line == ("coach: reduced here: grammar checked by Harper (install Java); "
                    "the espeak voice: Piper reads aloud instead (brew install)")


def test_the_line_is_printed_once(machine):
    machine.discard("java")
    stream = io.StringIO()
    first = report_once(["grammar"], stream=stream)
    second = report_once(["grammar"], stream=stream)
    assert first and second == ""
    assert stream.getvalue() == first + "\n"


@pytest.mark.parametrize("output, major", [
    ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
    ('openjdk version "11.0.22" 2024-01-16', 11),
    ('java version "1.8.0_392"', 8),
    ('openjdk version "21" 2023-09-19', 21),
    ("no version here", None),
])
def test_java_major_reads_every_version_style(output, major):
    assert capabilities.java_major(output) == major


def test_java_older_than_17_is_not_chosen_for_languagetool(machine, monkeypatch):
    shown = type("Shown", (), {"stderr": 'openjdk version "11.0.22" 2024-01-16', "stdout": ""})
    monkeypatch.setattr(capabilities.subprocess, "run", lambda *a, **k: shown)
    assert capabilities.java_problem() == "Java 11 is too old (LanguageTool needs 17+)"
    assert capabilities.languagetool_missing() == "Java 11 is too old (LanguageTool needs 17+)"
    assert capabilities.make_grammar_checker().name == capabilities.HARPER_LABEL


def test_java_17_is_fine(machine, monkeypatch):
    shown = type("Shown", (), {"stderr": 'openjdk version "17.0.15" 2025-04-15', "stdout": ""})
    monkeypatch.setattr(capabilities.subprocess, "run", lambda *a, **k: shown)
    assert capabilities.java_problem() == ""


def test_without_hama_the_sounds_are_not_checked_and_it_says_how_to_get_them(monkeypatch):
    monkeypatch.setattr(capabilities, "hama_installed", lambda: False)
    [reduction] = capabilities.reductions(["sounds"])
    assert "sounds of key terms" in reduction.feature and "not checked" in reduction.instead
    assert reduction.how == "pip install hama==1.7.0"
    monkeypatch.setattr(capabilities, "hama_installed", lambda: True)
    assert capabilities.reductions(["sounds"]) == []
