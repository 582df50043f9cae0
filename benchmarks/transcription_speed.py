"""coach's transcription time against bare faster-whisper, per fixture and by answer length.

    .venv/bin/python benchmarks/transcription_speed.py [--model NAME] [--json FILE]

(a) Every spoken answer and human recording in audio_fixtures/: `load_audio` +
    `WhisperTranscriber.transcribe` (chunked, prompted) against the bare library on the same
    model instance with its default options,
    `WhisperModel.transcribe(path, word_timestamps=True, vad_filter=True)`, one run each, and
    the ratio. Target: median ratio <= 1.3.
(b) Length table: real fixtures joined (0.5 s of silence between them) and cut to 15, 30, 60,
    120 and 300 s; the time per second of audio should stay flat (time grows linearly).

Other work on the machine slows both sides alike, but not evenly: the 1-minute load average
(os.getloadavg) is recorded with every row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from coach.audio.decode import SAMPLE_RATE, AudioClip, load_audio
from coach.engines.transcriber import WhisperTranscriber
from coach.scenarios.library import ScenarioLibrary

LENGTHS_S = (15, 30, 60, 120, 300)
RESULTS = Path(__file__).resolve().parent / "results"


def bare_seconds(model, path: Path) -> float:
    started = time.perf_counter()
    segments, _ = model.transcribe(str(path), word_timestamps=True, vad_filter=True)
    list(segments)  # the generator does the decoding
    return time.perf_counter() - started


def coach_seconds(transcriber: WhisperTranscriber, path: Path, terms: list[str]) -> float:
    started = time.perf_counter()
    transcriber.transcribe(load_audio(path, max_duration_s=600), terms)
    return time.perf_counter() - started


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())


def joined_real_speech(fixtures, length_s: float) -> np.ndarray:
    pieces, total, gap = [], 0, np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    while total < length_s * SAMPLE_RATE:
        for fixture in fixtures:
            pieces += [load_audio(fixture.path).samples, gap]
            total += len(pieces[-2]) + len(gap)
            if total >= length_s * SAMPLE_RATE:
                break
    return np.concatenate(pieces)[: int(length_s * SAMPLE_RATE)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="speech model (default: the shipped one)")
    parser.add_argument("--json", help="default: results/transcription_speed-MODEL.json")
    args = parser.parse_args()
    transcriber = WhisperTranscriber(args.model)
    model = transcriber.load()
    library = ScenarioLibrary.load()
    fixtures = [f for f in load_fixtures() if "format" not in f.tags]
    bare_seconds(model, fixtures[0].path)  # warm both paths once
    coach_seconds(transcriber, fixtures[0].path, [])

    rows = []
    for fixture in fixtures:
        terms = [t.term for t in library.get(fixture.scenario).key_terms] if fixture.scenario \
            else []
        ours = coach_seconds(transcriber, fixture.path, terms)
        bare = bare_seconds(model, fixture.path)
        rows.append({"id": fixture.id, "audio_s": round(fixture.duration_s, 1),
                     "coach_s": round(ours, 3), "bare_s": round(bare, 3),
                     "ratio": round(ours / bare, 2), "load_avg_1min": round(os.getloadavg()[0], 2)})
        print(rows[-1], flush=True)

    real = [f for f in load_fixtures() if f.source == "human" and "format" not in f.tags]
    lengths = []
    with tempfile.TemporaryDirectory() as folder:
        for length in LENGTHS_S:
            path = Path(folder) / f"joined-{length}s.wav"
            write_wav(path, joined_real_speech(real, length))
            clip_s = AudioClip(load_audio(path, max_duration_s=600).samples).duration_s
            ours = coach_seconds(transcriber, path, [])
            bare = bare_seconds(model, path)
            lengths.append({"audio_s": round(clip_s, 1), "coach_s": round(ours, 2),
                            "coach_s_per_audio_s": round(ours / clip_s, 3),
                            "bare_s": round(bare, 2), "ratio": round(ours / bare, 2),
                            "load_avg_1min": round(os.getloadavg()[0], 2)})
            print(lengths[-1], flush=True)

    summary = {"model": transcriber.model_info.name,
               "median_ratio": round(statistics.median(r["ratio"] for r in rows), 2),
               "fixtures": len(rows), "per_fixture": rows, "by_length": lengths}
    print(f"model {summary['model']}: median ratio coach / bare faster-whisper = "
          f"{summary['median_ratio']} over {len(rows)} recordings")
    out = Path(args.json) if args.json else RESULTS / f"transcription_speed-{summary['model']}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
