"""Text normalisation shared by the analyses: one place for every way words are compared.

- `bare("Killer.")` -> "killer": one word, lowercase, outer punctuation off (fillers, common
  words, pronunciation).
- `phrase_key("Okay, so")` -> "okay so": a phrase compared word by word (the user's fillers).
- `match_tokens` / `word_tokens`: tokens for technical terms, where case, punctuation,
  hyphens, dots and spelled-out letters do not matter; `term_key` joins them ("io.max",
  "I/O max", "io dot max" -> "iomax").
- `letters("memory not max")` -> "memorynotmax": the raw letters, for sound comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from coach.transcript import Word

_SEPARATORS = re.compile(r"[.\-_/\\:]+")
_NON_WORD = re.compile(r"[^a-z0-9']+")


def bare(text: str) -> str:
    """Lowercase, without surrounding punctuation: 'Killer.' -> 'killer', "I'd," -> "i'd"."""
    return re.sub(r"^[^\w']+|[^\w']+$", "", text.lower().replace("’", "'"))


def phrase_key(text: str) -> str:
    """Words lowercased without their punctuation, one space apart: "Okay, so," -> "okay so"."""
    return " ".join(w for w in (bare(part) for part in text.split()) if w)


def letters(text: str) -> str:
    """Only the letters and digits, lowercase: "memory .max" -> "memorymax"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"')]").endswith((".", "?", "!"))


def ends_phrase(text: str) -> bool:
    return text.rstrip("\"')]").endswith((",", ";", ":", "—")) or ends_sentence(text)


# The analyses compare the same few hundred words and terms thousands of times per answer (the
# polished answer is timed after every cut): tokenising is cached, as these functions are pure.
@lru_cache(maxsize=16_384)
def _raw_tokens(text: str) -> tuple[str, ...]:
    lowered = text.lower().replace("’", "'")
    lowered = re.sub(r"\b([a-z])/([a-z])\b", r"\1\2", lowered)  # I/O -> io
    tokens = []
    for chunk in _SEPARATORS.sub(" ", lowered).split():
        token = _NON_WORD.sub("", chunk).strip("'").removesuffix("'s")  # OOMKiller's
        if token and token != "dot":
            tokens.append(token)
    return tuple(tokens)


@dataclass(frozen=True)
class Token:
    text: str
    word_index: int


def _join_spelled_letters(tokens: list[Token]) -> list[Token]:
    """'o', 'o', 'm' -> 'oom' (an acronym spelled out letter by letter)."""
    out: list[Token] = []
    spelled = False  # is out[-1] made only of single letters?
    for token in tokens:
        single = len(token.text) == 1 and token.text.isalpha() and token.text not in ("a", "i")
        if single and out and spelled:
            out[-1] = Token(out[-1].text + token.text, out[-1].word_index)
        else:
            out.append(token)
            spelled = single
    return out


def match_tokens(text: str) -> list[str]:
    """Tokens for matching technical terms regardless of case, punctuation, spacing, hyphens.

    'OOM-killer' -> ['oom', 'killer']; 'I/O max' -> ['io', 'max']; 'io dot max' -> ['io', 'max'];
    'O O M killer' -> ['oom', 'killer']. The spoken word 'dot' is dropped.
    """
    return list(_match_tokens(text))


@lru_cache(maxsize=16_384)
def _match_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in _join_spelled_letters([Token(t, 0) for t in _raw_tokens(text)]))


@lru_cache(maxsize=16_384)
def term_key(text: str) -> str:
    """match_tokens joined: the form key terms are compared in ("OOM-killer" -> "oomkiller")."""
    return "".join(_match_tokens(text))


def word_tokens(words: Iterable[Word | str]) -> list[Token]:
    """match_tokens over a list of words, each token remembering the index of its word."""
    return list(_word_tokens(tuple(w if isinstance(w, str) else w.text for w in words)))


@lru_cache(maxsize=256)
def _word_tokens(texts: tuple[str, ...]) -> tuple[Token, ...]:
    tokens = [Token(t, i) for i, text in enumerate(texts) for t in _raw_tokens(text)]
    return tuple(_join_spelled_letters(tokens))
