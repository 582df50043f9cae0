"""A whole file through `Coach.analyze` against bare faster-whisper on the same model and clip.

    nice -n 10 .venv/bin/python benchmarks/whole_file_speed.py [--rounds 3] [--clips ID,ID]
        [--json FILE]

The target (issue 22): a whole file (upload, `coach analyze`) takes at most 1.3x bare
faster-whisper with its default options. For each clip of audio_fixtures/, in the same run and
interleaved round by round (so other work on the machine slows every side alike):

- coach: `Coach.analyze(path, scenario)`: decoding the file, transcription (decode guard
  included), grammar with LanguageTool when installed, every analysis;
- bare: `WhisperModel.transcribe(path)` with default options on the coach's own model instance
  (the same weights, float32, the same threads per decode);
- bare_default_threads: a fresh `WhisperModel(path, device="cpu")` with every default
  (the stored float16 weights run in float32 on a CPU, as the coach's do) and CTranslate2's
  default thread count: a first attempt's set-up.

Each figure is the median of `--rounds`; the ratio is coach / bare of the medians, and the
summary is the median ratio over the clips. Run under `nice -n 10` on a shared machine; the
1-minute load average is recorded.
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

from benchmarks.fixture_truth import load_fixtures
from coach import Coach, Settings
from coach.engines.transcriber import WhisperTranscriber

CLIPS = ("oom-us150-clean", "snapshot-029-fillers", "oom-joe-slow-overtime")
FALLBACK_SCENARIO = "oom-silent-restart"  # for a clip recorded without one
RESULTS = Path(__file__).resolve().parent / "results"


def seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bare(model, path: Path) -> None:
    segments, _ = model.transcribe(str(path))
    list(segments)  # the generator does the decoding


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clips", default=",".join(CLIPS), help="fixture ids, comma-separated")
    parser.add_argument("--json", default=str(RESULTS / "whole_file_speed.json"))
    args = parser.parse_args()
    fixtures = {f.id: f for f in load_fixtures()}
    clips = [fixtures[i] for i in args.clips.split(",")]

    from faster_whisper import WhisperModel

    transcriber = WhisperTranscriber()
    coach = Coach(Settings(), transcriber=transcriber)
    coach.warm_up().wait()
    model = transcriber.load()
    default_threads = WhisperModel(str(transcriber.model_info.path), device="cpu")
    sides = {
        "coach_s": lambda f: coach.analyze(f.path, f.scenario or FALLBACK_SCENARIO),
        "bare_s": lambda f: bare(model, f.path),
        "bare_default_threads_s": lambda f: bare(default_threads, f.path),
    }
    for run in sides.values():  # warm every path once (LanguageTool's first check is slow)
        run(clips[0])

    rows = []
    for fixture in clips:
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for name, run in sides.items():
                times[name].append(seconds(lambda run=run, f=fixture: run(f)))
        row: dict[str, object] = {"id": fixture.id, "audio_s": round(fixture.duration_s, 1)}
        row.update({name: round(statistics.median(t), 3) for name, t in times.items()})
        row["ratio"] = round(row["coach_s"] / row["bare_s"], 2)
        row["ratio_default_threads"] = round(row["coach_s"] / row["bare_default_threads_s"], 2)
        row["load_avg_1min"] = round(os.getloadavg()[0], 2)
        rows.append(row)
        print(row, flush=True)
    coach.close()

    summary = {
        "model": transcriber.model_info.name, "rounds": args.rounds,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "median_ratio": round(statistics.median(r["ratio"] for r in rows), 2),
        "median_ratio_default_threads": round(statistics.median(
            r["ratio_default_threads"] for r in rows), 2),
        "target": 1.3, "clips": rows}
    print(f"\n{'clip':24} {'audio':>6} {'coach':>7} {'bare':>7} {'ratio':>6} "
          f"{'bare*':>7} {'ratio*':>6}")
    for r in rows:
        print(f"{r['id']:24} {r['audio_s']:6.1f} {r['coach_s']:7.2f} {r['bare_s']:7.2f} "
              f"{r['ratio']:6.2f} {r['bare_default_threads_s']:7.2f} "
              f"{r['ratio_default_threads']:6.2f}")
    print(f"median ratio Coach.analyze / bare faster-whisper: {summary['median_ratio']} "
          f"(* CTranslate2's default threads: {summary['median_ratio_default_threads']}); "
          f"target <= {summary['target']}")
    Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["median_ratio"] <= summary["target"] else 1


if __name__ == "__main__":
    sys.exit(main())
