"""The transcripts are the same under every CPU code path CTranslate2 has on this CPU.

A transcript must not depend on the instruction set: CT2_FORCE_CPU_ISA=AVX2 once turned a
27.6 s answer into its first 15 words (see coach/engines/transcriber.py). The variable is read
when ctranslate2 loads, so each value decodes the clips that once depended on it
(isa_decode.CLIPS) in a fresh process; CTranslate2's own log line proves which code path ran.
Each transcript must be the one the suite makes of the same clip under its own code path but
for a word in twenty: the int8 kernels differ in their last bits, which tips a near tie now and
then ("Or," / "Oh,", "bars" / "bar": GENERIC against AVX2 here, one word in 48 at most), while
the failure this guards against lost most of an answer. The fixture word-error-rate bounds
hold under every code path too. The code path the rest of the suite already runs under (the
one CTranslate2 picks: AVX2 on an AMD CPU, even one with AVX512) is not run twice. The runs go
on in the background while the rest of the suite runs (see isa_runs.py).
"""

from __future__ import annotations

import statistics

import pytest
from isa_decode import CLIPS, transcripts
from isa_runs import isa_of_this_process, other_isas, result, supported_isas

from benchmarks.word_error_rate import word_error_rate

MOST_WORDS_CHANGED = 0.05  # of the suite's own transcript of the clip


def test_the_suite_itself_runs_on_a_supported_code_path():
    assert isa_of_this_process() in supported_isas()


@pytest.mark.parametrize("isa", other_isas())
def test_transcripts_are_the_same_on_every_cpu_code_path(isa, transcriber, fixtures):
    """Run in the background while the suite goes on (tests/integration/isa_runs.py)."""
    code, texts, output = result(isa)
    assert f"Selected ISA: {isa}" in output, output[-3000:]
    assert code == 0 and set(texts) == set(CLIPS), output[-3000:]
    own = transcripts(transcriber)
    changed = {clip: word_error_rate(own[clip], texts[clip]) for clip in CLIPS}
    assert max(changed.values()) <= MOST_WORDS_CHANGED, (changed, texts, own)
    # the bounds of test_synthetic_answers_word_error_rate, on these answers
    rates = {clip: word_error_rate(fixtures[clip].text, texts[clip]) for clip in CLIPS}
    assert statistics.mean(rates.values()) <= 0.2, rates
    assert max(rates.values()) <= 0.45, rates
