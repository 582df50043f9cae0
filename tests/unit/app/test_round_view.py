"""The Mock round tab without a browser: the round the app drives, and its HTML.

A stand-in coach reads each "recording" as the words said (an empty file: no speech) and
analyses them with the real pure analyses, so rounds, follow-ups and reports are real.
"""

from __future__ import annotations

import re

import pytest
from fakes import OOM, REVIEW, TITLES, TextCoach, said_in

from coach.history import HistoryStore
from coach.history.records import Attempt, Metrics, RoundRecord
from coach.rounds import PracticeItem, RoundSettings, pinned_plan, round_report
from coach.ui.round_tab import AppRound, begin, kept_answers
from coach.ui.round_view import progress_html, report_html, step_html, total_steps
from coach.ui.scenario_view import countdown_html
from coach.ui.shared import Shared


@pytest.fixture
def said(tmp_path):
    return lambda text: said_in(tmp_path, text)


def new_round(follow_ups=1, strict=False) -> AppRound:
    plan = pinned_plan([OOM, REVIEW], RoundSettings(follow_ups=follow_ups, strict=strict))
    return AppRound(Shared(TextCoach(), HistoryStore()), plan)


# --- the round the app drives ----------------------------------------------------------------
def test_a_failed_recording_asks_the_same_step_again_and_stays_in_the_history(said):
    round_ = new_round()
    assert total_steps(round_) == 4
    first = round_.answer(said("I suspect the OOMKiller and would read dmesg first."))
    assert first.error is None
    follow_up = round_.current
    assert (follow_up.number, follow_up.kind) == (1, "follow-up")
    assert follow_up.question == "Which cgroup file has the limit?"  # memory.max was missed

    failed = round_.answer(said(""))
    assert failed.error.code == "no_speech" and failed.attempt.status == "failed"
    again = round_.current
    assert (again.number, again.kind, again.question) == (1, "follow-up", follow_up.question)
    assert len(round_.results) == 1 and total_steps(round_) == 4

    round_.answer(said("The memory.max file of the cgroup has the limit."))
    assert (round_.current.number, round_.current.scenario.id) == (2, "retry-loop-review")
    round_.answer(said("Add backoff with jitter."))  # nothing missed, no follow-up to ask
    assert round_.current is None and total_steps(round_) == 3

    report = round_.finish()
    assert [a.attempt.round_step for a in report.answers] == [0, 1, 2]
    assert all(a.attempt.status == "analyzed" for a in report.answers)
    assert round_.retried == 1
    kept = round_.store.attempts(round_id=round_.id)
    assert [a.status for a in kept].count("failed") == 1  # still in the history
    assert not any(p.text.startswith("Answer again") for p in report.practice)
    html = report_html(report, TITLES, retried=round_.retried)
    assert "answered again: 1" in html and "History tab keeps them" in html


def test_finishing_early_reports_what_was_answered(said):
    round_ = new_round(follow_ups=0)
    round_.answer(said(""))  # failed and never answered again: it counts, as in the terminal
    report = round_.finish()
    assert [a.attempt.status for a in report.answers] == ["failed"]
    assert report.practice[0].text.startswith("Answer again")
    html = report_html(report, TITLES)
    assert "could not be analysed: No speech was heard" in html
    assert "Not answered: Retry loop." in html


def attempt(id, status="analyzed", step=0, kind="answer") -> Attempt:
    metrics = (Metrics(score=60, wpm=130, fillers_per_minute=1.0, filler_total=1,
                       coverage_ratio=0.5) if status == "analyzed" else None)
    return Attempt(id=id, scenario_id="oom-silent-restart", recorded_at="2025-01-01T09:00:00",
                   recording_path=f"/r/{id}.wav", status=status, round_id=1, round_step=step,
                   kind=kind, metrics=metrics, error_code="no_speech" if metrics is None else "")


@pytest.mark.parametrize("attempts, kept", [
    ([], []),
    ([attempt(1)], [1]),
    ([attempt(1, "failed"), attempt(2)], [2]),  # answered again
    ([attempt(1, "failed"), attempt(2, "failed"), attempt(3)], [3]),
    ([attempt(1), attempt(2, "failed", step=1, kind="follow-up")], [1, 2]),  # never again
    ([attempt(1, "failed", step=1, kind="follow-up"), attempt(2, step=1)], [1, 2]),
])
def test_kept_answers(attempts, kept):
    assert [a.id for a in kept_answers(attempts)] == kept


@pytest.mark.parametrize("modules, history, message", [
    ([], True, "at least one module"),
    (["system-debug"], False, "needs the practice history"),
])
def test_a_round_that_cannot_start_says_why(modules, history, message):
    shared = Shared(TextCoach(), HistoryStore() if history else None, "damaged file")
    round_, problem = begin(shared, modules, 1, "lenient")
    assert round_ is None and message in problem and 'role="alert"' in problem


def test_begin_plans_the_chosen_modules_in_drill_order():
    shared = Shared(TextCoach(), HistoryStore())
    round_, problem = begin(shared, ["code-review", "system-debug"], 2, "strict")
    assert problem == ""
    assert [s.id for s in round_.plan.scenarios] == ["oom-silent-restart", "retry-loop-review"]
    assert round_.plan.settings == RoundSettings(("system-debug", "code-review"), 2, True)


