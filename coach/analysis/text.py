"""Text normalisation shared by the analyses: comparable tokens that remember their word."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.transcript import Word

_SEPARATORS = re.compile(r"[.\-_/\\:]+")
_NON_WORD = re.compile(r"[^a-z0-9']+")


def bare(text: str) -> str:
    """Lowercase, without surrounding punctuation: 'Killer.' -> 'killer', "I'd," -> "i'd"."""
    return re.sub(r"^[^\w']+|[^\w']+$", "", text.lower().replace("’", "'"))


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"')]").endswith((".", "?", "!"))


def ends_phrase(text: str) -> bool:
    return text.rstrip("\"')]").endswith((",", ";", ":", "—")) or ends_sentence(text)


def _raw_tokens(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'")
    lowered = re.sub(r"\b([a-z])/([a-z])\b", r"\1\2", lowered)  # I/O -> io
    tokens = []
    for chunk in _SEPARATORS.sub(" ", lowered).split():
        token = _NON_WORD.sub("", chunk).strip("'")
        if token and token != "dot":
            tokens.append(token)
    return tokens


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
    return [t.text for t in _join_spelled_letters([Token(t, 0) for t in _raw_tokens(text)])]


def word_tokens(words: tuple[Word, ...] | list[Word]) -> list[Token]:
    """match_tokens over a transcript, each token remembering the index of its word."""
    tokens = [Token(t, i) for i, w in enumerate(words) for t in _raw_tokens(w.text)]
    return _join_spelled_letters(tokens)
