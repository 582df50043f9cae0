"""Hallucination checks and the choice among re-decodes (coach.engines.decode_guard)."""

from __future__ import annotations

from coach.analysis.timing import PaceRange
from coach.engines.decode_guard import (
    Candidate,
    choose,
    compression_ratio,
    normalized,
    repeated_ngram,
    suspicion,
    without_squeezed_tail,
)
from coach.transcript import Word

TERMS = ("retryable errors", "backoff", "jitter")
LOOP = ("Thanks for the past, retryable errors, retryable errors, retryable errors, "
        "retryable errors. It can't be open and receive on a second defend.")
HEARD = ("Thanks for the patch. The loop retries every error, even the ones that are not "
         "retryable, and it has no backoff between attempts.")


def candidate(text: str, prompted: bool = True, logprob: float = -0.4,
              coverage: float = 1.0) -> Candidate:
    words = tuple(Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split()))
    return Candidate(words, prompted, logprob, compression_ratio(text), coverage)


def test_a_prompt_term_repeated_back_to_back_is_a_loop():
    assert repeated_ngram(normalized(LOOP)) == ("retryable errors", 4)
    assert "repeated 4 times" in suspicion(candidate(LOOP, coverage=0.45), TERMS)


def test_speech_with_a_stutter_or_a_term_said_twice_is_trusted():
    said = "I, I, I think the retryable errors need backoff, and retryable errors need jitter."
    assert repeated_ngram(normalized(said)) is None
    assert suspicion(candidate(said), TERMS) == ""


def test_a_prompt_term_said_three_times_in_one_chunk_is_suspect():
    text = "backoff here then backoff there and backoff again for the calls"
    assert "backoff" in suspicion(candidate(text), TERMS)
    assert suspicion(candidate(text, prompted=False), TERMS) == ""


def test_lost_speech_and_low_confidence_are_suspect():
    assert "cover 40%" in suspicion(candidate(HEARD, coverage=0.4), TERMS)
    assert "low confidence" in suspicion(candidate(HEARD, logprob=-1.3), TERMS)


def test_choose_drops_the_loop_for_the_unprompted_decode():
    looped = candidate(LOOP, coverage=0.45, logprob=-0.3)
    plain = candidate(HEARD, prompted=False, coverage=1.0, logprob=-0.6)
    assert choose([looped, plain], TERMS) is plain


def test_choose_never_keeps_a_prompt_only_term_after_a_loop():
    looped = candidate(LOOP, coverage=0.45, logprob=-0.3)
    plain = candidate("Thanks for the patch. It can't be open.", prompted=False, coverage=0.6)
    halves = candidate("Thanks for the patch, jitter, it can't be open and receive on a second.",
                       coverage=0.9, logprob=-0.2)
    assert choose([looped, plain, halves], TERMS) is plain


def test_choose_keeps_the_prompted_decode_on_a_tie():
    prompted = candidate(HEARD, coverage=0.95, logprob=-0.5)
    plain = candidate(HEARD.replace("backoff", "back off"), prompted=False, coverage=0.95,
                      logprob=-0.5)
    assert choose([prompted, plain], TERMS) is prompted


def test_choose_prefers_the_decode_that_covers_the_speech():
    short = candidate("Thanks for the patch.", coverage=0.3, logprob=-0.2)
    plain = candidate(HEARD, prompted=False, coverage=0.95, logprob=-0.7)
    assert choose([short, plain], TERMS) is plain


def test_a_223_wpm_answer_is_fast():
    assert PaceRange().verdict(223) == "fast"


def test_the_transcriber_redecodes_a_looping_chunk_without_the_prompt(monkeypatch):
    import numpy as np

    from coach.audio.voice_activity import Interval
    from coach.engines.speech_chunks import SpeechChunk
    from coach.engines.transcriber import DecodingOptions, WhisperTranscriber

    transcriber = WhisperTranscriber.__new__(WhisperTranscriber)
    prompts = []

    def fake(samples, chunk, offset, prompt, options):
        prompts.append(prompt)
        return (candidate(LOOP, coverage=0.45, logprob=-0.3) if prompt
                else candidate(HEARD, prompted=False, logprob=-0.6))

    monkeypatch.setattr(transcriber, "_candidate", fake, raising=False)
    chunk = SpeechChunk(0.0, 14.5, (Interval(0.2, 14.3),))
    words = transcriber.decode_chunk(np.zeros(16000), chunk, "Key terms: retryable errors.",
                                     DecodingOptions(), TERMS)
    assert " ".join(w.text for w in words) == HEARD
    assert prompts == ["Key terms: retryable errors.", None]


def timed(*words: tuple[str, float, float, float]) -> list[Word]:
    return [Word(text, start, end, p) for text, start, end, p in words]


SPOKEN = [("wouldn't", 22.05, 22.35, 0.55), ("have", 22.35, 22.47, 0.73),
          ("more", 22.47, 22.83, 0.64), ("memory.", 22.83, 23.27, 0.24)]
# words the recogniser put where no audio fits them: squeezed into the chunk's last frames
SQUEEZED = [("I", 23.94, 23.94, 0.03), ("don't", 23.94, 23.94, 0.53),
            ("know", 23.94, 23.94, 0.58), ("what", 23.94, 23.94, 0.08),
            ("that", 23.94, 24.06, 0.14), ("means.", 24.06, 24.26, 0.55)]


def test_a_tail_of_words_squeezed_into_no_time_is_dropped():
    words = timed(*SPOKEN, *SQUEEZED)
    assert [w.text for w in without_squeezed_tail(words)] == [w for w, *_ in SPOKEN]


def test_fast_or_confident_endings_are_kept():
    fast = timed(*SPOKEN, ("so", 23.3, 23.42, 0.6), ("that", 23.42, 23.55, 0.5),
                 ("is", 23.55, 23.66, 0.4), ("it.", 23.66, 23.9, 0.5))  # 4 words in 0.6 s
    sure = timed(*SPOKEN, *((w, s, e, 0.9) for w, s, e, _ in SQUEEZED))
    two = timed(*SPOKEN, *SQUEEZED[-2:])  # too few words to tell
    for words in (fast, sure, two, timed(*SQUEEZED)[:0]):
        assert without_squeezed_tail(words) == words


def test_the_transcriber_drops_a_squeezed_tail(monkeypatch):
    import numpy as np

    from coach.audio.voice_activity import Interval
    from coach.engines.speech_chunks import SpeechChunk
    from coach.engines.transcriber import DecodingOptions, WhisperTranscriber

    transcriber = WhisperTranscriber.__new__(WhisperTranscriber)
    words = tuple(timed(*SPOKEN, *SQUEEZED))
    monkeypatch.setattr(transcriber, "_candidate", lambda *_: Candidate(
        words, True, -0.4, compression_ratio(" ".join(w.text for w in words))), raising=False)
    chunk = SpeechChunk(22.0, 24.3, (Interval(22.0, 23.4),))
    kept = transcriber.decode_chunk(np.zeros(16000), chunk, None, DecodingOptions(), ())
    assert [w.text for w in kept] == [w for w, *_ in SPOKEN]
