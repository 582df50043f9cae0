"""Whisper's word list as the coach's `Word`s, with words it split at a hyphen or dot rejoined.

faster-whisper starts a new word at every token that is a lone punctuation mark, so
"cold-hearted" comes out as " cold" and "-hearted", and "io.max" as " io" and ".max". Stripped
of their spaces and joined with spaces, they would read "cold -hearted" and "io .max" on the
page, and count as two words in the pace and the word error rate. A word without a space before
it belongs to the word before it, as it was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coach.transcript import Word


def whisper_words(raw_words: Iterable[Mapping], offset: float) -> list[Word]:
    """`Word`s on the recording's timeline (`offset` added) from faster-whisper's word dicts
    ("word" with its leading space, "start", "end", "probability")."""
    words: list[Word] = []
    for raw in raw_words:
        text = str(raw["word"]).strip()
        if not text:
            continue
        start = offset + float(raw["start"])
        end = max(offset + float(raw["end"]), start)
        probability = float(raw["probability"])
        if words and not str(raw["word"])[:1].isspace():
            before = words[-1]
            words[-1] = Word(before.text + text, before.start, max(end, before.end),
                             min(before.probability, probability))
        else:
            words.append(Word(text, start, end, probability))
    return words
