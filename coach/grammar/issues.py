"""What a grammar engine returns: `GrammarIssue`s in a `CheckResult`, behind `GrammarChecker`.

An engine (LanguageTool, or any other) only checks text and returns every issue it finds, raw.
Which of them matter in a spoken answer is decided afterwards, for every engine alike, by
`coach.grammar.spoken_filter`; placing them on the recognised words by `coach.grammar.report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GrammarIssue:
    start: int  # character offset in the checked text
    end: int  # exclusive
    text: str  # the flagged words, text[start:end]
    message: str  # the engine's message, plain
    replacements: tuple[str, ...]  # up to 3 suggestions, best first
    rule_id: str
    category: str  # LanguageTool's category ids: GRAMMAR, TYPOS, CASING, PUNCTUATION, STYLE ...


@dataclass(frozen=True)
class CheckResult:
    """One check: every issue found, and a plain note when the engine had to recover first
    (e.g. "LanguageTool stopped answering; it was restarted.")."""

    issues: tuple[GrammarIssue, ...] = ()
    note: str = ""


class GrammarChecker(Protocol):
    name: str  # shown with the results, e.g. "LanguageTool 6.7"

    def check(self, text: str) -> CheckResult:
        """Every issue the engine finds in `text`, unfiltered.

        Raises GrammarUnavailable when the engine is not installed, not running or broken.
        """
        ...


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
                "category": self.category, "start": round(self.start, 2),
                "word_index": self.word_index, "word_count": self.word_count}

    @classmethod
    def from_dict(cls, data: Mapping) -> GrammarFinding:
        return cls(data["words"], data["message"], data["suggestion"],
                   tuple(data["replacements"]), data["rule"], data["category"], data["start"],
                   data["word_index"], data["word_count"])
