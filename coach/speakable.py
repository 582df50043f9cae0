"""Text prepared for a voice: technical terms respelled so a synthesizer says them right.

"dmesg" -> "D mesg", "io.max" -> "I O dot max", "OOMKiller" -> "O O M killer". A scenario's
own `say_as` for a key term wins over the shared lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coach.lexicon import SPOKEN_FORMS
from coach.scenarios import KeyTerm


def _pattern(term: str) -> re.Pattern:
    # Whole-term match; the term may be followed by punctuation ("dmesg," "io.max.").
    return re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w]|\.\w)", re.IGNORECASE)


def speakable(text: str, key_terms: Iterable[KeyTerm] = ()) -> str:
    forms: dict[str, str] = {term: spoken for term, (spoken, _) in SPOKEN_FORMS.items()}
    for key in key_terms:
        if key.say_as:
            forms[key.term.lower()] = key.say_as
    # Longest terms first, so "cgroup v2" wins over "cgroup".
    for term in sorted(forms, key=len, reverse=True):
        if forms[term].lower() != term:
            text = _pattern(term).sub(forms[term], text)
    return text
