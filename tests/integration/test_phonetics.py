"""IPA for pronunciation hints: the espeak-ng command, and the espeak-ng library bundled in the
piper-tts wheel (what a pip-only install uses)."""

from __future__ import annotations

import shutil

import pytest

from coach.engines.phonetics import BundledEspeakIpa, EspeakIpa, make_phonemizer

PHRASES = ["O O M killer", "D mesg", "kubelet", "memory dot events", "I O dot max",
           "idempotent", "container runtime", "exit code one three seven", "latency"]


@pytest.fixture(scope="module")
def bundled() -> BundledEspeakIpa:
    return BundledEspeakIpa()


def test_bundled_ipa_has_stress_marks(bundled):
    ipa = bundled(PHRASES)
    assert set(ipa) == set(PHRASES)
    assert all("ˈ" in ipa[p] for p in PHRASES), ipa
    assert "ˌ" in bundled(["Kubernetes"])["Kubernetes"]  # secondary stress is kept too
    assert ipa["D mesg"] == "dˈiː mˈɛsɡ"


def test_bundled_ipa_agrees_with_the_espeak_ng_command(bundled):
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is not installed: apt-get install espeak-ng (make test does).")
    command = EspeakIpa()(PHRASES)
    same = [p for p in PHRASES if bundled([p])[p] == command[p]]
    # both are espeak-ng; versions differ (Debian's 1.51, Piper's newer) on a few words
    assert len(same) >= 0.8 * len(PHRASES), (bundled(PHRASES), command)


def test_bundled_ipa_and_piper_share_the_library(bundled, offline_coach, tmp_path):
    before = bundled(["overlay"])
    offline_coach.speak("The overlay file system was slow.", tmp_path / "p.wav", engine="piper")
    assert BundledEspeakIpa()(["overlay"]) == before


def test_without_the_command_the_bundled_library_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on it
    assert isinstance(make_phonemizer(), BundledEspeakIpa)


def test_with_the_command_it_is_used():
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is not installed: apt-get install espeak-ng (make test does).")
    assert isinstance(make_phonemizer(), EspeakIpa)


def test_hints_get_ipa_without_the_command(monkeypatch, tmp_path, transcriber, fixtures):
    from coach import Coach, Settings
    from coach.audio.decode import load_audio
    from coach.transcript import Transcript

    monkeypatch.setenv("PATH", str(tmp_path))
    coach = Coach(Settings(check_grammar=False), transcriber=transcriber)
    # what the recogniser heard is given, so the hint does not hang on Whisper mishearing a term
    heard = Transcript.from_text("My first guess is the oom killer. Then I run demessage on the "
                                 "node and check memory.max.")
    clip = load_audio(fixtures["oom-us150-clean"].path)
    hints = coach.analyze(clip, "oom-silent-restart", transcript=heard).pronunciation
    assert hints.hints, "this answer gets pronunciation hints (dmesg heard as 'demessage')"
    assert all("ˈ" in hint.ipa for hint in hints.hints), hints


def test_dmesg_has_two_right_forms_with_the_voices_dj_and_the_lexicons_g():
    """The dmesg false alarm on /dʒ/: its scenario's voice says "D message" (/...sɪdʒ/), the
    lexicon and respelling "D mesg" (/...sɡ/); both are expected forms (test_sound_forms)."""
    from coach.analysis.coverage import TermHit
    from coach.analysis.terms import EXACT
    from coach.phonemes import inventory
    from coach.phonemes.answer import spoken_forms
    from coach.scenarios.library import ScenarioLibrary

    scenario = ScenarioLibrary.load().get("oom-silent-restart")
    hit = TermHit("dmesg", "dmesg", 0.0, 0, 1, EXACT)
    forms = spoken_forms(hit, scenario)
    ipa = make_phonemizer()(list(forms))
    ends = [[p.ipa for p in inventory.expected_phonemes(ipa[f])][-1] for f in forms]
    assert ends == ["dʒ", "ɡ"], (forms, ipa)
