"""coach.audio.decode uses voice activity; voice activity does not use it (no import cycle)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(m for m in sys.modules if m.startswith('coach')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}).stdout
    return set(out.split())


def test_voice_activity_does_not_load_the_decoder():
    assert "coach.audio.decode" not in _loaded_after("coach.audio.voice_activity")
    assert "coach.audio.voice_activity" in _loaded_after("coach.audio.decode")


def test_both_work_at_the_same_rate():
    from coach.audio.decode import SAMPLE_RATE
    from coach.audio.voice_activity import DEFAULT_RATE

    assert DEFAULT_RATE == SAMPLE_RATE == 16_000
