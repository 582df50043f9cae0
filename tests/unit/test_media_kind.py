"""`media_kind`: the media format a file's first bytes announce, for messages about files
that cannot be decoded."""

from __future__ import annotations

import pytest

from coach.audio.frames import media_kind


@pytest.mark.parametrize("head, kind", [
    (b"RIFF\x24\x7d\0\0WAVEfmt ", "WAV"),
    (b"fLaC\0\0\0\x22", "FLAC"),
    (b"OggS\0\x02", "OGG"),
    (b"ID3\x04\0", "MP3"),
    (b"\xff\xfb\x90\x64", "MP3"),
    (b"\x1a\x45\xdf\xa3\x9f\x42", "WebM or Matroska"),
    (b"\0\0\0\x20ftypM4A ", "MP4 or M4A"),
    (b"\x89PNG\r\n\x1a\n", None),
    (b"RIFF\x24\x7d\0\0WEBPVP8 ", None),
    (b"", None),
])
def test_the_first_bytes_name_the_format(tmp_path, head, kind):
    path = tmp_path / "file"
    path.write_bytes(head + b"\0" * 32)
    assert media_kind(path) == kind


def test_a_file_that_cannot_be_opened_has_no_kind(tmp_path):
    assert media_kind(tmp_path / "missing.wav") is None
    assert media_kind(tmp_path) is None  # a folder
