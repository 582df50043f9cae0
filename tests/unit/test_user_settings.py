"""Saved settings: a round trip through settings.json, and bad or partial files never break."""

from __future__ import annotations

import json

import pytest

from coach import Settings
from coach.analysis.fillers import FillerOptions
from coach.analysis.timing import PaceRange
from coach.settings import (
    load_settings,
    save_settings,
    settings_from_dict,
    settings_path,
    settings_to_dict,
)

CUSTOM = Settings(model="base", pace_range=PaceRange(100, 150),
                  fillers=FillerOptions(extra_vocal=("mhm",), extra_discourse=("right", "okay so")),
                  check_grammar=False, voice_engine="piper", voice_wpm=130,
                  nudges=("no_fillers",))


def test_round_trip_through_the_data_folder():
    path = save_settings(CUSTOM)
    assert path == settings_path() and path.exists()
    assert load_settings() == CUSTOM


def test_no_file_or_a_broken_file_gives_the_defaults(tmp_path):
    assert load_settings(tmp_path / "missing.json") == Settings()
    broken = tmp_path / "settings.json"
    broken.write_text("{not json")
    assert load_settings(broken) == Settings()


@pytest.mark.parametrize("data, field, expected", [
    ({"pace_range": [160, 110]}, "pace_range", PaceRange()),  # low above high
    ({"pace_range": [10, 500]}, "pace_range", PaceRange()),  # outside what people speak
    ({"pace_range": "fast"}, "pace_range", PaceRange()),
    ({"pace_range": [100, 170]}, "pace_range", PaceRange(100, 170)),
    ({"voice_engine": "sam"}, "voice_engine", "espeak"),
    ({"voice_engine": "piper"}, "voice_engine", "piper"),
    ({"voice_wpm": 10_000}, "voice_wpm", Settings().voice_wpm),
    ({"voice_wpm": True}, "voice_wpm", Settings().voice_wpm),
    ({"voice_wpm": 160.4}, "voice_wpm", 160),
    ({"check_grammar": "no"}, "check_grammar", True),
    ({"check_grammar": False}, "check_grammar", False),
    ({"model": "  "}, "model", None),
    ({"model": 3}, "model", None),
    ({"model": "/models/whisper-small"}, "model", "/models/whisper-small"),
    ({"fillers": {"extra_discourse": "Right, , okay  so, right"}}, "fillers",
     FillerOptions(extra_discourse=("right", "okay so"))),
    ({"fillers": {"extra_vocal": ["mhm", 7, ""]}}, "fillers", FillerOptions(extra_vocal=("mhm",))),
    ({"unknown": 1}, "model", None),
    ({}, "nudges", ("slow_down", "no_fillers", "next_part")),  # an older file: all on
    ({"nudges": {"slow_down": False}}, "nudges", ("no_fillers", "next_part")),
    ({"nudges": {"slow_down": "no", "shout": True}}, "nudges",
     ("slow_down", "no_fillers", "next_part")),
    ({"nudges": ["slow_down"]}, "nudges", ("slow_down", "no_fillers", "next_part")),
])
def test_each_value_is_checked(data, field, expected):
    assert getattr(settings_from_dict(data), field) == expected


def test_the_file_is_plain_json_a_person_can_edit():
    save_settings(CUSTOM)
    data = json.loads(settings_path().read_text())
    assert data == settings_to_dict(CUSTOM)
    assert data["pace_range"] == [100, 150]
    assert not list(settings_path().parent.glob("*.tmp"))


def test_keeps_the_thresholds_it_does_not_store():
    base = Settings(fillers=FillerOptions(good_per_minute=2.0))
    merged = settings_from_dict({"fillers": {"extra_vocal": ["eh"]}}, base)
    assert merged.fillers.good_per_minute == 2.0 and merged.fillers.extra_vocal == ("eh",)


def test_nudges_left_out_of_the_file_keep_their_state():
    base = Settings(nudges=("next_part",))
    merged = settings_from_dict({"nudges": {"slow_down": True}}, base)
    assert merged.nudges == ("slow_down", "next_part")
    assert settings_to_dict(merged)["nudges"] == {"slow_down": True, "no_fillers": False,
                                                  "next_part": True}
