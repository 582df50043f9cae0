"""A grammar check of an answer, placed in the transcript: which words, when, what to say instead.

`check_transcript` is the whole pipeline for one answer: the engine's raw issues, the one
spoken-language filter (with the scenario's words accepted), then each issue mapped from its
character offsets onto the recognised words. The result says "not checked, and why" when the
engine is unavailable, and carries the engine's note when it had to recover first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.errors import GrammarUnavailable
from coach.grammar.issues import GrammarChecker, GrammarFinding, GrammarIssue
from coach.grammar.spoken_filter import filter_spoken_issues
from coach.grammar.vocabulary import scenario_words
from coach.scenarios import Scenario
from coach.transcript import Transcript


@dataclass(frozen=True)
class GrammarReport:
    checked: bool
    engine: str
    issues: tuple[GrammarFinding, ...] = ()
    reason: str = ""  # why it was not checked, and how to fix that
    note: str = ""  # checked, but something happened on the way (the engine was restarted)

    def to_dict(self) -> dict:
        data = {"checked": self.checked, "engine": self.engine, "reason": self.reason,
                "issues": [i.to_dict() for i in self.issues]}
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> GrammarReport:
        return cls(data["checked"], data["engine"],
                   tuple(GrammarFinding.from_dict(i) for i in data["issues"]), data["reason"],
                   data.get("note", ""))  # written only when there is one


def check_transcript(checker: GrammarChecker, transcript: Transcript, scenario: Scenario
                     ) -> GrammarReport:
    """Check what was said with `checker` and keep what matters for a speaker."""
    engine = getattr(checker, "name", "grammar checker")
    try:
        result = checker.check(transcript.text)
    except GrammarUnavailable as error:
        return not_checked(engine, str(error))
    kept = filter_spoken_issues(result.issues, transcript.text, scenario_words(scenario))
    return place_issues(transcript, kept, engine, note=result.note)


def word_char_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word in `transcript.text`."""
    spans, offset = [], 0
    for word in transcript.words:
        spans.append((offset, offset + len(word.text)))
        offset += len(word.text) + 1
    return spans


def place_issues(transcript: Transcript, issues: Sequence[GrammarIssue], engine: str, *,
                 note: str = "") -> GrammarReport:
    spans = word_char_spans(transcript)
    findings = []
    for issue in issues:
        covered = [i for i, (a, b) in enumerate(spans) if a < issue.end and b > issue.start]
        if not covered:
            continue
        first, last = covered[0], covered[-1]
        suggestion = issue.replacements[0] if issue.replacements else ""
        findings.append(GrammarFinding(
            " ".join(w.text for w in transcript.words[first : last + 1]), issue.message,
            suggestion, tuple(issue.replacements), issue.rule_id, issue.category,
            transcript.words[first].start, first, last - first + 1,
        ))
    return GrammarReport(True, engine, tuple(findings), note=note)


def not_checked(engine: str, reason: str) -> GrammarReport:
    return GrammarReport(False, engine, (), reason)
