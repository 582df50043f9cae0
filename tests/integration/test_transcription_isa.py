"""The transcripts are the same under every CPU code path CTranslate2 has on this CPU.

A transcript must not depend on the instruction set: CT2_FORCE_CPU_ISA=AVX2 once turned a
27.6 s answer into its first 15 words (see coach/engines/transcriber.py). The variable is read
when ctranslate2 loads, so each value decodes the clips that once depended on it
(isa_decode.CLIPS) in a fresh process; CTranslate2's own log line proves which code path ran.
Each transcript must be word for word the one the suite makes of the same clip under its own
code path: with int8 weights the kernels differed in their last bits, which tipped near ties
("Or," / "Oh,", "bars" / "bar": GENERIC against AVX2 on 4 of 6 answers), so the model runs in
float32 with its matrix library pinned (coach/numeric_paths.py). The fixture word-error-rate
bounds hold under every code path too. The code path the rest of the suite already runs under (the
one CTranslate2 picks: AVX2 on an AMD CPU, even one with AVX512) is not run twice. The runs go
on in the background while the rest of the suite runs (see isa_runs.py).
"""

from __future__ import annotations

import statistics

import pytest
from isa_decode import CLIPS, transcripts
from isa_runs import isa_of_this_process, other_isas, result, supported_isas

from benchmarks.word_error_rate import word_error_rate


def test_the_suite_itself_runs_on_a_supported_code_path():
    assert isa_of_this_process() in supported_isas()


@pytest.mark.parametrize("isa", other_isas())
def test_transcripts_are_the_same_on_every_cpu_code_path(isa, transcriber, fixtures):
    """Run in the background while the suite goes on (tests/integration/isa_runs.py)."""
    code, texts, output = result(isa)
    assert f"Selected ISA: {isa}" in output, output[-3000:]
    assert code == 0 and set(texts) == set(CLIPS), output[-3000:]
    own = transcripts(transcriber)
    differ = {clip: (own[clip], texts[clip]) for clip in CLIPS if own[clip] != texts[clip]}
    assert not differ, differ
    # the bounds of test_synthetic_answers_word_error_rate, on these answers
    rates = {clip: word_error_rate(fixtures[clip].text, texts[clip]) for clip in CLIPS}
    assert statistics.mean(rates.values()) <= 0.2, rates
    assert max(rates.values()) <= 0.45, rates
