"""Guards against Whisper's repetition loops ("dial 5.0.0.0.0.0...", "the system the system ..."),
its split file names ("memory .events"), tools it writes as a letter and a word ("s trace") and
the words it glues to a key term ("perf.top").

Pure functions over recognised words. Decoding options prevent most loops (see the
transcriber); these catch what slips through, keeping real speech repetitions such as
"retry, retry" (two occurrences) intact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.lexicon import SPOKEN_FORMS
from coach.transcript import Word

MAX_REPEATS = 4  # "CQ, CQ, CQ, CQ" happens in real speech; 5+ identical runs are loops
_INTRA_WORD_LOOP = re.compile(r"((?:[.,:\-]?\w{1,3}))\1{4,}")


def _norm(word: Word) -> str:
    return re.sub(r"[^\w']", "", word.text.lower())


def collapse_intra_word_loops(words: list[Word]) -> tuple[list[Word], int]:
    """'5.0.0.0.0.0.0' -> '5.0.0'; returns the words and how many were shortened."""
    fixed, count = [], 0
    for word in words:
        new_text = _INTRA_WORD_LOOP.sub(lambda m: m.group(1) * 2, word.text)
        if new_text != word.text:
            count += 1
            word = Word(new_text, word.start, word.end, word.probability)
        fixed.append(word)
    return fixed, count


def cut_repeated_ngrams(words: list[Word], max_n: int = 8) -> tuple[list[Word], int]:
    """Drop runs where the same 1..max_n words repeat more than MAX_REPEATS times in a row.

    The first two occurrences are kept (so the transcript still shows the speaker repeated
    something); returns the words and the number of words removed.
    """
    keys = [_norm(w) for w in words]
    keep = [True] * len(words)
    i = 0
    while i < len(words):
        cut_here = False
        for n in range(1, max_n + 1):
            gram = keys[i : i + n]
            if len(gram) < n or not any(gram):
                break
            repeats = 1
            while keys[i + repeats * n : i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats > MAX_REPEATS:
                for j in range(i + 2 * n, i + repeats * n):
                    keep[j] = False
                i += repeats * n
                cut_here = True
                break
        if not cut_here:
            i += 1
    kept = [w for w, k in zip(words, keep) if k]
    return kept, len(words) - len(kept)


_DOTTED_TAIL = re.compile(r"^\.[A-Za-z_]")
_NAME_END = re.compile(r"[A-Za-z0-9_]$")


def join_split_names(words: list[Word]) -> list[Word]:
    """"memory" + ".events" -> "memory.events": Whisper sometimes puts a space before the dot
    of a cgroup or config file name, which splits one word (and one key term) in two."""
    joined: list[Word] = []
    for word in words:
        if joined and _DOTTED_TAIL.match(word.text) and _NAME_END.search(joined[-1].text):
            head = joined.pop()
            word = Word(head.text + word.text, head.start, max(word.end, head.start),
                        min(head.probability, word.probability))
        joined.append(word)
    return joined


def remove_repetition_loops(words: list[Word]) -> tuple[list[Word], list[str]]:
    """Both guards; notes say what was cut, for the report."""
    notes: list[str] = []
    words, shortened = collapse_intra_word_loops(words)
    if shortened:
        notes.append(f"shortened {shortened} word(s) with a repeated pattern (recogniser loop)")
    words, removed = cut_repeated_ngrams(words)
    if removed:
        notes.append(f"removed {removed} word(s) of a repetition loop")
    return words, notes


_GLUED_TAIL = re.compile(r"\.([A-Za-z]{2,})([^\w]*)$")


def split_glued_terms(words: list[Word], key_terms: Sequence[str]) -> list[Word]:
    """"perf.top" -> "perf" "top" when "perf" is a key term and "perf.top" is none: prompted
    with dotted file names ("cpu.stat"), Whisper writes the word said after a key term as one
    more dotted part ("memory.events.file" for "memory.events file"). The word's time is shared
    out by letters."""
    terms = {t.lower() for t in key_terms if " " not in t}
    if not terms:
        return words
    out: list[Word] = []
    for word in words:
        head, tail = word.text, _GLUED_TAIL.search(word.text)
        if tail:
            head = word.text[: tail.start()]
        whole = re.sub(r"[^\w.]+$", "", word.text).lower()
        if not tail or head.lower() not in terms or whole in terms:
            out.append(word)
            continue
        rest = tail.group(1) + tail.group(2)
        cut = round(word.start + (word.end - word.start) * len(head) / (len(head) + len(rest)), 2)
        out += [Word(head, word.start, cut, word.probability),
                Word(rest, cut, word.end, word.probability)]
    return out


_LETTERS_THEN_WORD = {key for key in SPOKEN_FORMS if key.isalpha()}
_WORD_AND_PUNCTUATION = re.compile(r"(.*?)(\W*)", re.DOTALL)
_HYPHENED = re.compile(r"([A-Za-z]{1,2})-([A-Za-z]{3,})(\W*)")


def join_spelled_tools(words: list[Word]) -> list[Word]:
    """"s trace" or "s-trace" -> "strace", "C group" -> "cgroup": a tool said as its letters
    and a word (`lexicon.SPOKEN_FORMS`) that Whisper wrote as two words. Only a head
    of one or two letters with a word of three or more after it, whose joined spelling is such
    a tool: "on call" or "I am" are never joined."""
    out: list[Word] = []
    for word in words:
        hyphened = _HYPHENED.fullmatch(word.text)  # "s-trace": the same, in one word
        if hyphened and (hyphened[1] + hyphened[2]).lower() in _LETTERS_THEN_WORD:
            word = Word((hyphened[1] + hyphened[2]).lower() + hyphened[3], word.start, word.end,
                        word.probability)
        elif out:
            head = out[-1].text
            split = _WORD_AND_PUNCTUATION.fullmatch(word.text)
            tail, punctuation = split.groups() if split else (word.text, "")
            joined = (head + tail).lower()
            if (len(head) <= 2 and len(tail) >= 3 and head.isalpha() and tail.isalpha()
                    and joined in _LETTERS_THEN_WORD):
                first = out.pop()
                word = Word(joined + punctuation, first.start, word.end,
                            min(first.probability, word.probability))
        out.append(word)
    return out
