"""Key-term coverage: spelling-insensitive matching, heard-as, and no false credit."""

from __future__ import annotations

import pytest

from coach.analysis.coverage import analyze_coverage, sound_similarity
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word


def scenario(*terms: KeyTerm) -> Scenario:
    return Scenario(id="t", title="T", kind="opening", time_limit_s=30, prompt="?",
                    key_terms=terms)


OOM = KeyTerm("OOMKiller", ("OOM killer", "out of memory killer"))
IOMAX = KeyTerm("io.max", ("I/O max", "IO max"), say_as="I O dot max",
                clause="I'd read the device limit in io.max")
DMESG = KeyTerm("dmesg", (), say_as="D mesg", clause="I'd read dmesg on the node for the kill")
JITTER = KeyTerm("backoff with jitter", ("back off with jitter", "jittered backoff"))
EXIT = KeyTerm("exit code 137", ("137",))
CGROUP = KeyTerm("cgroup v2", ("cgroup version 2", "C group v2"))


@pytest.mark.parametrize("said, term", [
    ("the OOMKiller fired", OOM),
    ("the OOM-killer fired", OOM),
    ("the oom killer fired", OOM),
    ("the O O M killer fired", OOM),
    ("the Out of memory killer fired", OOM),
    ("check io.max first", IOMAX),
    ("check I/O max first", IOMAX),
    ("check io dot max first", IOMAX),
    ("check IO.MAX, first", IOMAX),
    ("we need back-off with jitter here", JITTER),
    ("we need backoff with jitter.", JITTER),
    ("it exited with 137", EXIT),
    ("it is C-group v2", CGROUP),
    ("on cgroup version 2", CGROUP),
])
def test_term_found_whatever_the_spelling(said, term):
    report = analyze_coverage(Transcript.from_text(said), scenario(term))
    assert [h.term for h in report.covered] == [term.term]
    assert report.missing == ()


@pytest.mark.parametrize("said, term", [
    ("we should kill the process", OOM),
    ("the io is at max", IOMAX),  # words in another order are not the term
    ("we back off a bit", JITTER),
    ("the container restarted", EXIT),
    ("the group version changed", CGROUP),
])
def test_no_credit_for_what_was_not_said(said, term):
    report = analyze_coverage(Transcript.from_text(said), scenario(term))
    assert report.covered == ()


def unsure(text: str, probability: float = 0.3) -> Transcript:
    words = [Word(t, i * 0.4, i * 0.4 + 0.3, probability) for i, t in enumerate(text.split())]
    return Transcript(tuple(words), len(words) * 0.4)


@pytest.mark.parametrize("said, term, heard", [
    ("I would run the mess on the node first", DMESG, "the mess"),
    ("check video.max for the device", IOMAX, None),
    ("check the I O Macs setting of the device", IOMAX, "I O Macs"),
    ("I would run per first", KeyTerm("perf"), None),  # short terms need a near-exact sound
    # the term must fit its sentence: nothing in "the weather" is about a device limit
    ("the weather is nice and I O Macs are great", IOMAX, None),
])
def test_heard_as_for_misheard_terms(said, term, heard):
    report = analyze_coverage(unsure(said), scenario(term))
    if heard is None:
        assert report.heard_as == () and report.missing == (term.term,)
    else:
        assert [(h.term, h.heard) for h in report.heard_as] == [(term.term, heard)]
        assert report.missing == ()
        assert report.ratio == pytest.approx(0.5)


def test_heard_as_needs_low_confidence_unless_very_close():
    confident = analyze_coverage(unsure("I would run the mess on the node first", 0.95),
                                 scenario(DMESG))
    assert confident.heard_as == ()


def test_first_term_time_and_ratio():
    transcript = Transcript.from_text("so first I check dmesg then the OOM killer",
                                      words_per_second=2)
    report = analyze_coverage(transcript, scenario(OOM, DMESG, IOMAX))
    assert report.first_term_at_s == pytest.approx(2.0)
    assert report.ratio == pytest.approx(2 / 3)
    assert report.missing == ("io.max",)


@pytest.mark.parametrize("a, b, low, high", [
    ("dmesg", "the mess", 0.7, 1.0),
    ("memory dot events", "memory not events", 0.85, 1.0),
    ("tmpfs", "temp FS", 0.9, 1.0),
    ("iowait", "I", 0.0, 0.5),
    ("dmesg", "message", 0.0, 0.6),
])
def test_sound_similarity(a, b, low, high):
    assert low <= sound_similarity(a, b) <= high


@pytest.mark.parametrize("said", ["check memory not max", "check memory that max",
                                  "check memory dot max", "check memory.max"])
def test_a_spoken_dot_written_as_not_or_that(said):
    term = KeyTerm("memory.max")
    report = analyze_coverage(Transcript.from_text(said), scenario(term))
    assert [h.term for h in report.covered] == ["memory.max"]


def test_heard_as_compares_sounds_not_alternative_phrasings():
    budget = KeyTerm("retry budget", ("retry quota",))
    report = analyze_coverage(unsure("we retrack the calls"), scenario(budget))
    assert report.heard_as == () and report.missing == ("retry budget",)


THROTTLING = KeyTerm("throttling", ("throttled",),
                     clause="I suspect throttling by an IO limit, not a busy disk")


@pytest.mark.parametrize("said, heard", [
    # th-stopping ("th" said as "d"/"t", as in many accents), the r of "thr" kept or not:
    # the sentence names another key term of the scenario, so it is about the scenario
    ("I think this is drottling from cgroup v2.", "drottling"),
    ("I think this is rottling from cgroup.", "rottling"),
    ("it is trottling, the io.max limit.", "trottling"),
    # another key term nowhere in the sentence, nor the term's own topic: no credit
    ("I think this is drottling from the start.", None),
])
def test_heard_as_in_a_sentence_naming_another_key_term(said, heard):
    report = analyze_coverage(unsure(said, 0.5), scenario(THROTTLING, CGROUP, IOMAX))
    assert [(h.term, h.heard) for h in report.heard_as] == (
        [("throttling", heard)] if heard else [])
    assert "cgroup v2" not in report.said or "v2" in said  # "cgroup." alone is not the term


BUDGET = KeyTerm("retry budget", ("retry quota",), clause="a retry budget keeps an outage small")


@pytest.mark.parametrize("said, credited", [
    # "retry" said as itself is no evidence that "budget" was: the rest must sound alike
    ("all the clients retry to get up and make the outage worse.", False),
    ("we need a retry budgit so the outage stays small.", True),
    ("we need a retry budge it so the outage stays small.", True),
    ("we need a reach my budget so the outage stays small.", False),
])
def test_heard_as_a_multi_word_term_needs_its_misheard_words_to_sound_alike(said, credited):
    report = analyze_coverage(unsure(said, 0.45), scenario(BUDGET))
    assert ("retry budget" in report.said) is credited
