"""Where one chunk's decoding time goes: the floor under Stop-to-feedback (issue 22).

    .venv/bin/python benchmarks/decode_stages.py [--model NAME] [--json FILE]

The coach decodes a streamed answer chunk by chunk; after Stop its last chunk is decoded as
`WhisperTranscriber._decode` does it: log-mel features, the encoder, beam search (beam 5, the
key-term prompt) and the word-time alignment. This times each stage on chunks of 2 to 20 s cut
from a fixture, with the coach's model and compute type, on one thread (the coach's replicas)
and on two (both cores), median of 3 runs each.

Whisper's encoder always reads a 30 s window (a shorter chunk is padded), so its time is the
same for a 2 s chunk as for a 20 s one: it sets a floor under the wait after Stop that no
chunking can lower. Run it on an otherwise idle machine: the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import coach  # noqa: F401  (pins the numeric code paths, as the app does)
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.engines.models import resolve_model
from coach.engines.transcriber import _APPEND_PUNCTUATION, _PREPEND_PUNCTUATION, COMPUTE_TYPE

FIXTURE = Path(__file__).resolve().parent.parent / "audio_fixtures/answers/oom-us150-fillers.flac"
PROMPT = " Key terms: OOMKiller, dmesg, memory.max, exit code 137. Um, uh, so,"
LENGTHS_S = (2, 5, 9, 15, 20)
RUNS = 3


def stage_times(model, samples) -> dict[str, float]:
    """Seconds per stage for one decode of `samples` (at most 30 s)."""
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_suppressed_tokens

    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language="en")
    marks = [time.perf_counter()]
    features = model.feature_extractor(samples)[..., :-1]
    marks.append(time.perf_counter())
    encoded = model.encode(pad_or_trim(features))
    marks.append(time.perf_counter())
    prompt = model.get_prompt(tokenizer, tokenizer.encode(PROMPT), without_timestamps=True)
    result = model.model.generate(
        encoded, [prompt], beam_size=5, max_length=model.max_length, return_scores=True,
        suppress_blank=True, suppress_tokens=get_suppressed_tokens(tokenizer, [-1]))[0]
    marks.append(time.perf_counter())
    segment = {"seek": 0, "start": 0.0, "end": len(samples) / SAMPLE_RATE,
               "tokens": result.sequences_ids[0]}
    model.add_word_timestamps([[segment]], tokenizer, encoded, features.shape[-1],
                              _PREPEND_PUNCTUATION, _APPEND_PUNCTUATION, 0.0)
    marks.append(time.perf_counter())
    names = ("features", "encode", "generate", "align")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", type=Path,
                        default=Path(__file__).resolve().parent / "results/decode_stages.json")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    info = resolve_model(args.model)
    audio = load_audio(FIXTURE).samples
    rows = []
    for threads in (1, 2):
        model = WhisperModel(info.path, device="cpu", compute_type=COMPUTE_TYPE,
                             cpu_threads=threads)
        stage_times(model, audio[: 5 * SAMPLE_RATE])  # warm-up
        for length in LENGTHS_S:
            runs = [stage_times(model, audio[: length * SAMPLE_RATE]) for _ in range(RUNS)]
            row = {"threads": threads, "chunk_s": length,
                   **{k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}}
            row["total"] = round(sum(row[k] for k in runs[0]), 3)
            rows.append(row)
            print(f"{threads} thread(s), {length:2d} s chunk: " + ", ".join(
                f"{k} {row[k]:.2f} s" for k in (*runs[0], "total")), flush=True)
        del model
    result = {"model": info.name, "compute_type": COMPUTE_TYPE, "fixture": FIXTURE.name,
              "runs_per_row": RUNS, "load_avg_1min": round(os.getloadavg()[0], 2), "rows": rows}
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
