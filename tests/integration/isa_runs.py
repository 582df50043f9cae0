"""The CPU-code-path clips (isa_decode.py), decoded in a fresh process per code path of CTranslate2.

CT2_FORCE_CPU_ISA is read when ctranslate2 loads, so each code path needs its own process. The
runs start in the background, at the lowest CPU priority (nice 19), as soon as the suite is
collected (`start`, from tests/integration/conftest.py), and use the CPU the suite leaves idle
while it waits on browsers, microphones played in real time and servers restarting. The tests
that judge them are moved to the end of the suite and wait for their results (`result`).

Each run decodes the few answers whose transcript once depended on the code path (isa_decode.CLIPS,
about 3 minutes of speech, 78 CPU s under GENERIC on this 2-core machine), not all 29 answers as
it did (the whole WER test per code path: 150 CPU s under AVX2, ~1.5 times that under GENERIC,
which has no SIMD): the judging test holds each of their transcripts to the suite's own
transcript of the clip, within a word in twenty, besides the WER test's bounds.

Under pytest-xdist (`make test` spreads the suite over the cores) every worker collects the
same tests, but only the first worker (gw0) starts the runs; they write into folders named by
the test run's id, and a judging test on another worker waits for the run's exit file there.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DECODE = Path(__file__).resolve().parent / "isa_decode.py"
ISA_TEST = "test_transcription_isa.py::test_transcripts_are_the_same_on_every_cpu_code_path"
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


# The wrapper records the run's exit code in a file, which any worker can wait for.
_WRAPPER = ("import subprocess, sys; code = subprocess.call(sys.argv[2:]); "
            "open(sys.argv[1] + '.part', 'w').write(str(code)); "
            "import os; os.replace(sys.argv[1] + '.part', sys.argv[1])")
_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{os.getpid()}-{os.urandom(4).hex()}"


def starts_runs() -> bool:
    """Whether this process starts the background runs: the only one, or xdist's first worker."""
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0"


@dataclass
class Run:
    folder: Path
    process: subprocess.Popen | None = None  # set in the process that started it

    def output(self) -> tuple[int, dict[str, str], str]:
        """(exit code, the transcripts by clip, everything printed), once the run has ended."""
        exit_file = self.folder / "exit"
        deadline = time.monotonic() + TIMEOUT_S
        while not exit_file.exists():
            if time.monotonic() > deadline:
                if self.process is not None:
                    _kill(self.process)
                return -1, {}, f"the run under {self.folder} did not end in {TIMEOUT_S} s"
            time.sleep(0.5)
        code = int(exit_file.read_text())
        written = self.folder / "transcripts.json"
        texts = json.loads(written.read_text()) if code == 0 and written.exists() else {}
        printed = (self.folder / "stdout").read_text(errors="replace")
        return code, texts, printed + (self.folder / "stderr").read_text(errors="replace")


_runs: dict[str, Run] = {}


def _lowest_priority() -> None:
    os.nice(19)  # in the child before it starts: its decoding threads inherit it


def _kill(process: subprocess.Popen) -> None:
    """The wrapper and the decoding run under it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _folder(isa: str) -> Path:
    return Path(tempfile.gettempdir()) / f"coach-isa-{_RUN_ID}-{isa}"


def start(isa: str, *, background: bool = True) -> Run:
    """Start decoding the clips under code path `isa` (once per test run)."""
    if isa in _runs:
        return _runs[isa]
    folder = _folder(isa)
    folder.mkdir()
    env = {**os.environ, "CT2_FORCE_CPU_ISA": isa, "CT2_VERBOSE": "1"}
    command = [sys.executable, "-c", _WRAPPER, str(folder / "exit"),
               sys.executable, str(DECODE), str(folder / "transcripts.json")]
    with (folder / "stdout").open("w") as out, (folder / "stderr").open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err,
                                   start_new_session=True,  # killed as a group, see _kill
                                   preexec_fn=_lowest_priority if background else None)
    _runs[isa] = Run(folder, process)
    return _runs[isa]


def result(isa: str) -> tuple[int, dict[str, str], str]:
    """The finished run under `isa`: started by this run's first worker, or now, at normal
    priority, when no process started it."""
    if isa not in _runs and _folder(isa).exists():
        _runs[isa] = Run(_folder(isa))  # started by another worker
    return start(isa, background=False).output()


def finish_all(*, interrupted: bool) -> None:
    """At the end of the session: kill the runs when it was cut short; otherwise let them end,
    since a test on another worker may still be waiting for them."""
    for run in _runs.values():
        if run.process is None or run.process.poll() is not None:
            continue
        if not interrupted:
            try:
                run.process.wait(timeout=TIMEOUT_S)
                continue
            except subprocess.TimeoutExpired:
                pass
        _kill(run.process)
