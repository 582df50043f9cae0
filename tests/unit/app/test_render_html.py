"""The app's HTML renderers and pure helpers, on real Feedback built without a speech model."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from fakes import FixedTranscriber

from coach import Coach, Settings
from coach.audio.decode import AudioClip
from coach.history.records import Attempt, Metrics
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript
from coach.ui.charts import clock, length_bar, pace_chart, sparkline
from coach.ui.history_tab import history_html
from coach.ui.render_html import (
    error_html,
    figures,
    polished_html,
    summary_html,
    transcript_html,
    word_marks,
)
from coach.ui.scenario_view import answered_html, countdown_html, filter_scenarios, surprise

SCENARIO = Scenario(
    id="oom", title="OOM <restarts>", kind="opening", time_limit_s=30, module="system-debug",
    prompt="Why does it restart?",
    key_terms=(KeyTerm("OOMKiller", ("OOM killer",), model_sentence="The OOMKiller ended it."),
               KeyTerm("dmesg", (), model_sentence="I would confirm it in dmesg.",
                       clause="I'd confirm the kill in dmesg")),
    reference_answer="I suspect the OOMKiller. I'd confirm the kill in dmesg on the node.",
)


def feedback_for(text: str, **probabilities):
    transcript = Transcript.from_text(text)
    if probabilities:
        words = tuple(w.__class__(w.text, w.start, w.end, probabilities.get(w.text, 1.0))
                      for w in transcript.words)
        transcript = Transcript(words, transcript.duration_s)
    coach = Coach(Settings(check_grammar=False), transcriber=FixedTranscriber(transcript),
                  phonemizer=lambda words: {})
    clip = AudioClip.from_array(np.zeros(int(16000 * transcript.duration_s), dtype=np.float32))
    return coach.analyze(clip, SCENARIO)


def marked(html: str) -> list[tuple[str, str]]:
    """(kinds, words) of each highlighted span of a transcript, in order."""
    return re.findall(r'<mark class="w ([^"]+)"[^>]*>([^<]*)</mark>', html)


def test_transcript_marks_fillers_repeats_and_terms_in_place():
    fb = feedback_for("Um, so the the OOMKiller killed it, you know, basically.")
    html = transcript_html(fb)
    marks = marked(html)
    assert ("filler", "Um,") in marks and ("filler", "you know,") in marks
    assert ("term", "OOMKiller") in marks
    assert ("repeat", "the") in marks  # the first "the" of "the the"
    assert not any(words in ("so", "killed", "it,") for _, words in marks)
    assert re.match(r'<mark class="w filler"[^>]*>Um,</mark><span class="ts">0:00<',
                    html.split('class="transcript"')[1].split(">", 1)[1])  # time of the first
    assert "filler <b>3</b>" in html


def test_unsure_words_are_marked_only_when_nothing_else_is():
    fb = feedback_for("The container restarted after deployment.", restarted=0.2)
    marks = word_marks(fb)
    kinds = [{m.kind for m in group} for group in marks]
    assert kinds[2] == {"unsure"}
    assert all(not k for i, k in enumerate(kinds) if i != 2)


@pytest.mark.parametrize("text", ["<script>alert(1)</script> OOMKiller", "a & b < c"])
def test_everything_said_is_escaped(text):
    html = transcript_html(feedback_for(text)) + polished_html(feedback_for(text))
    assert "<script>" not in html and "& b" not in html


def test_summary_compares_with_the_previous_attempt():
    first = feedback_for("Um, uh, I think it was memory.")
    second = feedback_for("The OOMKiller killed it; dmesg shows the kill.")
    assert "was " not in summary_html(first)
    html = summary_html(second, figures(first))
    assert "previous attempt" in html
    assert 'class="was better"' in html  # fewer fillers, more key terms


def test_polished_answer_shows_its_diff():
    html = polished_html(feedback_for("Um, the OOMKiller killed it, so I would look at the "
                                      "logs on the node first."))
    assert "<del>Um,</del>" in html
    assert "<ins" in html and "dmesg" in html  # the clause for the missing dmesg is added
    yours, model = (re.sub(r"<[^>]+>", "", part)
                    for part in html.split('data-testid="model-answer"'))
    assert "I suspect the OOMKiller" in model and "I suspect" not in yours


def test_errors_are_one_plain_message():
    html = error_html("No speech detected.", "Check the <microphone>.")
    assert "No speech detected." in html and "&lt;microphone&gt;" in html


@pytest.mark.parametrize("seconds, shown", [(0, "0:00"), (7.4, "0:07"), (24.7, "0:24"),
                                            (59.6, "0:59"), (60.0, "1:00"), (90, "1:30"),
                                            (-3, "0:00")])
def test_clock(seconds, shown):
    """Rounded down, as a media player shows the same recording's length."""
    assert clock(seconds) == shown


def dots(svg: str) -> list[tuple[str, float, float]]:
    """(class, x, y) of each circle of a chart."""
    return [(kind, float(x), float(y)) for kind, x, y in
            re.findall(r'<circle class="dot (\w+)" cx="([\d.]+)" cy="([\d.]+)"', svg)]


def test_charts_handle_empty_and_over_time():
    assert "Too short" in pace_chart([], 110, 160, 0)
    chart = pace_chart([(0.0, 120.0), (5.0, 170.0)], 110, 160, 9.0)
    (first, x1, y1), (second, x2, y2) = dots(chart)
    assert (first, second) == ("ok", "off")  # 170 wpm is outside 110-160
    assert x1 < x2 and y2 < y1  # later, and faster (higher)
    assert "0:05: 170 wpm" in chart
    assert 'class="over" style="width:25.0%"' in length_bar(40, 30)
    assert 'class="over" style="width:0.0%"' in length_bar(20, 30)
    assert sparkline([]) == ""
    assert dots(sparkline([1.0])) == [("ok", 110.0, 6.0)]  # alone: centred, at the top
    rising = sparkline([2.0, 4.0])
    assert re.search(r'd="M([\d.]+),([\d.]+) L([\d.]+),([\d.]+)"', rising)
    (x1, y1), (x2, y2) = [(float(a), float(b)) for a, b in
                          re.findall(r"[ML]([\d.]+),([\d.]+)", rising)]
    assert x1 < x2 and y2 < y1 and dots(rising) == [("ok", x2, y2)]  # the last one marked


