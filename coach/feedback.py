"""The feedback report for one answer: every analysis's result, and its JSON form.

`Feedback.to_dict()` is what history keeps, and `Feedback.from_dict()` reads it back whole,
whatever version wrote it: the record carries SCHEMA_VERSION, and a record of an older version
is first brought to the current shape (coach.feedback_versions). Each report parses its own
part (`X.from_dict(x.to_dict())` gives `x` back, to the precision kept). Version 4: the
phoneme scores of the key terms said are the list under "pronunciation" (see
coach.phonemes.answer), whether they were checked is "pronunciation_check", and the word-level
hints moved to "pronunciation_hints". Version 3 keeps which
transcript words each finding marks (`word_index`, `word_count`). Version 2: `coverage.missing`
holds only terms not said at all (version 1 also listed heard-as terms there);
`grammar.issues` holds only the speaker's own grammar (misheard words are in `unclear`);
`score.total` is None for an answer too short to judge and `score.unmeasured` names the parts a
score left out; `polished` has its reading guide and `model_answer` is new.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from coach.analysis.coverage import CoverageReport, HeardAs, TermHit, analyze_coverage
from coach.analysis.fillers import Filler, FillerOptions, FillerReport, analyze_fillers
from coach.analysis.model_answer import ModelAnswer, model_answer
from coach.analysis.pauses import PauseReport, analyze_pauses
from coach.analysis.polish import PolishedAnswer, polish_answer
from coach.analysis.pronunciation import Phonemizer, PronunciationReport, analyze_pronunciation
from coach.analysis.score import Score, score_answer
from coach.analysis.terms import find_spans
from coach.analysis.timing import PaceRange, TimingReport, analyze_timing
from coach.analysis.unclear import UnclearReport, find_unclear, speaker_grammar
from coach.audio.voice_activity import Interval
from coach.errors import EngineUnavailable
from coach.feedback_versions import SCHEMA_VERSION, upgrade
from coach.grammar import GrammarReport
from coach.phonemes.answer import (
    NOT_ASKED,
    Frames,
    SoundsReport,
    not_checked,
    score_key_terms,
)
from coach.scenarios import Scenario
from coach.settings import DEFAULT_WPM
from coach.transcript import Transcript

__all__ = ["SCHEMA_VERSION", "Feedback", "build_feedback", "kept_scenario"]


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
    # how long each step took, in ms (read-only: a copy of the mapping given)
    stage_ms: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    unclear: UnclearReport = field(default_factory=UnclearReport)
    model_answer: ModelAnswer = field(default_factory=lambda: ModelAnswer(""))
    sounds: SoundsReport = field(default_factory=SoundsReport)  # phoneme scores of key terms

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage_ms", MappingProxyType(dict(self.stage_ms)))

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
            **self.transcript.to_dict(),
            "timing": self.timing.to_dict(),
            "pauses": self.pauses.to_dict(),
            "fillers": self.fillers.to_dict(),
            "coverage": self.coverage.to_dict(),
            "grammar": self.grammar.to_dict(),
            "unclear": self.unclear.to_dict(),
            "pronunciation": self.sounds.to_list(),
            "pronunciation_check": self.sounds.check_dict(),
            "pronunciation_hints": self.pronunciation.to_dict(),
            "structure": self.polished.structure.to_dict(),
            "polished": self.polished.to_dict(),
            "model_answer": self.model_answer.to_dict(),
            "score": self.score.to_dict(),
            "stage_ms": {k: round(v) for k, v in self.stage_ms.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping, scenario: Scenario | None = None) -> Feedback:
        """The feedback a kept `to_dict()` describes, from a record of any version.

        `scenario` is the one the answer was judged against; without it, `kept_scenario`
        stands in. ("structure" repeats `polished.structure` for readers of the JSON and is not
        read.) Raises ValueError for a record this version cannot read.
        """
        try:
            scenario = scenario or kept_scenario(data)
            data = upgrade(data, scenario)
            return cls(
                scenario=scenario, transcript=Transcript.from_dict(data),
                timing=TimingReport.from_dict(data["timing"]),
                pauses=PauseReport.from_dict(data["pauses"]),
                fillers=FillerReport.from_dict(data["fillers"]),
                coverage=CoverageReport.from_dict(data["coverage"]),
                grammar=GrammarReport.from_dict(data["grammar"]),
                pronunciation=PronunciationReport.from_dict(data["pronunciation_hints"]),
                polished=PolishedAnswer.from_dict(data["polished"]),
                score=Score.from_dict(data["score"]),
                audio_path=data["audio"], stage_ms=dict(data["stage_ms"]),
                unclear=UnclearReport.from_dict(data["unclear"]),
                model_answer=ModelAnswer.from_dict(data["model_answer"]),
                sounds=SoundsReport.from_parts(data["pronunciation"],
                                               data["pronunciation_check"]))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            raise ValueError(f"unreadable feedback record ({type(error).__name__}: {error})"
                             ) from error


def kept_scenario(data: Mapping) -> Scenario:
    """What a feedback record keeps of its scenario (id, title, kind, time limit), as one."""
    kept = data["scenario"]
    return Scenario(kept["id"], kept["title"], kept["kind"], kept["time_limit_s"], prompt="",
                    key_terms=())


def build_feedback(transcript: Transcript, scenario: Scenario, grammar: GrammarReport, *,
                   speech: Sequence[Interval] = (), pace_range: PaceRange | None = None,
                   filler_options: FillerOptions | None = None,
                   phonemize: Phonemizer | None = None, audio_path: str = "",
                   voice: tuple[str, int] = ("espeak", DEFAULT_WPM),
                   phoneme_frames: Frames | str | None = None,
                   sound_memo: MutableMapping | None = None,
                   sounds: SoundsReport | None = None) -> Feedback:
    """Every analysis of one answer, from its transcript (and the speech intervals of its audio).

    `grammar` is the checker's report; the misheard words in it become unclear words and only
    the speaker's own grammar is kept, scored and corrected. `voice` (engine, wpm) is the one
    that reads the polished and model answers: both are timed as it says them.
    `phoneme_frames` gives the phoneme recogniser's frames of the recording (see
    coach.phonemes.answer) to score the sounds of the key terms said; a string instead says
    why sounds cannot be checked; None: not asked; `sound_memo` keeps terms already scored
    (see score_key_terms); `sounds`: that report, already made (`judge_sounds`, which
    Coach.analyze runs beside the other analyses). Pure apart from the injected `phonemize`
    and `phoneme_frames`; an engine that is unavailable only costs its part.
    """
    pace_range = pace_range or PaceRange()
    filler_options = filler_options or FillerOptions()
    pauses = analyze_pauses(transcript, speech)
    coverage = analyze_coverage(transcript, scenario)
    timing = analyze_timing(transcript, scenario.time_limit_s, pause_s=pauses.total_pause_s,
                            first_key_term_s=coverage.first_term_at_s, pace_range=pace_range)
    fillers = analyze_fillers(transcript, max(timing.answer_s, 1.0) / 60.0, filler_options)
    placed: tuple[TermHit | HeardAs | Filler, ...] = (*coverage.covered, *coverage.heard_as,
                                                      *fillers.items)
    accounted = {h.word_index + k for h in placed for k in range(h.word_count)}
    accounted |= _later_mentions(transcript, scenario, coverage)
    unclear = find_unclear(transcript, grammar, accounted)
    grammar = speaker_grammar(grammar, unclear)
    try:
        pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items,
                                              phonemize)
    except EngineUnavailable:
        pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items)
    polished = polish_answer(transcript, scenario, fillers, coverage, grammar, unclear,
                             judged=timing.judged, engine=voice[0], wpm=voice[1])
    score = score_answer(timing, fillers, coverage, grammar, pauses, polished.structure,
                         scenario.kind)
    if sounds is None:
        sounds = judge_sounds(transcript, scenario, phoneme_frames, phonemize, sound_memo,
                              coverage)
    return Feedback(scenario, transcript, timing, pauses, fillers, coverage, grammar,
                    pronunciation, polished, score, audio_path, MappingProxyType({}), unclear,
                    model_answer(scenario, *voice), sounds)


def judge_sounds(transcript: Transcript, scenario: Scenario, phoneme_frames: Frames | str | None,
                 phonemize: Phonemizer | None, memo: MutableMapping | None = None,
                 coverage: CoverageReport | None = None) -> SoundsReport:
    """The key terms' sounds (`build_feedback`'s `phoneme_frames` and `sound_memo`)."""
    if phoneme_frames is None or isinstance(phoneme_frames, str):
        return not_checked(phoneme_frames or NOT_ASKED)
    coverage = coverage or analyze_coverage(transcript, scenario)
    return score_key_terms(transcript, scenario, coverage, phoneme_frames, phonemize, memo=memo)


def _later_mentions(transcript: Transcript, scenario: Scenario,
                    coverage: CoverageReport) -> set[int]:
    """The words of every mention of a key term the answer covered: a term has one status
    (said), so none of its mentions is called unclear."""
    words = [w.text for w in transcript.words]
    indices: set[int] = set()
    for hit in coverage.covered:
        term = scenario.key_term(hit.term) or hit.term
        for span in find_spans(term, words):
            indices.update(range(span.first, span.last + 1))
    return indices
