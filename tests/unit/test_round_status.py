"""Rounds as the report and the history tell them (issue 20, item 8): the average, best and
weakest are of the main answers and say so; one answer is never both best and weakest; a
round left open when another starts is marked "abandoned" (schema version 4 allows it)."""

from __future__ import annotations

import sqlite3

from history_factory import FILLER_TEXT, GOOD_TEXT, OOM, make_feedback

from coach.history import HistoryStore
from coach.history.export import round_summary_markdown
from coach.history.migrations import MIGRATIONS, migrate
from coach.history.records import Attempt, Metrics, RoundRecord
from coach.rounds import MockRound, RoundSettings, abandoned_note, pinned_plan, round_report
from coach.ui.round_view import report_html

RECORD = RoundRecord(1, "2025-01-01T09:00:00+00:00", ("system-debug",), (OOM.id,),
                     follow_ups=1)


def analysed(id, feedback, kind="answer", step=0) -> Attempt:
    data = feedback.to_dict()
    return Attempt(id=id, scenario_id=OOM.id, recorded_at="2025-01-01T09:00:00+00:00",
                   recording_path=f"/r/{id}.wav", status="analyzed", kind=kind, round_id=1,
                   round_step=step, metrics=Metrics.from_feedback_dict(data),
                   transcript=data["transcript"], feedback=data)


def test_one_main_answer_is_best_never_weakest_and_follow_ups_are_said_to_be_left_out():
    main = analysed(1, make_feedback(text=FILLER_TEXT, grammar_issues=0))
    follow_up = analysed(2, make_feedback(text=GOOD_TEXT, grammar_issues=0), "follow-up", 1)
    assert follow_up.metrics.score > main.metrics.score
    report = round_report(RECORD, [main, follow_up])
    assert report.best.attempt.id == 1 and report.weakest is None
    assert report.average == main.metrics.score
    html = report_html(report, {})
    assert "average of 1 main answer; 1 follow-up not counted" in html
    assert 'flag bad">weakest' not in html and "only one main answer scored" in html
    assert "Best main answer" in html
    text = round_summary_markdown(report)
    assert "Average of 1 main answer" in text and "(follow-ups not counted)" in text
    assert "Weakest" not in text


def test_two_main_answers_name_a_best_and_a_weakest():
    good, weak = (analysed(1, make_feedback(grammar_issues=0)),
                  analysed(2, make_feedback(text=FILLER_TEXT, grammar_issues=0), step=2))
    report = round_report(RECORD, [good, weak])
    assert (report.best.attempt.id, report.weakest.attempt.id) == (1, 2)


class TextCoach:  # MockRound only needs analyse-and-keep to not be called here
    pass


def test_a_new_round_marks_the_open_one_abandoned():
    store = HistoryStore()
    plan = pinned_plan([OOM], RoundSettings())
    first = MockRound(TextCoach(), store, plan)
    assert first.abandoned == ()
    second = MockRound(TextCoach(), store, plan)
    assert second.abandoned == (first.id,)
    assert store.get_round(first.id).status == "abandoned"
    assert store.get_round(second.id).status == "open"
    assert "Round 1 was left unfinished and is now marked abandoned" in abandoned_note((1,))
    store.finish_round(second.id)
    assert MockRound(TextCoach(), store, plan).abandoned == ()


def test_version_3_rounds_migrate_keeping_rows_and_attempt_links(tmp_path):
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db, MIGRATIONS[:3])
    db.execute("INSERT INTO rounds (started_at, status) VALUES ('2025-01-01', 'open')")
    db.execute("INSERT INTO attempts (scenario_id, recorded_at, recording_file, round_id) "
               "VALUES ('oom-silent-restart', '2025-01-01', '/r/1.wav', 1)")
    assert migrate(db) == (3, len(MIGRATIONS))
    assert db.execute("SELECT status FROM rounds").fetchall() == [("open",)]
    db.execute("UPDATE rounds SET status = 'abandoned'")  # allowed now
    assert db.execute("SELECT round_id FROM attempts").fetchall() == [(1,)]
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    store = HistoryStore(path, recordings=tmp_path / "recordings")
    assert store.get_round(1).status == "abandoned"
