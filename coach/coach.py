"""`Coach`: the one entry point that turns a recording and a scenario into feedback.

Engines (speech model, grammar server, phonemizer) are created once per Coach and reused, so
a long-lived Coach (the app, a practice session) answers each recording quickly.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from coach.analysis.pronunciation import Phonemizer
from coach.audio.decode import AudioClip, load_audio
from coach.background import WarmUp
from coach.capabilities import make_grammar_checker, voice_to_use
from coach.engines.live_captions import LiveCaptions, captions_wanted, lowest_priority
from coach.engines.phoneme_frames import ClipFrames
from coach.engines.phonetics import make_phonemizer
from coach.engines.speech_pieces import Synthesizer
from coach.engines.synthesizer import SpeechAudio, make_synthesizer
from coach.engines.transcriber import DecodingOptions, WhisperTranscriber
from coach.engines.transcription_stream import TranscriptionStream
from coach.errors import CoachError
from coach.feedback import Feedback, build_feedback, judge_sounds
from coach.grammar import GrammarChecker, GrammarReport, check_transcript, not_checked
from coach.phonemes.answer import TermSounds
from coach.phonemes.clips import TermClips, term_clips
from coach.phonemes.recogniser import PhonemeRecogniser, shared_recogniser
from coach.scenarios import Scenario
from coach.scenarios.library import ScenarioLibrary
from coach.scenarios.vocabulary import key_terms_of
from coach.settings import Settings
from coach.speakable import speakable
from coach.streamed_sounds import EarlySounds
from coach.transcript import Transcript

MAX_MEMO = 200
# The live panel's captions (live_captions.py): the small model, greedy, on one thread, in int8
# (a caption is shown for a moment, then replaced by the final decoding's words, so it need not
# be the same on every CPU; int8 is 1.3x faster than float32 and 110 MB smaller)
CAPTION_MODEL = "tiny.en"
CAPTION_COMPUTE_TYPE = "int8"


class Coach:
    def __init__(self, settings: Settings | None = None, *,
                 transcriber: WhisperTranscriber | None = None,
                 grammar: GrammarChecker | None = None, phonemizer: Phonemizer | None = None,
                 library: ScenarioLibrary | None = None,
                 recogniser: PhonemeRecogniser | None = None) -> None:
        self.settings = settings or Settings()
        self._transcriber = transcriber
        self._grammar = grammar
        self._phonemizer = phonemizer
        self._library = library
        self._recogniser = recogniser
        self.sound_memo: dict = {}  # terms scored, by all they depend on (score_key_terms)
        self._synthesizers: dict[str, Synthesizer] = {}
        self._lock = threading.Lock()
        self._warm_ups: list[WarmUp] = []
        self._sound_judges = ThreadPoolExecutor(2, thread_name_prefix="sounds")
        self._captioner: tuple[WhisperTranscriber, WarmUp] | None = None

    # --- engines, created on first use ------------------------------------------------------
    @property
    def transcriber(self) -> WhisperTranscriber:
        with self._lock:
            if self._transcriber is None:
                self._transcriber = WhisperTranscriber(self.settings.model)
            return self._transcriber

    @property
    def grammar(self) -> GrammarChecker:
        with self._lock:
            if self._grammar is None:
                self._grammar = make_grammar_checker()  # LanguageTool, or Harper without Java
            return self._grammar

    @property
    def phonemizer(self) -> Phonemizer | None:
        """None: no espeak-ng here; hints are given without IPA."""
        if self._phonemizer is None:
            self._phonemizer = make_phonemizer()  # None: hints without IPA
        return self._phonemizer

    @property
    def recogniser(self) -> PhonemeRecogniser:
        """The phoneme recogniser (hama), shared by the process; its model loads on first use."""
        if self._recogniser is None:
            self._recogniser = shared_recogniser()
        return self._recogniser

    @property
    def library(self) -> ScenarioLibrary:
        if self._library is None:
            self._library = ScenarioLibrary.load()
        return self._library

    def synthesizer(self, engine: str | None = None) -> Synthesizer:
        engine = voice_to_use(engine or self.settings.voice_engine)  # Piper if that one is missing
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

    def term_clips(self, recording: str | Path, words: Sequence[TermSounds],
                   scenario: Scenario, folder: Path) -> list[TermClips]:
        """Yours beside the model, for each scored key term (coach.phonemes.clips): the term
        cut from `recording` and said by the chosen voice at the chosen speed, into `folder`."""
        settings = self.settings
        return term_clips(recording, words, folder,
                          speak=lambda text, path: self.speak(text, path, scenario=scenario),
                          voice=f"{voice_to_use(settings.voice_engine)}|{settings.voice_wpm}")

    def warm_up(self) -> WarmUp:
        """Start loading the speech model and the grammar server, in the background.

        Returns at once; `.wait()` on the result blocks until done and raises what failed
        (e.g. ModelNotFound). `close()` waits for it too.
        """

        def load() -> None:
            self._start_grammar()
            self.transcriber.load()
            if captions_wanted():
                with contextlib.suppress(CoachError):  # no captions; the answers still work
                    self._caption_model(wait=False)

        handle = WarmUp(load)
        self._warm_ups.append(handle)
        return handle

    def _start_grammar(self) -> None:
        if self.settings.check_grammar:
            starter = getattr(self.grammar, "start_in_background", None)
            if starter:
                starter()

    def close(self) -> None:
        """Wait for any warm-up still loading, then stop the grammar server."""
        for handle in self._warm_ups:
            handle.join()
        closer = getattr(self._grammar, "close", None)
        if closer:
            closer()

    # --- analysis ---------------------------------------------------------------------------
    def load(self, audio: str | Path | AudioClip, *, name: str | None = None) -> AudioClip:
        """`name`: how messages call the file, when `audio` is a copy of the user's file."""
        if isinstance(audio, AudioClip):
            return audio
        return load_audio(audio, min_duration_s=self.settings.min_duration_s,
                          max_duration_s=self.settings.max_duration_s, name=name)

    def open_stream(self, scenario: Scenario | str) -> TranscriptionStream:
        """Transcribe an answer to `scenario` while it is recorded (see transcription_stream);
        then `analyze(stream.clip(), scenario, transcript=stream.finish())`."""
        if isinstance(scenario, str):
            scenario = self.library.resolve(scenario)
        self._start_grammar()
        return self.transcriber.open_stream(key_terms_of(scenario))

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
            transcript = self.transcriber.transcribe(clip, key_terms_of(scenario))
        if clip.warnings:  # e.g. a file cut short: said where the transcript is shown
            transcript = replace(transcript, notes=(*clip.warnings, *transcript.notes))
        lap("transcribe")
        # The sounds (the phoneme recogniser runs outside the GIL) are judged on another thread
        # while LanguageTool and the other analyses work: the wait after Stop is the longer one.
        sounds = self._sound_judges.submit(
            judge_sounds, transcript, scenario, self._phoneme_frames(clip), self.phonemizer,
            self._memo())
        grammar = self.check_grammar(transcript, scenario)
        lap("grammar")
        feedback = build_feedback(transcript, scenario, grammar, speech=clip.speech,
                                  pace_range=self.settings.pace_range,
                                  filler_options=self.settings.fillers,
                                  phonemize=self.phonemizer, audio_path=clip.source,
                                  voice=(self.settings.voice_engine, self.settings.voice_wpm),
                                  sounds=sounds.result())
        lap("feedback")
        return replace(feedback, stage_ms=stages)

    def _memo(self) -> dict:
        if len(self.sound_memo) > MAX_MEMO:  # a long-lived app: keep the recent answers' terms
            self.sound_memo.clear()
        return self.sound_memo

    def score_while_streaming(self, stream: TranscriptionStream, scenario: Scenario
                              ) -> EarlySounds | None:
        """Score the key terms' sounds as the stream's chunks are decoded, into `sound_memo`,
        so that after Stop only the terms of the last chunk are left (coach.streamed_sounds)."""
        if not self.settings.check_sounds:
            return None
        return EarlySounds.start(stream, scenario, lambda samples: ClipFrames(
            samples, self.recogniser, complete=False), self.phonemizer, self._memo())

    def caption_while_streaming(self, stream: TranscriptionStream, scenario: Scenario
                                ) -> LiveCaptions | None:
        """Words for the live panel within a second or two (coach.engines.live_captions);
        None when turned off (COACH_LIVE_CAPTIONS=0)."""
        if not captions_wanted():
            return None
        key_terms = key_terms_of(scenario)
        return LiveCaptions.start(stream, lambda: self._caption_model().quick_decoder(key_terms))

    def _caption_model(self, *, wait: bool = True) -> WhisperTranscriber:
        """The captions' model, loaded once on a thread at the lowest CPU priority (its worker
        thread inherits it), which close() waits for; `wait`: until it is loaded."""
        with self._lock:
            if self._captioner is None:
                model = WhisperTranscriber(CAPTION_MODEL, cpu_threads=1, workers=1,
                                           options=DecodingOptions(beam_size=1),
                                           compute_type=CAPTION_COMPUTE_TYPE)

                def load() -> None:
                    lowest_priority()
                    model.load()
                handle = WarmUp(load)
                self._warm_ups.append(handle)
                self._captioner = (model, handle)
            model, handle = self._captioner
        if wait:
            handle.wait()
        return model

    def _phoneme_frames(self, clip: AudioClip) -> ClipFrames | str:
        if not self.settings.check_sounds:
            return "Sounds are not checked: turned off in settings."
        return ClipFrames(clip.samples, self.recogniser)

    def check_grammar(self, transcript: Transcript, scenario: Scenario) -> GrammarReport:
        if not self.settings.check_grammar:
            return not_checked("none", "Grammar checking is turned off in settings.")
        return check_transcript(self.grammar, transcript, scenario)
