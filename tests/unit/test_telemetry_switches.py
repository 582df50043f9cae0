"""`import coach` turns every known telemetry switch off, even one the shell turned on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from coach.privacy import TELEMETRY_OFF

ROOT = Path(__file__).resolve().parents[2]


def _environment_after(statement: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GRADIO_ANALYTICS_ENABLED": "True",
           "HF_HUB_DISABLE_TELEMETRY": "0"}
    for name in ("ORT_DISABLE_TELEMETRY", "DO_NOT_TRACK", "OTEL_SDK_DISABLED"):
        env.pop(name, None)
    code = f"import json, os, sys; {statement}; print(json.dumps(dict(os.environ)))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def test_import_coach_forces_every_switch_off():
    env = _environment_after("import coach")
    assert {k: env.get(k) for k in TELEMETRY_OFF} == TELEMETRY_OFF
    assert TELEMETRY_OFF["ORT_DISABLE_TELEMETRY"] == "1"


def test_the_app_package_switches_off_before_gradio_loads():
    env = _environment_after("import coach.ui; assert 'gradio' not in sys.modules")
    assert env["GRADIO_ANALYTICS_ENABLED"] == "False"
