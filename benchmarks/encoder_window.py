"""Whether Whisper's encoder window could be cut to the chunk, to shorten the wait after Stop.

    .venv/bin/python benchmarks/encoder_window.py [--margins full,2,5] [--limit N] [--json FILE]

Every chunk is padded to Whisper's 30 s window, whose encoder pass (1.2-1.5 s on one thread
with base) is most of the last chunk's decode after Stop. CTranslate2 also encodes a shorter
window (10 s in about a fifth of the time). This decodes every fixture with a transcript
(whole file, the stream's chunks, the scenario's prompt) with each chunk's window cut to its
length plus a margin of seconds ("full": the 30 s window, as shipped), and reports the WER and
the decoding time of each. Whisper was trained on 30 s windows only, so the question is how
much accuracy a shorter one costs.

Measured on the 51 fixtures (results/encoder_window.json): WER 0.064 with the full window
(186 s of decoding), 0.070 with the chunk plus 2 s (140 s), 0.068 plus 5 s (156 s); a clean
human reading (human-librivox-0880) went from 0.0 to 0.125. Nothing is gained on the last
chunk's encoder pass that is worth that: the window stays 30 s.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import faster_whisper.audio as whisper_audio

from benchmarks.fixture_truth import load_fixtures
from benchmarks.word_error_rate import word_error_rate
from coach.audio.decode import load_audio
from coach.engines.transcriber import WhisperTranscriber
from coach.errors import CoachError
from coach.scenarios.library import ScenarioLibrary
from coach.scenarios.vocabulary import key_terms_of

GENERIC_SCENARIO = "explain-restart-root-cause"
RESULTS = Path(__file__).resolve().parent / "results"
FRAMES_PER_S = 100
FULL_FRAMES = 3000
_padded = whisper_audio.pad_or_trim
_margin_s: float | None = None


def _cut_window(array, length=FULL_FRAMES, *, axis=-1):
    """pad_or_trim with the window cut to the chunk plus `_margin_s` (2 s steps)."""
    if _margin_s is None:
        return _padded(array, length, axis=axis)
    frames = array.shape[axis] + _margin_s * FRAMES_PER_S
    return _padded(array, min(FULL_FRAMES, math.ceil(frames / 200) * 200), axis=axis)


def main() -> int:
    global _margin_s
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--margins", default="full,2,5")
    parser.add_argument("--limit", type=int, help="only the first N fixtures (a quick look)")
    parser.add_argument("--json", default=str(RESULTS / "encoder_window.json"))
    args = parser.parse_args()
    whisper_audio.pad_or_trim = _cut_window  # the transcriber imports it at each decode
    library = ScenarioLibrary.load()
    transcriber = WhisperTranscriber()
    fixtures = [f for f in load_fixtures() if f.transcript_available and f.text][:args.limit]
    report = {"fixtures": len(fixtures), "variants": {}}
    for margin in args.margins.split(","):
        _margin_s = None if margin == "full" else float(margin)
        wers, seconds, rows = [], 0.0, {}
        for fixture in fixtures:
            scenario = library.get(fixture.scenario or GENERIC_SCENARIO)
            clip = load_audio(fixture.path)
            started = time.perf_counter()
            try:
                text = transcriber.transcribe(clip, key_terms_of(scenario)).text
            except CoachError:
                text = ""
            seconds += time.perf_counter() - started
            rows[fixture.id] = round(word_error_rate(fixture.text, text), 3)
            wers.append(rows[fixture.id])
        report["variants"][margin] = {"wer": round(sum(wers) / len(wers), 4),
                                      "decode_s": round(seconds, 1), "wer_by_fixture": rows}
        print(f"window {margin:>4}: WER {sum(wers) / len(wers):.4f}, {seconds:.0f} s", flush=True)
    Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
