"""Decode the CPU-code-path clips and write their transcripts as JSON: `python isa_decode.py OUT`.

Run by isa_runs.py in a fresh process with CT2_FORCE_CPU_ISA set (ctranslate2 reads it when it
loads); test_transcription_isa.py compares what it wrote with the suite's own transcripts of
the same clips, decoded the same way (the fixture's scenario's key terms, default options).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The answers whose transcript once depended on the code path, or that stress what did: the
# 27.6 s answer AVX2 cut to its first 15 words (a near tie between ending a chunk and going
# on, see coach/engines/transcriber.py), the three longest (two chunks or more), and answers
# with fillers, pauses and accents (the disfluent prompt, pauses inside a chunk).
CLIPS = ("snapshot-029-fillers", "oom-joe-slow-overtime", "cpu-us180-overtime",
         "retry-us150-clean", "cpu-gb140-fillers", "overlay-scot140-pauses")


def transcripts(engine) -> dict[str, str]:
    """The text of each of CLIPS, decoded by `engine` with its scenario's key terms."""
    from benchmarks.fixture_truth import load_fixtures
    from coach.audio.decode import load_audio
    from coach.scenarios.library import ScenarioLibrary
    from coach.scenarios.vocabulary import key_terms_of

    library = ScenarioLibrary.load()
    fixtures = {f.id: f for f in load_fixtures()}
    texts = {}
    for clip in CLIPS:
        fixture = fixtures[clip]
        terms = list(key_terms_of(library.get(fixture.scenario)))
        texts[clip] = engine.transcribe(load_audio(fixture.path), terms).text
    return texts


def main(out: Path) -> None:
    from coach.engines.transcriber import WhisperTranscriber

    out.write_text(json.dumps(transcripts(WhisperTranscriber()), indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # benchmarks/
    main(Path(sys.argv[1]))