def test_countdown_states():
    idle = countdown_html(45)
    assert 'id="coach-countdown"' in idle and 'data-limit="45"' in idle
    assert '<span class="cd-time">0:45<' in idle and 'data-strict="false"' in idle
    over, within = answered_html(41, 30), answered_html(29, 30)
    assert 'class="countdown done over"' in over and "0:11 over the 0:30 limit" in over
    assert 'class="countdown done"' in within and "within the 0:30 limit" in within
    assert 'style="width:100%"' in over and 'style="width:97%"' in within


def test_filters_and_surprise():
    other = Scenario(id="retry-review", title="Retry loop", kind="review", time_limit_s=45,
                     prompt="?", key_terms=(), module="code-review")
    both = [SCENARIO, other]
    assert filter_scenarios(both, "code-review") == [other]
    assert filter_scenarios(both, kind="opening") == [SCENARIO]
    assert filter_scenarios(both, query="LOOP retry") == [other]
    assert filter_scenarios(both, query="nothing") == []
    assert surprise(both, "oom", random.Random(1)) is other
    assert surprise([SCENARIO], "oom") is SCENARIO
    assert surprise([], None) is None


def test_history_says_how_you_are_doing():
    def attempt(i, score, fillers):
        return Attempt(i, "oom", f"2025-11-2{i}T10:00:00+00:00", "/r.wav", "analyzed",
                       metrics=Metrics(score, 140, fillers, 3, 0.5, answer_s=25,
                                       time_limit_s=30))
    html = history_html([attempt(1, 50, 9), attempt(2, 70, 3)], {"oom": "OOM restarts"})
    assert "Fillers down from 9 to 3 per minute" in html
    assert "OOM restarts" in html
    score_tile = html.split('<div class="stat tile">')[1]
    assert '<div class="stat-value">70</div>' in score_tile and "latest of 2" in score_tile
    assert len(re.findall(r"[ML][\d.]+,[\d.]+", score_tile)) == 2  # one point per attempt
    assert "No attempts yet" in history_html([], {})


def test_too_short_and_partial_scores_are_said_so():
    short = summary_html(feedback_for("Okay, so..."))
    assert 'data-testid="too-short"' in short and "score-ring" not in short
    partial = summary_html(feedback_for("I suspect the OOMKiller ended it, so I would check "
                                        "dmesg on the node and raise the limit."))
    assert 'data-testid="partial"' in partial and "grammar not checked" in partial


def test_polished_answer_carries_its_reading_guide_and_the_model_answer_apart():
    html = polished_html(feedback_for("I suspect the OOMKiller ended it, so I would check dmesg "
                                      "on the node first, then I would raise the limit by 40%."))
    yours, model = html.split('<div class="answer-model">')
    assert '<b class="stress">40%.</b>' in yours and 'class="pause"' in yours
    assert "Your answer, polished" in yours and "by 40%" not in model
    assert "A model answer" in model and 'data-testid="model-answer"' in model


def _visible_text(html: str) -> str:
    """What the page shows as text: tags (and their attributes, e.g. title=) removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


LONG = ("I suspect the OOMKiller ended it, so I would check dmesg on the node and raise the "
        "limit.")


@pytest.mark.parametrize("text", [LONG, "Um, uh, so I think it was, um, memory, you know, and "
                                  "basically it restarted because of memory and memory."])
def test_the_advice_heading_says_how_many_things_there_are(text):
    fb = feedback_for(text)
    shown = _visible_text(summary_html(fb))
    count = len(fb.score.advice)
    word = {1: "One thing", 2: "Two things", 3: "Three things"}[count]
    assert f"{word} to work on" in shown, shown
    assert shown.count(" to work on") == 1


def test_how_the_score_is_made_shows_each_parts_weight_and_rule_as_text():
    fb = feedback_for(LONG)
    assert len(fb.score.parts) >= 4
    shown = _visible_text(summary_html(fb))
    total = sum(p.weight for p in fb.score.parts)
    for part in fb.score.parts:
        assert f"{100 * part.weight / total:.0f}%" in shown, part
        assert part.rule.split()[0] in shown and _visible_text(part.rule).strip() in shown, part


def test_a_ticked_key_term_is_not_called_unclear_where_it_is_said_again():
    fb = feedback_for("The OOMKiller killed it. Later the OOMKiller killed it again.",
                      OOMKiller=0.2)
    assert [h.term for h in fb.coverage.covered] == ["OOMKiller"]
    terms = [w for w in fb.transcript.words if w.text.startswith("OOMKiller")]
    assert len(terms) == 2
    assert not any(fb.transcript.words[u.word_index].text.startswith("OOMKiller")
                   for u in fb.unclear.words)
    assert not [m for m in marked(transcript_html(fb)) if "unsure" in m[0]]


def test_what_was_left_out_reads_as_one_sentence_with_one_full_stop():
    from dataclasses import replace
    feedback = feedback_for(LONG)
    feedback = replace(feedback, polished=replace(
        feedback.polished, left_out=("My first hypothesis is that OOMKiller.", "and read it")))
    text = _visible_text(polished_html(feedback))
    assert "Left out to fit the time: My first hypothesis is that OOMKiller; and read it." in text
