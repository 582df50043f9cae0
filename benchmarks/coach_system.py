"""The coach as a `SpeechSystem` for benchmarks/room_accuracy.py (issue 19).

    .venv/bin/python benchmarks/room_accuracy.py --systems baseline,benchmarks.coach_system:factory

Runs what the app runs on an answer, minus grammar and pronunciation (they change no figure
scored here): `WhisperTranscriber.transcribe` with the scenario's key terms, then the coach's
own analyses of the transcript: key-term credit from `analyze_coverage` (a term is credited
when it was heard, clearly or as a near sound: `CoverageReport.said`), fillers from
`analyze_fillers`, wpm from `analyze_timing`. Speech answering no scenario is analysed
against an empty stand-in scenario (no key terms).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from benchmarks.room_accuracy import SystemOutput
from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.timing import analyze_timing
from coach.audio.decode import load_audio
from coach.engines.transcriber import WhisperTranscriber
from coach.scenarios import Scenario
from coach.scenarios.library import ScenarioLibrary
from coach.transcript import Transcript


class CoachSystem:
    """The coach's transcription and analyses; one model, loaded once."""

    def __init__(self, model: str = "base", cpu_threads: int = 1) -> None:
        self.name = "coach"
        self.transcriber = WhisperTranscriber(model, cpu_threads=cpu_threads)
        self.library = ScenarioLibrary.load()

    def _scenario(self, scenario_id: str) -> Scenario | None:
        return self.library.get(scenario_id) if scenario_id else None

    def __call__(self, path: Path, scenario_id: str) -> SystemOutput:
        scenario = self._scenario(scenario_id)
        clip = load_audio(path)
        terms = [t.term for t in scenario.key_terms] if scenario else []
        transcript = self.transcriber.transcribe(clip, terms)
        return analyse(transcript, scenario)


def analyse(transcript: Transcript, scenario: Scenario | None) -> SystemOutput:
    """The coach's analyses of one transcript, as the benchmark scores them."""
    credited: set[str] = set()
    limit_s = 120
    if scenario is not None:
        credited = set(analyze_coverage(transcript, scenario).said)
        limit_s = scenario.time_limit_s
    timing = analyze_timing(transcript, limit_s)
    fillers = analyze_fillers(transcript, max(timing.answer_s, 1.0) / 60.0)
    words = [(w.text, w.start, w.end) for w in transcript.words]
    return SystemOutput(words, credited, [f.text for f in fillers.items],
                        timing.wpm or None, " ".join(w for w, _, _ in words),
                        transcript.to_dict())


@lru_cache(maxsize=1)
def _library() -> ScenarioLibrary:
    return ScenarioLibrary.load()


def reanalyse(saved: dict, scenario_id: str) -> SystemOutput:
    """`analyse` again on a transcript a run saved (`--rescore`): no decoding."""
    scenario = _library().get(scenario_id) if scenario_id else None
    return analyse(Transcript.from_dict(saved), scenario)


NAME = "coach"


def factory(model: str, cpu_threads: int) -> CoachSystem:
    return CoachSystem(model, cpu_threads)

