"""Which grammar issues are worth showing for a SPOKEN answer. Pure functions, no I/O.

Grammar engines check written English. The text they get here is a Whisper transcript: capitals,
commas, full stops, quotes and hyphens were chosen by the speech recogniser, not the speaker,
and infrastructure jargon is missing from its dictionary. `filter_spoken_issues` keeps what a
speaker can actually get wrong out loud (agreement: "the container were", "it show", "we
doesn't", "there is many"; tense; articles; wrong or misheard words) and drops:

1. whole categories about writing, not speech (`DROPPED_CATEGORIES`, each with its reason);
2. rules about writing that live in kept categories (`DROPPED_RULES`, each with its reason);
3. issues on a span with no letter or digit (stray spaces and punctuation, whatever the rule);
4. issues whose fix sounds the same as the flagged words, i.e. differs only in case,
   punctuation, apostrophes, hyphens or spaces ("its" vs "it's", "e-mail" vs "email", a
   misspelling "cpu" whose first suggestion is "CPU");
5. misspelling complaints about technical words: the vocabulary of coach/grammar/vocabulary.py
   (the field's words and the caller's accepted words, a scenario's key terms and aliases),
   compounds of them ("eBPF-based") and identifier-shaped tokens such as "memory.events",
   "/proc/meminfo" or "kube_pod_info" (see `is_accepted_word`).

It is the one filter: it runs on the raw issues of any engine (`GrammarChecker`).

Spelling complaints about other words are kept: in a transcript they usually mean the
recogniser misheard a word, which is worth seeing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coach.grammar.issues import GrammarFinding, GrammarIssue
from coach.grammar.vocabulary import TRIM, normalise, vocabulary

# Category ids of LanguageTool 6.7 (English) whose issues never concern the spoken words.
DROPPED_CATEGORIES: dict[str, str] = {
    "CASING": "capital letters are not spoken; the recogniser chose them",
    "PUNCTUATION": "commas and full stops are the recogniser's guesses at pauses",
    "TYPOGRAPHY": "quotes, dashes, spaces and symbols are not spoken",
    "COMPOUNDING": "'log file' / 'logfile' / 'log-file' sound the same",
    "STYLE": "written-style advice (wordiness, word choice); not errors in a spoken answer",
    "REDUNDANCY": "'end result', 'past history': style, not grammar",
    "PLAIN_ENGLISH": "written-style advice",
    "REPETITIONS_STYLE": "'you used this word often': style, and repetition is normal in speech",
    "TEXT_ANALYSIS": "readability statistics",
    "WIKIPEDIA": "encyclopedia style",
    "CREATIVE_WRITING": "fiction style",
    "TON_ACADEMIC": "academic-writing tone",
    "AMERICAN_ENGLISH_STYLE": "US/UK word preferences are both fine in an interview",
    "BRITISH_ENGLISH": "US/UK word preferences are both fine in an interview",
    "PROPER_NOUNS": "spelling of names: the recogniser's, not the speaker's",
    "MULTITOKEN_SPELLING": "spelling of multi-word names: the recogniser's, not the speaker's",
}

# Rule ids dropped whatever their category (some sit in kept categories such as MISC, and
# naming the writing rules explicitly keeps them out even if LanguageTool re-files them).
DROPPED_RULES: dict[str, str] = {
    "UPPERCASE_SENTENCE_START": "capital at sentence start: not spoken",
    "LC_AFTER_PERIOD": "fires inside dotted names such as memory.events; case is not spoken",
    "I_LOWERCASE": "'i' vs 'I': not spoken",
    "PUNCTUATION_PARAGRAPH_END": "missing final full stop: the recogniser's",
    "EN_SENTENCE_END_PUNCTUATION": "missing final punctuation: the recogniser's",
    "WHITESPACE_RULE": "repeated spaces: not spoken",
    "SENTENCE_WHITESPACE": "missing space between sentences: not spoken",
    "COMMA_PARENTHESIS_WHITESPACE": "space before a comma or bracket: not spoken",
    "DOUBLE_PUNCTUATION": "'..' or ',,': not spoken",
    "UNPAIRED_BRACKETS": "brackets and quotes: not spoken",
    "EN_UNPAIRED_BRACKETS": "brackets and quotes: not spoken",
    "EN_UNPAIRED_QUOTES": "brackets and quotes: not spoken",
    "EN_QUOTES": "straight vs curly quotes: not spoken",
    "DASH_RULE": "hyphen vs dash: not spoken",
    "EN_COMMA_WHITESPACE": "spaces around commas: not spoken",
    "ENGLISH_WORD_REPEAT_RULE": "'the the' is a disfluency of speech, not a grammar error",
    "ENGLISH_WORD_REPEAT_BEGINNING_RULE": "same first word in a row: style",
    "TOO_LONG_SENTENCE": "sentence length is the recogniser's segmentation",
    "EN_PLAIN_ENGLISH_REPLACE": "written-style advice",
}

# Categories and rules that complain about the spelling of a word, rather than its grammar.
_SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING", "PROPER_NOUNS", "CASING"})
_SPELLING_RULE = re.compile(r"MORFOLOGIK|HUNSPELL|SPELL", re.IGNORECASE)

_IDENTIFIER = re.compile(r"\w[./_:]+\w|^/\w")  # memory.events, kube_pod_info, /proc/meminfo
_AUDIBLE = re.compile(r"[\W_]+")  # what does not change how a word sounds


def filter_spoken_issues(
    issues: Sequence[GrammarIssue], text: str, accepted_words: Iterable[str] = ()
) -> list[GrammarIssue]:
    """The issues worth showing a speaker, in their original order (see the module doc)."""
    accepted = vocabulary(accepted_words)
    return [
        issue
        for issue in issues
        if issue.category not in DROPPED_CATEGORIES
        and issue.rule_id not in DROPPED_RULES
        and _has_words(issue.text)
        and not _sounds_the_same(issue)
        and not (is_spelling_issue(issue) and is_accepted_word(issue, text, accepted))
    ]


def is_spelling_issue(issue: GrammarIssue | GrammarFinding) -> bool:
    """An engine's issue, or one placed on the words: both have its category and rule."""
    return issue.category in _SPELLING_CATEGORIES or bool(_SPELLING_RULE.search(issue.rule_id))


