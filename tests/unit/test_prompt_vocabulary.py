"""The recogniser's prompt: key terms first, then the scenario's jargon, within a token budget."""

from __future__ import annotations

import pytest

from coach.engines.transcriber import PROMPT_TOKENS, DecodingOptions, build_prompt
from coach.scenarios import FollowUp, KeyTerm, Scenario
from coach.scenarios.library import ScenarioLibrary
from coach.scenarios.vocabulary import is_jargon, key_terms_of, prompt_vocabulary


@pytest.mark.parametrize("word, wanted", [
    ("io.max", True), ("kubectl", True), ("OOMKilled", True), ("p95", True),
    ("resolv.conf", True), ("usage_usec", True), ("dmesg", True), ("strace", True),
    ("40", False), ("5%", False), ("1.5x", False), ("container", False), ("The", False),
    ("a", False),
])
def test_what_counts_as_jargon(word, wanted):
    assert is_jargon(word) is wanted


def test_key_terms_first_then_jargon_from_every_part_of_the_scenario():
    sc = Scenario(
        id="t", title="T", kind="opening", time_limit_s=30,
        prompt="The pod restarts; kubectl describe pod says OOMKilled.",
        context="Check memory.max, e.g. with cat, at 9 a.m. on 40 nodes.",
        reference_answer="I'd run dmesg and read the cgroup v2 files.",
        follow_ups=(FollowUp("What does listScans(ctx) return?"),),
        key_terms=(KeyTerm("exit code 137"), KeyTerm("cgroup v2")))
    assert prompt_vocabulary(sc) == ("exit code 137", "cgroup v2", "kubectl", "OOMKilled",
                                     "memory.max", "dmesg", "listScans", "ctx")


def test_prompt_stays_within_its_budget_key_terms_first():
    words = [f"term{i}.conf" for i in range(200)]
    prompt = build_prompt(words, DecodingOptions(), lambda text: len(text.split()))
    assert prompt is not None and len(prompt.split()) <= PROMPT_TOKENS
    assert "term0.conf, term1.conf" in prompt and "term199.conf" not in prompt


def test_every_shipped_scenario_prompt_fits_by_the_conservative_estimate():
    for sc in ScenarioLibrary.load():
        prompt = build_prompt(prompt_vocabulary(sc), DecodingOptions())
        assert prompt and len(prompt) // 2 <= PROMPT_TOKENS
        assert all(t.term in prompt for t in sc.key_terms), sc.id


def test_the_shipped_prompt_names_the_key_terms_only():
    """Jargon in the prompt was measured and did not help (coach.scenarios.vocabulary)."""
    sc = ScenarioLibrary.load().get("oom-silent-restart")
    assert key_terms_of(sc) == tuple(t.term for t in sc.key_terms)
    assert prompt_vocabulary(sc)[: len(sc.key_terms)] == key_terms_of(sc)
