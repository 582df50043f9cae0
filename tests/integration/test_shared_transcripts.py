"""Transcripts shared by the workers of one test run (shared_transcripts.py): made once."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from shared_transcripts import SharedTranscripts, run_folder


def _ask(folder, key, log) -> str:
    def make() -> str:
        with open(log, "a") as out:
            out.write("made\n")
        time.sleep(1.0)  # long enough for the other worker to ask meanwhile
        return f"transcript of {key[0]}"

    return SharedTranscripts(folder).made(key, make)


def test_two_workers_asking_at_once_get_one_decode(tmp_path):
    log = tmp_path / "log"
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        results = pool.starmap(_ask, [(tmp_path, ("clip-a", ("OOMKiller",)), log)] * 2)
    assert results == ["transcript of clip-a"] * 2
    assert log.read_text() == "made\n"
    assert _ask(tmp_path, ("clip-b", ()), log) == "transcript of clip-b"  # its own key
    assert log.read_text() == "made\nmade\n"


def test_a_failed_decode_is_not_kept(tmp_path):
    shared = SharedTranscripts(tmp_path)

    def fails():
        raise ValueError("no speech")

    with pytest.raises(ValueError):
        shared.made(("silence",), fails)
    assert shared.made(("silence",), lambda: "made after all") == "made after all"


def test_the_forced_cpu_code_path_is_part_of_the_key(tmp_path, monkeypatch):
    shared = SharedTranscripts(tmp_path)
    assert shared.made(("clip",), lambda: "default") == "default"
    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "GENERIC")
    assert shared.made(("clip",), lambda: "generic") == "generic"


def test_workers_of_one_run_share_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert run_folder(tmp_path / "popen-gw1") == tmp_path / "shared-transcripts"
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert run_folder(tmp_path) == tmp_path / "shared-transcripts"
