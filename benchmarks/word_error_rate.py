"""Word error rate between what was meant and what was heard, for tests and benchmarks."""

from __future__ import annotations

import re

_NUMBER_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}


def normalize_words(text: str) -> list[str]:
    """Lowercase words without punctuation; hyphens and dots split; small numbers as digits."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[-./_]", " ", text)
    words = re.sub(r"[^a-z0-9' ]+", " ", text).split()
    return [_NUMBER_WORDS.get(w.strip("'"), w.strip("'")) for w in words if w.strip("'")]


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)
