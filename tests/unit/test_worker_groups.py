"""How `make test` groups the slow tiers per worker (tests/worker_groups.py)."""

from __future__ import annotations

from pathlib import Path

from worker_groups import BROWSER_HALVES, LAST, queue_order, worker_group

TESTS = Path(__file__).resolve().parents[1]


def test_a_file_never_straddles_two_groups():
    assert worker_group("tests/integration/test_cli.py::test_a") == "tests/integration/test_cli.py"
    assert (worker_group("tests/integration/test_cli.py::test_b[x]")
            == worker_group("tests/integration/test_cli.py::test_a"))
    assert (worker_group("tests/browser/test_round_tab.py::test_a")
            == worker_group("tests/browser/test_round_tab.py::test_b"))


def test_the_browser_files_make_two_groups_and_every_one_is_placed():
    files = sorted(f"tests/browser/{p.name}" for p in (TESTS / "browser").glob("test_*.py"))
    assert sorted(BROWSER_HALVES) == files  # a new browser file is placed on purpose
    groups = {worker_group(f"{f}::test") for f in files}
    assert len(groups) == 2
    assert not groups & {worker_group("tests/integration/test_cli.py::t")}


def test_the_browser_groups_start_first_and_the_judges_of_the_background_runs_come_last():
    halves = sorted(set(BROWSER_HALVES.values()))
    sizes = {halves[0]: 19, LAST: 3, "tests/integration/test_cli.py": 27,
             "tests/integration/test_privacy.py": 2, halves[1]: 10,
             "tests/integration/test_speech.py": 8}
    assert queue_order(sizes) == [halves[0], halves[1], "tests/integration/test_cli.py",
                                  "tests/integration/test_speech.py",
                                  "tests/integration/test_privacy.py", LAST]
