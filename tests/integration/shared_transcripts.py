"""Transcripts made once per test run and shared by every pytest-xdist worker of that run.

`make test` spreads the integration files over the cores, and each worker has its own session
transcriber: the WER test (tests/integration/test_transcription.py) and the polished-answer
test (test_polish_fixtures.py) decode the same 29 synthetic answers with the same prompt and
options, and did so twice when they landed on two workers. A transcript is now made by the
first worker that asks for it and read from a file by the others; a worker asking while another
is still decoding it waits for that decode (a lock per input) instead of repeating it.

The folder is the test run's own pytest temporary folder (the workers' folders are its
sub-folders), so nothing outlives the run's temporary files and no two runs share a transcript.
The per-CPU-code-path runs (isa_runs.py) are separate pytest runs with folders of their own,
and the code path forced on ctranslate2 is part of the key besides.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def run_folder(basetemp: Path) -> Path:
    """The folder every worker of this test run sees: the parent of a worker's basetemp."""
    run = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = run / "shared-transcripts"
    folder.mkdir(exist_ok=True)
    return folder


class SharedTranscripts:
    """made(key, make) -> make()'s value, made once per key by whichever worker asks first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def made(self, key: tuple, make: Callable[[], T]) -> T:
        key = (os.environ.get("CT2_FORCE_CPU_ISA", ""), *key)
        name = hashlib.sha1(repr(key).encode()).hexdigest()
        path = self.folder / f"{name}.pickle"
        with (self.folder / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the worker dies
            if path.exists():
                return pickle.loads(path.read_bytes())
            value = make()  # an exception is not kept: the next asker decodes and raises again
            part = path.with_suffix(".part")
            part.write_bytes(pickle.dumps(value))
            os.replace(part, path)
            return value
