"""How many threads and model replicas decode speech on this machine's cores."""

from __future__ import annotations

import os


def _cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores or 1


THREADS_VARIABLE = "COACH_DECODE_THREADS"  # threads per model replica, to measure a variant


def default_cpu_threads() -> int:
    """Half the cores for each decode, at least one and at most four (COACH_DECODE_THREADS
    overrides it).

    The other half is the browser's, which records, encodes and draws the answer while the
    app decodes it, or the other model replica's. Measured on this 2-core machine in float32:
    - a lone 9 s chunk takes 2.84 s on one thread, 1.97-2.54 s on two whose threads sleep
      while they wait, 1.56-1.65 s on two spinning ones (`benchmarks/decode_stages.py`):
      the encoder's 30 s window gains most, the beam search's small matrices little;
    - with a busy-loop process on the other core, 2.87 s on one thread and 2.86 s on two whose
      threads sleep while they wait (OMP_WAIT_POLICY=PASSIVE, coach/numeric_paths.py), 4.46 s
      on two spinning ones;
    - but in the app, where the stream's two replicas, the browser and the sounds all decode
      at once, two threads each gave Stop-to-feedback medians of 3.00 s against 3.31 s over
      8 idle answers each (within the spread of either), whole files 6 % faster, and a
      `make test` 50 s longer (15:47 against 14:56 for the slow tier): one thread is kept.
    - measured again with live captions and decodes ahead at pauses: fed in real time outside
      a browser, two threads cut the wait after Stop from 1.37-2.83 s to 0.52-1.44 s on three
      answers; but in chromium (two interleaved pairs of 3 idle answers each,
      benchmarks/results/live_load-threads-ab.json) Stop-to-feedback was 2.43 s (1.47-3.55 s)
      against 2.20 s (1.94-2.43 s) with one: the browser's own work after Stop preempts one
      of the two threads, and the other waits for it at each step. One thread is kept.
    CTranslate2's own default of 4 threads oversubscribes small machines."""
    chosen = os.environ.get(THREADS_VARIABLE, "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    return max(1, min(4, _cores() // 2))


def default_workers() -> int:
    """Model replicas (chunks decoded side by side): two on a machine with two cores or more.

    A stream uses two: one decodes the chunks that pauses have closed, the other the chunk
    that Stop would close, ahead, while the speaker pauses. A whole file decodes two of its
    chunks at a time. With the default threads (half the cores each) the two fill the cores.
    Each replica decodes exactly as a lone one does: the transcript does not change (the same
    on 6 answers with one and with two threads per replica)."""
    return max(1, min(2, _cores()))
