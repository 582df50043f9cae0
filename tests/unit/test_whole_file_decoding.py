"""Whole-file decoding with a stand-in decoder: long chunks, two decoded side by side, in order.

Every chunk costs Whisper a full 30 s encoder pass, so a whole file is cut only where it must be
(DecodingOptions.whole_file_chunking), while a stream's chunks are closed as the user speaks.
The real model is in tests/integration/test_transcription_stream.py.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from scripted_vad import ScriptedProbabilities, script

from coach.engines.speech_chunks import WINDOW, ChunkPolicy, SpeechChunker
from coach.engines.transcriber import DecodingOptions, WhisperTranscriber
from coach.engines.transcription_stream import TranscriptionStream, transcribe_whole
from coach.transcript import Transcript, Word

# a 24 s answer: 3.7 s runs of speech with 0.3 s breaths, then 1 s of silence
ANSWER = script(*[part for _ in range(6) for part in (("s", 3.7), ("-", 0.3))], ("-", 1.0))
LONG = script(*[part for _ in range(12) for part in (("s", 4.0), ("-", 0.3))], ("-", 1.0))


def audio_for(probabilities: np.ndarray) -> np.ndarray:
    return np.full(len(probabilities) * WINDOW, 0.1, dtype=np.float32)


def chunker(policy: ChunkPolicy, probabilities: np.ndarray) -> SpeechChunker:
    return SpeechChunker(policy, ScriptedProbabilities(probabilities))


def one_word(samples, chunk):
    return [Word(f"chunk@{chunk.start:.2f}", chunk.start, chunk.end)]


def assemble(words, samples):
    return Transcript(tuple(words), len(samples) / 16000)


def test_a_24_s_answer_is_one_chunk_for_a_whole_file():
    options = DecodingOptions()
    whole = transcribe_whole(audio_for(ANSWER), 16000, one_word, assemble,
                             chunker(options.whole_file_chunking, ANSWER))
    cut_every_10_s = transcribe_whole(audio_for(ANSWER), 16000, one_word, assemble,
                                      chunker(ChunkPolicy(target_s=10.0), ANSWER))
    assert len(whole.words) == 1  # one encoder pass, as bare faster-whisper's one 30 s window
    assert len(cut_every_10_s.words) >= 2  # the scripted answer has pauses to cut at


def test_a_long_file_s_chunks_fit_whisper_s_window_and_none_could_be_joined():
    policy = DecodingOptions().whole_file_chunking
    transcript = transcribe_whole(audio_for(LONG), 16000, one_word, assemble,
                                  chunker(policy, LONG))
    spans = [(w.start, w.end) for w in transcript.words]  # one word per chunk
    assert len(spans) == 3  # 51.6 s: cut at the first breath after 20 s
    assert all(end - start <= policy.max_s for start, end in spans)
    assert all(b[1] - a[0] > policy.join_s for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("spans, up_to, expected", [
    ([(0, 21), (21, 24)], 29, [(0, 24)]),  # a short last chunk joins the one before
    ([(0, 21), (21, 24)], 0, [(0, 21), (21, 24)]),  # a stream: never
    ([(0, 21), (21, 42), (42, 45)], 29, [(0, 21), (21, 45)]),
    ([(0, 5), (8, 12), (20, 30)], 29, [(0, 12), (20, 30)]),  # the pause between is kept
])
def test_joined_chunks(spans, up_to, expected):
    from coach.audio.voice_activity import Interval
    from coach.engines.speech_chunks import SpeechChunk, joined

    chunks = [SpeechChunk(a, b, (Interval(a + 0.1, b - 0.1),)) for a, b in spans]
    out = joined(chunks, up_to)
    assert [(c.start, c.end) for c in out] == expected
    assert [i for c in out for i in c.speech] == [i for c in chunks for i in c.speech]


def test_two_chunks_are_decoded_side_by_side_and_their_words_kept_in_order():
    both_started = threading.Barrier(2, timeout=10)

    def decode(samples, chunk):
        if chunk.start < 20:  # the first two chunks wait for each other: in flight together
            both_started.wait()
        if chunk.start == 0:
            time.sleep(0.2)  # and the first finishes last
        return one_word(samples, chunk)

    transcript = transcribe_whole(audio_for(LONG), 16000, decode, assemble,
                                  chunker(ChunkPolicy(target_s=10.0), LONG), workers=2)
    starts = [w.start for w in transcript.words]
    assert len(starts) >= 3 and starts == sorted(starts)


def test_one_worker_decodes_one_chunk_at_a_time():
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def decode(samples, chunk):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1
        return one_word(samples, chunk)

    transcribe_whole(audio_for(LONG), 16000, decode, assemble,
                     chunker(DecodingOptions().chunking, LONG), workers=1)
    assert most[0] == 1


def test_the_same_chunking_gives_the_stream_s_transcript():
    policy = DecodingOptions().chunking
    whole = transcribe_whole(audio_for(LONG), 16000, one_word, assemble, chunker(policy, LONG),
                             workers=2)
    stream = TranscriptionStream(one_word, assemble, chunker(policy, LONG))
    audio = audio_for(LONG)
    for offset in range(0, len(audio), 8000):
        stream.feed(audio[offset : offset + 8000], 16000)
    assert stream.finish().words == whole.words


def test_a_decoding_error_reaches_the_caller():
    def broken(samples, chunk):
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        transcribe_whole(audio_for(LONG), 16000, broken, assemble,
                         chunker(DecodingOptions().chunking, LONG), workers=2)


def test_the_transcriber_cuts_a_whole_file_with_the_whole_file_chunking(monkeypatch):
    import coach.engines.transcriber as module

    transcriber = WhisperTranscriber.__new__(WhisperTranscriber)
    transcriber.options, transcriber._workers = DecodingOptions(), 2
    monkeypatch.setattr(transcriber, "_chunk_decoder", lambda terms, options: one_word,
                        raising=False)
    monkeypatch.setattr(transcriber, "assemble", assemble, raising=False)
    monkeypatch.setattr(module, "SpeechChunker", lambda policy: chunker(policy, ANSWER))
    from coach.audio.decode import AudioClip

    transcript = transcriber.transcribe(AudioClip(audio_for(ANSWER)))
    assert len(transcript.words) == 1


def test_a_suspicious_chunk_s_redecodes_run_side_by_side_in_the_same_order(monkeypatch):
    """Words covering too little of a chunk with two runs of speech: the unprompted decode and
    the two halves are all needed, known from the first decode, so they share the two cores.
    The candidates `choose` sees are the same, in the same order, as one by one."""
    from coach.audio.voice_activity import Interval
    from coach.engines.decode_guard import Candidate
    from coach.engines.speech_chunks import SpeechChunk

    transcriber = WhisperTranscriber.__new__(WhisperTranscriber)
    transcriber._workers = 2
    chunk = SpeechChunk(0.0, 20.0, (Interval(0.2, 9.0), Interval(10.0, 19.8)))
    three_together = threading.Barrier(3, timeout=10)
    seen = []

    def fake(samples, piece, offset, prompt, options):
        seen.append((piece.start, piece.end, prompt is not None))
        if len(seen) > 1:  # the re-decodes: the unprompted one and both halves at once
            three_together.wait()
        heard = [Word("word", piece.start + 0.3, piece.start + 0.6),
                 Word("end", piece.end - 0.5, piece.end - 0.3)]  # no early end: no tail
        return Candidate(tuple(heard), prompt is not None, -0.2, 1.0, 0.5)

    monkeypatch.setattr(transcriber, "_candidate", fake, raising=False)
    chosen = []
    monkeypatch.setattr("coach.engines.transcriber.choose",
                        lambda candidates, terms: chosen.append(candidates) or candidates[0])
    transcriber.decode_chunk(np.zeros(20 * 16000, np.float32), chunk, "prompt",
                             DecodingOptions())
    assert sorted(seen[1:]) == [(0.0, 9.5, True), (0.0, 20.0, False), (9.5, 20.0, True)]
    first, unprompted, halves = chosen[0]
    assert first.prompted and not unprompted.prompted and halves.prompted
    assert [w.start for w in halves.words] == [0.3, 9.0, 9.8, 19.5]


def test_a_chunk_whose_decode_ends_early_gets_its_rest_decoded_alone(monkeypatch):
    """Whisper wrote the first run of speech and stopped: the rest (from just before the
    unwritten speech) is decoded on its own, beside the unprompted decode, and joined after
    the words already there; the halves are not needed once that covers the speech."""
    from coach.audio.voice_activity import Interval
    from coach.engines.chunk_coverage import speech_coverage
    from coach.engines.decode_guard import Candidate
    from coach.engines.speech_chunks import SpeechChunk

    transcriber = WhisperTranscriber.__new__(WhisperTranscriber)
    transcriber._workers = 2
    chunk = SpeechChunk(0.0, 20.0, (Interval(0.2, 9.0), Interval(10.0, 19.8)))
    seen = []

    def fake(samples, piece, offset, prompt, options):
        seen.append((piece.start, piece.end, prompt is not None))
        stop = 9.0 if piece.start == 0.0 else piece.end  # every decode of the whole ends early
        heard = tuple(Word("word", t, t + 0.3)
                      for t in np.arange(piece.start + 0.3, stop - 0.3, 0.5).round(2))
        return Candidate(heard, prompt is not None, -0.2, 1.0,
                         speech_coverage(heard, chunk.speech))

    monkeypatch.setattr(transcriber, "_candidate", fake, raising=False)
    chosen = []
    monkeypatch.setattr("coach.engines.transcriber.choose",
                        lambda candidates, terms: chosen.append(candidates) or candidates[-1])
    words = transcriber.decode_chunk(np.zeros(20 * 16000, np.float32), chunk, "prompt",
                                     DecodingOptions())
    assert sorted(seen[1:]) == [(0.0, 20.0, False), (9.75, 20.0, True)]  # no halves
    first, unprompted, completed = chosen[0]
    assert completed.words[: len(first.words)] == first.words
    assert completed.words[len(first.words)].start == 10.05 and completed.coverage >= 0.9
    assert len(words) == len(completed.words)
