"""Hallucination checks for one decoded chunk, and the rule that picks among re-decodes.

The coach prompts every chunk with the scenario's key terms (see transcriber.py). In noise the
prompt can take over: a 14.5 s noisy answer came back as "Thanks for the past, retryable
errors, retryable errors, retryable errors, retryable errors. ..." (eight seconds of speech
lost, a prompt term put in the speaker's mouth four times). Pure functions, no model:

- `Candidate`: one decode of a piece of audio (its words, whether it used the key-term
  prompt, its average log-probability, its gzip ratio).
- `suspicion`: why a candidate is not to be trusted as is, or "" when it is: an n-gram
  repeated back to back (`repeated_ngram`), a prompt key term said more often than anyone
  says a term in a few seconds (`prompt_term_counts`), a loop (gzip ratio), words covering
  far less of the chunk's speech than a speaker would fill, or a very low log-probability.
- `choose`: the candidate to keep among the prompted decode and its re-decodes:
  1. never a candidate that loops (a repeated n-gram or gzip ratio), unless all do;
  2. when the prompted decode looped, never a prompted candidate carrying a prompt term that
     the unprompted decode of the same audio lacks: the prompt, not the speaker, said it;
  3. then the one whose words cover the speech best (in steps of COVERAGE_STEP: word-count
     coverage is coarse, a word more or less is no evidence);
  4. then the higher average log-probability; ties keep the earlier candidate (the prompted
     decode first), so a clean chunk never changes.
- `without_squeezed_tail`: the words of a chunk without a tail Whisper made up after the
  speech ended ("... more memory. I don't know what that means." in noise): words that the
  alignment can only squeeze into the chunk's last frames, at under SQUEEZED_WORD_S a word,
  with a low mean probability. No audio fits them, so no speaker said them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from coach.transcript import Word

MAX_COMPRESSION_RATIO = 2.4  # gzip ratio of a chunk's text above which it is a loop
MIN_SPEECH_COVERAGE = 0.9  # per chunk; whole-file truncations measured 0.18 and 0.75
MIN_AVG_LOGPROB = -1.0  # Whisper's own threshold for a decode not to be trusted
MAX_TERM_REPEATS = 2  # a prompt term said 3 times in one chunk (< 30 s) is the prompt talking
COVERAGE_STEP = 0.1
SQUEEZED_TAIL_WORDS = 3  # fewer words squeezed at the end are no evidence
SQUEEZED_WORD_S = 0.1  # under this per word: 10 words a second, twice the fastest speech
SQUEEZED_PROBABILITY = 0.5  # and Whisper unsure of them (mean probability below this)
_NOT_WORD = re.compile(r"[^a-z0-9']+")


def normalized(text: str) -> list[str]:
    return [w for w in _NOT_WORD.split(text.lower()) if w]


@dataclass(frozen=True)
class Candidate:
    words: tuple[Word, ...]
    prompted: bool  # decoded with the key-term prompt
    avg_logprob: float
    compression_ratio: float
    coverage: float = 1.0  # share of the chunk's speech the words cover (speech_coverage)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def compression_ratio(text: str) -> float:
    data = text.strip().encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def repeated_ngram(words: Sequence[str], max_n: int = 4) -> tuple[str, int] | None:
    """The longest-running n-gram said back to back: 3+ times for 2-4 words, 4+ for one word
    (a stutter "I, I, I" is speech; "retryable errors" four times in a row is a loop)."""
    best: tuple[str, int] | None = None
    for n in range(1, max_n + 1):
        need = 4 if n == 1 else 3
        i = 0
        while i + n <= len(words):
            gram, runs = words[i : i + n], 1
            while words[i + runs * n : i + (runs + 1) * n] == gram:
                runs += 1
            if runs >= need and (best is None or runs * n > best[1] * len(best[0].split())):
                best = (" ".join(gram), runs)
            i += max(1, (runs - 1) * n) if runs > 1 else 1
    return best


def prompt_term_counts(words: Sequence[str], terms: Sequence[str]) -> dict[str, int]:
    """How often each key term's words occur in order in `words` (normalized), where > 0."""
    counts = {}
    for term in terms:
        gram = normalized(term)
        if not gram:
            continue
        n = sum(1 for i in range(len(words) - len(gram) + 1)
                if list(words[i : i + len(gram)]) == gram)
        if n:
            counts[term] = n
    return counts


def loops(candidate: Candidate) -> bool:
    return (candidate.compression_ratio > MAX_COMPRESSION_RATIO
            or repeated_ngram(normalized(candidate.text)) is not None)


def suspicion(candidate: Candidate, terms: Sequence[str] = ()) -> str:
    """Why the decode may be a hallucination ("" when nothing is wrong with it)."""
    words = normalized(candidate.text)
    looped = repeated_ngram(words)
    if looped:
        return f"{looped[0]!r} repeated {looped[1]} times"
    if candidate.compression_ratio > MAX_COMPRESSION_RATIO:
        return f"text loops (gzip ratio {candidate.compression_ratio:.1f})"
    if candidate.prompted:
        overused = [t for t, n in prompt_term_counts(words, terms).items() if n > MAX_TERM_REPEATS]
        if overused:
            return f"prompt term {overused[0]!r} said {MAX_TERM_REPEATS + 1}+ times"
    if candidate.coverage < MIN_SPEECH_COVERAGE:
        return f"words cover {candidate.coverage:.0%} of the speech"
    if candidate.words and candidate.avg_logprob < MIN_AVG_LOGPROB:
        return f"low confidence (avg log-prob {candidate.avg_logprob:.2f})"
    return ""


def _prompt_only_terms(candidate: Candidate, unprompted: Candidate, terms: Sequence[str]) -> bool:
    said = prompt_term_counts(normalized(candidate.text), terms)
    heard = prompt_term_counts(normalized(unprompted.text), terms)
    return any(t not in heard for t in said)


def choose(candidates: Sequence[Candidate], terms: Sequence[str] = ()) -> Candidate:
    """The candidate to keep (rule in the module docstring); candidates[0] is the prompted
    decode of the whole chunk."""
    first = candidates[0]
    pool = [c for c in candidates if not loops(c)] or list(candidates)
    unprompted = next((c for c in candidates if not c.prompted), None)
    if unprompted is not None and loops(first):
        honest = [c for c in pool if not (c.prompted
                                          and _prompt_only_terms(c, unprompted, terms))]
        pool = honest or pool
    return max(pool, key=lambda c: (round(c.coverage / COVERAGE_STEP), c.avg_logprob,
                                    -candidates.index(c)))


def without_squeezed_tail(words: Sequence[Word]) -> list[Word]:
    """`words` without the longest tail of SQUEEZED_TAIL_WORDS+ words squeezed into under
    SQUEEZED_WORD_S each (first start to last end), with a mean probability under
    SQUEEZED_PROBABILITY; all the words when there is no such tail."""
    words = list(words)
    for first in range(len(words) - SQUEEZED_TAIL_WORDS + 1):  # the longest tail first
        tail = words[first:]
        if (tail[-1].end - tail[0].start < SQUEEZED_WORD_S * len(tail)
                and sum(w.probability for w in tail) / len(tail) < SQUEEZED_PROBABILITY):
            return words[:first]
    return words
