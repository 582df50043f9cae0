"""The words a grammar check accepts as spelled right: the field's, and the scenario's.

One vocabulary, built from `coach.lexicon` (its `TECHNICAL_WORDS` and the terms of
`SPOKEN_FORMS`) and, per answer, from the scenario's key terms and their aliases. Entries are
normalised (case-folded, outer punctuation trimmed); a multi-word entry ("OOM killer") is
accepted whole, joined ("oomkiller", "oom-killer") and word by word, since the recogniser may
write it any of those ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from coach.lexicon import SPOKEN_FORMS, TECHNICAL_WORDS

if TYPE_CHECKING:
    from coach.scenarios import Scenario

TRIM = "\"'`“”‘’()[]{}<>,;:!?."


def normalise(word: str) -> str:
    return " ".join(word.split()).strip(TRIM).casefold()


def expand(entries: Iterable[str]) -> frozenset[str]:
    """Normalised entries, each multi-word one also joined, hyphenated and word by word."""
    words: set[str] = set()
    for entry in entries:
        entry = normalise(entry)
        if not entry:
            continue
        words.add(entry)
        parts = [w for w in map(normalise, entry.split()) if w]
        if len(parts) > 1:
            words.update(parts)
            words.add("".join(parts))
            words.add("-".join(parts))
    return frozenset(words)


FIELD_VOCABULARY: frozenset[str] = expand([*TECHNICAL_WORDS, *SPOKEN_FORMS])


def vocabulary(extra_words: Iterable[str] = ()) -> frozenset[str]:
    """The field's vocabulary plus `extra_words` (e.g. a scenario's key terms and aliases)."""
    extra = expand(extra_words)
    return FIELD_VOCABULARY | extra if extra else FIELD_VOCABULARY


def scenario_words(scenario: Scenario) -> list[str]:
    """A scenario's key terms with every spelling of each (aliases included)."""
    return [spelling for term in scenario.key_terms for spelling in term.spellings]