def is_accepted_word(issue: GrammarIssue, text: str, accepted: frozenset[str]) -> bool:
    """Whether the flagged words are an accepted term, or a piece of one.

    Matches the flagged words themselves ("cgroup", "OOM killer"), with a plural or possessive
    ending ("cgroups", "PVCs", "kubelet's"), a hyphenated compound with an accepted part
    ("eBPF-based"), and the whole token around them, so "events" flagged inside
    "memory.events" or "io" inside "io.max" count. A token shaped like an identifier (dots,
    slashes, underscores or colons between word characters) is accepted as a whole: it was
    read out as a name, not as English.
    """
    flagged = normalise(issue.text)
    if _is_known(flagged, accepted):
        return True
    # LanguageTool flags a whole compound for its unknown part: "eBPF-based", "cgroup-aware".
    if "-" in flagged and any(_is_known(part, accepted) for part in flagged.split("-")):
        return True
    token = _token_around(issue, text)
    if not token:
        return False
    return _is_known(normalise(token), accepted) or bool(_IDENTIFIER.search(token))


def _is_known(word: str, accepted: frozenset[str]) -> bool:
    if not word:
        return False
    if word in accepted:
        return True
    for ending in ("'s", "’s", "es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in accepted:
            return True
    return False


def _token_around(issue: GrammarIssue, text: str) -> str:
    """The whitespace-delimited token(s) containing the issue, outer punctuation trimmed."""
    if text[issue.start : issue.end] != issue.text or issue.start < 0:
        return ""  # offsets are not for this text
    start, end = issue.start, issue.end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(TRIM)


def _has_words(span: str) -> bool:
    return any(c.isalnum() for c in span)


def _sounds_the_same(issue: GrammarIssue) -> bool:
    """Whether the fix changes nothing a listener hears.

    For a grammar issue every suggestion must sound the same. For a misspelling the first one
    is enough: LanguageTool ranks it first when only case or hyphens differ ("cpu" -> "CPU").
    """
    if not issue.replacements:
        return False
    heard = _AUDIBLE.sub("", issue.text).casefold()
    suggestions = issue.replacements[:1] if is_spelling_issue(issue) else issue.replacements
    return all(_AUDIBLE.sub("", r).casefold() == heard for r in suggestions)
