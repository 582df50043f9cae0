"""How many threads and model replicas decode speech on this machine's cores."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager


def _cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores or 1


def default_cpu_threads() -> int:
    """Half the cores for decoding, at least one and at most four.

    The other half is the browser's, which records, encodes and draws the answer while the
    app decodes it. On a 2-core machine one thread decodes whole files as fast as two (32.7 s
    against 31.5 s for 322 s of fixtures, the same transcripts), and decodes the last chunk
    of a streamed answer faster while the browser works (0.78-0.91 s against 1.0 s for a
    6.8 s chunk with one core busy): the decoder's small matrices gain little from a second
    thread. CTranslate2's own default of 4 oversubscribes small machines."""
    return max(1, min(4, _cores() // 2))


def default_workers(cpu_threads: int) -> int:
    """Chunks decoded side by side in a whole file: one per `cpu_threads` cores, at most two.

    A whole file has all its chunks at once. Decoding two of them on two single-thread model
    replicas uses both cores of a 2-core machine, where one two-thread decode gains little
    (see `default_cpu_threads`). A stream still decodes one chunk at a time (its one worker).
    Each replica decodes exactly as a lone one does: the transcript does not change."""
    return max(1, min(2, _cores() // max(cpu_threads, 1)))


class WideReplica:
    """One more model replica on every decoding thread, for a decode that has the cores alone.

    The narrow replicas (`default_workers` of `default_cpu_threads` threads) decode two chunks
    side by side: a stream's closed chunk beside its pause's chunk, two users' answers. In
    float32 a lone decode is faster on two threads: a 9 s chunk took 1.57 s against 2.85 s on
    one, and 51 fixture answers decoded one chunk at a time on it took 137 s against 189 s on
    two single-thread replicas side by side, word for word the same transcripts. The wide
    replica decodes the chunks of a whole file, one by one. A stream's last chunk on it (ahead
    at a pause and after Stop) made Stop-to-feedback slower in chromium (medians 5.95 s against
    3.90 s, 3 answers each, benchmarks/live_load.py): its two threads fought the browser and
    the closed chunk's decode, so streams keep to the narrow replicas. It is a second copy of
    the weights (about 290 MB for base). `take()` gives it to one decode at a time; a decode
    that finds it busy (another upload's) takes a narrow replica instead.
    """

    def __init__(self) -> None:
        self.model = None
        self._busy = threading.Lock()

    @contextmanager
    def take(self):
        """The wide model, held until the block ends; None when not loaded or busy."""
        if self.model is None or not self._busy.acquire(blocking=False):
            yield None
            return
        try:
            yield self.model
        finally:
            self._busy.release()
