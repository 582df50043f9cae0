"""Likely words for misheard ones: offered to the speaker, never written into their answer.

"find the league" in an answer about a memory leak: the recogniser was unsure of "league", and
the scenario's own vocabulary has a word that sounds the same ("leak"). Such a pair
(heard, likely) is shown beside the polished answer; the polished text keeps "league".

A word is a candidate when the recogniser was unsure of it (an unclear word, or a probability
under UNSURE_PROBABILITY), it is not already a word of the scenario, and a word of the
scenario (prompt, context, model answer, key terms and their clauses) sounds like it: the same
Metaphone code, or a sound similarity of at least LIKELY_SIMILARITY.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jellyfish

from coach.analysis.cleanup import ADDED, HEARD, TERM, UNCLEAR
from coach.analysis.coverage import GENERAL_WORDS, UNSURE_PROBABILITY, sound_similarity
from coach.analysis.reading_guide import GuideWord
from coach.analysis.text import bare
from coach.scenarios import Scenario
from coach.transcript import Transcript

LIKELY_SIMILARITY = 0.8
MIN_LETTERS = 3


def scenario_words(scenario: Scenario) -> frozenset[str]:
    texts = [scenario.prompt, scenario.context, scenario.reference_answer]
    for key in scenario.key_terms:
        texts += [*key.spellings, key.clause, key.model_sentence]
    return frozenset(w for w in (bare(t) for t in re.split(r"[\s/]+", " ".join(texts)))
                     if len(w) >= MIN_LETTERS and w.isalpha() and w not in GENERAL_WORDS)


def _sound(word: str) -> str:
    return jellyfish.metaphone(word)


def likely_word(heard: str, vocabulary: frozenset[str]) -> str:
    """The scenario word `heard` most likely stands for ("" for none)."""
    word = bare(heard)
    if len(word) < MIN_LETTERS or not word.isalpha() or word in vocabulary:
        return ""
    code = _sound(word)
    best, score = "", 0.0
    for candidate in sorted(vocabulary):
        if candidate[0] != word[0] and _sound(candidate)[:1] != code[:1]:
            continue
        similarity = 1.0 if _sound(candidate) == code else sound_similarity(word, candidate)
        if similarity >= LIKELY_SIMILARITY and similarity > score:
            best, score = candidate, similarity
    return best


def likely_words(words: Sequence[GuideWord], transcript: Transcript, scenario: Scenario
                 ) -> tuple[tuple[str, str], ...]:
    """(heard, likely) for the polished answer's unsure words (see the module doc)."""
    unsure = {bare(w.text) for w in transcript.words if w.probability < UNSURE_PROBABILITY}
    vocabulary = scenario_words(scenario)
    found: list[tuple[str, str]] = []
    for word in words:
        if word.origin in (ADDED, TERM, HEARD):
            continue
        heard = bare(word.text)
        if word.origin != UNCLEAR and heard not in unsure:
            continue
        likely = likely_word(heard, vocabulary)
        if likely and (heard, likely) not in found:
            found.append((heard, likely))
    return tuple(found)
