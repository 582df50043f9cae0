"""How loud a recording is (coach.audio.levels): silent, very quiet, or fine."""

from __future__ import annotations

import numpy as np
import pytest

from coach.audio.levels import QUIET_DBFS, SILENCE_DBFS, loudest_window_dbfs, quiet_note


def tone(dbfs: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(16_000 * seconds)) / 16_000
    return (np.sqrt(2) * 10 ** (dbfs / 20) * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize("dbfs", [-12.0, -40.0, -60.0])
def test_the_loudest_window_is_measured_in_dbfs(dbfs):
    quiet_then_loud = np.concatenate([tone(dbfs - 30), tone(dbfs, 0.2)])
    assert loudest_window_dbfs(quiet_then_loud) == pytest.approx(dbfs, abs=0.1)


def test_empty_and_zero_recordings_are_below_the_silence_line():
    assert loudest_window_dbfs(np.zeros(0, np.float32)) < SILENCE_DBFS
    assert loudest_window_dbfs(np.zeros(16_000, np.float32)) < SILENCE_DBFS


@pytest.mark.parametrize("dbfs, noted", [(-20.0, False), (QUIET_DBFS, False),
                                         (QUIET_DBFS - 1, True), (-60.0, True)])
def test_only_a_very_quiet_recording_gets_a_note(dbfs, noted):
    note = quiet_note(dbfs)
    assert (note is not None) == noted
    if noted:
        assert f"{dbfs:.0f} dBFS" in note and "closer to the microphone" in note


def test_a_quiet_microphone_is_not_called_silent():
    """Speech 40 dB under a usual level (loudest window about -59 dBFS) is transcribed."""
    assert SILENCE_DBFS < -59.0 < QUIET_DBFS
