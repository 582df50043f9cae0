"""The feedback report for one answer: every analysis's result, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.coverage import CoverageReport
from coach.analysis.fillers import FillerReport
from coach.analysis.pauses import PauseReport
from coach.analysis.polish import PolishedAnswer
from coach.analysis.pronunciation import PronunciationReport
from coach.analysis.score import Score
from coach.analysis.timing import TimingReport
from coach.grammar import GrammarReport
from coach.scenarios import Scenario
from coach.transcript import Transcript


@dataclass(frozen=True)
class Feedback:
    scenario: Scenario
    transcript: Transcript
    timing: TimingReport
    pauses: PauseReport
    fillers: FillerReport
    coverage: CoverageReport
    grammar: GrammarReport
    pronunciation: PronunciationReport
    polished: PolishedAnswer
    score: Score
    audio_path: str = ""
    stage_ms: dict = field(default_factory=dict)  # how long each step took

    def to_dict(self) -> dict:
        return {
            "scenario": {"id": self.scenario.id, "title": self.scenario.title,
                         "kind": self.scenario.kind, "time_limit_s": self.scenario.time_limit_s},
            "audio": self.audio_path,
            "model": self.transcript.model,
            "transcript": self.transcript.text,
            "transcript_notes": list(self.transcript.notes),
            "words": [w.to_dict() for w in self.transcript.words],
            "timing": self.timing.to_dict(),
            "pauses": self.pauses.to_dict(),
            "fillers": self.fillers.to_dict(),
            "coverage": self.coverage.to_dict(),
            "grammar": self.grammar.to_dict(),
            "pronunciation": self.pronunciation.to_dict(),
            "structure": self.polished.structure.to_dict(),
            "polished": self.polished.to_dict(),
            "score": self.score.to_dict(),
            "stage_ms": {k: round(v) for k, v in self.stage_ms.items()},
        }
