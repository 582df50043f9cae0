"""`check_transcript`: any engine's raw issues -> the one spoken filter -> issues on the words."""

from __future__ import annotations

from coach.errors import GrammarUnavailable
from coach.grammar import CheckResult, GrammarIssue, check_transcript
from coach.scenarios import KeyTerm, Scenario
from coach.transcript import Transcript

SCENARIO = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?",
                    key_terms=(KeyTerm("ZorpQueue", ("zorp queue",)),))
TEXT = "so the container were restarting and zorpqueue and dmesg filled"


def issue(flagged: str, rule_id: str, category: str, *replacements: str) -> GrammarIssue:
    start = TEXT.index(flagged)
    return GrammarIssue(start, start + len(flagged), flagged, f"About {flagged}.",
                        replacements, rule_id, category)


class Engine:
    """Any engine: returns what it was given, or raises what it was given."""

    name = "Some engine 1.0"

    def __init__(self, result: CheckResult | Exception) -> None:
        self.result = result
        self.texts: list[str] = []

    def check(self, text: str) -> CheckResult:
        self.texts.append(text)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_every_engine_s_raw_issues_go_through_the_one_filter_and_onto_the_words():
    raw = (issue("so", "UPPERCASE_SENTENCE_START", "CASING", "So"),
           issue("were", "COACH_SINGULAR_NOUN_WERE", "GRAMMAR", "was"),
           issue("zorpqueue", "MORFOLOGIK_RULE_EN_US", "TYPOS", "torque"),  # the scenario's
           issue("dmesg", "MORFOLOGIK_RULE_EN_US", "TYPOS", "mess"))  # the field's
    engine = Engine(CheckResult(raw))
    report = check_transcript(engine, Transcript.from_text(TEXT), SCENARIO)
    assert engine.texts == [TEXT]
    assert report.checked and report.engine == "Some engine 1.0" and report.note == ""
    assert [(f.words, f.suggestion, f.word_index, f.word_count) for f in report.issues] == [
        ("were", "was", 3, 1)]
    assert "note" not in report.to_dict()


def test_the_engine_s_note_reaches_the_report():
    note = "LanguageTool stopped answering; it was restarted."
    report = check_transcript(Engine(CheckResult((), note)), Transcript.from_text(TEXT), SCENARIO)
    assert report.checked and report.issues == () and report.note == note
    assert report.to_dict()["note"] == note


def test_an_unavailable_engine_gives_a_report_saying_why():
    error = GrammarUnavailable("LanguageTool stopped answering and could not be restarted: "
                               "grammar not checked.", hint="Java is missing.")
    report = check_transcript(Engine(error), Transcript.from_text(TEXT), SCENARIO)
    assert not report.checked and report.issues == ()
    assert report.reason == str(error) and "could not be restarted" in report.reason
