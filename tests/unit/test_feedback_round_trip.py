"""Every report reads back what its `to_dict` wrote, over real analyses of varied answers.

`X.from_dict(x.to_dict())` is `x` to the precision the record keeps (times to 1/100 s, pace
and scores to whole numbers...: each number kept is the original rounded), and exactly `x`
once rounded; `from_dict` then `to_dict` gives the same dict back, derived keys included.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from coach.audio.voice_activity import Interval
from coach.feedback import Feedback, build_feedback
from coach.grammar import GrammarIssue, place_issues
from coach.scenarios.library import ScenarioLibrary
from coach.transcript import Transcript, Word

SCENARIO = ScenarioLibrary.load().get("oom-silent-restart")  # clauses, model answer, follow-ups
UNSURE = {"mask": 0.3, "unkill": 0.2, "QMac": 0.3, "starts": 0.25}  # as Whisper might hear them
PAUSE_S = 1.3
# (first stretch of speech, second stretch after a pause, misspelt words the checker flags)
OVER_TIME = ("I think the container starts and then it restarts again, and we see it in the "
             "dashboard every hour, which is odd because nothing changed. ") * 3
CHECKS = ("I would check the logs and the events of the pod, and then I would look at the "
          "graphs of memory and CPU for the node. ") * 3
ANSWERS = [
    (("Um so my first guess is, you know, the OOMKiller. I check, I checked the the mask on "
      "the node."),
     ("Uh, the unkill counter in memory.events goes up and I'd run QMac to describe it. To "
      "mitigate, I raise the limit."), ("QMac",)),
    ("My first hypothesis is that the OOMKiller stops the container at its memory limit.",
     ("Exit code 137 would confirm it, and dmesg on the node shows the kill. I compare "
      "memory.max with the peak and read the oom_kill counter in memory.events. To mitigate, "
      "I raise the limit and look for the leak."), ()),
    ("Okay, so.", "Um.", ()),
    ("Last week we moved our team to a new office.",
     "The coffee is better and the desks are bigger, which basically everyone likes.", ()),
    (OVER_TIME.strip(), CHECKS.strip(), ()),
]


def transcript(first: str, second: str) -> Transcript:
    head = Transcript.from_text(first, words_per_second=2.5)
    tail = Transcript.from_text(second, words_per_second=2.5, start=head.duration_s + PAUSE_S)
    words = tuple(Word(w.text, w.start, w.end, UNSURE.get(w.text.strip(",."), 0.97))
                  for w in head.words + tail.words)
    return Transcript(words, tail.duration_s + 0.5, "test-model", ("a note",))


def analysed(first: str, second: str, misspelt: tuple[str, ...]) -> Feedback:
    said = transcript(first, second)
    text = said.text
    issues = [GrammarIssue(text.index(w), text.index(w) + len(w), w,
                           "Possible spelling mistake.", ("Mac",), "MORFOLOGIK_RULE_EN_US",
                           "TYPOS") for w in misspelt]
    if "I check," in text:
        at = text.index("I check,")
        issues.append(GrammarIssue(at, at + 7, "I check", "Use the past.", ("I checked",),
                                   "TENSE", "GRAMMAR"))
    grammar = place_issues(said, issues, "test")
    speech = (Interval(said.words[0].start, said.words[len(first.split()) - 1].end),
              Interval(said.words[len(first.split())].start, said.words[-1].end))
    return build_feedback(said, SCENARIO, grammar, speech=speech, audio_path="/r/a.wav",
                          phonemize=lambda words: {w: "ˈmɛm.ə.ɹi" for w in words})


def as_kept(data: dict) -> dict:
    return json.loads(json.dumps(data))  # as the history keeps it


def assert_kept(original, back, path: str = "") -> None:
    """`back` is `original` with each number rounded as the record keeps it."""
    if dataclasses.is_dataclass(original):
        assert type(back) is type(original), path
        for field in dataclasses.fields(original):
            assert_kept(getattr(original, field.name), getattr(back, field.name),
                        f"{path}.{field.name}")
    elif isinstance(original, (tuple, list)):
        assert len(back) == len(original), path
        for n, (a, b) in enumerate(zip(original, back, strict=True)):
            assert_kept(a, b, f"{path}[{n}]")
    elif isinstance(original, dict):
        assert back.keys() == original.keys(), path
        for key in original:
            assert_kept(original[key], back[key], f"{path}[{key!r}]")
    elif isinstance(original, float):
        assert any(back == round(original, digits) for digits in range(4)), \
            f"{path}: {original} was kept as {back}"
    else:
        assert back == original, path


@pytest.fixture(params=range(len(ANSWERS)), ids=["findings", "clean", "too-short",
                                                  "off-topic", "over-time"])
def feedback(request) -> Feedback:
    return analysed(*ANSWERS[request.param])


def test_the_answers_exercise_every_report():
    """Each answer is there for something: together they fill every field worth reading."""
    everything = [analysed(*answer) for answer in ANSWERS]
    assert any(f.fillers.repetitions and f.fillers.items for f in everything)
    assert any(f.coverage.heard_as for f in everything)
    assert any(f.grammar.issues for f in everything)
    assert {w.reason for f in everything for w in f.unclear.words} == {"unsure", "unknown"}
    assert any(f.pauses.pauses for f in everything) and any(f.pronunciation.hints
                                                              for f in everything)
    assert any(f.polished.added_terms for f in everything)
    assert any(f.polished.left_out or f.polished.could_cut for f in everything)
    assert any(not f.judged for f in everything) and any(f.judged for f in everything)
    assert any(f.polished.words for f in everything) and everything[0].model_answer.words


REPORTS = ("transcript", "timing", "pauses", "fillers", "coverage", "grammar",
           "pronunciation", "polished", "score", "unclear", "model_answer")


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_reads_back_what_it_wrote(feedback, name):
    report = getattr(feedback, name)
    kept = as_kept(report.to_dict())
    back = type(report).from_dict(kept)
    assert_kept(report, back, name)
    assert back.to_dict() == kept
    assert type(report).from_dict(as_kept(back.to_dict())) == back


def test_the_whole_feedback_reads_back_what_it_wrote(feedback):
    kept = as_kept(feedback.to_dict())
    back = Feedback.from_dict(kept, SCENARIO)
    assert_kept(feedback, back, "feedback")
    assert back.to_dict() == kept
    assert Feedback.from_dict(as_kept(back.to_dict()), SCENARIO) == back


def test_without_its_scenario_a_record_reads_with_what_it_kept_of_it(feedback):
    back = Feedback.from_dict(as_kept(feedback.to_dict()))
    assert (back.scenario.id, back.scenario.title, back.scenario.kind,
            back.scenario.time_limit_s) == (SCENARIO.id, SCENARIO.title, SCENARIO.kind,
                                            SCENARIO.time_limit_s)
    assert back.score == Feedback.from_dict(as_kept(feedback.to_dict()), SCENARIO).score
