"""What decoding notices about a recording's frames, so its messages can say what is true.

- `channels_of(frame)`: a decoded frame's samples as floats, one row per channel;
- `ChannelBalance`: whether the channels of a stereo file cancel each other out when mixed to
  mono (one is the other upside down, as with a microphone wired out of phase): each channel
  has sound, the mix is silent;
- `Timeline`: where audio is missing in the middle of a file (damaged data the demuxer skipped:
  the next frame starts later than the previous one ended), as opposed to a file cut short;
- `looks_like_text(path)`: a text file (a transcript, notes) rather than any media file;
- `media_kind(path)`: the kind of media file its first bytes announce ("WAV", "MP4 or M4A",
  ...), so that a file that cannot be decoded is described in words, not by a decoder's error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

GAP_S = 0.25  # a jump in the timeline longer than this is missing audio, not codec rounding
CANCEL_RATIO = 0.1  # the mono mix below -20 dB of its loudest channel: the channels cancel
AUDIBLE_RMS = 1e-3  # about -60 dBFS: a channel quieter than this has no signal to cancel
_INTEGER_SCALE = {"u8": 128.0, "s16": 32768.0, "s32": 2.0 ** 31, "s64": 2.0 ** 63}


def channels_of(frame) -> np.ndarray:
    """`frame`'s samples as float64 in [-1, 1], shape (channels, samples)."""
    array = frame.to_ndarray()
    count = len(frame.layout.channels)
    array = array.reshape(count, -1) if frame.format.is_planar else array.reshape(-1, count).T
    name = frame.format.name.rstrip("p")
    if name in _INTEGER_SCALE:
        offset = 128.0 if name == "u8" else 0.0
        return (array.astype(np.float64) - offset) / _INTEGER_SCALE[name]
    return array.astype(np.float64)


@dataclass
class ChannelBalance:
    """The energy of each channel and of their mono mix, added up frame by frame."""

    channel_energy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mix_energy: float = 0.0
    count: int = 0

    def add(self, frame) -> None:
        if len(frame.layout.channels) < 2:
            return
        samples = channels_of(frame)
        energy = (samples ** 2).sum(axis=1)
        if len(self.channel_energy) != len(energy):
            self.channel_energy = np.zeros(len(energy))
        self.channel_energy += energy
        self.mix_energy += float((samples.mean(axis=0) ** 2).sum())
        self.count += samples.shape[1]

    @property
    def cancels(self) -> bool:
        """Each channel is audible, and mixed they are (almost) silent."""
        if not self.count:
            return False
        channel_rms = np.sqrt(self.channel_energy / self.count)
        mix_rms = np.sqrt(self.mix_energy / self.count)
        return bool(channel_rms.min() > AUDIBLE_RMS
                    and mix_rms < CANCEL_RATIO * channel_rms.max())


@dataclass
class Timeline:
    """Where each decoded frame sits in the file's own time, to find audio missing between."""

    end_s: float = 0.0  # where the last frame decoded ends (0: the file gives no times)
    gaps: list[tuple[float, float]] = field(default_factory=list)  # (from s, length s)

    def add(self, frame) -> None:
        if frame.time is None or not frame.sample_rate:
            return
        start = float(frame.time)
        if self.end_s and start - self.end_s > GAP_S:
            self.gaps.append((self.end_s, start - self.end_s))
        self.end_s = max(self.end_s, start + frame.samples / frame.sample_rate)

    def damage_note(self, name: str, duration_s: float) -> str:
        """The warning for audio missing in the middle ("" if none is)."""
        if not self.gaps:
            return ""
        missing = sum(length for _, length in self.gaps)
        where = (f"{missing:.1f} s from {self.gaps[0][0]:.1f} s" if len(self.gaps) == 1 else
                 f"{len(self.gaps)} parts, {missing:.1f} s in all, the first at "
                 f"{self.gaps[0][0]:.1f} s")
        return (f"{name} is damaged in the middle: {where} could not be read and is left out, "
                f"so this feedback covers the other {duration_s:.1f} s.")


def looks_like_text(path: Path) -> bool:
    """Whether the file starts as text does: UTF-8, no NUL byte (every media format has some)."""
    try:
        with path.open("rb") as reader:
            head = reader.read(4096)
    except OSError:
        return False
    if not head or b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not merely a character cut at the 4096th byte
            return False
    return all(byte >= 32 or byte in b"\t\n\r\f" for byte in head)


# First bytes (at an offset) that announce a media container, and its name for a message.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (8, b"WAVE", "WAV"),
    (8, b"AIFF", "AIFF"),
    (8, b"AVI ", "AVI video"),
    (0, b"fLaC", "FLAC"),
    (0, b"OggS", "OGG"),
    (0, b"ID3", "MP3"),
    (0, b"\x1a\x45\xdf\xa3", "WebM or Matroska"),
    (4, b"ftyp", "MP4 or M4A"),
    (0, b"#!AMR", "AMR"),
    (0, b"\xff\xfb", "MP3"),
    (0, b"\xff\xf3", "MP3"),
    (0, b"\xff\xf2", "MP3"),
    (0, b"\xff\xf1", "AAC"),
    (0, b"\xff\xf9", "AAC"),
)


def media_kind(path: Path) -> str | None:
    """The media format the file's first bytes announce ("WAV", "MP4 or M4A", ...), or None
    when they announce none the coach knows (or the file cannot be opened)."""
    try:
        with path.open("rb") as reader:
            head = reader.read(16)
    except OSError:
        return None
    for offset, magic, kind in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return kind
    return None
