"""The fixture word-error-rate test, run in a fresh process per CPU code path of CTranslate2.

CT2_FORCE_CPU_ISA is read when ctranslate2 loads, so each code path needs its own process. Each
run decodes every synthetic fixture (about 12 minutes of speech): two runs took a third of the
suite's time when run one after the other. So the runs start in the background, at the lowest
CPU priority (nice 19), as soon as the suite is collected (`start`, from
tests/integration/conftest.py), and use the CPU the suite leaves idle while it waits on
browsers, microphones played in real time and servers restarting. The tests that judge them are
moved to the end of the suite and wait for their results (`result`). Each run has its own
pytest temporary folder, so no run can clean up another's.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WER_TEST = "tests/integration/test_transcription.py::test_synthetic_answers_word_error_rate"
ISA_TEST = "test_transcription_isa.py::test_fixture_word_error_rate_on_every_cpu_code_path"
TIMEOUT_S = 1800
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
    if flags >= _AVX512:
        isas.append("AVX512")
    return isas


@functools.cache
def isa_of_this_process() -> str:
    """The code path CTranslate2 picks in this environment, read from its log."""
    probe = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, check=False, timeout=120,
                           env={**os.environ, "CT2_VERBOSE": "1"}, capture_output=True, text=True)
    found = re.search(r"Selected ISA: (\w+)", probe.stdout + probe.stderr)
    return found.group(1) if found else ""


def other_isas() -> list[str]:
    """The code paths the rest of the suite does not already run under."""
    return [isa for isa in supported_isas() if isa != isa_of_this_process()]


@dataclass
class Run:
    process: subprocess.Popen
    folder: Path

    def output(self) -> tuple[int, str, str]:
        """(exit code, pytest's stdout, everything printed), once the run has ended."""
        try:
            code = self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        stdout = (self.folder / "stdout").read_text(errors="replace")
        return code, stdout, stdout + (self.folder / "stderr").read_text(errors="replace")


_runs: dict[str, Run] = {}


def start(isa: str, *, background: bool = True) -> Run:
    """Start the WER test under code path `isa` (once per session)."""
    if isa in _runs:
        return _runs[isa]
    folder = Path(tempfile.mkdtemp(prefix=f"coach-isa-{isa}-"))
    env = {**os.environ, "CT2_FORCE_CPU_ISA": isa, "CT2_VERBOSE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
               f"--basetemp={folder / 'tmp'}", WER_TEST]
    with (folder / "stdout").open("w") as out, (folder / "stderr").open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
    if background:  # before it loads the model, so its decoding threads inherit it
        os.setpriority(os.PRIO_PROCESS, process.pid, 19)
    _runs[isa] = Run(process, folder)
    return _runs[isa]


def result(isa: str) -> tuple[int, str, str]:
    """The finished run under `isa` (started now, at normal priority, if it was not yet)."""
    return start(isa, background=False).output()


def stop_all() -> None:
    for run in _runs.values():
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()
