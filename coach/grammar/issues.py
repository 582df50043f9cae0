"""What a grammar engine returns: `GrammarIssue`s in a `CheckResult`, behind `GrammarChecker`.

An engine (LanguageTool, or any other) only checks text and returns every issue it finds, raw.
Which of them matter in a spoken answer is decided afterwards, for every engine alike, by
`coach.grammar.spoken_filter`; placing them on the recognised words by `coach.grammar.report`.
"""

from __future__ import annotations

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
