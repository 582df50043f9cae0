"""How many threads and replicas decode: half the cores each, two replicas, a knob to measure."""

import pytest

from coach.engines import cpu_budget


@pytest.mark.parametrize(("cores", "threads", "replicas"), [(1, 1, 1), (2, 1, 2), (4, 2, 2),
                                                             (16, 4, 2)])
def test_half_the_cores_per_decode_and_two_replicas(monkeypatch, cores, threads, replicas):
    monkeypatch.delenv(cpu_budget.THREADS_VARIABLE, raising=False)
    monkeypatch.setattr(cpu_budget, "_cores", lambda: cores)
    assert (cpu_budget.default_cpu_threads(), cpu_budget.default_workers()) == (threads,
                                                                                  replicas)


@pytest.mark.parametrize(("value", "threads"), [("2", 2), ("0", 1), ("two", 1), ("", 1)])
def test_the_thread_knob_takes_a_positive_whole_number_only(monkeypatch, value, threads):
    monkeypatch.setattr(cpu_budget, "_cores", lambda: 2)
    monkeypatch.setenv(cpu_budget.THREADS_VARIABLE, value)
    assert cpu_budget.default_cpu_threads() == threads
    assert cpu_budget.default_workers() == 2  # the stream keeps its second replica
