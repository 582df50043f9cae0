"""The transcripts are the same under every CPU code path CTranslate2 has on this CPU.

A transcript must not depend on the instruction set: CT2_FORCE_CPU_ISA=AVX2 once turned a
27.6 s answer into its first 15 words (see coach/engines/transcriber.py). The variable is read
when ctranslate2 loads, so each value decodes the clips that once depended on it
(isa_decode.CLIPS) in a fresh process; CTranslate2's own log line proves which code path ran,
and each transcript must equal the one the suite makes of the same clip. The code path the rest
of the suite already runs under (the one CTranslate2 picks here: AVX2 on this AMD CPU,
although it has AVX512) is not run twice, and its transcripts of the same clips pass the
fixture word-error-rate test (tests/integration/test_transcription.py). The runs go on in the
background while the rest of the suite runs (see isa_runs.py).
"""

from __future__ import annotations

import pytest
from isa_decode import CLIPS, transcripts
from isa_runs import isa_of_this_process, other_isas, result, supported_isas


def test_the_suite_itself_runs_on_a_supported_code_path():
    assert isa_of_this_process() in supported_isas()


@pytest.mark.parametrize("isa", other_isas())
def test_transcripts_are_the_same_on_every_cpu_code_path(isa, transcriber):
    """Run in the background while the suite goes on (tests/integration/isa_runs.py)."""
    code, texts, output = result(isa)
    assert f"Selected ISA: {isa}" in output, output[-3000:]
    assert code == 0 and set(texts) == set(CLIPS), output[-3000:]
    assert texts == transcripts(transcriber)
