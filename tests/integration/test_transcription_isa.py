"""The fixture word-error-rate test under every CPU code path CTranslate2 has on this CPU.

A transcript must not depend on the instruction set: CT2_FORCE_CPU_ISA=AVX2 once turned a
27.6 s answer into its first 15 words (see coach/engines/transcriber.py). The variable is read
when ctranslate2 loads, so each value runs the test in a fresh process; CTranslate2's own log
line proves which code path ran. The code path the rest of the suite already runs under (the
one CTranslate2 picks here: AVX2 on this AMD CPU, although it has AVX512) is not run twice.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WER_TEST = "tests/integration/test_transcription.py::test_synthetic_answers_word_error_rate"
_AVX512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl"}
_PROBE = ("import ctranslate2; from coach.engines.models import bundled_tiny_en; "
          "ctranslate2.models.Whisper(bundled_tiny_en().path, device='cpu')")


def cpu_flags() -> set[str]:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def supported_isas() -> list[str]:
    flags = cpu_flags()
    isas = ["GENERIC"]
    if "avx2" in flags:
        isas.append("AVX2")
    if _AVX512 <= flags:
        isas.append("AVX512")
    return isas


@functools.cache
def isa_of_this_process() -> str:
    """The code path CTranslate2 picks in this environment, read from its log."""
    probe = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, check=False, timeout=120,
                           env={**os.environ, "CT2_VERBOSE": "1"}, capture_output=True, text=True)
    found = re.search(r"Selected ISA: (\w+)", probe.stdout + probe.stderr)
    return found.group(1) if found else ""


def test_the_suite_itself_runs_on_a_supported_code_path():
    assert isa_of_this_process() in supported_isas()


@pytest.mark.parametrize("isa", [i for i in supported_isas() if i != isa_of_this_process()])
def test_fixture_word_error_rate_on_every_cpu_code_path(isa):
    env = {**os.environ, "CT2_FORCE_CPU_ISA": isa, "CT2_VERBOSE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", WER_TEST],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert f"Selected ISA: {isa}" in output, output[-3000:]
    assert result.returncode == 0 and "1 passed" in result.stdout, output[-3000:]
