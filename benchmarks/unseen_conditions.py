"""The coach beside a plain faster-whisper script on conditions the fixtures do not hold.

    .venv/bin/python benchmarks/unseen_conditions.py [--ids A,B,...] [--json FILE]

audio_fixtures/rooms/ holds reverberant rooms with six kinds of noise at 20 and 10 dB. This
takes eight answers (synthetic and human) and makes, in memory, what a user might also bring:
- quiet: 40 dB under the fixture's level (a microphone with its gain down);
- telephone: only 300-3400 Hz, cut sharply (a digital telephone line);
- telephone-gentle: the same band through 8th-order Butterworth slopes;
- clipped: 20 dB too loud, clipped at 0.3 of full scale (an overdriven input);
- pink-5dB: pink noise 5 dB under the speech (a loud room).
Each is decoded by the coach (`Coach.analyze`, grammar and sounds off) and by the plain
baseline (benchmarks/plain_baseline.py) on the same audio; the table gives the mean WER, and
an answer the coach gave an error for (such as "the recording is silent") counts as 1.0 with
its message. Writes benchmarks/results/unseen_conditions.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import room_dsp as dsp

from benchmarks import plain_baseline as plain
from benchmarks.fixture_truth import load_fixtures
from benchmarks.word_error_rate import word_error_rate
from coach import Coach, Settings
from coach.audio.decode import load_audio
from coach.audio.wav import write_pcm_wav
from coach.errors import CoachError

GENERIC_SCENARIO = "explain-restart-root-cause"
ANSWERS = ("oom-us150-fillers", "cpu-gb140-fillers", "retry-us150-clean",
           "snapshot-joe-slow-clean", "iomax-us180-clean", "overlay-us150-fillers",
           "human-librivox-0880", "human-librivox-0920")
RESULTS = ROOT / "benchmarks" / "results" / "unseen_conditions.json"


def pink_5db(x: np.ndarray) -> np.ndarray:
    noise = dsp.pink_noise(len(x), np.random.default_rng(0))
    return x + dsp.scale_to_snr(x.astype(np.float32), noise, 5.0)


CONDITIONS = {
    "quiet": lambda x: x * 10 ** (-40 / 20),
    "telephone": dsp.telephone_band,
    "telephone-gentle": lambda x: dsp.telephone_band(x, order=8),
    "clipped": lambda x: np.clip(x * 10, -0.3, 0.3),
    "pink-5dB": pink_5db,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ids", default=",".join(ANSWERS))
    parser.add_argument("--json", default=str(RESULTS))
    args = parser.parse_args()
    fixtures = {f.id: f for f in load_fixtures()}
    coach = Coach(Settings(check_grammar=False, check_sounds=False))
    rows, table = [], {}
    with tempfile.TemporaryDirectory() as folder:
        for fixture_id in args.ids.split(","):
            fixture = fixtures[fixture_id]
            scenario = fixture.scenario or GENERIC_SCENARIO
            samples = load_audio(fixture.path).samples.astype(np.float64)
            for condition, change in CONDITIONS.items():
                path = Path(folder) / f"{fixture_id}-{condition}.wav"
                write_pcm_wav(path, np.clip(change(samples), -1, 1))
                baseline, _ = plain.transcribe_plain(path, plain.load_scenario(scenario))
                try:
                    coached, error = coach.analyze(path, scenario).transcript.text, None
                except CoachError as problem:
                    coached, error = "", str(problem)
                row = {"id": fixture_id, "condition": condition,
                       "coach_wer": 1.0 if error else round(word_error_rate(fixture.text,
                                                                            coached), 3),
                       "baseline_wer": round(word_error_rate(fixture.text, baseline), 3),
                       "coach_error": error}
                rows.append(row)
                table.setdefault(condition, []).append(row)
                print(json.dumps(row), flush=True)
    summary = {c: {"coach_wer": round(float(np.mean([r["coach_wer"] for r in rs])), 3),
                   "baseline_wer": round(float(np.mean([r["baseline_wer"] for r in rs])), 3),
                   "coach_errors": sum(1 for r in rs if r["coach_error"])}
               for c, rs in table.items()}
    print(f"\n{'condition':18} {'coach':>6} {'plain':>6} errors")
    for condition, s in summary.items():
        print(f"{condition:18} {s['coach_wer']:6.3f} {s['baseline_wer']:6.3f} "
              f"{s['coach_errors']}")
    Path(args.json).write_text(json.dumps({"answers": args.ids.split(","), "summary": summary,
                                           "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
