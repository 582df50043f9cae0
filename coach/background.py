"""`WarmUp`: engines loading on a background thread that is always waited for, never abandoned.

A process that exits while CTranslate2 is still loading a model on another thread aborts
("terminate called without an active exception", exit -6), so `Coach.warm_up()` hands back
this handle and `Coach.close()` joins it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class WarmUp:
    """`load` running on its own thread from construction; `wait()` for it and its error."""

    def __init__(self, load: Callable[[], None]) -> None:
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(load,), name="coach-warm-up")
        self._thread.start()

    def _run(self, load: Callable[[], None]) -> None:
        try:
            load()
        except Exception as error:  # noqa: BLE001 - raised again by wait(), in the caller's thread
            self.error = error

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def wait(self, timeout: float | None = None) -> None:
        """Block until loaded; raise what went wrong while loading."""
        self.join(timeout)
        if self.error is not None:
            raise self.error
