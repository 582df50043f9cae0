"""coach's noun agreement rules for the Harper engine: a table of spoken sentences."""

from __future__ import annotations

import pytest

from coach.grammar.harper_agreement import agreement_issues

FLAGGED = [
    # (sentence, flagged word, correction)
    ("The container were restarting every few minutes.", "were", "was"),
    ("Then the main disk were full.", "were", "was"),
    ("The pod was killed because the memory were exhausted.", "were", "was"),
    ("I think the problem are in OverlayFS.", "are", "is"),
    ("the limit are too low", "are", "is"),
    ("We saw that the packets was dropped by iptables.", "was", "were"),
    ("After the deploy the pods was crashing.", "was", "were"),
    ("the pods was restarting", "was", "were"),
    ("The writes is very slow", "is", "are"),
    ("all the nodes has the same kernel", "has", "have"),
    ("The node have no memory left.", "have", "has"),
    ("The pod have been evicted.", "have", "has"),
    ("Maybe the load come from a container.", "come", "comes"),
    ("Then the node become unhealthy.", "become", "becomes"),
    ("the failing pods was evicted first", "was", "were"),
    ("my hypothesis is that the OOMKiller have killed it", "have", "has"),
]

CLEAN = [
    "The pods on the node were evicted.",
    "The logs of the pod were rotated.",
    "The node and the pod were restarted.",
    "If the container were restarted, the data would be lost.",
    "I wish the disk were faster.",
    "What the hell were you doing?",
    "The team were happy.",
    "The container logs were full.",
    "By the time we were done, the node was back.",
    "One of the nodes was down.",
    "Each of the pods was restarted.",
    "The number of requests was high.",
    "The memory usage of the pods was high.",
    "The data was lost.",
    "The news was bad.",
    "The status was green.",
    "The process was dead.",
    "The DNS was slow.",
    "The ops team was paged.",
    "The reason the writes were slow was the disk.",
    "The time the pods were down was short.",
    "We watched the node come back.",
    "Let the pod come up first.",
    "Did the node have enough memory?",
    "The pods come back quickly.",
    "The memory limit was too low.",
    "The load balancer health check failed.",
    "the jobs that run are retried",
    "the pods that crashed were rescheduled",
    "callers that failed together don't all come back at once",
    "Done lets the send give up as soon as the request is cancelled",
    "the analysis was wrong",
    "the node, pods were fine",  # punctuation between: not one noun phrase
]


@pytest.mark.parametrize(("text", "flagged", "correction"), FLAGGED)
def test_disagreeing_verb_is_flagged_with_its_correction(text, flagged, correction):
    issues = agreement_issues(text, known_nouns={"oomkiller"})
    assert [(i.text, i.replacements) for i in issues] == [(flagged, (correction,))]
    issue = issues[0]
    assert text[issue.start:issue.end] == flagged
    assert issue.category == "GRAMMAR" and issue.rule_id.startswith("COACH_")


@pytest.mark.parametrize("text", CLEAN)
def test_agreeing_or_ambiguous_sentence_is_not_flagged(text):
    assert agreement_issues(text) == []


def test_a_name_is_a_noun_only_when_known():
    text = "the OOMKiller have killed it"
    assert agreement_issues(text) == []
    assert [i.text for i in agreement_issues(text, known_nouns={"oomkiller"})] == ["have"]


def test_capitalised_verb_keeps_its_capital():
    [issue] = agreement_issues("First the pods. Then the pods Was evicted.")
    assert issue.replacements == ("Were",)
