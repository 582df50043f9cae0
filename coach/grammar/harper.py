"""Grammar checking without Java: Harper (harper-py, Apache-2.0), in process, from pip alone.

The fallback when LanguageTool cannot run (no Java, or LanguageTool not installed): ~0.5 s to
build the linter once, then milliseconds a check. It has fewer rules than LanguageTool. It
returns the same `GrammarIssue`s, with Harper's lint kinds mapped onto LanguageTool's category
ids so the one spoken-language filter (coach/grammar/spoken_filter.py) treats both engines
alike, plus coach's noun agreement rules (harper_agreement.py), which Harper lacks.

Harper's spell check is off: its dictionary is small ("poller", "restartable", "tcpdump" are
"misspelt" to it) and a speech recogniser writes real words, so in a transcript its spelling
complaints were nearly all false, and their first suggestion would be written into the
polished answer ("poller" -> "polled").
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from coach.errors import GrammarUnavailable
from coach.grammar.harper_agreement import agreement_issues
from coach.grammar.issues import CheckResult, GrammarIssue
from coach.grammar.vocabulary import FIELD_VOCABULARY

if TYPE_CHECKING:  # harper is imported when the checker is first used
    from harper import Linter

MAX_REPLACEMENTS = 3
INSTALL_HINT = "pip install harper-py (coach's dependencies include it)."

# Harper's lint kind -> the LanguageTool category id for the same kind of problem.
KIND_CATEGORIES: dict[str, str] = {
    "Agreement": "GRAMMAR",
    "Grammar": "GRAMMAR",
    "Nonstandard": "GRAMMAR",
    "Typo": "TYPOS",
    "Spelling": "TYPOS",
    "Eggcorn": "CONFUSED_WORDS",
    "Malapropism": "CONFUSED_WORDS",
    "WordChoice": "CONFUSED_WORDS",
    "Usage": "MISC",
    "Miscellaneous": "MISC",
    "Capitalization": "CASING",
    "Punctuation": "PUNCTUATION",
    "Formatting": "TYPOGRAPHY",
    "BoundaryError": "COMPOUNDING",  # "alot" / "a lot": sounds the same
    "Style": "STYLE",
    "Enhancement": "STYLE",
    "Readability": "STYLE",
    "Redundancy": "REDUNDANCY",
    "Repetition": "REPETITIONS_STYLE",
    "Regionalism": "AMERICAN_ENGLISH_STYLE",
}
# Rules whose kind says less than the rule does: these are about speech habits that coach's
# filler and repetition analyses report already ("um", "the the"), not grammar.
DISABLED_RULES = ("SpellCheck",)
RULE_CATEGORIES: dict[str, str] = {
    "FillerWords": "STYLE",
    "RepeatedWords": "REPETITIONS_STYLE",
    "TheTheToThatThe": "REPETITIONS_STYLE",
}
_BACKTICKED = re.compile(r"`([^`]*)`")


def category_for(rule: str, kind: str) -> str:
    """The LanguageTool category id of a Harper lint (see KIND_CATEGORIES, RULE_CATEGORIES)."""
    if rule in RULE_CATEGORIES:
        return RULE_CATEGORIES[rule]
    if rule.startswith("Expand"):  # "config" -> "configuration", "ms" -> "milliseconds"
        return "STYLE"  # written-style advice: both are fine said aloud
    return KIND_CATEGORIES.get(kind, "MISC")


class HarperChecker:
    """`GrammarChecker` backed by harper-py's `Linter`, built once and reused (one at a time:
    a Linter is not thread-safe)."""

    def __init__(self, *, name: str = "Harper") -> None:
        self.name = name
        self._linter: Linter | None = None
        self._lock = threading.Lock()

    def _load(self) -> Linter:
        if self._linter is None:
            try:
                from harper import Linter
            except ImportError:
                raise GrammarUnavailable("Harper (harper-py) is not installed.",
                                         hint=INSTALL_HINT) from None
            linter = Linter()
            linter.set_lint_config({**linter.get_lint_config(),
                                    **dict.fromkeys(DISABLED_RULES, False)})
            self._linter = linter
        return self._linter

    def start_in_background(self) -> None:
        threading.Thread(target=self._load_quietly, name="harper-load", daemon=True).start()

    def _load_quietly(self) -> None:
        try:
            with self._lock:
                self._load()
        except GrammarUnavailable:
            pass  # raised again by the first check

    def close(self) -> None:
        """Nothing to stop: Harper runs in this process."""

    def check(self, text: str) -> CheckResult:
        if not text.strip():
            return CheckResult()
        accepted = FIELD_VOCABULARY  # the field's words count as nouns ("the OOMKiller have")
        with self._lock:
            lints = self._load().organized_lints(text, language="plaintext")
        issues = [issue_from_lint(rule, lint) for rule, found in lints.items() for lint in found
                  if not _doubtful(rule, lint, text, accepted)]
        issues += [extra for extra in agreement_issues(text, known_nouns=accepted)
                   if not any(i.start < extra.end and extra.start < i.end for i in issues)]
        return CheckResult(tuple(sorted(issues, key=lambda issue: (issue.start, issue.end))))


def _doubtful(rule: str, lint, text: str, accepted: frozenset[str]) -> bool:
    """Lints that Harper raises on correct technical speech (seen on the scenario library)."""
    if rule == "MassNouns":  # "each holding a lock": a verb in -ing, not a mass noun
        return lint.problem_text.endswith("ing")
    if rule == "AnA":  # "a tcpdump": for jargon, Harper guesses the sound of the next word
        following = text[lint.span.end:].split(maxsplit=1)
        return bool(following) and following[0].strip(".,;:!?").casefold() in accepted
    return False


def issue_from_lint(rule: str, lint) -> GrammarIssue:
    replacements = []
    for suggestion in lint.suggestions:
        kind = int(suggestion.kind)  # harper.SuggestionKind: REPLACE 0, REMOVE 1, INSERT_AFTER 2
        text = suggestion.replacement_text
        replacements.append(lint.problem_text + text if kind == 2 else "" if kind == 1 else text)
    return GrammarIssue(
        start=lint.span.start,
        end=lint.span.end,
        text=lint.problem_text,
        message=_BACKTICKED.sub(r"‘\1’", lint.message).strip(),
        replacements=tuple(dict.fromkeys(replacements))[:MAX_REPLACEMENTS],
        rule_id=rule,
        category=category_for(rule, lint.lint_kind),
    )
