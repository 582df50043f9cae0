"""Key-term matching: the one way a term is found in words, used by every part of the coach.

A term is found where consecutive words, as `match_tokens`, join up to the term or one of its
aliases (`term_key`): case, punctuation, spacing, hyphens, dots and spelled-out letters do not
matter ("OOM-killer", "oom killer", "O O M killer"; "I/O max", "io dot max", "io.max"). Tokens
are compared whole, so "perf" is not found in "performance"; a part of a compound counts
("eBPF" in "eBPF-based") unless `whole_words` asks for matches that cover whole words (what
a voice respells must be a whole word: "oom" in "OOM-killer" is not).
Whisper often writes a spoken "dot" as "not" or "that" ("memory not max"); those count too.

Users: coverage (was it said, where), polish (which sentence carries it), speakable (where to
respell it for a voice), the fixture generator (is it in a script), and the grammar vocabulary
(`is_known_word`: is a flagged word one of ours, also as a plural or possessive).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from coach.analysis.text import Token, match_tokens, term_key, word_tokens
from coach.scenarios import KeyTerm
from coach.transcript import Word

DOT_AS_WRITTEN = ("not", "that")
_ENDINGS = ("'s", "’s", "es", "s")  # plural and possessive forms of a known word


@dataclass(frozen=True)
class WordSpan:
    """Words `first` to `last` (inclusive) of a list of words."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def spelling_keys(spellings: Iterable[str]) -> frozenset[str]:
    """The keys a term can be found by: each spelling, and dotted names with "not"/"that"."""
    spellings = [s for s in spellings if term_key(s)]
    keys = {term_key(s) for s in spellings}
    keys |= {term_key(s.replace(".", f" {word} ")) for s in spellings if "." in s
             for word in DOT_AS_WRITTEN}
    return frozenset(keys)


def _spellings(term: KeyTerm | str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(term, KeyTerm):
        return term.spellings
    return (term,) if isinstance(term, str) else tuple(term)


def _spans(keys: frozenset[str], tokens: list[Token], longest: int, whole_words: bool
           ) -> Iterator[WordSpan]:
    """Every place (left to right, not overlapping) where tokens join up to one of `keys`."""
    start = 0
    while start < len(tokens):
        joined, found = "", None
        for end in range(start, min(start + longest, len(tokens))):
            joined += tokens[end].text
            if joined in keys and (not whole_words or _whole_words(tokens, start, end)):
                found = end
            if not any(k.startswith(joined) for k in keys):
                break
        if found is None:
            start += 1
            continue
        yield WordSpan(tokens[start].word_index, tokens[found].word_index)
        start = found + 1


def _whole_words(tokens: list[Token], start: int, end: int) -> bool:
    before = start == 0 or tokens[start - 1].word_index != tokens[start].word_index
    after = end + 1 >= len(tokens) or tokens[end + 1].word_index != tokens[end].word_index
    return before and after


def find_spans(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str], *,
               whole_words: bool = False) -> list[WordSpan]:
    """Every place the term (or an alias) was said in `words`, in order."""
    spellings = _spellings(term)
    keys = spelling_keys(spellings)
    if not keys:
        return []
    longest = max(len(match_tokens(s)) for s in spellings) + 2
    return list(_spans(keys, word_tokens(words), longest, whole_words))


def find_first(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str]
               ) -> WordSpan | None:
    spans = find_spans(term, words)
    return spans[0] if spans else None


def mentions(text: str, term: KeyTerm | str | Sequence[str]) -> bool:
    """Whether a text says the term (or an alias), as whole words."""
    return find_first(term, text.split()) is not None


def vocabulary_keys(words: Iterable[str]) -> frozenset[str]:
    """Keys of accepted words and terms, for `is_known_word` (multi-word terms joined)."""
    return frozenset(k for k in (term_key(w) for w in words) if k)


def is_known_word(word: str, keys: Collection[str]) -> bool:
    """Whether `word` is an accepted word or term, also as a plural or possessive ("PVCs")."""
    cleaned = word.strip().strip("\"'`“”‘’()[]{}<>,;:!?.")
    if term_key(cleaned) in keys:
        return True
    lowered = cleaned.lower()
    return any(lowered.endswith(e) and term_key(lowered[: -len(e)]) in keys for e in _ENDINGS)
