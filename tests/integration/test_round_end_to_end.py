"""Mock-interview rounds end to end: real model, real recordings, real espeak-ng, real SQLite.

One short round first, so the main round has a previous round to compare with; then the
daily four-module drill with a follow-up after each answer and strict timing. Answers for
modules without a fixture of their own are recordings made for other scenarios: they score
low on key terms, which the report must then say.
"""

from __future__ import annotations

import json
import wave

import pytest

from coach.cli.main import main
from coach.history import HistoryStore
from coach.rounds import DEFAULT_MODULES, MockRound, RoundSettings, pinned_plan, plan_round

DRILL = ["cpu-high-no-process", "retry-loop-review", "explain-restart-root-cause",
         "ebs-gp3-vs-io2"]


@pytest.fixture
def silence(tmp_path):
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 16000 * 4)
    return path


def test_default_plan_is_the_daily_drill(offline_coach):
    plan = plan_round(offline_coach.library, RoundSettings())
    assert plan.modules == DEFAULT_MODULES
    assert [s.module for s in plan.scenarios] == list(DEFAULT_MODULES)
    assert all(s.follow_ups for s in plan.scenarios) and plan.max_steps == 8


def test_full_round_with_follow_ups_and_report(offline_coach, fixtures, silence, tmp_path,
                                               capsys):
    store = HistoryStore()
    library = offline_coach.library
    warm_up = MockRound(
        offline_coach,
        store,
        pinned_plan([library.get("oom-silent-restart")], RoundSettings(follow_ups=0)),
    )
    warm_up.answer(fixtures["oom-us150-fillers"].path)
    assert warm_up.current is None
    warm_up.finish()

    plan = pinned_plan([library.get(i) for i in DRILL], RoundSettings(follow_ups=1, strict=True))
    round_ = MockRound(offline_coach, store, plan)
    recordings = [fixtures["cpu-us180-overtime"].path, fixtures["cpu-joe-short-pause"].path,
                  fixtures["retry-us150-clean"].path, silence,
                  fixtures["oom-us150-clean"].path, fixtures["iomax-us150-short"].path,
                  fixtures["iomax-us180-clean"].path, fixtures["iomax-us150-short"].path]
    results = []
    for number, recording in enumerate(recordings):
        step = round_.current
        assert step.number == number
        assert step.kind == ("answer" if number % 2 == 0 else "follow-up")
        if number == 1:  # the follow-up question is read aloud
            speech = round_.speak_question(tmp_path / "question.wav")
            assert speech.path.is_file() and speech.duration_s > 2
        results.append(round_.answer(recording))
    assert round_.current is None

    for main_answer, follow_up in zip(results[0::2], results[1::2]):
        scenario = main_answer.step.scenario
        missed = set(main_answer.attempt.metrics.missed_terms)
        asked = follow_up.step.follow_up
        assert asked in scenario.follow_ups
        if any(missed & set(f.targets) for f in scenario.follow_ups):
            assert missed & set(asked.targets), (scenario.id, missed, asked)
        assert follow_up.attempt.question == asked.question
        assert follow_up.attempt.targets == asked.targets

    assert results[0].timed_out and results[0].attempt.metrics.over_time_s > 5
    assert not results[2].timed_out
    assert results[3].error.code == "no_speech" and results[3].attempt.status == "failed"

    report = round_.finish()
    assert report.round.status == "finished" and report.round.strict
    assert [a.attempt.id for a in report.answers] == [r.attempt.id for r in results]
    assert [a.module for a in report.answers[0::2]] == list(DEFAULT_MODULES)
    main_scores = {a.attempt.scenario_id: a.score for a in report.answers[0::2]}
    assert report.best.score == max(main_scores.values())
    assert report.weakest.score == min(main_scores.values())
    # an io.max answer to a design question
    assert report.weakest.attempt.scenario_id == "ebs-gp3-vs-io2"
    assert [a.attempt.id for a in report.time_outs] == [results[0].attempt.id]
    assert report.previous_round_id == warm_up.id
    assert report.changes and all(c.sentence.endswith(f"since round {warm_up.id}")
                                  or f"since round {warm_up.id}," in c.sentence
                                  for c in report.changes)
    assert len(report.practice) == 3
    again = next(p for p in report.practice if p.text.startswith("Answer again"))
    assert again.scenario_ids == ("retry-loop-review",)
    for item in report.practice:
        assert item.scenario_ids and set(item.scenario_ids) <= set(DRILL)
    key_terms = next(p for p in report.practice if p.text.startswith("Say the key terms"))
    assert "(ebs-gp3-vs-io2)" in key_terms.text

    out_file = tmp_path / "round.md"
    assert main(["export", "round", str(round_.id), "-o", str(out_file)]) == 0
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith(f"# Mock interview round {round_.id}")
    assert "1 follow-up per answer, strict timing" in text
    assert "Time-outs (strict timing): 1. cpu-high-no-process" in text
    assert "## Since your last round" in text and f"since round {warm_up.id}" in text
    assert "## Practise next\n\n1. " in text and "Answer again" in text
    assert text.count("### Answer #") == 4 and text.count("### Follow-up answer #") == 4
    capsys.readouterr()
    assert main(["export", "round", str(round_.id), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["attempts"]) == 8 and data["report"]["time_outs"] == [results[0].attempt.id]


def test_round_from_the_terminal(fixtures, capsys):
    answer, follow_up = fixtures["cpu-us120-clean"].path, fixtures["cpu-joe-short-pause"].path
    code = main(["round", "--scenarios", "cpu-high-no-process", "--input", str(answer),
                 "--no-grammar"])
    assert code == 2
    assert capsys.readouterr().err == (
        "coach: This round takes 2 recording(s), got 1. In this order: "
        "cpu-high-no-process, its follow-up.\n")
    assert HistoryStore().rounds() == []  # nothing started

    code = main(["round", "--scenarios", "cpu-high-no-process", "--follow-ups", "1",
                 "--input", str(answer), "--input", str(follow_up), "--no-grammar"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "[1/2] system-debug  cpu-high-no-process  (answer)" in out
    assert "[2/2] system-debug  cpu-high-no-process  (follow-up)" in out and "Q: " in out
    assert "# Mock interview round 1" in out and "## Practise next" in out
    assert "Full report: coach export round 1" in out
    [round_] = HistoryStore().rounds()
    assert round_.status == "finished" and len(HistoryStore().attempts(round_id=1)) == 2

    assert main(["round", "--modules", "system-debug,cooking", "--input", str(answer)]) == 2
    assert "Unknown module(s): cooking" in capsys.readouterr().err


def test_round_questions_are_spoken_into_the_sink(fixtures, capsys, tmp_path):
    answer = fixtures["oom-us150-clean"].path
    code = main(["round", "--scenarios", "oom-silent-restart", "--follow-ups", "0",
                 "--input", str(answer), "--no-grammar", "--sink", str(tmp_path / "spoken")])
    assert code == 0, capsys.readouterr().err
    [spoken] = sorted((tmp_path / "spoken").iterdir())
    assert spoken.name.startswith("01-q0") and spoken.stat().st_size > 10_000


def test_live_round_without_a_microphone_says_so_before_starting(capsys):
    code = main(["round", "--scenarios", "oom-silent-restart", "--no-grammar"])
    assert code == 2
    err = capsys.readouterr().err
    assert "No input (microphone) device available" in err and "--input FILE" in err
    assert HistoryStore().rounds() == []
