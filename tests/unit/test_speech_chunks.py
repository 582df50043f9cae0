"""The chunking rules over scripted VAD probabilities, and the block resampler.

The real Silero VAD is exercised in tests/integration/test_transcription_stream.py; here a
scripted probability per 32 ms window pins each rule of `SpeechChunker`.
"""

from __future__ import annotations

import numpy as np
import pytest
from scripted_vad import ScriptedProbabilities, script

from coach.audio.decode import AudioClip
from coach.audio.resampler import BlockResampler, to_mono_float
from coach.engines.speech_chunks import (
    MIN_LOUD_WINDOWS,
    WINDOW,
    WINDOW_S,
    ChunkPolicy,
    NarrowBand,
    SpeechChunker,
)

POLICY = ChunkPolicy(split_pause_s=0.25, target_s=8.0, end_pause_s=1.0, max_s=25.0, pad_s=0.25)


def chunks_of(probabilities: np.ndarray, block: int = 8000, policy: ChunkPolicy = POLICY):
    chunker = SpeechChunker(policy, ScriptedProbabilities(probabilities))
    total = len(probabilities) * WINDOW
    out = []
    for offset in range(0, total, block):
        out += chunker.feed(np.zeros(min(block, total - offset), dtype=np.float32))
    return out + chunker.finish(total / 16000)


def test_short_pauses_do_not_cut_a_chunk_before_its_target_length():
    chunks = chunks_of(script(("-", 0.5), ("s", 3), ("-", 0.4), ("s", 3), ("-", 2)))
    assert len(chunks) == 1
    assert chunks[0].start == pytest.approx(0.5 - 0.25, abs=WINDOW_S)
    assert chunks[0].end == pytest.approx(6.9 + 0.25, abs=WINDOW_S)
    assert [round(i.duration) for i in chunks[0].speech] == [3, 3]


def test_a_short_pause_cuts_once_the_target_length_is_reached():
    chunks = chunks_of(script(("s", 5), ("-", 0.3), ("s", 4), ("-", 0.3), ("s", 2), ("-", 2)))
    assert len(chunks) == 2
    assert chunks[0].end == pytest.approx(9.3 + 0.25, abs=WINDOW_S)  # after 9.3 s of audio
    assert chunks[1].start == chunks[0].end


def test_a_long_pause_always_cuts_and_the_silence_is_not_decoded():
    chunks = chunks_of(script(("s", 2), ("-", 3), ("s", 2), ("-", 1.5)))
    expected = [(0.0, 2.0 + 0.25), (5.0 - 0.25, 7.0 + 0.25)]
    assert len(chunks) == 2
    for chunk, (start, end) in zip(chunks, expected):
        assert (chunk.start, chunk.end) == pytest.approx((start, end), abs=2 * WINDOW_S)


def test_a_chunk_never_exceeds_the_maximum_and_is_cut_at_its_longest_pause():
    chunks = chunks_of(script(("s", 6), ("-", 0.2), ("s", 6), ("-", 0.6), ("s", 20), ("-", 2)),
                       policy=ChunkPolicy(target_s=100, end_pause_s=1.0, max_s=25.0))
    assert all(c.duration <= 25.0 + WINDOW_S for c in chunks)
    assert chunks[0].end == pytest.approx(12.2 + 0.3, abs=WINDOW_S)  # middle of the 0.6 s pause


def test_speech_without_any_pause_is_cut_hard_at_the_maximum():
    chunks = chunks_of(script(("s", 60)), policy=ChunkPolicy(max_s=25.0))
    assert [round(c.duration) for c in chunks] == [25, 25, 10]
    assert chunks[1].start == chunks[0].end and chunks[2].start == chunks[1].end
    assert sum(c.speech_s for c in chunks) == pytest.approx(60, abs=WINDOW_S)


def test_silence_and_clicks_give_no_chunk():
    assert chunks_of(script(("-", 5))) == []
    assert chunks_of(script(("-", 2), ("s", 0.064), ("-", 2))) == []


def test_speech_running_to_the_end_is_closed_there():
    chunks = chunks_of(script(("-", 1), ("s", 4)))
    assert len(chunks) == 1
    assert (chunks[0].start, chunks[0].end) == pytest.approx((0.75, 5.0), abs=2 * WINDOW_S)


