"""Streaming with the real model and the real VAD: the same transcript as the whole file.

Whole-file decoding decodes the chunks a stream fed the whole file would close, exactly as the
stream decodes them, and chunk boundaries depend only on the audio before them, so feeding a
recording in blocks (as a microphone does) must give exactly the transcript of the whole-file
call cut into the stream's chunks, word for word and time for time. (By default a whole file
is cut into longer chunks, which costs half the decoding: see DecodingOptions.)
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from telephone import telephone_band

from benchmarks.word_error_rate import word_error_rate
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.engines.speech_chunks import SpeechChunker, SpeechProbabilities
from coach.errors import NoSpeechDetected
from coach.scenarios.library import ScenarioLibrary

LIBRARY = ScenarioLibrary.load()


def terms_of(fixture):
    return [t.term for t in LIBRARY.get(fixture.scenario).key_terms] if fixture.scenario else []


def feed_in_blocks(stream, samples, seconds, rate=SAMPLE_RATE):
    block = int(seconds * rate)
    for offset in range(0, len(samples), block):
        stream.feed(samples[offset : offset + block], rate)


@pytest.mark.parametrize("fixture_id", ["snapshot-029-fillers", "overlay-scot140-pauses"])
def test_streaming_in_half_second_blocks_gives_the_whole_file_transcript(
        transcriber, fixtures, fixture_id):
    fixture = fixtures[fixture_id]
    clip = load_audio(fixture.path)
    options = replace(transcriber.options, whole_file_chunking=transcriber.options.chunking)
    whole = transcriber.transcribe(clip, terms_of(fixture), options)
    stream = transcriber.open_stream(terms_of(fixture))
    feed_in_blocks(stream, clip.samples, 0.5)
    streamed = stream.finish()
    assert streamed.words == whole.words
    assert streamed.duration_s == pytest.approx(clip.duration_s)
    assert word_error_rate(fixture.text, streamed.text) <= 0.45
    assert np.array_equal(stream.clip().samples, clip.samples)


@pytest.mark.parametrize("band", ["full", "telephone"])
def test_the_vad_gives_the_same_probabilities_whatever_the_block_size(fixtures, band):
    samples = load_audio(fixtures["human-codec2-vk5qi"].path).samples
    if band == "telephone":  # the probabilities are scaled up there, from the audio so far
        samples = telephone_band(samples)
    at_once = SpeechProbabilities().push(samples)
    blocks, vad = [], SpeechProbabilities()
    for offset in range(0, len(samples), 7_777):
        blocks.append(vad.push(samples[offset : offset + 7_777]))
    assert np.array_equal(np.concatenate(blocks), at_once)
    chunker = SpeechChunker()
    chunks = chunker.feed(samples) + chunker.finish(len(samples) / SAMPLE_RATE)
    assert chunks and all(c.duration <= 25.1 for c in chunks)


def test_a_browser_stream_at_48_khz_stereo_int16_is_transcribed(transcriber, fixtures):
    fixture = fixtures["oom-us150-fillers"]
    mono = load_audio(fixture.path).samples
    up = np.interp(np.arange(len(mono) * 3) / 3, np.arange(len(mono)), mono)
    stereo = (np.stack([up, up], axis=1) * 32767).astype(np.int16)
    stream = transcriber.open_stream(terms_of(fixture))
    feed_in_blocks(stream, stereo, 0.1, rate=48_000)
    transcript = stream.finish()
    assert stream.clip().duration_s == pytest.approx(fixture.duration_s, abs=0.05)
    assert word_error_rate(fixture.text, transcript.text) <= 0.3, transcript.text
    assert "OOMKiller" in transcript.text


def test_chunks_are_decoded_while_the_answer_is_still_spoken(transcriber, fixtures):
    fixture = fixtures["oom-us150-fillers"]
    samples = load_audio(fixture.path).samples
    stream = transcriber.open_stream(terms_of(fixture))
    spoken_s = 25  # of 29 s; chunks close at a pause once they hold ~20 s (ChunkPolicy)
    feed_in_blocks(stream, samples[: spoken_s * SAMPLE_RATE], 0.5)
    deadline = time.monotonic() + 60
    while not stream.partial_words() and time.monotonic() < deadline:
        time.sleep(0.1)
    heard = stream.partial_words()
    assert heard and heard[-1].end <= spoken_s
    feed_in_blocks(stream, samples[spoken_s * SAMPLE_RATE :], 0.5)
    transcript = stream.finish()
    assert list(transcript.words[: len(heard)]) == heard


def test_a_silent_stream_says_so(transcriber):
    stream = transcriber.open_stream()
    feed_in_blocks(stream, np.zeros(3 * SAMPLE_RATE, dtype=np.float32), 0.5)
    with pytest.raises(NoSpeechDetected, match="No speech detected"):
        stream.finish()


def test_a_streamed_answer_is_analysed_like_the_file(offline_coach, fixtures):
    fixture = fixtures["iomax-us150-short"]
    stream = offline_coach.open_stream(fixture.scenario)
    feed_in_blocks(stream, load_audio(fixture.path).samples, 0.5)
    streamed = offline_coach.analyze(stream.clip(), fixture.scenario, transcript=stream.finish())
    from_file = offline_coach.analyze(fixture.path, fixture.scenario)
    assert streamed.transcript.words == from_file.transcript.words
    assert streamed.coverage.to_dict() == from_file.coverage.to_dict()
    assert streamed.stage_ms["transcribe"] < 50  # the stream's transcript was used as is
