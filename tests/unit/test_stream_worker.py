"""The stream's bookkeeping (order, worker thread, cancel, errors) with a stand-in decoder.

The real model behind a stream is tested in tests/integration/test_transcription_stream.py.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from scripted_vad import ScriptedProbabilities, script

from coach.engines.speech_chunks import WINDOW, ChunkPolicy, SpeechChunker
from coach.engines.transcription_stream import StreamClosed, TranscriptionStream
from coach.transcript import Transcript, Word

SPEECH = script(("s", 9), ("-", 0.4), ("s", 9), ("-", 0.4), ("s", 3), ("-", 0.1))


def one_word_per_chunk(samples, chunk):
    return [Word(f"chunk@{chunk.start:.2f}", chunk.start, chunk.end)]


def assemble(words, samples):
    return Transcript(tuple(words), len(samples) / 16000)


def open_stream(decode=one_word_per_chunk, probabilities=SPEECH):
    return TranscriptionStream(decode, assemble, SpeechChunker(
        ChunkPolicy(target_s=8.0), ScriptedProbabilities(probabilities)))


def feed_all(stream, probabilities=SPEECH, block=8000, rate=16000):
    silence = np.zeros(len(probabilities) * WINDOW * rate // 16000, dtype=np.float32)
    for offset in range(0, len(silence), block):
        stream.feed(silence[offset : offset + block], rate)


def test_chunks_are_decoded_in_order_while_audio_still_arrives():
    decoded_before_finish = threading.Event()
    stream = open_stream(decode=lambda s, c: (decoded_before_finish.set(),
                                              one_word_per_chunk(s, c))[1])
    feed_all(stream)
    assert decoded_before_finish.wait(5), "closed chunks are decoded before finish()"
    transcript = stream.finish()
    starts = [w.start for w in transcript.words]
    assert len(starts) == 3 and starts == sorted(starts)
    assert transcript.duration_s == pytest.approx(len(SPEECH) * WINDOW / 16000)


def test_the_raw_audio_is_kept_for_saving():
    stream = open_stream()
    feed_all(stream, rate=48000, block=4800)
    stream.finish()
    clip = stream.clip()
    assert clip.original_rate == 48000
    assert clip.duration_s == pytest.approx(len(SPEECH) * WINDOW / 16000, abs=1e-3)


def test_a_decoding_error_reaches_the_caller_of_finish():
    def broken(samples, chunk):
        raise MemoryError("model ran out of memory")

    stream = open_stream(decode=broken)
    feed_all(stream)
    with pytest.raises(MemoryError, match="out of memory"):
        stream.finish()


def test_cancel_stops_decoding_and_closes_the_stream():
    release = threading.Event()
    decoded = []

    def slow(samples, chunk):
        release.wait(5)
        decoded.append(chunk)
        return one_word_per_chunk(samples, chunk)

    stream = open_stream(decode=slow)
    feed_all(stream)
    stream.cancel()
    release.set()
    stream._worker.join(5)
    assert not stream._worker.is_alive()
    assert len(decoded) <= 1  # at most the chunk that was being decoded
    with pytest.raises(StreamClosed):
        stream.feed(np.zeros(160, dtype=np.float32))
    with pytest.raises(StreamClosed):
        stream.finish()


def test_a_stream_cannot_be_finished_twice_or_change_rate():
    stream = open_stream()
    stream.feed(np.zeros(1600, dtype=np.int16), 16000)
    with pytest.raises(ValueError, match="sample rate changed"):
        stream.feed(np.zeros(4800, dtype=np.int16), 48000)
    stream.finish()
    with pytest.raises(StreamClosed):
        stream.finish()


class CountingDecoder:
    def __init__(self):
        self.chunks = []
        self.idle = threading.Event()

    def __call__(self, samples, chunk):
        self.chunks.append(chunk)
        self.idle.set()
        return one_word_per_chunk(samples, chunk)


def wait_until_decoded(decoder, count):
    for _ in range(500):
        if len(decoder.chunks) >= count:
            return
        decoder.idle.wait(0.01)
    raise AssertionError(f"{count} chunk(s) not decoded in time")


def test_the_last_chunk_is_decoded_ahead_while_the_speaker_pauses():
    answer = script(("s", 3), ("-", 0.6))
    decoder = CountingDecoder()
    stream = open_stream(decode=decoder, probabilities=answer)
    feed_all(stream, answer)
    wait_until_decoded(decoder, 1)  # during the pause, before Stop
    transcript = stream.finish()
    assert len(decoder.chunks) == 1  # Stop found the chunk's words ready
    assert transcript.words[0].end == pytest.approx(3.0 + 0.25, abs=0.07)


def test_a_chunk_decoded_ahead_is_not_used_when_the_speaker_goes_on():
    answer = script(("s", 3), ("-", 0.6), ("s", 2), ("-", 0.1))
    decoder = CountingDecoder()
    stream = open_stream(decode=decoder, probabilities=answer)
    pause_end = round(3.6 / 0.032) * WINDOW
    silence = np.zeros(len(answer) * WINDOW, dtype=np.float32)
    stream.feed(silence[:pause_end])
    wait_until_decoded(decoder, 1)
    stream.feed(silence[pause_end:])
    transcript = stream.finish()
    assert len(decoder.chunks) == 2 and decoder.chunks[0] != decoder.chunks[1]
    assert [w.end for w in transcript.words] == [decoder.chunks[1].end]
    assert transcript.words[0].end > 5.0


def test_progress_shows_the_backlog_while_the_decoder_is_busy_and_never_waits_for_it():
    release = threading.Event()

    def held(samples, chunk):
        release.wait(10)
        return one_word_per_chunk(samples, chunk)

    stream = open_stream(decode=held)
    feed_all(stream)  # two 9 s chunks closed: the decoder holds the first; the last is open
    busy = stream.progress()  # returns although the decoder is stuck
    assert busy.words == () and busy.decoded_s == 0.0
    assert busy.received_s == pytest.approx(len(SPEECH) * WINDOW / 16000)
    first_end = 9.0 + 0.25  # the first chunk closed at the first pause (plus pad)
    assert busy.backlog_s == pytest.approx(busy.received_s - first_end, abs=0.1)
    assert 18.0 < busy.waiting_s < 19.0
    release.set()
    transcript = stream.finish()
    done = stream.progress()
    assert done.words == transcript.words
    assert (done.backlog_s, done.waiting_s) == (0.0, 0.0)
    assert done.decoded_s == pytest.approx(transcript.words[-1].end)


def test_progress_includes_the_chunk_decoded_ahead_during_a_pause():
    answer = script(("s", 3), ("-", 0.6))
    decoder = CountingDecoder()
    stream = open_stream(decode=decoder, probabilities=answer)
    feed_all(stream, answer)
    wait_until_decoded(decoder, 1)
    for _ in range(100):  # the worker stores the words just after the decoder returns
        if stream.progress().words:
            break
        decoder.idle.wait(0.01)
    progress = stream.progress()
    assert stream.partial_words() == []  # not committed: the speaker may go on
    assert len(progress.words) == 1 and progress.decoded_s == pytest.approx(3.25, abs=0.07)
    assert progress.backlog_s == 0.0
    stream.cancel()


def test_a_chunk_decoded_ahead_never_holds_up_a_closed_chunk():
    """The chunk decoded ahead in a pause runs beside the closed chunks, not before them: when
    the speaker goes on, the chunk that closes is decoded at once (a decoder may be slow)."""
    answer = script(("s", 3), ("-", 0.6), ("s", 6), ("-", 0.4), ("s", 1))
    ahead_started, release, closed = threading.Event(), threading.Event(), threading.Event()

    def decode(samples, chunk):
        if chunk.end < 4:  # the pause's chunk, decoded ahead: a slow decode
            ahead_started.set()
            release.wait(10)
        else:
            closed.set()
        return one_word_per_chunk(samples, chunk)

    stream = open_stream(decode=decode, probabilities=answer)
    pause_end = round(3.6 / 0.032) * WINDOW
    silence = np.zeros(len(answer) * WINDOW, dtype=np.float32)
    stream.feed(silence[:pause_end])
    assert ahead_started.wait(5)
    stream.feed(silence[pause_end:])  # the first chunk closes in the second pause
    try:
        assert closed.wait(5), "the closed chunk waited for the chunk decoded ahead"
    finally:
        release.set()
    transcript = stream.finish()
    assert [w.start for w in transcript.words] == [0.0, pytest.approx(9.85, abs=0.07)]


def test_stop_during_the_decode_ahead_of_the_last_chunk_waits_for_it_and_decodes_it_once():
    answer = script(("s", 3), ("-", 0.6))
    decoder = CountingDecoder()
    started, release = threading.Event(), threading.Event()

    def slow(samples, chunk):
        started.set()
        release.wait(10)
        return decoder(samples, chunk)

    stream = open_stream(decode=slow, probabilities=answer)
    feed_all(stream, answer)
    assert started.wait(5)
    threading.Timer(0.2, release.set).start()
    transcript = stream.finish()
    assert len(decoder.chunks) == 1 and len(transcript.words) == 1


def test_a_pause_chunk_not_started_when_its_chunk_closes_is_never_decoded():
    """The ahead thread is busy with an older pause when the speaker pauses again, then goes
    on until the chunk closes: the second pause's chunk is stale and must not cost a decode."""
    answer = script(("s", 3), ("-", 0.6), ("s", 1), ("-", 0.6), ("s", 5), ("-", 0.4),
                    ("s", 1), ("-", 0.1))
    started, release, decoded = threading.Event(), threading.Event(), []

    def decode(samples, chunk):
        if not decoded:  # the first pause's chunk: slow
            started.set()
            release.wait(10)
        decoded.append((chunk.start, round(chunk.end, 2)))
        return one_word_per_chunk(samples, chunk)

    stream = open_stream(decode=decode, probabilities=answer)
    first_pause_end = round(3.6 / 0.032) * WINDOW
    silence = np.zeros(len(answer) * WINDOW, dtype=np.float32)
    stream.feed(silence[:first_pause_end])
    # the ahead thread has the first pause's chunk before the speaker goes on (fed at once,
    # the rest could otherwise reach the second pause before that thread woke up)
    assert started.wait(5)
    stream.feed(silence[first_pause_end:])
    release.set()
    stream.finish()
    assert not [c for c in decoded if 4.5 < c[1] < 5.5], decoded  # the second pause's chunk


def test_a_stream_is_done_once_finished_and_every_chunk_decoded():
    release = threading.Event()
    stream = open_stream(decode=lambda s, c: (release.wait(5), one_word_per_chunk(s, c))[1])
    feed_all(stream)
    assert not stream.is_done
    finisher = threading.Thread(target=stream.finish)
    finisher.start()
    assert not stream.is_done  # finished, its chunks still decoding
    release.set()
    finisher.join(5)
    assert stream.is_done


def test_a_short_pause_between_phrases_is_not_decoded_ahead():
    """Pauses under AHEAD_PAUSE_S are mostly between phrases: a decode started then is
    wasted when the speaker goes on, and holds the core the last pause's decode needs."""
    from coach.engines.transcription_stream import AHEAD_PAUSE_S

    answer = script(("s", 3), ("-", AHEAD_PAUSE_S - 0.1))
    decoder = CountingDecoder()
    stream = open_stream(decode=decoder, probabilities=answer)
    feed_all(stream, answer)
    decoder.idle.wait(0.3)
    assert decoder.chunks == []  # nothing decoded ahead in that pause
    stream.finish()
    assert len(decoder.chunks) == 1
