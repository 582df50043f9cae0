"""`Coach`: the one entry point that turns a recording and a scenario into feedback.

Engines (speech model, grammar server, phonemizer) are created once per Coach and reused, so
a long-lived Coach (the app, a practice session) answers each recording quickly.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import FillerOptions, analyze_fillers
from coach.analysis.grammar import GrammarReport, not_checked, place_issues
from coach.analysis.grammar_filter import filter_spoken_issues
from coach.analysis.pauses import analyze_pauses
from coach.analysis.polish import polish_answer
from coach.analysis.pronunciation import analyze_pronunciation
from coach.analysis.score import score_answer
from coach.analysis.timing import PaceRange, analyze_timing
from coach.audio import MAX_DURATION_S, MIN_DURATION_S, AudioClip, load_audio
from coach.engines.phonetics import EspeakIpa
from coach.engines.synthesizer import DEFAULT_WPM, SpeechAudio, make_synthesizer
from coach.engines.transcriber import WhisperTranscriber
from coach.engines.transcription_stream import TranscriptionStream
from coach.errors import EngineUnavailable, GrammarUnavailable
from coach.feedback import Feedback
from coach.lexicon import TECHNICAL_WORDS
from coach.scenarios import Scenario, ScenarioLibrary
from coach.speakable import speakable
from coach.transcript import Transcript


@dataclass(frozen=True)
class Settings:
    model: str | None = None
    pace_range: PaceRange = field(default_factory=PaceRange)
    fillers: FillerOptions = field(default_factory=FillerOptions)
    check_grammar: bool = True
    min_duration_s: float = MIN_DURATION_S
    max_duration_s: float = MAX_DURATION_S
    voice_engine: str = "espeak"  # espeak | piper
    voice_wpm: int = DEFAULT_WPM


class Coach:
    def __init__(self, settings: Settings | None = None, *, transcriber=None, grammar=None,
                 phonemizer=None, library: ScenarioLibrary | None = None) -> None:
        self.settings = settings or Settings()
        self._transcriber = transcriber
        self._grammar = grammar
        self._phonemizer = phonemizer
        self._library = library
        self._synthesizers: dict[str, object] = {}
        self._lock = threading.Lock()

    # --- engines, created on first use ------------------------------------------------------
    @property
    def transcriber(self) -> WhisperTranscriber:
        with self._lock:
            if self._transcriber is None:
                self._transcriber = WhisperTranscriber(self.settings.model)
            return self._transcriber

    @property
    def grammar(self):
        with self._lock:
            if self._grammar is None:
                from coach.engines.grammar import LanguageToolChecker

                self._grammar = LanguageToolChecker()
            return self._grammar

    @property
    def phonemizer(self):
        if self._phonemizer is None:
            self._phonemizer = EspeakIpa()
        return self._phonemizer

    @property
    def library(self) -> ScenarioLibrary:
        if self._library is None:
            self._library = ScenarioLibrary.load()
        return self._library

    def synthesizer(self, engine: str | None = None):
        engine = engine or self.settings.voice_engine
        with self._lock:
            if engine not in self._synthesizers:
                self._synthesizers[engine] = make_synthesizer(engine)
            return self._synthesizers[engine]

    def speak(self, text: str, path: str | Path, *, scenario: Scenario | None = None,
              engine: str | None = None, wpm: int | None = None) -> SpeechAudio:
        """Say `text` into a WAV file, with technical terms respelled for the voice."""
        spoken = speakable(text, scenario.key_terms if scenario else ())
        return self.synthesizer(engine).synthesize(spoken, Path(path),
                                                   wpm=wpm or self.settings.voice_wpm)

    def warm_up(self) -> None:
        """Load the speech model now and start the grammar server in the background."""
        self._start_grammar()
        self.transcriber.load()

    def _start_grammar(self) -> None:
        if self.settings.check_grammar:
            starter = getattr(self.grammar, "start_in_background", None)
            if starter:
                starter()

    def close(self) -> None:
        closer = getattr(self._grammar, "close", None)
        if closer:
            closer()

    # --- analysis ---------------------------------------------------------------------------
    def load(self, audio: str | Path | AudioClip) -> AudioClip:
        if isinstance(audio, AudioClip):
            return audio
        return load_audio(audio, min_duration_s=self.settings.min_duration_s,
                          max_duration_s=self.settings.max_duration_s)

    def open_stream(self, scenario: Scenario | str) -> TranscriptionStream:
        """Transcribe an answer to `scenario` while it is recorded (see transcription_stream);
        then `analyze(stream.clip(), scenario, transcript=stream.finish())`."""
        if isinstance(scenario, str):
            scenario = self.library.resolve(scenario)
        self._start_grammar()
        return self.transcriber.open_stream([t.term for t in scenario.key_terms])

    def analyze(self, audio: str | Path | AudioClip, scenario: Scenario | str, *,
                transcript: Transcript | None = None) -> Feedback:
        """Raises AudioError subclasses for unusable input; engines' absence is reported inside.

        `transcript`: one already made from this audio (by a stream); skips transcription.
        """
        if isinstance(scenario, str):
            scenario = self.library.resolve(scenario)
        self._start_grammar()  # LanguageTool warms up while the speech is transcribed
        stages: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            stages[name] = (now - clock) * 1000
            clock = now

        clip = self.load(audio)
        lap("decode")
        if transcript is None:
            transcript = self.transcriber.transcribe(clip, [t.term for t in scenario.key_terms])
        lap("transcribe")
        pauses = analyze_pauses(transcript, clip.speech)
        coverage = analyze_coverage(transcript, scenario)
        timing = analyze_timing(transcript, scenario.time_limit_s,
                                pause_s=pauses.total_pause_s,
                                first_key_term_s=coverage.first_term_at_s,
                                pace_range=self.settings.pace_range)
        fillers = analyze_fillers(transcript, max(timing.answer_s, 1.0) / 60.0,
                                  self.settings.fillers)
        lap("analyze")
        grammar = self.check_grammar(transcript, scenario)
        lap("grammar")
        try:
            pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items,
                                                  self.phonemizer)
        except EngineUnavailable:
            pronunciation = analyze_pronunciation(transcript, scenario, coverage, fillers.items)
        polished = polish_answer(transcript, scenario, fillers, coverage, grammar)
        score = score_answer(timing, fillers, coverage, grammar, pauses, polished.structure,
                             scenario.kind)
        lap("feedback")
        return Feedback(scenario, transcript, timing, pauses, fillers, coverage, grammar,
                        pronunciation, polished, score, clip.source, stages)

    def check_grammar(self, transcript, scenario: Scenario) -> GrammarReport:
        if not self.settings.check_grammar:
            return not_checked("none", "Grammar checking is turned off in settings.")
        accepted = {*TECHNICAL_WORDS}
        for term in scenario.key_terms:
            accepted.update(term.spellings)
        checker = self.grammar
        try:
            issues = checker.check(transcript.text, accepted)
        except GrammarUnavailable as error:
            return not_checked(getattr(checker, "name", "LanguageTool"), str(error))
        kept = filter_spoken_issues(issues, transcript.text, accepted)
        return place_issues(transcript, kept, checker.name)
