"""How long a voice takes to say a text: the one duration estimate for polished and model answers.

A voice does not speak at its speed setting: espeak-ng at 145 wpm says an answer in more time
than 145 words a minute would take (technical terms are respelled into more words, "memory.max"
-> "memory dot max", and each pause mark is a silence). Per voice, calibrated on the real audio
(benchmarks/voice_rate.py synthesizes every scenario's model answer at 120, 145 and 180 wpm and
fits):

    seconds = (words + commas * comma_words + stops * stop_words) * 60 / (wpm * speed)
              + pauses * pause_s

`words`: the words of the text as the voice is given it (respelled by `coach.speakable`, pause
marks not counted); `commas` and `stops`: the commas (also ; and :) and sentence ends the voice
pauses at, each worth a few words' time at its speed; `pauses`: its pause marks (a fixed
silence). Where audio is made, its measured duration is
the one to show (`SpeechAudio.duration_s`); this estimate is for choosing what to say before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from coach.scenarios import KeyTerm
from coach.settings import DEFAULT_WPM
from coach.speakable import speakable

PAUSE_WORD = "|"


@dataclass(frozen=True)
class VoiceRate:
    speed: float  # how much faster than its wpm setting the voice speaks words
    comma_words: float  # what a comma costs, in words
    stop_words: float  # what a sentence end costs, in words
    pause_s: float  # what one pause mark costs, seconds


@dataclass(frozen=True)
class SpeechCounts:
    words: int
    commas: int
    stops: int
    pauses: int


# Measured by benchmarks/voice_rate.py (results/voice_rate.json). espeak: the fit (model
# answers at 120/145/180 wpm; on the fixtures' texts mean +0.5 s, worst 3.2 s). piper: its free
# fit gives a sentence end a negative cost and under-estimates the fixtures' texts by up to 8 s,
# so the simpler row is kept: words at the set speed plus the pause marks, which over-estimates
# by 2 s on average and under-estimates by at most 1.6 s on those texts (4.5 s on the answers).
VOICE_RATES = {
    "espeak": VoiceRate(speed=1.1485, comma_words=1.768, stop_words=0.192, pause_s=0.374),
    "piper": VoiceRate(speed=1.0, comma_words=0.0, stop_words=0.0, pause_s=0.35),
}
FALLBACK_RATE = VOICE_RATES["espeak"]  # a voice not calibrated ("system": espeak on Linux)


def speech_counts(text: str) -> SpeechCounts:
    """What a voice says in a text: words, commas, sentence ends and pause marks."""
    tokens = text.split()
    words = [t for t in tokens if t != PAUSE_WORD]
    commas = sum(bool(re.search(r"[,;:]$", t)) for t in words)
    stops = sum(bool(re.search(r"[.?!]['\")]?$", t)) for t in words[:-1])
    return SpeechCounts(len(words), commas, stops, len(tokens) - len(words))


def rate_seconds(counts: SpeechCounts, rate: VoiceRate, wpm: float) -> float:
    spoken = counts.words + counts.commas * rate.comma_words + counts.stops * rate.stop_words
    return spoken * 60.0 / (max(wpm, 1.0) * rate.speed) + counts.pauses * rate.pause_s


def voice_seconds(spoken_text: str, engine: str = "espeak", wpm: float = DEFAULT_WPM,
                  key_terms: Iterable[KeyTerm] = ()) -> float:
    """The seconds `engine` at `wpm` takes to say `spoken_text` (with its pause marks), after
    the respelling `Coach.speak` applies."""
    terms = tuple(key_terms)
    parts = [_sentence_counts(sentence, terms) for sentence in _SENTENCE_END.split(spoken_text)]
    words, commas, stops, pauses = (sum(getattr(c, f) for c in parts)
                                    for f in ("words", "commas", "stops", "pauses"))
    last_stop = bool(re.search(r"[.?!]['\")]?$", spoken_text.strip()))  # the end is no pause
    counts = SpeechCounts(words, commas, stops - last_stop, pauses)
    return rate_seconds(counts, VOICE_RATES.get(engine, FALLBACK_RATE), wpm)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")  # terms never span sentences: respelled apiece


@functools.lru_cache(maxsize=4096)
def _sentence_counts(sentence: str, key_terms: tuple[KeyTerm, ...]) -> SpeechCounts:
    counts = speech_counts(speakable(sentence, key_terms))
    stop = bool(re.search(r"[.?!]['\")]?$", sentence.strip()))
    return SpeechCounts(counts.words, counts.commas, counts.stops + stop, counts.pauses)
