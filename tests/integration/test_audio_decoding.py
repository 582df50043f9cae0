"""Every fixture format decodes to 16 kHz mono; every bad input gets its own plain error."""

from __future__ import annotations

import io
import os
import re
import struct
import tracemalloc
import wave
import zlib
from pathlib import Path

import av
import numpy as np
import pytest

from benchmarks.fixture_truth import FIXTURES as FIXTURES_DIR
from benchmarks.fixture_truth import load_bad_inputs, load_fixtures
from coach.audio.decode import SAMPLE_RATE, load_audio, probe
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
    assert not re.search(r"[A-Z][a-z]+(Error|Exception)\b", message), message  # no class names


def test_a_damaged_file_is_described_by_what_it_starts_as(tmp_path):
    flac = next(f.path for f in FIXTURES if f.format == "flac")
    damaged = tmp_path / "answer.flac"
    damaged.write_bytes(flac.read_bytes()[:4] + os.urandom(4096))
    with pytest.raises(UnreadableAudio, match="starts as a FLAC file does, but the rest is "
                                              "damaged or cut short"):
        load_audio(damaged)
    unknown = tmp_path / "answer.bin"
    unknown.write_bytes(b"\0\1\2\3" + os.urandom(4096))
    with pytest.raises(UnreadableAudio, match="not in a format the coach can read"):
        load_audio(unknown)


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


# --- inputs users really have: streamed WebM, cut-short files, damage, wrong kinds of file ------
class _Unseekable(io.RawIOBase):
    """A write-only stream: the WebM muxer cannot go back to write the duration, as in a
    browser's MediaRecorder output."""

    def __init__(self, target) -> None:
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.target.write(data)


def streamed_webm(path: Path, seconds: float, rate: int = 48_000) -> Path:
    """Opus in WebM with no duration in its header, like a browser recording."""
    tone = (0.1 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)).astype(np.float32)
    frame = 960
    with path.open("wb") as raw, av.open(_Unseekable(raw), "w", format="webm") as out:
        # the encoder's cheapest setting: a 20-minute fixture in seconds, not half a minute
        stream = out.add_stream("libopus", rate=rate, layout="mono",
                                options={"compression_level": "0"})
        stream.bit_rate = 12_000
        for n in range(int(seconds * rate) // frame):
            start = n * frame % rate
            chunk = av.AudioFrame.from_ndarray(tone[None, start:start + frame], format="flt",
                                               layout="mono")
            chunk.sample_rate, chunk.pts = rate, n * frame
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
    return path


def test_a_long_streamed_webm_is_refused_without_decoding_all_of_it(tmp_path):
    path = streamed_webm(tmp_path / "two-hours-in-the-browser.webm", 20 * 60)
    assert probe(path)[3] == 0  # nothing to check before decoding
    tracemalloc.start()
    try:
        with pytest.raises(AudioTooLong) as caught:
            load_audio(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The message can only say "longer than" if decoding stopped at the limit.
    assert "longer than 5 minutes" in str(caught.value)
    # 20 minutes decoded would be 38 MB of 16-bit samples before any conversion.
    assert peak < 25e6, f"{peak / 1e6:.0f} MB held while decoding"


def test_a_streamed_webm_answer_decodes_completely(tmp_path):
    path = streamed_webm(tmp_path / "answer.webm", 12.0)
    clip = load_audio(path)
    assert probe(path)[3] == 0
    assert clip.duration_s == pytest.approx(12.0, abs=0.1)
    assert clip.warnings == ()


def _cut(source: Path, target: Path, keep: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


@pytest.mark.parametrize("name", ["answers/cpu-joe-short-pause.wav",
                                  "formats/iomax-us150-short.mp3",
                                  "answers/oom-us150-fillers.flac"])
def test_a_cut_short_file_is_analysed_in_part_with_a_warning(tmp_path, name):
    source = FIXTURES_DIR / name
    full = load_audio(source)
    assert full.warnings == ()
    clip = load_audio(_cut(source, tmp_path / f"copy{source.suffix}", 0.5))
    assert clip.duration_s == pytest.approx(full.duration_s / 2, rel=0.2)
    [warning] = clip.warnings
    read, announced = re.search(r"copy\.\w+ is cut short: only ([\d.]+) s of the ([\d.]+) s",
                                warning).groups()
    assert float(read) == pytest.approx(clip.duration_s, abs=0.05)
    assert float(announced) == pytest.approx(full.duration_s, abs=0.15)


def test_a_file_cut_to_almost_nothing_is_too_short_and_says_why(tmp_path):
    source = FIXTURES_DIR / "answers/iomax-us150-short.wav"
    cut = _cut(source, tmp_path / "answer.wav", 0.05)
    with pytest.raises(AudioTooShort, match=r"answer.wav is only 0\.\d s long: the file is cut "
                                            r"short, its header announces 7\.5 s"):
        load_audio(cut)


def _float_wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    data = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)  # 3 = IEEE float
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)) + b"WAVE"
                     + b"fmt " + struct.pack("<I", len(fmt)) + fmt
                     + b"data" + struct.pack("<I", len(data)) + data)
    return path


def test_nan_samples_are_damage_not_silence(tmp_path):
    speech = load_audio(FIXTURES_DIR / "answers/iomax-us150-short.wav").samples
    good = load_audio(_float_wav(tmp_path / "float.wav", speech))
    assert good.duration_s == pytest.approx(7.5, abs=0.05)  # float WAVs themselves are fine
    damaged = speech.copy()
    damaged[16_000:48_000] = np.nan
    with pytest.raises(UnreadableAudio, match="damaged: it holds invalid samples"):
        load_audio(_float_wav(tmp_path / "nan.wav", damaged))
    damaged[16_000:48_000] = np.inf
    with pytest.raises(UnreadableAudio, match="invalid samples"):
        load_audio(_float_wav(tmp_path / "inf.wav", damaged))


