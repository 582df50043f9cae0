"""How fast the engines of a pip-only install are, against the bare libraries in the same run.

- grammar: `HarperChecker.check` (Harper + coach's agreement rules + kind mapping) against a
  bare `harper.Linter.lint` on the same 70-word answer; and the linter's one-off build;
- IPA: `BundledEspeakIpa` (Piper's espeak-ng library) against the `espeak-ng --ipa` command;
- the system voice: `SystemSynthesizer` (a pyttsx3 worker process per utterance) against the
  bare `espeak-ng` command writing the same text (both are espeak-ng on Linux).

Medians of RUNS; the figures depend on the machine's load, the ratios much less.

    .venv/bin/python benchmarks/pip_only_speed.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.grammar_speed import ANSWER
from coach.engines.phonetics import BundledEspeakIpa, EspeakIpa
from coach.engines.system_voice import SystemSynthesizer
from coach.grammar.harper import HarperChecker

RUNS = 20
PHRASES = ["O O M killer", "D mesg", "memory dot events", "I O dot max", "kubelet"]
SPOKEN = ("My first hypothesis is that the kernel ended the process because it ran out of "
          "memory. I would check the kernel log on the node and compare the limit with the peak.")


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def row(what: str, ours: float, bare: float, bare_name: str) -> str:
    return f"{what:34} {ours:8.1f} ms   {bare_name} {bare:8.1f} ms   ratio {ours / bare:5.2f}"


def main() -> int:
    from harper import Linter

    start = time.perf_counter()
    linter = Linter()
    build_s = time.perf_counter() - start
    checker = HarperChecker()
    checker.check("warm up")
    lines = [f"Harper linter build (once): {build_s:.2f} s"]
    lines.append(row("grammar: HarperChecker.check", median_ms(lambda: checker.check(ANSWER)),
                     median_ms(lambda: linter.lint(ANSWER, language="plaintext")),
                     "Linter.lint"))

    bundled = BundledEspeakIpa()
    bundled(["warm up"])
    if shutil.which("espeak-ng"):
        lines.append(row("IPA: bundled espeak-ng, 5 phrases",
                         median_ms(lambda: BundledEspeakIpa()(PHRASES)),
                         median_ms(lambda: EspeakIpa()(PHRASES)), "espeak-ng --ipa"))

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x.wav"
        voice = SystemSynthesizer()
        command = [shutil.which("espeak-ng") or "espeak-ng", "-s", "133", "-w", str(out), SPOKEN]
        lines.append(row("voice: SystemSynthesizer (pyttsx3)",
                         median_ms(lambda: voice.synthesize(SPOKEN, out), RUNS // 2),
                         median_ms(lambda: subprocess.run(command, check=True), RUNS // 2),
                         "espeak-ng -w"))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
