"""How much of a chunk's speech its decoded words account for, and where to cut it again.

Pure functions over a `SpeechChunk` (where the voice detector heard speech) and the words
Whisper wrote for it, used by the hallucination guard (transcriber.decode_chunk):
- `speech_coverage`: the share of the speech that has words at a plausible rate;
- `uncovered_tail`: the end of a chunk whose speech has no words at all (Whisper ended its
  decode early and dropped the last sentence), to decode on its own;
- `split_at_longest_pause`: the chunk in two, to decode each half alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.audio.voice_activity import Interval
from coach.engines.speech_chunks import SpeechChunk
from coach.transcript import Word

MIN_WORDS_PER_S = 1.5  # 90 words a minute while sounding: slower than any fluent answer
MAX_WORD_S = 1.5  # longer than any word said at an answer's pace ("Kubernetes" takes ~0.8 s)
MIN_TAIL_SPEECH_S = 0.8  # less speech after the last word is a breath or a click, not words
TAIL_PAD_S = 0.25  # audio kept before the unwritten speech (as the chunker pads speech)


def uncovered_tail(chunk: SpeechChunk, words: Sequence[Word]) -> SpeechChunk | None:
    """The end of `chunk` after its last word, when MIN_TAIL_SPEECH_S or more of speech there
    has no word (oom-joe-slow-overtime: "Exit code one three seven means signal nine." at
    17.8-20.9 s of a 21 s chunk, lost by every decode of the whole chunk); None otherwise,
    and when there is no word at all (not an early end: decoding it again alone is the same)."""
    if not words:
        return None
    last = max(w.end for w in words)
    speech = tuple(i for i in chunk.speech if i.start >= last)
    if sum(i.duration for i in speech) < MIN_TAIL_SPEECH_S:
        return None
    return SpeechChunk(max(last, speech[0].start - TAIL_PAD_S), chunk.end, speech)


def split_at_longest_pause(chunk: SpeechChunk) -> tuple[SpeechChunk, SpeechChunk]:
    """Two chunks cut in the middle of the chunk's longest pause (it has two speech runs)."""
    speech = chunk.speech
    i = max(range(len(speech) - 1), key=lambda k: speech[k + 1].start - speech[k].end)
    cut = (speech[i].end + speech[i + 1].start) / 2
    return (SpeechChunk(chunk.start, cut, speech[: i + 1]),
            SpeechChunk(cut, chunk.end, speech[i + 1 :]))


def speech_coverage(words: Sequence[Word], speech: Sequence[Interval], slack: float = 0.3
                    ) -> float:
    """Share of the signal's speech time for which words were recognised at a plausible rate.

    Each stretch of speech expects at least MIN_WORDS_PER_S words in it, in whole words (at
    least one); a stretch with fewer counts in proportion. A word is in a stretch when it
    starts there, or when it is a word's length (MAX_WORD_S) and overlaps it: the voice
    detector splits a long word such as "OOMKiller" into two stretches, and a 0.4 s stretch
    holding the end of it is not missing a word. Counted by starts alone, a correct 4 s chunk
    decoded ahead of Stop went through three more decodes (6.3 s instead of 1.6 s). Longer
    words only count where they start: when Whisper loses its place it stretches a few words
    over many seconds it did not transcribe.
    """
    total = sum(i.duration for i in speech)
    if total == 0:
        return 1.0
    covered = 0.0
    for interval in speech:
        count = sum(1 for w in words
                    if interval.start - slack <= w.start < interval.end + slack
                    or (w.end - w.start <= MAX_WORD_S and w.start < interval.end
                        and w.end > interval.start))
        expected = max(1, round(interval.duration * MIN_WORDS_PER_S))
        covered += interval.duration * min(1.0, count / expected)
    return covered / total
