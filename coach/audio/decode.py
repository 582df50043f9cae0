"""Reading any recording a user has into 16 kHz mono samples, with plain errors for bad input.

Decoding uses PyAV (FFmpeg's libraries, already a dependency of faster-whisper), so WAV, FLAC,
MP3, OGG/Opus, WebM (what browsers record), M4A and the audio track of a video all work, at any
sample rate and channel count.

Limits are enforced while reading: a file whose header announces more than the maximum is
refused before decoding, and a file that does not say how long it is (a browser's streamed
WebM) is refused as soon as the decoded audio passes the maximum. A file that holds less than
its header announces (an interrupted copy or upload) is analysed in part, with a warning on
the clip that the feedback carries.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np

from coach.audio.frames import (
    ChannelBalance,
    Timeline,
    channels_of,
    looks_like_text,
    media_kind,
)
from coach.audio.voice_activity import speech_intervals
from coach.errors import AudioTooLong, AudioTooShort, NoAudioStream, UnreadableAudio
from coach.paths import file_problem
from coach.settings import MAX_DURATION_S, MIN_DURATION_S

SAMPLE_RATE = 16_000
CUT_SHORT_TOLERANCE_S = 0.5  # lossy codecs pad or trim a few tens of milliseconds
_FLOAT_FORMATS = {"flt", "fltp", "dbl", "dblp"}
# FFmpeg demuxers of still or animated images: a video stream, but not a recording.
_IMAGE_DEMUXERS = {"image2", "gif", "apng", "webp", "ico"}


@dataclass(frozen=True)
class AudioClip:
    samples: np.ndarray  # float32 in [-1, 1], mono, SAMPLE_RATE
    source: str = ""
    original_rate: int = SAMPLE_RATE
    original_channels: int = 1
    codec: str = ""
    warnings: tuple[str, ...] = ()  # e.g. only part of the file could be read

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @functools.cached_property
    def speech(self):
        """Where someone is speaking (list of Interval), found once per clip and shared by the
        transcriber's completeness check and the pause analysis."""
        return speech_intervals(self.samples, SAMPLE_RATE)

    @classmethod
    def from_array(cls, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> AudioClip:
        """A clip from samples already in memory (mono float, any rate)."""
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim > 1:
            samples = samples.mean(axis=1)
        if sample_rate != SAMPLE_RATE:
            positions = np.arange(0, len(samples), sample_rate / SAMPLE_RATE)
            samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
        return cls(samples=samples, original_rate=sample_rate)


def probe(path: str | Path, *, name: str | None = None) -> tuple[int, int, str, float]:
    """(sample rate, channels, codec, duration in s, 0 if unknown) of the first audio stream.

    `name` is how messages call the file (default: its own name), e.g. the name a user
    uploaded when `path` is the history's copy of it.
    """
    path = Path(path)
    name = name or path.name
    _check_file(path, name)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = _audio_stream(container, name, path)
            duration = _container_duration(container, stream)
            return stream.rate or 0, stream.channels or 0, stream.codec_context.name, duration
    except av.FFmpegError:
        raise _unreadable(name, path) from None


def load_audio(
    path: str | Path,
    *,
    min_duration_s: float = MIN_DURATION_S,
    max_duration_s: float = MAX_DURATION_S,
    name: str | None = None,
) -> AudioClip:
    """Decode `path` to 16 kHz mono float32, checking length limits before and while decoding."""
    path = Path(path)
    name = name or path.name
    rate, channels, codec, declared = probe(path, name=name)
    # Refuse an over-long file before spending time decoding all of it.
    if declared and declared > max_duration_s + 1:
        raise _too_long(max_duration_s, declared)
    decoded = _decode(path, name, max_duration_s)
    samples, timeline = decoded.samples, decoded.timeline
    duration = len(samples) / SAMPLE_RATE
    expected = _wav_header_seconds(path) or declared
    # how far into the file decoding reached: audio missing in the middle does not count
    reached = timeline.end_s or duration
    cut_short = bool(expected) and reached < expected - CUT_SHORT_TOLERANCE_S
    if duration < min_duration_s:
        cut = (f": the file is cut short, its header announces {expected:.1f} s"
               if cut_short else "")
        raise _too_short(name, duration, min_duration_s, cut)
    warnings = [decoded.channel_note] if decoded.channel_note else []
    if timeline.gaps:
        warnings.append(timeline.damage_note(name, duration))
    if cut_short:
        warnings.append(f"{name} is cut short: only {duration:.1f} s of the {expected:.1f} s its "
                        "header announces could be read, so this feedback covers that part.")
    elif decoded.damaged_tail:
        warnings.append(f"The end of {name} is damaged: this feedback covers the first "
                        f"{duration:.1f} s.")
    return AudioClip(samples, str(path), rate, channels, codec, tuple(warnings))


@dataclass(frozen=True)
class _Decoded:
    samples: np.ndarray
    timeline: Timeline  # where audio is missing in the middle, and where the last frame ends
    damaged_tail: bool  # decoding stopped at damaged data
    channel_note: str = ""  # the channels cancel out when mixed: one of them is used


def _decode(path: Path, name: str, max_duration_s: float,
            channel: int | None = None) -> _Decoded:
    """The file's audio (mixed to mono, or only `channel`); AudioTooLong past the maximum.

    A packet that does not decode is skipped: decoding goes on with the next one, as players
    do, and the timeline tells damage in the middle from a damaged end. Stereo whose channels
    cancel out when mixed is decoded again, its first channel alone."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    limit = max_duration_s * SAMPLE_RATE
    read = 0
    timeline, balance = Timeline(), ChannelBalance()
    damaged_tail = False
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = _audio_stream(container, name, path)
            try:
                for packet in container.demux(stream):
                    try:
                        frames = packet.decode()
                    except av.error.InvalidDataError:
                        damaged_tail = True  # unless audio follows (then the timeline says)
                        continue
                    for frame in frames:
                        damaged_tail = False
                        _check_samples(frame, name)
                        timeline.add(frame)
                        if channel is None:
                            balance.add(frame)
                        for out in resampler.resample(_one_channel(frame, channel)):
                            chunks.append(out.to_ndarray().reshape(-1))
                            read += len(chunks[-1])
                        if read > limit:  # a file that did not say how long it is
                            raise _too_long(max_duration_s)
            except av.error.InvalidDataError:
                damaged_tail = True  # the container itself breaks off: keep what decoded
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError:
        raise _unreadable(name, path) from None
    if balance.cancels:
        return replace(_decode(path, name, max_duration_s, channel=0), channel_note=(
            f"The two channels of {name} cancel each other out (one is the other upside down, "
            "as with a microphone wired out of phase): mixed, they are silent, so this "
            "feedback uses the first channel alone."))
    if not chunks:
        raise UnreadableAudio(
            f"{name} contains no decodable audio.",
            hint="The file may be damaged; record it again.",
        )
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    if len(samples) > limit:  # the resampler's last few samples
        raise _too_long(max_duration_s, len(samples) / SAMPLE_RATE)
    return _Decoded(samples.clip(-1.0, 1.0), timeline, damaged_tail)


def _one_channel(frame, channel: int | None):
    """`frame`, or only its `channel` as a mono float frame (None: the frame itself)."""
    if channel is None or len(frame.layout.channels) < 2:
        return frame
    samples = channels_of(frame)[channel:channel + 1].astype(np.float32)
    mono = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
    mono.sample_rate, mono.pts, mono.time_base = frame.sample_rate, frame.pts, frame.time_base
    return mono


def _check_samples(frame, name: str) -> None:
    """Float samples must be numbers: NaN or infinity is damage, not silence."""
    if frame.format.name in _FLOAT_FORMATS and not np.isfinite(frame.to_ndarray()).all():
        raise UnreadableAudio(
            f"{name} is damaged: it holds invalid samples (not-a-number or infinite values), "
            "not sound.",
            hint="Record it again, or export it again from the program that made it.",
        )


def _check_file(path: Path, name: str) -> None:
    problem = file_problem(path, "recording")
    if problem:
        raise UnreadableAudio(problem)
    if path.stat().st_size == 0:
        with path.open("rb") as reader:
            if reader.read(1):  # a size the system does not know: not a file's contents
                raise UnreadableAudio(f"{name} is not a regular file (the system makes up its "
                                      "contents as it is read), not a recording.")
        raise UnreadableAudio(f"{name} is empty (0 bytes).", hint="Record it again.")


def _audio_stream(container, name: str, path: Path):
    if not container.streams.audio:
        if container.format.name == "tty" or looks_like_text(path):  # FFmpeg's text "video"
            message = f"{name} is a text file, not an audio or video file."
        elif container.format.name in _IMAGE_DEMUXERS or container.format.name.endswith("_pipe"):
            message = f"{name} is an image, not a recording."
        elif container.streams.video:
            message = f"{name} has no audio track (a video without sound)."
        else:
            message = f"{name} has no audio track (not an audio file)."
        raise NoAudioStream(
            message, hint="Choose a recording of your answer (WAV, MP3, FLAC, OGG, WebM, M4A).")
    return container.streams.audio[0]


def _container_duration(container, stream) -> float:
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def _wav_header_seconds(path: Path) -> float:
    """The length a WAV header announces (0 if not a WAV, or unknown as in a streamed WAV).

    FFmpeg reports the length of the data actually present, which hides a cut-short file.
    """
    with path.open("rb") as reader:
        head = reader.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return 0.0
        byte_rate = 0
        while len(chunk := reader.read(8)) == 8:
            kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if kind == b"data":
                unknown = not byte_rate or size in (0, 0xFFFFFFFF)
                return 0.0 if unknown else size / byte_rate
            body = reader.read(size + (size & 1)) if kind == b"fmt " else b""
            if kind == b"fmt " and len(body) >= 12:
                byte_rate = struct.unpack("<I", body[8:12])[0]
            elif kind != b"fmt ":
                reader.seek(size + (size & 1), 1)
    return 0.0


def _unreadable(name: str, path: Path) -> UnreadableAudio:
    """The error for a file FFmpeg cannot read, saying in words what it seems to be."""
    if looks_like_text(path):
        return UnreadableAudio(
            f"{name} could not be read as audio (it is a text file, not an audio or video "
            "file).", hint="Choose a recording of your answer (WAV, MP3, FLAC, OGG, WebM, M4A).")
    kind = media_kind(path)
    if kind is not None:
        return UnreadableAudio(
            f"{name} could not be read as audio: it starts as a {kind} file does, but the rest "
            "is damaged or cut short.",
            hint="Record it again, or export it again from the app that made it.")
    return UnreadableAudio(
        f"{name} could not be read as audio: it is not in a format the coach can read, or it "
        "is damaged.", hint="Use WAV, MP3, FLAC, OGG, WebM or M4A.")


def check_length(clip: AudioClip, *, min_duration_s: float = MIN_DURATION_S,
                 max_duration_s: float = MAX_DURATION_S, name: str = "") -> AudioClip:
    """`clip`, audio already in memory (a stream's), refused for its length as `load_audio`
    refuses a file that long."""
    name = name or Path(clip.source).name or "The recording"
    if len(clip.samples) > max_duration_s * SAMPLE_RATE:
        raise _too_long(max_duration_s, clip.duration_s)
    if clip.duration_s < min_duration_s:
        raise _too_short(name, clip.duration_s, min_duration_s)
    return clip


def _too_short(name: str, duration: float, limit: float, cut: str = "") -> AudioTooShort:
    return AudioTooShort(f"{name} is only {duration:.1f} s long{cut}.",
                         hint=f"Record at least {limit:.0f} s of speech.")


def _too_long(limit: float, duration: float | None = None) -> AudioTooLong:
    if duration is None:  # decoding stopped at the limit: the full length is not known
        length = f"longer than {limit / 60:.0f} minutes"
    else:
        minutes, seconds = divmod(round(duration), 60)
        length = f"{minutes} min {seconds:02d} s long"
    return AudioTooLong(
        f"The recording is {length}; answers are limited to {limit / 60:.0f} minutes.",
        hint="Trim it to the answer itself, or split it.",
    )
