"""Key terms found with evidence: glued words, near spellings, partial terms, and no false credit.

Tables of (transcript, term, expected): "credit" with its evidence kind, "miss", or a miss with
the partial hint.
"""

from __future__ import annotations

import pytest

from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.polish import polish_answer
from coach.analysis.score_rules import KEY_TERMS
from coach.grammar.report import not_checked
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript, Word

IOMAX = KeyTerm("io.max", ("I/O max", "IO max"), say_as="I O max",
                clause="I'd read the container's io.max for byte caps")
RETRYABLE = KeyTerm("retryable errors", ("retriable errors",))
EXIT = KeyTerm("exit code 137", ("137", "one thirty seven"), say_as="exit code one three seven",
               clause="the container exited with code 137")
DMESG = KeyTerm("dmesg", (), say_as="D mesg")
IDEMPOTENT = KeyTerm("idempotent", ("idempotency",))
IO2 = KeyTerm("io2", ("io two",))
TAGGING = KeyTerm("tagging", ("tags",))
JITTER = KeyTerm("backoff with jitter", ("jittered backoff",))
CGROUP = KeyTerm("cgroup v2", ("cgroup version 2",), say_as="C group v two")
PERF = KeyTerm("perf")
LIKELY = KeyTerm("likely cause")
LEAK = KeyTerm("mount leak", ("leaked mount",))


def scenario(*terms: KeyTerm) -> Scenario:
    return Scenario(id="t", title="T", kind="opening", time_limit_s=30,
                    prompt="Writes are slow in a container; the pod restarts.", key_terms=terms)


def words(text: str, unsure: tuple[str, ...] = ()) -> Transcript:
    """Evenly timed words; those in `unsure` with a low probability, as Whisper gives them."""
    return Transcript(tuple(Word(t, i * 0.4, i * 0.4 + 0.3, 0.4 if t.strip(".,") in unsure
                                 else 0.95) for i, t in enumerate(text.split())),
                      len(text.split()) * 0.4)


@pytest.mark.parametrize("text, term, evidence, heard", [
    ("I'd readio.max for the caps.", IOMAX, "glued", "readio.max"),
    ("then cio.max shows the cap.", IOMAX, "glued", "cio.max"),
    ("I would rundmesg on the node.", DMESG, "glued", "rundmesg"),
    # an article glued onto a multi-word term's first word ("a mount leak" heard "amount leak")
    ("my guess is amount leak here.", LEAK, "glued", "amount leak"),
    ("I'd check it co.max for caps.", IOMAX, "near spelling", "co.max"),
    ("we only retry retreable errors here.", RETRYABLE, "near spelling", "retreable errors"),
    ("make the handler idempotant first.", IDEMPOTENT, "near spelling", "idempotant"),
    ("I'd read io.max for the caps.", IOMAX, "exact", "io.max"),
    ("I.d read the IO max file.", IOMAX, "exact", "IO max"),  # the same spelling key
    ("we need jittered backoff.", JITTER, "alias", "jittered backoff."),
    ("it exited with 137.", EXIT, "alias", "137."),
])
def test_credited_with_evidence(text, term, evidence, heard):
    transcript = words(text, unsure=("idempotant",))
    report = analyze_coverage(transcript, scenario(term))
    assert [(h.term, h.evidence, h.said_as) for h in report.covered] == [
        (term.term, evidence, heard)]
    assert report.missing == () and report.heard_as == ()


@pytest.mark.parametrize("text, term", [
    # ordinary words that end with, or sit near, a term's spelling are never credited
    ("the ratio max is fine.", IOMAX),
    ("check video.max for the device.", IOMAX),
    ("the radio was loud.", IOMAX),
    ("compare memory.max first.", IOMAX),  # another file, not a misspelling
    ("compare io.weight first.", IOMAX),
    ("we use io1 volumes.", IO2),  # digits are never near spellings
    ("it looks like a disk problem.", LIKELY),
    ("I'd like to check the disk.", LIKELY),
    ("it was tugging at the cable.", TAGGING),  # sure of an ordinary word: no near credit
    ("run per first.", PERF),
    ("superf is not a tool.", PERF),
    ("the undmesg tool.", DMESG),  # "un" is not a word glued onto a command
    ("we back off a bit with jitter.", JITTER),
    ("the amount leaked fast.", LEAK),  # the term's other words must follow as said
    ("the amount of leak is small.", LEAK),
    ("paramount leak.", LEAK),  # "para" is not a word glued on
])
def test_traps_are_never_credited(text, term):
    report = analyze_coverage(words(text), scenario(term))
    assert report.covered == ()


