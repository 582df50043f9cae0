"""Grammar feedback on a spoken answer.

    report = check_transcript(LanguageToolChecker(), transcript, scenario)

- issues.py: what an engine returns (`GrammarIssue`, `CheckResult`) and the `GrammarChecker`
  interface every engine implements: it only checks text and returns the raw issues.
- spoken_filter.py: the one filter that keeps, from any engine's issues, what matters in a
  spoken answer (no punctuation or capitals, no complaints about the field's words).
- vocabulary.py: the words accepted as spelled right: coach.lexicon's and the scenario's.
- report.py: `check_transcript` (engine -> filter -> issues placed on the recognised words),
  `GrammarReport` and `GrammarFinding`.
- languagetool.py: the LanguageTool engine; languagetool_server.py runs its Java server (and
  restarts it when it hangs) under watched_process.py, languagetool_http.py talks to it,
  languagetool_install.py finds the jars and coach_rules.xml, coach's extra LanguageTool rules.

The engines are imported only where they are used (they are heavy to start, not to import).
"""

from coach.grammar.issues import CheckResult, GrammarChecker, GrammarIssue
from coach.grammar.report import (
    GrammarFinding,
    GrammarReport,
    check_transcript,
    not_checked,
    place_issues,
)

__all__ = [
    "CheckResult",
    "GrammarChecker",
    "GrammarFinding",
    "GrammarIssue",
    "GrammarReport",
    "check_transcript",
    "not_checked",
    "place_issues",
]
