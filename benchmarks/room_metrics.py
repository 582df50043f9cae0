"""Scores for the real-room benchmark (benchmarks/room_accuracy.py): pure functions, no I/O.

* `normalize_words` / `word_errors` / `word_error_rate`: WER on normalized words (lowercase,
  punctuation out, so "memory.max" is "memory max"; numbers written out as words, so Whisper's
  "10 meters" matches "ten meters" and "137" is "one hundred thirty seven" on both sides).
  jiwer computes it when installed, a word Levenshtein otherwise; both count the same.
* `score_terms`: key-term decisions. Every term the answer said or deliberately left out is one
  decision: right when said and credited, or not said and not credited. A false credit is a
  term credited that was not said.
* `score_fillers`: filler precision/recall by counts per answer (the ground truth has no times).
  Vocal fillers (um, uh, er, hmm ...) are one hesitation sound spelled many ways (Whisper
  writes a spoken "er" as "uh"), so they match by number; discourse fillers match by words.
* `words_per_minute` / `wpm_error`: |predicted - true| / true, true = word count over the
  speaking time of the ground truth (manifest `true_wpm`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

VOCAL_FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "err", "hmm", "hm", "ah", "mm"})
_NOT_WORD = re.compile(r"[^a-z0-9']+")
_DIGIT_GROUPS = re.compile(r"(?<=\d),(?=\d{3})")  # 1,000 -> 1000


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> list[str]:
    """0 <= n < 10**9 in words, without "and": 137 -> one hundred thirty seven."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + (number_words(n % 10) if n % 10 else [])
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = number_words(n % size) if n % size else []
            return number_words(n // size) + [name] + rest
    raise ValueError(n)


def normalize_words(text: str) -> list[str]:
    lowered = _DIGIT_GROUPS.sub("", text.lower().replace("\u2019", "'"))
    words = []
    for w in _NOT_WORD.split(lowered):
        w = w.strip("'")
        if w.isdigit() and len(w) < 10:
            words += number_words(int(w))
        elif w:
            words.append(w)
    return words


def _levenshtein(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference word count) on normalized words."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return len(hyp), 0
    try:
        import jiwer
    except ImportError:
        return _levenshtein(ref, hyp), len(ref)
    out = jiwer.process_words(" ".join(ref), " ".join(hyp) or "")
    return out.substitutions + out.deletions + out.insertions, len(ref)


def word_error_rate(reference: str, hypothesis: str) -> float:
    errors, count = word_errors(reference, hypothesis)
    return errors / count if count else float(errors > 0)


@dataclass(frozen=True)
class TermScore:
    right: int  # said and credited + not said and not credited
    decisions: int  # terms said + terms deliberately not said
    false_credits: int  # credited but not said
    missed: int  # said but not credited
    not_said: int  # decisions that were "not said"


def score_terms(said: list[str], not_said: list[str], credited: set[str]) -> TermScore:
    hits = sum(1 for t in said if t in credited)
    false_credits = sum(1 for t in not_said if t in credited)
    right = hits + len(not_said) - false_credits
    return TermScore(
        right, len(said) + len(not_said), false_credits, len(said) - hits, len(not_said)
    )


@dataclass(frozen=True)
class FillerScore:
    true_positives: int
    false_positives: int
    false_negatives: int


def _filler_counts(fillers: list[str]) -> Counter:
    return Counter(
        "<vocal>" if f.lower() in VOCAL_FILLERS else " ".join(normalize_words(f)) for f in fillers
    )


def score_fillers(predicted: list[str], truth: list[str]) -> FillerScore:
    """predicted and truth are filler texts ("um", "you know", "like") of one answer."""
    p, t = _filler_counts(predicted), _filler_counts(truth)
    tp = sum((p & t).values())
    return FillerScore(tp, sum(p.values()) - tp, sum(t.values()) - tp)


def precision_recall(score: FillerScore) -> tuple[float, float]:
    """(precision, recall); 1.0 where nothing was predicted / nothing was there to find."""
    found = score.true_positives + score.false_positives
    there = score.true_positives + score.false_negatives
    return (
        score.true_positives / found if found else 1.0,
        score.true_positives / there if there else 1.0,
    )


def words_per_minute(words: list[tuple[str, float, float]]) -> float | None:
    """Words over the time from the first word's start to the last word's end."""
    if len(words) < 2 or words[-1][2] <= words[0][1]:
        return None
    return len(words) * 60.0 / (words[-1][2] - words[0][1])


def wpm_error(predicted: float | None, true_wpm: float) -> float:
    """Relative error; a missing prediction counts as fully wrong (1.0)."""
    if predicted is None or true_wpm <= 0:
        return 1.0
    return abs(predicted - true_wpm) / true_wpm


def add_scores(scores: list) -> object:
    """Field-wise sum of TermScore or FillerScore values (for a whole condition)."""
    kind = type(scores[0])
    return kind(*(sum(getattr(s, f) for s in scores) for f in kind.__dataclass_fields__))