@pytest.mark.parametrize("block", [1, 333, 512, 8000, 10**7])
def test_the_chunks_do_not_depend_on_the_block_size(block):
    probabilities = script(("s", 5), ("-", 0.3), ("s", 9), ("-", 0.4), ("s", 3), ("-", 1.2),
                           ("s", 30), ("-", 0.5))
    assert chunks_of(probabilities, block) == chunks_of(probabilities, 10**7)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resampling_in_blocks_equals_resampling_at_once(rate):
    signal = np.random.default_rng(rate).standard_normal(rate * 2 + 7).astype(np.float32) / 4
    whole = BlockResampler(rate)
    at_once = np.concatenate([whole.push(signal), whole.flush()])
    pieces, resampler, offset = [], BlockResampler(rate), 0
    for size in np.random.default_rng(1).integers(1, 3000, size=10_000):
        if offset >= len(signal):
            break
        pieces.append(resampler.push(signal[offset : offset + size]))
        offset += size
    pieces.append(resampler.flush())
    assert np.array_equal(np.concatenate(pieces), at_once)
    assert np.allclose(at_once, AudioClip.from_array(signal, rate).samples, atol=1e-6)


@pytest.mark.parametrize("block, expected", [
    (np.array([16384, -32768], dtype=np.int16), [0.5, -1.0]),
    (np.array([[16384, 0], [-16384, -32768]], dtype=np.int16), [0.25, -0.75]),
    (np.array([2**30, -(2**31)], dtype=np.int32), [0.5, -1.0]),
    (np.array([192, 0], dtype=np.uint8), [0.5, -1.0]),
    (np.array([[0.5, 0.1], [-0.5, -0.1]], dtype=np.float32), [0.3, -0.3]),  # (n, channels)
    (np.array([[0.5, -0.5, 0.2], [0.1, -0.1, 0.0]], dtype=np.float32), [0.3, -0.3, 0.1]),
    (np.array([np.nan, 3.0], dtype=np.float32), [0.0, 1.0]),
])
def test_blocks_become_mono_float(block, expected):
    assert to_mono_float(block) == pytest.approx(expected, abs=1e-6)


def _windows(seconds: float, tones_hz: tuple[float, ...], dbfs: float = -20.0) -> np.ndarray:
    t = np.arange(int(16_000 * seconds)) / 16_000
    x = sum(np.sin(2 * np.pi * f * t) for f in tones_hz) * 10 ** (dbfs / 20)
    return x[: len(x) // WINDOW * WINDOW].reshape(-1, WINDOW).astype(np.float32)


def test_telephone_band_audio_is_taken_as_narrow_once_heard_long_enough():
    """Harmonics of a voice at 120 Hz from 360 Hz up only (a 300-3400 Hz line): narrow, once
    MIN_LOUD_WINDOWS of it are heard; whatever the block size the audio comes in."""
    phone = _windows(3.0, (360.0, 480.0, 600.0, 1200.0, 2400.0))
    at_once = NarrowBand().narrow(phone)
    assert not at_once[: MIN_LOUD_WINDOWS - 1].any() and at_once[MIN_LOUD_WINDOWS - 1:].all()
    check = NarrowBand()
    in_blocks = np.concatenate([check.narrow(phone[i:i + 7]) for i in range(0, len(phone), 7)])
    assert np.array_equal(in_blocks, at_once)


@pytest.mark.parametrize("tones, dbfs", [
    ((120.0, 240.0, 360.0, 1200.0), -20.0),  # a voice with its fundamental: full band
    ((360.0, 1200.0), -60.0),  # too quiet to judge (under -50 dBFS)
    ((), -20.0),  # digital silence
])
def test_full_band_quiet_or_silent_audio_is_not_narrow(tones, dbfs):
    assert not NarrowBand().narrow(_windows(3.0, tones, dbfs) if tones else
                                   np.zeros((93, WINDOW), np.float32)).any()


def test_a_little_low_energy_keeps_the_audio_full_band():
    """A voice whose fundamental is 14 dB down (a gentle high-pass, as a laptop's) is not
    narrow; only a line that has lost nearly all of it (under NARROW_SHARE) is."""
    t = np.arange(WINDOW * 93) / 16_000
    x = 0.1 * (0.2 * np.sin(2 * np.pi * 120 * t) + np.sin(2 * np.pi * 600 * t))
    assert not NarrowBand().narrow(x.reshape(-1, WINDOW).astype(np.float32)).any()
    x = 0.1 * (0.05 * np.sin(2 * np.pi * 120 * t) + np.sin(2 * np.pi * 600 * t))  # 26 dB down
    assert NarrowBand().narrow(x.reshape(-1, WINDOW).astype(np.float32))[-1]