# --- HTML -------------------------------------------------------------------------------------
def test_step_cards_show_the_question_and_escape_it(said):
    round_ = new_round()
    html = step_html(round_.current, total_steps(round_))
    assert "Question 1 of 4" in html and 'data-kind="answer"' in html
    assert "Restarts &lt;with&gt; no logs" in html and "restarting &amp; logs" in html
    assert "System debugging" in html and "Background" in html and "0:40" in html
    round_.answer(said("The OOMKiller, I read dmesg."))
    html = step_html(round_.current, total_steps(round_))
    assert "Question 2 of 4" in html and 'data-kind="follow-up"' in html
    assert "Follow-up on your answer to" in html and "Which cgroup file has the limit?" in html
    assert "Background" not in html and "0:30" in html  # follow-ups get 30 s at most


@pytest.mark.parametrize("strict, flag, words", [
    (True, 'data-strict="true"', "the recording stops at the limit"),
    (False, 'data-strict="false"', "the clock starts when you press record"),
])
def test_countdown_is_the_practice_one_with_the_rounds_id(strict, flag, words):
    html = countdown_html(45, element_id="round-countdown", recorder_id="round-answer",
                          strict=strict)
    assert 'id="round-countdown"' in html and 'class="countdown idle"' in html
    assert 'data-limit="45"' in html and flag in html and words in html
    assert 'data-recorder="round-answer"' in html  # the recorder a strict clock stops
    assert '<span class="cd-time">0:45<' in html and 'data-testid="round-countdown"' in html


def test_progress_lists_answers_with_their_figures(said):
    round_ = new_round()
    round_.answer(said("I suspect the OOMKiller and would read dmesg on the node first."))
    html = progress_html(round_, TITLES)
    assert "1 of 4 questions answered" in html and "lenient timing" in html
    assert html.count('data-testid="step-summary"') == 1
    line = re.sub(r"<[^>]+>", "", html.split('data-testid="step-summary"')[1].split("</li>")[0])
    assert re.search(r"\d+/100 \(partial\) · \d+ wpm · fillers .*/min \(\d+\) · key terms 67% · "
                     r"\d:\d\d of 0:40", line), line  # partial: grammar is not checked here
    groups = re.findall(r'<li class="rp-scenario (\w+)">.*?<b>(.*?)</b>', html)
    assert groups == [("current", "Restarts &lt;with&gt; no logs"), ("next", "Retry loop")]
    assert re.search(r'<li class="now"><span class="rp-kind">Follow-up<', html)


def test_report_links_each_practise_item_to_its_scenarios(said):
    round_ = new_round(follow_ups=0, strict=True)
    round_.answer(said("Um so basically the OOMKiller uh you know it was killed."))
    round_.answer(said("Backoff " + "and jitter " * 60))  # 121 words: 48 s of a 45 s limit
    report = round_.finish()
    html = report_html(report, TITLES)
    assert html.count("<tr>") == 3  # header and two answers
    assert "This is your first round" in html and "strict timing" in html
    outs = re.search(r'data-testid="round-time-outs">.*?class="stat-value">(\d+)<', html)
    assert outs and outs.group(1) == "1" == str(len(report.time_outs))
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "time-out" not in rows[0] and "time-out" in rows[1]
    links = re.findall(r'data-scenario="([^"]+)"[^>]*>Practise “([^”]+)”', html)
    assert links and {sid for sid, _ in links} <= {"oom-silent-restart", "retry-loop-review"}
    assert all(TITLES[sid].replace("<", "&lt;").replace(">", "&gt;") == title
               for sid, title in links)


def test_report_says_what_changed_since_the_last_round():
    def done(id, round_id, score, fillers):
        return Attempt(id=id, scenario_id="oom-silent-restart", recorded_at="2025-01-01",
                       recording_path=f"/r/{id}.wav", status="analyzed", round_id=round_id,
                       round_step=0, metrics=Metrics(score=score, wpm=130,
                                                     fillers_per_minute=fillers, filler_total=2,
                                                     coverage_ratio=0.6))
    before = RoundRecord(1, "2025-01-01", ("system-debug",), ("oom-silent-restart",),
                         status="finished")
    now = RoundRecord(2, "2025-01-02", ("system-debug",), ("oom-silent-restart",),
                      status="finished")
    report = round_report(now, [done(2, 2, 80, 1.0)], (before, [done(1, 1, 60, 6.0)]))
    html = report_html(report, TITLES)
    assert "Improved in 2 of 4 measures since round 1." in html
    changes = html.split('data-testid="round-changes">')[1].split("</ul>")[0]
    verdicts = re.findall(r'<li class="(\w+)"><span class="icon">.</span>([^<]*)</li>', changes)
    assert ("better", "Fillers down from 6 to 1 per minute since round 1") in verdicts
    assert ("better", "Score up from 60 to 80 since round 1") in verdicts
    assert [v for v, _ in verdicts] == sorted((v for v, _ in verdicts),
                                               key=("better", "steady", "worse").index)
    report = round_report(now, [done(2, 2, 80, 1.0)], None)
    report = report.__class__(**{**report.__dict__, "practice": (
        PracticeItem("Cut fillers.", ("oom-silent-restart",), 12.0),)})
    practice = report_html(report, TITLES).split('data-testid="practice-next">')[1]
    assert re.search(r'<li><span class="pn-num">1</span><div><p>Cut fillers.</p>'
                     r'<div class="pn-links"><button [^>]*data-scenario="oom-silent-restart"'
                     r'[^>]*>Practise “Restarts &lt;with&gt; no logs” →</button>', practice)
