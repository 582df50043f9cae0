"""`Coach.warm_up()` loads in the background and hands back a handle; `close()` joins it.

A process that exits while CTranslate2 loads on an abandoned thread aborts ("terminate called
without an active exception", exit -6): the loading thread must always be waited for.
"""

from __future__ import annotations

import threading

import pytest

from coach import Coach, Settings
from coach.errors import ModelNotFound


class SlowTranscriber:
    """Loads only when the test says so."""

    def __init__(self, error: Exception | None = None) -> None:
        self.release = threading.Event()
        self.loaded = False
        self.error = error

    def load(self):
        assert self.release.wait(10), "the test never released the load"
        if self.error:
            raise self.error
        self.loaded = True


def test_warm_up_returns_at_once_and_close_waits_for_it():
    slow = SlowTranscriber()
    coach = Coach(Settings(check_grammar=False), transcriber=slow)
    handle = coach.warm_up()
    assert not handle.done and not slow.loaded  # still loading in the background
    closer = threading.Thread(target=coach.close)
    closer.start()
    closer.join(0.3)
    assert closer.is_alive(), "close() returned while the model was still loading"
    slow.release.set()
    closer.join(10)
    assert not closer.is_alive() and handle.done and slow.loaded


def test_wait_raises_what_failed_while_loading():
    slow = SlowTranscriber(ModelNotFound("No speech model named 'huge'."))
    coach = Coach(Settings(check_grammar=False), transcriber=slow)
    handle = coach.warm_up()
    slow.release.set()
    with pytest.raises(ModelNotFound, match="huge"):
        handle.wait()
    coach.close()  # a failed warm-up does not make close() fail


def test_warm_up_starts_the_grammar_server_too():
    class Grammar:
        started = closed = False

        def start_in_background(self):
            self.started = True

        def close(self):
            self.closed = True

    slow, grammar = SlowTranscriber(), Grammar()
    slow.release.set()
    coach = Coach(Settings(), transcriber=slow, grammar=grammar)
    coach.warm_up().wait()
    coach.close()
    assert grammar.started and grammar.closed and slow.loaded
