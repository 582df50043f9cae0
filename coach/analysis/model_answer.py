"""The model answer: the scenario's reference answer, shown and played beside the speaker's own
polished answer and never mixed into it, with its own reading guide."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.analysis.cleanup import Piece
from coach.analysis.reading_guide import GuideWord, guide, speaking_seconds, spoken_text
from coach.analysis.structure import split_sentences
from coach.analysis.terms import mentions
from coach.scenarios import Scenario

MODEL = "model"  # the origin of a model answer's words in its reading guide


@dataclass(frozen=True)
class ModelAnswer:
    text: str
    words: tuple[GuideWord, ...] = ()
    spoken_text: str = ""

    @property
    def estimated_s(self) -> float:
        return speaking_seconds(self.text)

    def to_dict(self) -> dict:
        return {"text": self.text, "spoken_text": self.spoken_text,
                "estimated_s": round(self.estimated_s, 1),
                "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: Mapping) -> ModelAnswer:
        return cls(data["text"], tuple(GuideWord.from_dict(w) for w in data["words"]),
                   data["spoken_text"])


def model_answer(scenario: Scenario) -> ModelAnswer:
    """The scenario's reference answer, with its reading guide."""
    text = scenario.reference_answer
    if not text:
        return ModelAnswer("")
    sentences = [[Piece(w, MODEL) for w in s.split()] for s in split_sentences(text)]
    words = guide(sentences, scenario.key_terms)
    return ModelAnswer(text, words, spoken_text(words))


def mentioned_terms(text: str, scenario: Scenario) -> tuple[str, ...]:
    """The scenario's key terms a text says (to check a model or polished answer)."""
    return tuple(k.term for k in scenario.key_terms if mentions(text, k))
