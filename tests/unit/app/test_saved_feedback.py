"""A kept feedback record shows exactly as the feedback did when it was new (kept_feedback)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import escape, unescape
from pathlib import Path

import pytest
from fakes import OOM, TextCoach, drawings_as_text, said_in

from coach.analysis.coverage import HeardAs
from coach.analysis.pauses import Pause, PauseReport
from coach.analysis.pronunciation import PronunciationHint, PronunciationReport
from coach.grammar import GrammarFinding, GrammarReport
from coach.history.errors import HistoryError
from coach.history.records import kept_feedback
from coach.scenarios.library import ScenarioLibrary
from coach.ui.render_html import details_html, follow_ups_html, polished_html, summary_html

ANSWERS = [
    ("Um so the container the container restarts and, you know, I check, I checked the logs. "
    "The OOM killer killed it, I think, and the mess shows it. Uh, then I read memory.max."),
    "It restarts. Basically I look at the the dmesg output first.",
    "Nothing useful.",
]


def views(feedback) -> list[str]:
    """The feedback as drawn (drawings compared by the text they show)."""
    html = [summary_html(feedback, {"score": 50, "wpm": 120, "fillers": 3, "terms": 1}),
            details_html(feedback), polished_html(feedback), follow_ups_html(feedback)]
    return [drawings_as_text(h) for h in html]


def with_every_finding(feedback):
    """`feedback` plus what the stand-in coach does not find: grammar, a misheard term, a
    long pause and a pronunciation hint, each on words of the transcript."""
    words = feedback.transcript.words
    grammar = GrammarReport(True, "LanguageTool", (GrammarFinding(
        " ".join(w.text for w in words[1:3]), "Agreement", "fixed words", ("fixed words",),
        "AGREEMENT", "GRAMMAR", words[1].start, 1, 2),))
    last = len(words) - 1
    term = feedback.coverage.missing[0]  # every answer here misses one
    heard = HeardAs(term, words[last].text, words[last].start, 0.7, last, 1)
    coverage = replace(feedback.coverage, heard_as=(heard,), missing=feedback.coverage.missing[1:])
    pause = Pause(words[0].end, 1.4, "clause", words[0].text, words[1].text)
    hint = PronunciationHint(term, words[last].text, words[last].start, "heard_as",
                             "ˈmɛməɹi mæks", "MEM-uh-ree max", 0.41)
    return replace(feedback, grammar=grammar, coverage=coverage,
                   pauses=PauseReport((pause,), 1.4), pronunciation=PronunciationReport((hint,)))


@pytest.mark.parametrize("text", ANSWERS)
def test_a_kept_record_draws_the_same_feedback(tmp_path, text):
    feedback = with_every_finding(TextCoach().analyze(said_in(tmp_path, text), OOM))
    record = json.loads(json.dumps(feedback.to_dict()))  # as the history keeps it
    assert views(kept_feedback(record, OOM)) == views(feedback)


def test_the_marks_land_on_the_words_they_marked(tmp_path):
    feedback = TextCoach().analyze(said_in(tmp_path, ANSWERS[0]), OOM)
    again = kept_feedback(json.loads(json.dumps(feedback.to_dict())), OOM)
    assert [(f.word_index, f.word_count) for f in again.fillers.items] == \
        [(f.word_index, f.word_count) for f in feedback.fillers.items]
    assert [(r.word_index, r.word_count, r.unit) for r in again.fillers.repetitions] == \
        [(r.word_index, r.word_count, r.unit) for r in feedback.fillers.repetitions]
    assert again.coverage.total == feedback.coverage.total
    assert again.coverage.missing == feedback.coverage.missing


def test_a_record_this_version_cannot_read_says_so():
    with pytest.raises(HistoryError, match="cannot show"):
        kept_feedback({"timing": {}, "words": []}, OOM)


DATA = Path(__file__).parents[1] / "data"  # rows older versions wrote (see there)


@pytest.mark.parametrize("path", sorted(DATA.glob("feedback_v*.json")), ids=lambda p: p.stem)
def test_a_row_an_older_version_wrote_draws_in_full(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    scenario = ScenarioLibrary.load().get(data["scenario"]["id"])
    feedback = kept_feedback(data, scenario)
    summary, details, polished, _ = views(feedback)
    assert f"{data['score']['total']} of 100" in summary
    marked = re.findall(r'<mark class="w ([a-z ]+)" title="[^"]*">([^<]+)</mark>', details)
    for heard in data["coverage"]["heard_as"]:
        assert ("heard", heard["heard"]) in marked  # on the words it was heard as
    for hit in data["coverage"]["hits"]:
        assert any("term" in kinds and text == escape(hit["said_as"])
                   for kinds, text in marked), hit
    for issue in data["grammar"]["issues"]:
        assert any("grammar" in kinds and escape(issue["words"]) in text
                   for kinds, text in marked), issue
    guide = re.search(r'data-testid="polished">(.*?)</p>', polished).group(1)
    guide = re.sub(r'<span class="pause"[^>]*>/</span>', "", guide)
    shown = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", guide))).strip()
    assert shown == data["polished"]["text"]
    assert 'data-testid="model-answer"' in polished  # the scenario's, beside it
