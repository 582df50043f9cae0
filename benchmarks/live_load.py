"""How far behind real time the live decoder falls when other processes keep cores busy.

    .venv/bin/python benchmarks/live_load.py [--fixture ID] [--busy 0 1 2] [--threads N]
                                             [--json FILE]

A fixture answer is fed to `Coach.open_stream` in 0.1 s blocks at the pace of speech (as the
app's page sends it) while 0, 1 or 2 busy-loop Python processes run. Every second it reads
`stream.progress()` (what the live panel shows); it reports the largest backlog while
speaking, the backlog at Stop (how far behind real time the decoder was), the seconds after
Stop until `finish()` returned (the wait for the transcript), and when the first word showed.
The machine's load average is recorded with each run, since other work slows decoding too.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from coach import Coach, Settings
from coach.audio.decode import SAMPLE_RATE, load_audio

BLOCK_S = 0.1


def busy_loop() -> None:  # pragma: no cover - runs in a child process
    while True:
        pass


def stream_in_real_time(coach: Coach, fixture) -> dict:
    clip = load_audio(fixture.path)
    stream = coach.open_stream(fixture.scenario)
    block = int(BLOCK_S * SAMPLE_RATE)
    began = time.perf_counter()
    next_look, first_word_s, worst = began + 1.0, None, 0.0
    for i, offset in enumerate(range(0, len(clip.samples), block)):
        due = began + i * BLOCK_S
        time.sleep(max(0.0, due - time.perf_counter()))
        stream.feed(clip.samples[offset : offset + block], SAMPLE_RATE)
        if time.perf_counter() >= next_look:
            next_look += 1.0
            progress = stream.progress()
            worst = max(worst, progress.backlog_s)
            if first_word_s is None and progress.words:
                first_word_s = time.perf_counter() - began
    at_stop = stream.progress()
    stopped = time.perf_counter()
    transcript = stream.finish()
    return {"fixture": fixture.id, "audio_s": round(clip.duration_s, 1),
            "first_word_s": None if first_word_s is None else round(first_word_s, 1),
            "worst_backlog_s": round(max(worst, at_stop.backlog_s), 1),
            "backlog_at_stop_s": round(at_stop.backlog_s, 1),
            "waiting_at_stop_s": round(at_stop.waiting_s, 1),
            "wait_after_stop_s": round(time.perf_counter() - stopped, 2),
            "words": len(transcript.words), "load": round(os.getloadavg()[0], 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", default="oom-us150-fillers")
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    fixture = next(f for f in load_fixtures() if f.id == args.fixture)
    coach = Coach(Settings(model=args.model, check_grammar=False))
    coach.warm_up().wait()
    rows = []
    for busy in args.busy:
        workers = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(busy)]
        for worker in workers:
            worker.start()
        try:
            row = {"busy_processes": busy, **stream_in_real_time(coach, fixture)}
        finally:
            for worker in workers:
                worker.terminate()
                worker.join()
        rows.append(row)
        print(json.dumps(row), flush=True)
    coach.close()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
