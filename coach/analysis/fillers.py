"""Filler words, repeated words and restarts, decided in context and timed.

Vocal fillers are sounds (um, uh, er, hmm). Discourse fillers are real words used as padding
(you know, I mean, basically, like, kind of, sort of, actually, literally); each has rules that
keep its meaningful uses out: "I'd like to", "looks like", "a kind of error", "do you know".
Multi-word fillers are matched as one item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coach.analysis.text import bare, ends_phrase, ends_sentence, phrase_key
from coach.transcript import Transcript, Word

VOCAL_PATTERN = re.compile(r"^(u+h+m*|u+m+|e+r+m*|e+h+|h+m+|m+h*m+|a+h+|a+h*m+)$")
# Whisper spells the same sound several ways ("Umm", "Uhh", "Hm"); report one name per sound.
_CANONICAL_VOCAL = ((re.compile(r"^u+m+$|^a+h*m+$"), "um"), (re.compile(r"^u+h+m*$"), "uh"),
                    (re.compile(r"^e+r+m*$|^e+h+$"), "er"), (re.compile(r"^h+m+$|^m+h*m+$"), "hmm"),
                    (re.compile(r"^a+h+$"), "ah"))


def canonical_vocal(token: str) -> str:
    return next((name for pattern, name in _CANONICAL_VOCAL if pattern.match(token)), token)

DISCOURSE_FILLERS = ("you know", "i mean", "basically", "like", "kind of", "sort of",
                     "actually", "literally", "you see")
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "what", "which", "some",
               "any", "one", "every", "each", "no", "same", "other", "another", "all", "my",
               "our", "your", "their", "its", "his", "her", "different", "many", "new"}
# Words before "like" that make it a verb or a comparison, not a filler.
LIKE_GOVERNORS = {"i'd", "we'd", "you'd", "they'd", "he'd", "she'd", "would", "looks", "look",
                  "looked", "looking", "seems", "seem", "seemed", "sounds", "sound", "sounded",
                  "feel", "feels", "felt", "just", "something", "anything", "nothing", "much",
                  "more", "not", "don't", "didn't", "doesn't", "i", "we", "you", "they", "be",
                  "is", "was", "are", "were", "exactly", "things", "stuff", "tools", "most"}
YOU_KNOW_CONTENT_NEXT = {"that", "what", "how", "why", "where", "when", "if", "whether",
                         "which", "who", "about", "the", "it", "this"}
YOU_KNOW_CONTENT_BEFORE = {"do", "did", "don't", "didn't", "if", "as", "would", "will", "let",
                           "we", "they", "i"}
I_MEAN_CONTENT_BEFORE = {"what", "which", "do", "did", "don't", "if"}
I_MEAN_CONTENT_NEXT = {"that", "it", "to", "by", "what"}


@dataclass(frozen=True)
class Filler:
    text: str
    start: float
    end: float
    kind: str  # "vocal" | "discourse"
    word_index: int
    word_count: int = 1

    def to_dict(self) -> dict:
        return {"text": self.text, "start": round(self.start, 2), "end": round(self.end, 2),
                "kind": self.kind, "word_index": self.word_index, "word_count": self.word_count}

    @classmethod
    def from_dict(cls, data: Mapping) -> Filler:
        return cls(data["text"], data["start"], data["end"], data["kind"], data["word_index"],
                   data["word_count"])


@dataclass(frozen=True)
class Repetition:
    text: str  # as said, e.g. "the the" or "retry, retryable"
    start: float
    kind: str  # "repeat" (same word again) | "restart" (a word or phrase begun again)
    word_index: int
    word_count: int
    unit: int = 1  # words in the repeated unit: the last `unit` words are the version to keep

    def to_dict(self) -> dict:
        return {"text": self.text, "start": round(self.start, 2), "kind": self.kind,
                "word_index": self.word_index, "word_count": self.word_count, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: Mapping) -> Repetition:
        return cls(data["text"], data["start"], data["kind"], data["word_index"],
                   data["word_count"], data["unit"])


@dataclass(frozen=True)
class FillerOptions:
    """Attributes:
    extra_vocal / extra_discourse: the user's own additions (settings).
    good_per_minute: at or below this rate the verdict is "good". Speaker Coach and most speech
        trainers treat 1-3 fillers a minute as natural; 3 keeps the bar honest for interviews.
    high_per_minute: above this the verdict is "high".
    """

    extra_vocal: tuple[str, ...] = ()
    extra_discourse: tuple[str, ...] = ()
    good_per_minute: float = 3.0
    high_per_minute: float = 8.0


@dataclass(frozen=True)
class FillerReport:
    items: tuple[Filler, ...]
    repetitions: tuple[Repetition, ...]
    per_minute: float
    per_100_words: float
    verdict: str  # good | some | high
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def vocal(self) -> int:
        return sum(1 for f in self.items if f.kind == "vocal")

    @property
    def discourse(self) -> int:
        return sum(1 for f in self.items if f.kind == "discourse")

    def to_dict(self) -> dict:
        return {
            "total": self.total, "vocal": self.vocal, "discourse": self.discourse,
            "per_minute": round(self.per_minute, 1), "per_100_words": round(self.per_100_words, 1),
            "verdict": self.verdict, "counts": dict(self.counts),
            "items": [f.to_dict() for f in self.items],
            "repetitions": [r.to_dict() for r in self.repetitions],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> FillerReport:
        """The report `to_dict` wrote (its totals are counted again from the items)."""
        return cls(tuple(Filler.from_dict(f) for f in data["items"]),
                   tuple(Repetition.from_dict(r) for r in data["repetitions"]),
                   data["per_minute"], data["per_100_words"], data["verdict"],
                   dict(data["counts"]))


def is_vocal_filler(token: str, extra: Iterable[str] = ()) -> bool:
    return bool(VOCAL_PATTERN.match(token)) or token in {bare(e) for e in extra}


def _gap_before(words: list[Word], i: int) -> float:
    return words[i].start - words[i - 1].end if i > 0 else 0.0


def _broken_before(words: list[Word], i: int) -> bool:
    """A comma, sentence end or audible gap before word i (or it starts the answer)."""
    return i == 0 or ends_phrase(words[i - 1].text) or _gap_before(words, i) > 0.35


def _broken_after(words: list[Word], i: int) -> bool:
    return ends_phrase(words[i].text) or i + 1 >= len(words) or _gap_before(words, i + 1) > 0.35


def _is_discourse_filler(phrase: str, words: list[Word], i: int, n: int) -> bool:
    """Decide, in context, whether words[i:i+n] (== phrase) is a filler."""
    before = bare(words[i - 1].text) if i > 0 else ""
    after = bare(words[i + n].text) if i + n < len(words) else ""
    last = i + n - 1
    if phrase == "like":
        broken_before, broken_after = _broken_before(words, i), _broken_after(words, last)
        if broken_before and broken_after:
            return True  # ", like," is always padding
        if (before in LIKE_GOVERNORS and not broken_before) or after == "to":
            return False  # "I'd like", "looks like", "like to"
        return broken_before or broken_after
    if phrase in ("kind of", "sort of"):
        return before not in DETERMINERS and not ends_sentence(words[last].text)
    if phrase == "you know":
        if before in YOU_KNOW_CONTENT_BEFORE and not _broken_before(words, i):
            return False
        return not (after in YOU_KNOW_CONTENT_NEXT and not _broken_after(words, last))
    if phrase == "i mean":
        if before in I_MEAN_CONTENT_BEFORE:
            return False
        return not (after in I_MEAN_CONTENT_NEXT and not _broken_after(words, last))
    if phrase == "you see":
        return _broken_before(words, i) and _broken_after(words, last)
    return True  # basically, actually, literally, and the user's own additions


def find_fillers(words: list[Word] | tuple[Word, ...], options: FillerOptions = FillerOptions()
                 ) -> list[Filler]:
    words = list(words)
    # The user's own fillers are compared like the transcript: "Okay, so" matches "okay, so,".
    own = {phrase_key(p) for p in options.extra_discourse} - {"", *DISCOURSE_FILLERS}
    discourse = sorted({*DISCOURSE_FILLERS, *own}, key=lambda p: -len(p.split()))
    found: list[Filler] = []
    i = 0
    while i < len(words):
        token = bare(words[i].text)
        if is_vocal_filler(token, options.extra_vocal):
            found.append(Filler(canonical_vocal(token), words[i].start, words[i].end, "vocal", i))
            i += 1
            continue
        matched = 0
        for phrase in discourse:
            parts = phrase.split()
            n = len(parts)
            window = [bare(w.text) for w in words[i : i + n]]
            # Punctuation inside a built-in multi-word filler ("you, know") breaks it.
            inner_break = phrase not in own and any(ends_phrase(w.text)
                                                    for w in words[i : i + n - 1])
            if window == parts and not inner_break and _is_discourse_filler(phrase, words, i, n):
                found.append(
                    Filler(phrase, words[i].start, words[i + n - 1].end, "discourse", i, n)
                )
                matched = n
                break
        i += matched or 1
    return found


def _shares_stem(first: str, second: str) -> bool:
    stem = min(len(first), len(second), 5)
    return stem >= 3 and first[:stem] == second[:stem] and first != second


def find_repetitions(words: list[Word] | tuple[Word, ...], fillers: Iterable[Filler] = ()
                     ) -> list[Repetition]:
    """'the the' (repeat), 'retry, retryable' and 'I check, I checked' (restarts)."""
    words = list(words)
    skip = {f.word_index + k for f in fillers for k in range(f.word_count)}
    content = [(i, bare(w.text)) for i, w in enumerate(words) if i not in skip and bare(w.text)]
    found: list[Repetition] = []
    k = 0
    while k < len(content) - 1:
        i, token = content[k]
        j, following = content[k + 1]
        if following == token and token.isalpha():
            found.append(Repetition(f"{words[i].text} {words[j].text}", words[i].start,
                                    "repeat", i, j - i + 1))
            k += 1
            continue
        if _shares_stem(token, following) and (j - i) <= 2:
            found.append(Repetition(f"{words[i].text} {words[j].text}", words[i].start,
                                    "restart", i, j - i + 1))
        elif k + 3 < len(content):
            # two-word restart: "I check, I checked" / "we retry the, we retry the call"
            _, third = content[k + 2]
            _, fourth = content[k + 3]
            if third == token and (fourth == following or _shares_stem(following, fourth)) and (
                ends_phrase(words[j].text) or fourth != following
            ):
                end = content[k + 3][0]
                found.append(Repetition(" ".join(w.text for w in words[i : end + 1]),
                                        words[i].start, "restart", i, end - i + 1, unit=2))
                k += 2
        k += 1
    return _merge_chained(found, words)


def _merge_chained(found: list[Repetition], words: list[Word]) -> list[Repetition]:
    """'retry, retry' + 'retry, retryable' -> one restart 'retry, retry, retryable'."""
    merged: list[Repetition] = []
    for item in found:
        if merged and item.word_index <= merged[-1].word_index + merged[-1].word_count - 1:
            last = merged[-1]
            end = max(last.word_index + last.word_count, item.word_index + item.word_count)
            kind = "restart" if "restart" in (last.kind, item.kind) else "repeat"
            text = " ".join(w.text for w in words[last.word_index : end])
            merged[-1] = Repetition(text, last.start, kind, last.word_index, end - last.word_index,
                                    max(last.unit, item.unit))
        else:
            merged.append(item)
    return merged


def analyze_fillers(transcript: Transcript, speaking_minutes: float,
                    options: FillerOptions = FillerOptions()) -> FillerReport:
    items = find_fillers(transcript.words, options)
    repetitions = find_repetitions(transcript.words, items)
    per_minute = len(items) / speaking_minutes if speaking_minutes > 0 else 0.0
    word_count = max(len(transcript.words), 1)
    verdict = ("good" if per_minute <= options.good_per_minute
               else "high" if per_minute > options.high_per_minute else "some")
    counts: dict[str, int] = {}
    for item in items:
        counts[item.text] = counts.get(item.text, 0) + 1
    return FillerReport(tuple(items), tuple(repetitions), per_minute,
                        100.0 * len(items) / word_count, verdict, counts)
