"""The same transcript on every machine: pin the numeric code paths under faster-whisper.

Whisper's beam search meets near ties ("Or," or "Oh,", "bars" or "bar") that the last bits of
the arithmetic tip either way, so every step must compute the same bits on every CPU:
- the model runs in float32 (coach.engines.transcriber): CTranslate2's int8 kernels quantise
  each activation with code that differs per instruction set, and the roundings they differ
  by changed 1 word in 48 on 4 of 6 answers between CT2_FORCE_CPU_ISA=GENERIC and AVX2;
- CTranslate2 multiplies matrices with Intel MKL on Intel CPUs and with oneDNN on the others
  (CT2_USE_MKL=0 takes oneDNN everywhere, which is compiled into every wheel);
- oneDNN picks its kernels by CPU, and its AVX512 kernels sum in another order than its AVX2
  ones: capped at AVX2 (ONEDNN_MAX_CPU_ISA), an AVX512 CPU computes what an AVX2 CPU does.

These switches are read when ctranslate2 first runs, so `pin_numeric_paths()` runs from
`coach/__init__.py`. They are defaults: a value set in the shell wins (to measure a variant).
"""

from __future__ import annotations

import os

NUMERIC_PATHS = {
    "CT2_USE_MKL": "0",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    # not a numeric path, but read at the same moment: OpenMP threads that wait sleep instead
    # of spinning, so a decode on every core does not fight the browser or the other replica
    # for them (coach/engines/cpu_budget.py)
    "OMP_WAIT_POLICY": "PASSIVE",
}


def pin_numeric_paths() -> None:
    for name, value in NUMERIC_PATHS.items():
        os.environ.setdefault(name, value)