@pytest.mark.parametrize("text, term, hint", [
    ("check the exit code with kubectl describe pod.", EXIT,
     "you said 'exit code' but not '137'"),
    ("look at the exit code first.", EXIT, "you said 'exit code' but not '137'"),
])
def test_partial_term_is_a_miss_with_a_hint(text, term, hint):
    transcript = words(text, unsure=tuple(text.split()))
    report = analyze_coverage(transcript, scenario(term))
    assert report.covered == () and report.heard_as == ()
    assert report.missing == (term.term,)
    assert report.partial_hint(term.term) == hint
    assert report.ratio == 0


def test_part_of_a_term_is_never_heard_as_it():
    report = analyze_coverage(words("we run cgroup here.", unsure=("cgroup",)), scenario(CGROUP))
    assert report.heard_as == () and report.missing == ("cgroup v2",)


def test_advice_for_a_partial_never_says_say_it_clearly():
    text = "check the exit code with kubectl describe pod."
    report = analyze_coverage(words(text, unsure=tuple(text.split())), scenario(EXIT))

    class Answer:
        coverage = report

    advice = KEY_TERMS.advice(Answer())
    assert "clearly" not in advice
    assert "exit code 137 (you said 'exit code' but not '137')" in advice


def test_polished_answer_never_puts_the_unsaid_part_in_the_speakers_words():
    text = "I would check the exit code with kubectl describe pod."
    transcript = words(text, unsure=tuple(text.split()))
    sc = scenario(EXIT)
    report = analyze_coverage(transcript, sc)
    polished = polish_answer(transcript, sc, analyze_fillers(transcript, 0.5), report,
                             not_checked("none", "off"))
    own = [s for s in polished.text.split(". ") if "kubectl" in s]
    assert own and "137" not in own[0] and "exit code" in own[0]


def test_a_glued_multi_word_term_keeps_its_article_in_the_polished_answer():
    from coach.analysis.cleanup import _unglued

    assert _unglued("amount leak", "mount leak", scenario(LEAK)) == ("a", "mount leak")


def test_glued_term_is_written_apart_in_the_polished_answer():
    transcript = words("I'd readio.max for the caps.")
    sc = scenario(IOMAX)
    polished = polish_answer(transcript, sc, analyze_fillers(transcript, 0.5),
                             analyze_coverage(transcript, sc), not_checked("none", "off"))
    assert "read io.max" in polished.text


def test_the_app_shows_how_a_credited_term_was_heard_and_what_a_partial_left_out():
    from types import SimpleNamespace

    from coach.ui.render_html import _terms_card

    sc = scenario(IOMAX, EXIT)
    report = analyze_coverage(words("I'd readio.max and check the exit code first."), sc)
    structure = SimpleNamespace(present=(), expected=(), order_ok=True)
    card = _terms_card(SimpleNamespace(coverage=report,
                                       polished=SimpleNamespace(structure=structure)))
    assert "heard as “readio.max”" in card
    assert "you said &#x27;exit code&#x27; but not &#x27;137&#x27;" in card


def test_coverage_with_evidence_and_partials_round_trips():
    from coach.analysis.coverage import CoverageReport

    sc = scenario(IOMAX, EXIT)
    report = analyze_coverage(words("I'd readio.max and check the exit code first."), sc)
    assert CoverageReport.from_dict(report.to_dict()) == report
    old = report.to_dict()
    del old["partial"]
    for hit in old["hits"]:
        del hit["evidence"]
    assert CoverageReport.from_dict(old).covered[0].evidence == "exact"  # older records
