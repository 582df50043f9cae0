"""`import coach` pins the matrix library's code path before ctranslate2 runs; the shell wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from coach.engines.transcriber import COMPUTE_TYPE
from coach.numeric_paths import NUMERIC_PATHS

ROOT = Path(__file__).resolve().parents[2]


def _environment_after_import(**preset: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NUMERIC_PATHS}
    env.update(preset, PYTHONPATH=str(ROOT))
    code = "import json, os, coach; print(json.dumps(dict(os.environ)))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def test_import_coach_pins_one_matrix_library_and_its_code_path():
    env = _environment_after_import()
    assert {k: env.get(k) for k in NUMERIC_PATHS} == {"CT2_USE_MKL": "0",
                                                      "ONEDNN_MAX_CPU_ISA": "AVX2",
                                                      "OMP_WAIT_POLICY": "PASSIVE"}


def test_a_value_set_in_the_shell_wins():
    env = _environment_after_import(ONEDNN_MAX_CPU_ISA="SSE41")
    assert env["ONEDNN_MAX_CPU_ISA"] == "SSE41"
    assert env["CT2_USE_MKL"] == "0"


def test_the_model_runs_in_float32():
    # int8 activations are quantised by per-ISA code: a transcript changed with the CPU
    assert COMPUTE_TYPE == "float32"
