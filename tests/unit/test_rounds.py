"""Rounds: settings, plan, follow-up choice, time-outs, the report, and the step sequence."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from history_factory import FILLER_TEXT, OOM, make_feedback

from coach.errors import NoSpeechDetected
from coach.history import HistoryStore
from coach.history.errors import InvalidRoundSettings, RoundFinished
from coach.history.records import Attempt, Metrics, RoundRecord
from coach.rounds import (
    GENERATED_FOLLOW_UP,
    MockRound,
    RoundSettings,
    choose_follow_ups,
    is_time_out,
    pinned_plan,
    plan_round,
    practice_items,
    round_report,
)
from coach.scenarios import FollowUp, KeyTerm, Scenario
from coach.scenarios.library import ScenarioLibrary
from coach.settings import Settings

REVIEW = Scenario(id="retry-loop-review", title="Retry loop", kind="review", time_limit_s=45,
                  prompt="Review this retry loop.", module="code-review",
                  key_terms=(KeyTerm("backoff"), KeyTerm("jitter"), KeyTerm("retry budget")))
OTHER_DEBUG = replace(OOM, id="cpu-high-no-process", title="CPU high")
EXPLAIN = Scenario(id="explain-restart", title="Explain", kind="explain", time_limit_s=45,
                   prompt="Explain the restart.", module="expressive-english",
                   key_terms=(KeyTerm("OOMKiller"),))
LIBRARY = ScenarioLibrary([OOM, REVIEW, OTHER_DEBUG, EXPLAIN])


# --- settings and plan ------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"modules": ()}, "at least one module"),
    ({"modules": ("system-debug", "cooking")}, "Unknown module(s): cooking"),
    ({"follow_ups": 3}, "0 to 2"),
    ({"follow_ups": -1}, "0 to 2"),
])
def test_invalid_settings_are_typed_errors(kwargs, message):
    with pytest.raises(InvalidRoundSettings) as caught:
        RoundSettings(**kwargs)
    assert message in str(caught.value) and caught.value.code == "round_settings"


def done(id, scenario, score, kind="answer", round_id=None, step=None, **metrics) -> Attempt:
    values = {"score": score, "wpm": 130.0, "fillers_per_minute": 2.0, "filler_total": 1,
              "coverage_ratio": 0.6}
    values.update(metrics)
    return Attempt(id=id, scenario_id=scenario, recorded_at="2025-01-01T09:00:00+00:00",
                   recording_path=f"/r/{id}.wav", status="analyzed", kind=kind,
                   round_id=round_id, round_step=step, metrics=Metrics(**values))


@pytest.mark.parametrize("history, expected", [
    ([], "cpu-high-no-process"),  # never practised: by id
    ([done(1, "cpu-high-no-process", 80)], "oom-silent-restart"),  # least practised
    ([done(1, "cpu-high-no-process", 80), done(2, "oom-silent-restart", 50)],
     "oom-silent-restart"),  # equally practised: the weaker last score
    ([done(1, "oom-silent-restart", 50, kind="follow-up")], "cpu-high-no-process"),
])
def test_plan_picks_the_least_practised_then_weakest(history, expected):
    plan = plan_round(LIBRARY, RoundSettings(("system-debug", "code-review")), history)
    assert [s.id for s in plan.scenarios] == [expected, "retry-loop-review"]
    assert plan.modules == ("system-debug", "code-review")
    assert plan.max_steps == 4


def test_plan_gives_a_repeated_module_another_scenario_and_refuses_empty_modules():
    plan = plan_round(LIBRARY, RoundSettings(("system-debug", "system-debug"), follow_ups=0))
    assert [s.id for s in plan.scenarios] == ["cpu-high-no-process", "oom-silent-restart"]
    with pytest.raises(InvalidRoundSettings, match="No scenario in module 'system-design'"):
        plan_round(LIBRARY, RoundSettings(("system-design",)))


# --- follow-ups -------------------------------------------------------------------------------
NODE_PROOF, CGROUP = OOM.follow_ups


@pytest.mark.parametrize("scenario, missed, count, expected", [
    (OOM, ["memory.max"], 1, [CGROUP]),  # targets what was missed
    (OOM, ["dmesg", "memory.max"], 1, [NODE_PROOF]),  # first of those that target a miss
    (OOM, [], 1, [NODE_PROOF]),  # nothing missed: the first one
    (OOM, ["memory.max"], 2, [CGROUP, NODE_PROOF]),
    (OOM, ["memory.max"], 0, []),
    (REVIEW, ["jitter", "retry budget"], 1,
     [FollowUp(GENERATED_FOLLOW_UP.format(term="jitter"), ("jitter",))]),
    (REVIEW, ["jitter", "retry budget"], 2,
     [FollowUp("You did not mention jitter: how would it help here?", ("jitter",)),
      FollowUp("You did not mention retry budget: how would it help here?", ("retry budget",))]),
    (REVIEW, [], 1, []),  # no follow-ups and nothing missed: nothing to ask
    (replace(OOM, follow_ups=(CGROUP,)), ["dmesg", "memory.max"], 2,
     [CGROUP, FollowUp(GENERATED_FOLLOW_UP.format(term="dmesg"), ("dmesg",))]),
])
def test_choose_follow_ups(scenario, missed, count, expected):
    assert list(choose_follow_ups(scenario, missed, count)) == expected


@pytest.mark.parametrize("strict, duration, over, limit, expected", [
    (True, 30.0, 0.0, 30, True),  # the recorder stopped at the limit
    (True, 29.9, 0.0, 30, True),
    (True, 41.0, 11.0, 30, True),
    (True, 20.0, 0.0, 30, False),
    (False, 41.0, 11.0, 30, False),  # lenient rounds report seconds over, not time-outs
])
def test_time_outs(strict, duration, over, limit, expected):
    attempt = done(1, "s", 50, duration_s=duration, over_time_s=over, time_limit_s=limit)
    assert is_time_out(attempt, strict) is expected


# --- report -----------------------------------------------------------------------------------
def analysed(id, scenario, feedback, *, kind="answer", step=None, round_id=1) -> Attempt:
    data = feedback.to_dict()
    return Attempt(id=id, scenario_id=scenario, recorded_at="2025-01-01T09:00:00+00:00",
                   recording_path=f"/r/{id}.wav", status="analyzed", kind=kind,
                   round_id=round_id, round_step=step, metrics=Metrics.from_feedback_dict(data),
                   transcript=data["transcript"], feedback=data)


def test_report_figures_best_weakest_changes_and_practice():
    record = RoundRecord(2, "2025-01-02T09:00:00+00:00", ("system-debug", "code-review"),
                         ("oom-silent-restart", "retry-loop-review"), follow_ups=1, strict=True,
                         status="finished")
    slow_review = make_feedback(text="We should add backoff here. " * 8, scenario=REVIEW,
                                words_per_second=1.4, grammar_issues=0)
    failed = Attempt(id=13, scenario_id="oom-silent-restart", recorded_at="2025-01-02",
                     recording_path="/r/13.wav", status="failed", kind="follow-up",
                     round_id=2, round_step=1, error_code="no_speech",
                     error_message="No speech was heard.")
    attempts = [analysed(14, "retry-loop-review", slow_review, step=2, round_id=2),
                analysed(12, "oom-silent-restart", make_feedback(grammar_issues=0), step=0,
                         round_id=2), failed]
    previous = (RoundRecord(1, "2025-01-01T09:00:00+00:00", ("system-debug",),
                            ("oom-silent-restart",), status="finished"),
                [analysed(1, "oom-silent-restart", make_feedback(text=FILLER_TEXT), step=0)])
    report = round_report(record, attempts, previous)

    assert [a.attempt.id for a in report.answers] == [12, 13, 14]  # in step order
    assert [a.module for a in report.answers] == ["system-debug", "system-debug", "code-review"]
    assert report.best.attempt.id == 12 and report.weakest.attempt.id == 14
    assert report.previous_round_id == 1
    improved = {c.metric.name: c.sentence for c in report.improved}
    assert improved["fillers_per_minute"].startswith("fillers down from")
    assert improved["fillers_per_minute"].endswith("per minute since round 1")
    assert "coverage" in improved
    first = report.practice[0]
    assert first.text.startswith("Answer again") and "No speech was heard." in first.text
    assert first.scenario_ids == ("oom-silent-restart",)
    texts = " ".join(p.text for p in report.practice)
    assert "jitter, retry budget (retry-loop-review)" in texts
    assert all(p.scenario_ids for p in report.practice) and len(report.practice) == 3
    assert report.unanswered == ()
    data = report.to_dict()
    assert data["best"]["attempt_id"] == 12 and data["answers"][1]["error"]["code"] == "no_speech"


def test_first_round_has_nothing_to_compare_and_lists_unanswered():
    record = RoundRecord(1, "2025-01-01", ("system-debug", "code-review"),
                         ("oom-silent-restart", "retry-loop-review"))
    report = round_report(record, [analysed(1, "oom-silent-restart",
                                            make_feedback(grammar_issues=0), step=0)])
    assert report.previous_round_id is None and report.changes == ()
    assert report.best.attempt.id == 1 and report.weakest is None  # one answer: no "weakest"
    assert report.unanswered == ("retry-loop-review",)
    assert report.practice == ()  # a perfect answer leaves nothing to practise


def test_practice_items_add_up_costs_over_answers():
    fillers = [analysed(i, s, make_feedback(text=FILLER_TEXT))
               for i, s in ((1, "oom-silent-restart"), (2, "cpu-high-no-process"))]
    short_follow_up = analysed(3, "oom-silent-restart", make_feedback(text="I check dmesg."),
                               kind="follow-up")
    items = practice_items([*fillers, short_follow_up], limit=5)
    assert [p.points for p in items] == sorted((p.points for p in items), reverse=True)
    terms = next(p for p in items if p.text.startswith("Say the key terms"))
    # OOMKiller and dmesg were said in one of the answers to oom-silent-restart
    assert terms.text == ("Say the key terms you missed: memory.max (oom-silent-restart); "
                          "dmesg, memory.max (cpu-high-no-process).")
    cut = next(p for p in items if p.text.startswith("Cut fillers"))
    assert cut.scenario_ids == ("oom-silent-restart", "cpu-high-no-process")
    assert "40 a minute" in cut.text
    timing = next(p for p in items if p.text.startswith("Use more of your time"))
    assert timing.points == pytest.approx(2 * 15 * 0.3)  # the two short main answers only


# --- the step sequence with a stand-in coach -------------------------------------------------
class TextCoach:
    """Reads the 'recording' as the words said; an empty file means no speech."""

    library = LIBRARY
    settings = Settings()

    def load(self, path, name=None):  # the text file is the 'clip'
        return path

    def analyze(self, path, scenario):
        text = Path(path).read_text(encoding="utf-8")
        if not text.strip():
            raise NoSpeechDetected("No speech was heard in the recording.")
        return make_feedback(text=text, scenario=scenario, audio_path=str(path))


def test_a_round_asks_follow_ups_after_each_answer(tmp_path):
    def said(name, text):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        return path

    store = HistoryStore()
    plan = pinned_plan([OOM, REVIEW], RoundSettings(follow_ups=1, strict=True))
    round_ = MockRound(TextCoach(), store, plan)
    assert round_.current.question == OOM.prompt and round_.current.number == 0

    first = round_.answer(said("1", "I suspect the OOMKiller. I would check dmesg first."))
    assert first.attempt.metrics.missed_terms == ("memory.max",)
    assert [(s.number, s.follow_up) for s in first.follow_ups] == [(1, CGROUP)]
    step = round_.current
    assert (step.number, step.kind, step.question) == (1, "follow-up", CGROUP.question)
    assert step.time_limit_s == 30 and [t.term for t in step.judged_on.key_terms] == ["memory.max"]

    second = round_.answer(said("2", "I would read memory.max in the cgroup."))
    assert second.attempt.kind == "follow-up" and second.attempt.targets == ("memory.max",)
    assert second.attempt.metrics.coverage_ratio == 1.0  # judged on its target only
    assert second.follow_ups == ()

    third = round_.answer(said("3", ""))  # no speech: kept as failed, follow-up still asked
    assert third.error.code == "no_speech" and third.attempt.status == "failed"
    assert round_.current.question == GENERATED_FOLLOW_UP.format(term="backoff")
    round_.answer(said("4", "Backoff with jitter under a retry budget."))
    assert round_.current is None
    with pytest.raises(RoundFinished):
        round_.answer(said("5", "extra"))

    report = round_.finish()
    assert report.round.status == "finished" and report.round.strict
    assert [a.attempt.round_step for a in report.answers] == [0, 1, 2, 3]
    assert [a.attempt.kind for a in report.answers] == ["answer", "follow-up"] * 2
    assert store.attempts(round_id=round_.id) == [r.attempt for r in round_.results]
    assert report.practice[0].text.startswith("Answer again")


def test_the_app_asks_a_failed_step_again_and_the_report_drops_the_failure(tmp_path):
    store = HistoryStore()
    plan = pinned_plan([OOM], RoundSettings(follow_ups=0))
    round_ = MockRound(TextCoach(), store, plan, ask_again_on_error=True)
    silent = tmp_path / "silent.txt"
    silent.write_text("", encoding="utf-8")
    failed = round_.answer(silent)
    assert failed.error.code == "no_speech" and failed.follow_ups == ()
    assert round_.current is not None and round_.current.number == 0  # the same question
    spoken = tmp_path / "spoken.txt"
    spoken.write_text("I suspect the OOMKiller. I would check dmesg first.", encoding="utf-8")
    assert round_.answer(spoken).error is None and round_.current is None
    report = round_.finish()
    assert [a.attempt.status for a in report.answers] == ["analyzed"]
    assert len(store.attempts(round_id=round_.id)) == 2  # the failed recording is still kept
