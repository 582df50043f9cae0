"""Sentences the recogniser invented where the speech stopped, not the speaker's words.

At a cut-off (the end of the recording, a chunk ending in silence) Whisper writes phrases
learnt from subtitles: "Thank you.", "Thanks for watching!", "I'm here to guide.". Such a
sentence is not the speaker's content, so it is never shown as what was left out of the
polished answer, nor read aloud in it. Pure functions over the recognised words:

- `is_invented(words)`: a sentence is invented when its words are one of
  CUT_OFF_PHRASES (whatever Whisper's confidence: it is often sure of them), or when Whisper
  was unsure of it as a whole (mean word probability under INVENTED_BELOW).

The polished answer asks only about sentences that carry no point (no part of the answer,
no key term, nothing about the question): a code review's "Thank you." is its appreciation
part and stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.transcript import Word

__all__ = ["CUT_OFF_PHRASES", "INVENTED_BELOW", "is_invented"]

# Whisper's best-known phrases for silence and for audio that stops mid-word (its training
# subtitles), as words without punctuation
CUT_OFF_PHRASES = frozenset({
    "thank you", "thank you very much", "thank you so much", "thanks", "thanks for watching",
    "thank you for watching", "thanks for listening", "thank you for listening",
    "i'm here to guide", "please subscribe", "see you next time", "see you in the next video",
    "bye", "bye bye", "you", "subtitles by the amara org community",
})
INVENTED_BELOW = 0.5  # mean word probability of a sentence nothing in the audio supports
_NOT_WORD = re.compile(r"[^a-z0-9']+")


def _key(words: Sequence[Word]) -> str:
    return " ".join(t for w in words for t in _NOT_WORD.split(w.text.lower()) if t)


def is_invented(words: Sequence[Word]) -> bool:
    """`words` (one sentence) were made up by the recogniser (rule in the module doc)."""
    if not words:
        return False
    if _key(words) in CUT_OFF_PHRASES:
        return True
    return sum(w.probability for w in words) / len(words) < INVENTED_BELOW
