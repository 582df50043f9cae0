"""Text prepared for a voice: technical terms respelled so a synthesizer says them right.

"dmesg" -> "D mesg", "io.max" -> "I O dot max", "OOMKiller" -> "O O M killer". A scenario's
own `say_as` for a key term wins over the shared lexicon. Terms are found the one way every
part of the coach finds them (`coach.analysis.terms`), as whole words, so "perf" in "perfect"
or "oom" in "OOM-killer" is left alone; punctuation around a term stays. The pause mark " | "
(see coach.analysis.reading_guide) passes through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coach.analysis.terms import find_spans
from coach.lexicon import SPOKEN_FORMS
from coach.scenarios import KeyTerm

_EDGE = re.compile(r"^(\W*)(.*?)((?:['’]s)?\W*)$", re.DOTALL)  # "(", "OOMKiller", "'s,"


def _edge(word: str) -> re.Match[str]:
    """`word` as (leading marks, the word, trailing marks): _EDGE matches any string."""
    match = _EDGE.match(word)
    assert match is not None
    return match


def speakable(text: str, key_terms: Iterable[KeyTerm] = ()) -> str:
    forms: dict[str, str] = {term: spoken for term, (spoken, _) in SPOKEN_FORMS.items()}
    for key in key_terms:
        if key.say_as:
            forms[key.term.lower()] = key.say_as
    words = text.split(" ")
    done: set[int] = set()
    # Longest terms first, so "cgroup v2" wins over "cgroup".
    for term in sorted(forms, key=len, reverse=True):
        if forms[term].lower() == term:
            continue
        for span in find_spans(term, words, whole_words=True):
            indices = range(span.first, span.last + 1)
            if done.intersection(indices) or not all(words[i] for i in indices):
                continue
            lead = _edge(words[span.first]).group(1)
            tail = _edge(words[span.last]).group(3)
            words[span.first] = f"{lead}{forms[term]}{tail}"
            for i in indices[1:]:
                words[i] = ""
            done.update(indices)
    return " ".join(w for w in words if w)