def _png(path: Path) -> Path:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    pixels = zlib.compress(b"".join(b"\0" + b"\x80\x80\x80" * 8 for _ in range(8)))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2,
                                                                      0, 0, 0))
                     + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def test_an_image_is_called_an_image(tmp_path):
    for name in ("screenshot.png", "screenshot.wav"):  # renamed or not
        with pytest.raises(NoAudioStream, match=f"{name} is an image, not a recording"):
            load_audio(_png(tmp_path / name))
    with pytest.raises(NoAudioStream, match="a video without sound"):
        load_audio(FIXTURES_DIR / "bad/video_no_audio.mp4")


def test_paths_that_cannot_be_opened_say_why(tmp_path):
    loop = tmp_path / "loop.wav"
    loop.symlink_to(loop)
    with pytest.raises(UnreadableAudio, match="loop.wav is a symbolic link that loops"):
        load_audio(loop)
    dangling = tmp_path / "answer.wav"
    dangling.symlink_to(tmp_path / "gone.wav")
    with pytest.raises(UnreadableAudio, match="answer.wav is a link to .*gone.wav, which does "
                                              "not exist"):
        load_audio(dangling)
    folder = tmp_path / "answer.mp3"
    folder.mkdir()
    with pytest.raises(UnreadableAudio, match="answer.mp3 is a folder, not a recording"):
        load_audio(folder)
    with pytest.raises(UnreadableAudio, match="part of that path is a file"):
        load_audio(FIXTURES_DIR / "answers/iomax-us150-short.wav" / "x.wav")


def test_messages_can_name_the_users_file_instead_of_a_copy(tmp_path):
    copy = tmp_path / "20250101-120000-oom-silent-restart-1a2b3c.wav"
    copy.write_text("not a recording")
    with pytest.raises(UnreadableAudio) as caught:
        load_audio(copy, name="my answer.wav")
    assert "my answer.wav could not be read" in str(caught.value)
    assert copy.name not in str(caught.value)


# --- messages that are true: what the file really is, and what really went wrong ------------
def test_a_text_file_is_called_a_text_file_not_a_video(tmp_path):
    notes = tmp_path / "notes.txt"  # FFmpeg opens long text as an ANSI-art "video"
    notes.write_text((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8"))
    short = tmp_path / "answer.txt"
    short.write_text("My answer: first I would check dmesg.\n")
    for path in (notes, short, FIXTURES_DIR / "bad/not_audio.wav"):
        with pytest.raises(AudioError) as caught:
            load_audio(path)
        assert f"{path.name} " in str(caught.value)
        assert "text file, not an audio or video file" in str(caught.value)
        assert "video without sound" not in str(caught.value)


def _stereo_wav(path: Path, left: np.ndarray, right: np.ndarray, rate: int = 16_000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        both = np.stack([left, right], axis=1)
        out.writeframes((both * 32767).clip(-32768, 32767).astype("<i2").tobytes())
    return path


def test_stereo_channels_that_cancel_are_named_and_one_is_analysed(tmp_path):
    speech = load_audio(FIXTURES_DIR / "answers/iomax-us150-short.wav").samples
    clip = load_audio(_stereo_wav(tmp_path / "phase.wav", speech, -speech))
    [warning] = clip.warnings
    assert "The two channels of phase.wav cancel each other out" in warning
    assert "first channel alone" in warning
    # the speech is there, not the silence of the mix
    assert np.corrcoef(clip.samples[:len(speech)], speech[:len(clip.samples)])[0, 1] > 0.95
    # ordinary stereo (the same speech in both, or speech in one channel) is mixed as before
    for right in (speech, np.zeros_like(speech)):
        assert load_audio(_stereo_wav(tmp_path / "ok.wav", speech, right)).warnings == ()


def test_special_files_are_not_called_empty(tmp_path):
    with pytest.raises(UnreadableAudio) as caught:
        load_audio("/proc/self/status")
    assert "not a regular file" in str(caught.value) and "empty" not in str(caught.value)
    pipe = tmp_path / "answer.wav"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableAudio, match="answer.wav is not a regular file"):
        load_audio(pipe)


def _webm_with_duration(path: Path) -> Path:
    """The streamed WebM fixture remuxed by a seekable writer: its header gives its length."""
    with av.open(str(FIXTURES_DIR / "formats/iomax-us150-short.webm")) as source, \
            av.open(str(path), "w", format="webm") as out:
        audio = source.streams.audio[0]
        stream = out.add_stream_from_template(audio)
        for packet in source.demux(audio):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    return path


@pytest.mark.parametrize("header", [True, False], ids=["with-duration", "streamed"])
def test_a_webm_damaged_in_the_middle_is_not_called_cut_short(tmp_path, header):
    source = (_webm_with_duration(tmp_path / "full.webm") if header
              else FIXTURES_DIR / "formats/iomax-us150-short.webm")
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 2000] = bytes(2000)  # 2 kB zeroed half way: the end is intact
    damaged = tmp_path / "damaged.webm"
    damaged.write_bytes(data)
    clip = load_audio(damaged)
    [warning] = clip.warnings
    assert "damaged.webm is damaged in the middle" in warning
    assert "cut short" not in warning
    # a copy cut short at the end is still called cut short
    if header:
        cut = _cut(source, tmp_path / "cut.webm", 0.6)
        assert "cut short" in " ".join(load_audio(cut).warnings)
