"""The Java-free grammar engine against the REAL Harper library (harper-py), through the same
spoken-language filter as LanguageTool."""

from __future__ import annotations

import threading

import pytest

from coach.grammar.harper import KIND_CATEGORIES, HarperChecker
from coach.grammar.spoken_filter import DROPPED_CATEGORIES, filter_spoken_issues

# LanguageTool's category ids that the filter knows, kept or dropped
LANGUAGETOOL_CATEGORIES = {"GRAMMAR", "TYPOS", "CONFUSED_WORDS", "MISC", *DROPPED_CATEGORIES}


@pytest.fixture(scope="module")
def checker() -> HarperChecker:
    engine = HarperChecker()
    try:
        engine.check("warm up")
    except Exception as error:  # noqa: BLE001 - fail with how to install it
        pytest.fail(f"Harper cannot run: {error}. Install it: pip install harper-py "
                    "(make test does).")
    return engine


def spoken(checker: HarperChecker, text: str, accepted=()) -> list:
    return filter_spoken_issues(checker.check(text).issues, text, accepted)


@pytest.mark.parametrize(("text", "flagged", "suggestion"), [
    ("we was checking the logs on the node", "was", "were"),
    ("after the deploy the pods was restarting", "was", "were"),
    ("I has a theory about the memory limit", "has", "have"),
    ("the container were restarting every few minutes", "were", "was"),
    ("the node have no memory left", "have", "has"),
    ("we doesn't see any logs", "doesn't", "don't"),
    ("it is an container runtime problem", "an", "a"),
])
def test_spoken_errors_are_flagged(checker, text, flagged, suggestion):
    issues = spoken(checker, text)
    assert [(i.text, i.replacements[0]) for i in issues] == [(flagged, suggestion)], issues
    assert text[issues[0].start:issues[0].end] == flagged


@pytest.mark.parametrize("text", [
    "The kernel killed the process because it crossed the memory limit.",
    ("My first hypothesis is that the OOMKiller ended the process, so I would check dmesg and "
    "memory.events, then compare memory.max with the real peak usage in cgroup v2."),
    "so um I think the the kernel killed it, you know, basically",  # fillers: not grammar
    "i would check kubectl describe pod and look at the events",  # case: not spoken
    "The p99 latency went from 20 ms to 200 ms after the rollout.",
])
def test_clean_spoken_sentence_gives_nothing_after_the_filter(checker, text):
    assert spoken(checker, text, ["OOMKiller", "memory.events", "memory.max"]) == []


def test_categories_are_languagetools(checker):
    text = "So um we was checking the the logs. i has an container, it's config is wrong"
    issues = checker.check(text).issues
    assert {i.rule_id for i in issues} >= {"FillerWords", "PronounInflectionBe"}
    assert {i.category for i in issues} <= LANGUAGETOOL_CATEGORIES
    assert set(KIND_CATEGORIES.values()) <= LANGUAGETOOL_CATEGORIES
    for issue in issues:
        assert text[issue.start:issue.end] == issue.text


def test_offsets_are_python_offsets_after_an_emoji(checker):
    text = "🙂 we was late"
    [issue] = [i for i in checker.check(text).issues if i.text == "was"]
    assert text[issue.start:issue.end] == "was"


def test_key_terms_are_nouns_for_agreement(checker):
    text = "the OOMKiller have killed the process"
    assert [i.text for i in spoken(checker, text, ["OOMKiller"])] == ["have"]


def test_one_linter_is_shared_safely_by_threads(checker):
    failures = []

    def check_many():
        try:
            for _ in range(20):
                assert [i.text for i in checker.check("we was there").issues] == ["was"]
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            failures.append(error)

    threads = [threading.Thread(target=check_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_empty_text_is_not_checked(checker):
    assert checker.check("   ").issues == ()


def test_coach_labels_harper_when_languagetool_cannot_run(monkeypatch):
    from coach import Coach, capabilities

    monkeypatch.setattr(capabilities, "java_problem", lambda: "Java is not installed")
    grammar = Coach().grammar
    assert isinstance(grammar, HarperChecker)
    assert grammar.name == "Harper (LanguageTool not available)"


def test_feedback_from_a_recording_is_labelled_harper(transcriber, fixtures):
    from coach import Coach, Settings

    coach = Coach(Settings(), transcriber=transcriber,
                  grammar=HarperChecker(name="Harper (LanguageTool not available)"))
    feedback = coach.analyze(fixtures["oom-joe-grammar"].path, "oom-silent-restart")
    grammar = feedback.to_dict()["grammar"]
    assert grammar["checked"] and grammar["engine"] == "Harper (LanguageTool not available)"
    assert {"don't", "has"} <= {issue["suggestion"] for issue in grammar["issues"]}
