"""Shared test set-up: tiers by folder, user data in a temporary folder, ground truth loaded once.

The tiers are the top folders under tests/, and this is the one place that marks them:
- unit/: pure logic and the app's handlers with stand-in engines (no model, browser or JVM);
  `make test-fast` runs them, in well under a minute;
- integration/: the real engines (Whisper, LanguageTool, espeak-ng, Piper, the CLI);
- browser/: the real app in a real chromium.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from worker_groups import queue_order, worker_group

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"


TIERS = ("unit", "integration", "browser")


def pytest_collection_modifyitems(items):
    for item in items:
        tier = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(
                f"{item.nodeid}: tests live in one of tests/{{{','.join(TIERS)}}}/"
            )
        item.add_marker(getattr(pytest.mark, tier))


def pytest_xdist_make_scheduler(config, log):
    """Groups of tests per worker, and their order: see tests/worker_groups.py."""
    from xdist.scheduler import LoadScopeScheduling

    class ByTestGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

        def _assign_work_unit(self, node) -> None:
            for group in queue_order({g: len(tests) for g, tests in self.workqueue.items()}):
                self.workqueue.move_to_end(group)
            super()._assign_work_unit(node)

    return ByTestGroup(config, log)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "coach-data"))


def load_manifest() -> dict:
    return tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def manifest() -> dict:
    return load_manifest()
