"""Grammar findings placed in the transcript: which words, when, what to say instead.

The checking itself is an engine (LanguageTool); this module only maps its character offsets
onto the recognised words and packages the result, including "not checked, and why".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.engines.grammar import GrammarIssue
from coach.transcript import Transcript


@dataclass(frozen=True)
class GrammarFinding:
    words: str
    message: str
    suggestion: str
    replacements: tuple[str, ...]
    rule_id: str
    category: str
    start: float  # seconds
    word_index: int
    word_count: int

    def to_dict(self) -> dict:
        return {"words": self.words, "message": self.message, "suggestion": self.suggestion,
                "replacements": list(self.replacements), "rule": self.rule_id,
                "category": self.category, "start": round(self.start, 2)}


@dataclass(frozen=True)
class GrammarReport:
    checked: bool
    engine: str
    issues: tuple[GrammarFinding, ...] = ()
    reason: str = ""  # why it was not checked, and how to fix that

    def to_dict(self) -> dict:
        return {"checked": self.checked, "engine": self.engine, "reason": self.reason,
                "issues": [i.to_dict() for i in self.issues]}


def word_char_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word in `transcript.text`."""
    spans, offset = [], 0
    for word in transcript.words:
        spans.append((offset, offset + len(word.text)))
        offset += len(word.text) + 1
    return spans


def place_issues(transcript: Transcript, issues: Sequence[GrammarIssue], engine: str
                 ) -> GrammarReport:
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
    return GrammarReport(True, engine, tuple(findings))


def not_checked(engine: str, reason: str) -> GrammarReport:
    return GrammarReport(False, engine, (), reason)
