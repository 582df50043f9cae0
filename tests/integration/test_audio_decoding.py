"""Every fixture format decodes to 16 kHz mono; every bad input gets its own plain error."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from benchmarks.fixture_truth import load_bad_inputs, load_fixtures
from coach.audio import SAMPLE_RATE, load_audio, probe
from coach.errors import AudioError, AudioTooLong, AudioTooShort, NoAudioStream, UnreadableAudio

FIXTURES = load_fixtures()
BAD = [(path, expect) for path, expect, _ in load_bad_inputs() if expect != "no_speech"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_fixture_decodes_to_16k_mono_with_its_duration(fixture):
    clip = load_audio(fixture.path)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert clip.original_rate == fixture.sample_rate
    assert clip.original_channels == fixture.channels
    # lossy codecs pad a few tens of milliseconds
    assert clip.duration_s == pytest.approx(fixture.duration_s, abs=0.12)
    assert 0.01 < float(np.abs(clip.samples).max()) <= 1.0


def test_formats_cover_what_browsers_and_phones_record():
    formats = {f.format for f in FIXTURES}
    assert {"wav", "flac", "mp3", "ogg", "webm", "m4a"} <= formats
    assert any(f.sample_rate == 48000 and f.channels == 2 for f in FIXTURES)


EXPECTED = {"unreadable": UnreadableAudio, "no_audio_stream": NoAudioStream,
            "too_short": AudioTooShort}


@pytest.mark.parametrize("path, expect", BAD, ids=lambda v: getattr(v, "name", v))
def test_bad_input_gets_a_plain_typed_error(path, expect):
    if expect == "ok":
        assert load_audio(path).duration_s > 5
        return
    with pytest.raises(EXPECTED[expect]) as caught:
        load_audio(path)
    message = str(caught.value)
    assert path.name in message or "long" in message or "s long" in message
    assert "Traceback" not in message and "\n" not in message


def test_missing_file():
    with pytest.raises(UnreadableAudio, match="does not exist"):
        load_audio("/nonexistent/answer.wav")


def test_ten_minute_clip_is_refused_before_decoding(tmp_path):
    path = tmp_path / "ten_minutes.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        tone = (np.sin(np.arange(8000 * 60) * 0.05) * 8000).astype(np.int16).tobytes()
        for _ in range(10):
            out.writeframes(tone)
    assert probe(path)[3] == pytest.approx(600, abs=1)
    with pytest.raises(AudioTooLong, match="10 min 00 s"):
        load_audio(path)


def test_all_audio_errors_share_a_base_class_and_code():
    for cls in (UnreadableAudio, NoAudioStream, AudioTooShort, AudioTooLong):
        assert issubclass(cls, AudioError)
        assert cls("x").to_dict()["code"] != "error"


def test_stereo_48k_decodes_like_its_mono_16k_original():
    mono = load_audio(next(f.path for f in FIXTURES if f.id == "iomax-us150-short"))
    stereo = load_audio(next(f.path for f in FIXTURES if f.id == "iomax-us150-short-wav48k-stereo"))
    n = min(len(mono.samples), len(stereo.samples))
    correlation = np.corrcoef(mono.samples[:n], stereo.samples[:n])[0, 1]
    assert correlation > 0.95
    assert SAMPLE_RATE == 16000
