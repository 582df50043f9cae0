"""The scenario records: `Scenario`, its `KeyTerm`s and `FollowUp`s, and the kinds and modules.

Loading the TOML files is `coach.scenarios.library`; checking them, with line numbers for the
person editing one, is `coach.scenarios.validation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("opening", "rca", "review", "explain", "design")
MODULES = ("system-debug", "rca", "code-review", "expressive-english", "system-design")

# The parts an interviewer listens for, by kind, when a scenario does not list its own.
DEFAULT_STRUCTURE = {
    "opening": ("hypothesis", "first checks", "mitigation"),
    "rca": ("impact", "root cause", "evidence", "fix", "prevention"),
    "review": ("appreciation", "issue", "risk", "suggestion"),
    "explain": ("context", "finding", "next step"),
    "design": ("problem", "options", "trade-off", "recommendation"),
}



@dataclass(frozen=True)
class KeyTerm:
    """A term the interviewer listens for.

    Attributes:
        term: the canonical spelling ("memory.events").
        aliases: other ways of saying it that earn the same credit.
        say_as / respelling: how a voice should say it / how to read it aloud.
        model_sentence: a full sentence that uses the term (follow-up model answers).
        clause: a short independent clause that uses the term, added to a polished answer
            that missed it ("I'd read the oom_kill counter in memory.events").
        part: the part of the answer structure the clause belongs to ("first checks");
            empty means: the part the clause's own wording shows (structure cues).
    """

    term: str
    aliases: tuple[str, ...] = ()
    say_as: str = ""
    respelling: str = ""
    model_sentence: str = ""
    clause: str = ""
    part: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term and every alias: the ways a speaker can be credited with it."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class FollowUp:
    question: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    kind: str
    time_limit_s: int
    prompt: str
    key_terms: tuple[KeyTerm, ...]
    module: str = ""
    difficulty: str = "core"
    context: str = ""
    reference_answer: str = ""
    structure: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    source_path: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")

    @property
    def expected_structure(self) -> tuple[str, ...]:
        return self.structure or DEFAULT_STRUCTURE[self.kind]

    def key_term(self, term: str) -> KeyTerm | None:
        return next((k for k in self.key_terms if k.term == term), None)
