"""Which parts of the expected answer structure a transcript contains, sentence by sentence.

Openings: hypothesis, first checks, mitigation. RCAs: impact, root cause, evidence, fix,
prevention. Reviews: appreciation, issue, risk, suggestion. Parts are recognised by cue phrases
(documented in PART_CUES); a sentence can serve several parts. A scenario may name parts of its
own ("propose safeguards"); a part with no cues cannot be recognised, so it is listed as
`unchecked` and never reported missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PART_CUES: dict[str, tuple[str, ...]] = {
    "hypothesis": ("suspect", "hypothesis", "guess", "likely", "probably", "i think", "might be",
                   "could be", "my first", "i believe", "i'd bet", "assume", "seems", "maybe",
                   "perhaps", "possibly", "first idea", "first thought", "may be"),
    "first checks": ("check", "look at", "run ", "confirm", "verify", "inspect", "read ",
                     "compare", "trace", "grep", "query", "look for", "dump"),
    "mitigation": ("mitigat", "workaround", "temporar", "raise the", "increase the", "move ",
                   "roll back", "rollback", "restart the", "restart it", "short term",
                   "in the meantime", "quick fix", "unblock", "drain", "cap the", "raise it",
                   "raising", "increasing the", "i recommend", "i'd recommend", "we recommend",
                   "fix the", "fix it", "to fix", "give the", "give it more", "bump", "relax",
                   "lower the", "reduce the", "scale up", "scale out", "long term",
                   "to recover", "clean up", "cordon"),
    "impact": ("impact", "affected", "users", "customers", "downtime", "outage", "degrad",
               "error rate", "minutes", "hours", "failed requests", "slo"),
    "root cause": ("root cause", "caused by", "because", "due to", "the cause", "triggered by",
                   "came from", "turned out"),
    "evidence": ("we saw", "logs", "metrics", "confirmed", "showed", "evidence", "we found",
                 "graph", "trace", "dashboard", "reproduced"),
    "fix": ("fixed", "fix", "patched", "raised", "changed", "rolled", "deployed", "corrected",
            "resolved"),
    "prevention": ("prevent", "alert", "going forward", "in the future", "monitor", "guardrail",
                   "follow-up", "follow up", "action item", "so that", "never again", "test"),
    "appreciation": ("thanks", "thank you", "nice", "good", "appreciate", "like the", "great"),
    "issue": ("issue", "problem", "bug", "leak", "race", "concern", "missing", "doesn't",
              "does not", "ignores", "never", "the catch", "discarded", "swallow"),
    "risk": ("risk", "could", "might", "may ", "under load", "in production", "lead to",
             "cause", "hang", "storm", "expect", "fill up", "nobody", "outage", "pressure",
             "pile up", "slows", "forever", "break", "hammer"),
    "suggestion": ("suggest", "consider", "could we", "how about", "recommend", "instead",
                   "would be", "let's", "maybe", "prefer", "please", "i'd ", "we should"),
    "context": ("we had", "we saw", "last week", "yesterday", "the team", "when", "during"),
    "finding": ("found", "root cause", "because", "turned out", "the reason", "caused"),
    "next step": ("next", "plan", "will", "going to", "propose", "i'll", "we'll"),
    "problem": ("cost", "growing", "increase", "problem", "spend", "bill", "too many", "slow"),
    "options": ("option", "either", "alternative", "could", "instead", "versus", " vs", "or "),
    "trade-off": ("trade", "but", "downside", "cost of", "on the other hand", "risk",
                  "latency", "complexity"),
    "recommendation": ("recommend", "propose", "i would", "i'd go", "we should", "suggest",
                       "my choice", "plan"),
}


@dataclass(frozen=True)
class StructureReport:
    expected: tuple[str, ...]
    present: tuple[str, ...]
    order_ok: bool  # the parts that are present come in the expected order

    @property
    def unchecked(self) -> tuple[str, ...]:
        """Parts with no cues to recognise them by."""
        return tuple(p for p in self.expected if p not in PART_CUES)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in self.expected if p not in self.present and p in PART_CUES)

    def to_dict(self) -> dict:
        return {"expected": list(self.expected), "present": list(self.present),
                "missing": list(self.missing), "unchecked": list(self.unchecked),
                "order_ok": self.order_ok}

    @classmethod
    def from_dict(cls, data: Mapping) -> StructureReport:
        return cls(tuple(data["expected"]), tuple(data["present"]), data["order_ok"])


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


def _has_cue(text: str, cue: str) -> bool:
    # A cue starts at a word boundary ("check" matches "checked", not "rechecked"... nor
    # "paycheck"); cues ending in a space or written whole must match whole words.
    return re.search(r"\b" + re.escape(cue.strip()) + (r"\b" if cue.endswith(" ") else ""),
                     text) is not None


def sentence_parts(sentence: str, expected: Sequence[str]) -> list[str]:
    lowered = sentence.lower()
    return [part for part in expected
            if any(_has_cue(lowered, cue) for cue in PART_CUES.get(part, ()))]


def analyze_structure(text: str, expected: Sequence[str]) -> StructureReport:
    positions: dict[str, int] = {}
    for number, sentence in enumerate(split_sentences(text)):
        for part in sentence_parts(sentence, expected):
            positions.setdefault(part, number)
    present = tuple(p for p in expected if p in positions)
    order = [positions[p] for p in present]
    return StructureReport(tuple(expected), present, order == sorted(order))
