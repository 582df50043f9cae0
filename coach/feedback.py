"""The feedback report for one answer: every analysis's result, and its JSON form.

`Feedback.to_dict()` is what history keeps; it carries SCHEMA_VERSION so a reader
(`coach.history.records.FeedbackRecord.from_dict`) knows which shape it holds. Version 2:
`coverage.missing` holds only terms not said at all (version 1 also listed heard-as terms
there); `grammar.issues` holds only the speaker's own grammar (misheard words are in
`unclear`); `score.total` is None for an answer too short to judge and `score.partial` marks a
score with a part left out; `polished` has its reading guide and `model_answer` is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.analysis.coverage import CoverageReport, analyze_coverage
from coach.analysis.fillers import FillerOptions, FillerReport, analyze_fillers
from coach.analysis.model_answer import ModelAnswer, model_answer
from coach.analysis.pauses import PauseReport, analyze_pauses
from coach.analysis.polish import PolishedAnswer, polish_answer
from coach.analysis.pronunciation import Phonemizer, PronunciationReport, analyze_pronunciation
from coach.analysis.score import Score, score_answer
from coach.analysis.timing import PaceRange, TimingReport, analyze_timing
from coach.analysis.unclear import UnclearReport, find_unclear, speaker_grammar
from coach.engines.voice_activity import Interval
from coach.errors import EngineUnavailable
from coach.grammar import GrammarReport
from coach.scenarios import Scenario
from coach.transcript import Transcript

SCHEMA_VERSION = 2


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
    unclear: UnclearReport = field(default_factory=UnclearReport)
    model_answer: ModelAnswer = field(default_factory=lambda: ModelAnswer(""))

    @property
    def judged(self) -> bool:
        """Long enough to judge: it has a score, a pace verdict and a place in trends."""
        return self.score.judged

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
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
            "unclear": self.unclear.to_dict(),
            "pronunciation": self.pronunciation.to_dict(),
            "structure": self.polished.structure.to_dict(),
            "polished": self.polished.to_dict(),
            "model_answer": self.model_answer.to_dict(),
            "score": self.score.to_dict(),
            "stage_ms": {k: round(v) for k, v in self.stage_ms.items()},
        }


def build_feedback(transcript: Transcript, scenario: Scenario, grammar: GrammarReport, *,
                   speech: Sequence[Interval] = (), pace_range: PaceRange | None = None,
                   filler_options: FillerOptions | None = None,
                   phonemize: Phonemizer | None = None, audio_path: str = "") -> Feedback:
    """Every analysis of one answer, from its transcript (and the speech intervals of its audio).

    `grammar` is the checker's report; the misheard words in it become unclear words and only
    the speaker's own grammar is kept, scored and corrected. Pure apart from the injected
    `phonemize`; a phonemizer that is unavailable only costs the IPA.
    """
    pace_range = pace_range or PaceRange()
    filler_options = filler_options or FillerOptions()
    pauses = analyze_pauses(transcript, speech)
    coverage = analyze_coverage(transcript, scenario)
    timing = analyze_timing(transcript, scenario.time_limit_s, pause_s=pauses.total_pause_s,
                            first_key_term_s=coverage.first_term_at_s, pace_range=pace_range)
    fillers = analyze_fillers(transcript, max(timing.answer_s, 1.0) / 60.0, filler_options)
    accounted = {h.word_index + k for h in (*coverage.covered, *coverage.heard_as, *fillers.items)
                 for k in range(h.word_count)}
    unclear = find_unclear(transcript, grammar, accounted)
    grammar = speaker_grammar(grammar, unclear)
    try:
        pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items,
                                              phonemize)
    except EngineUnavailable:
        pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items)
    polished = polish_answer(transcript, scenario, fillers, coverage, grammar, unclear,
                             judged=timing.judged)
    score = score_answer(timing, fillers, coverage, grammar, pauses, polished.structure,
                         scenario.kind)
    return Feedback(scenario, transcript, timing, pauses, fillers, coverage, grammar,
                    pronunciation, polished, score, audio_path, {}, unclear,
                    model_answer(scenario))
