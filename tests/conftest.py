"""Shared test set-up: user data goes to a temporary folder; fixtures' ground truth is loaded once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "coach-data"))


def load_manifest() -> dict:
    return tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def manifest() -> dict:
    return load_manifest()
