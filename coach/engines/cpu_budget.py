"""How many threads and model replicas decode speech on this machine's cores."""

from __future__ import annotations

import os


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
