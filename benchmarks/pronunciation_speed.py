"""How much time the sounds of the key terms (coach.phonemes) add after Stop.

After Stop the app already has the transcript (it was made while the answer was recorded,
coach.streamed_answer), so what follows Stop is `Coach.analyze(clip, scenario,
transcript=...)`. This runs that on the same ~30 s answers, in the same process, with the
sounds checked and not (`Settings.check_sounds`), alternately, and reports the median of each
and their difference; also how many key terms were scored, and the time of the recogniser and
of the scoring alone. Grammar is off in both (it does not depend on the sounds).

    nice -n 10 .venv/bin/python benchmarks/pronunciation_speed.py [--runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

from coach import Coach, Settings
from coach.analysis.coverage import analyze_coverage
from coach.engines.phoneme_frames import ClipFrames
from coach.phonemes.answer import score_key_terms
from coach.scenarios.vocabulary import key_terms_of

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = (("oom-us150-fillers.flac", "oom-silent-restart"),
           ("overlay-us150-fillers.flac", "overlayfs-io-latency"),
           ("cpu-gb140-fillers.flac", "cpu-high-no-process"))


class TimedFrames(ClipFrames):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.seconds = 0.0

    def __call__(self, start_s: float, end_s: float):
        start = time.perf_counter()
        try:
            return super().__call__(start_s, end_s)
        finally:
            self.seconds += time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    on = Coach(Settings(check_grammar=False))
    off = Coach(replace(on.settings, check_sounds=False), transcriber=on.transcriber,
                phonemizer=on.phonemizer, library=on.library)
    results = []
    for name, scenario_id in ANSWERS:
        scenario = on.library.get(scenario_id)
        clip = on.load(ROOT / "audio_fixtures" / "answers" / name)
        transcript = on.transcriber.transcribe(clip, key_terms_of(scenario))
        on.analyze(clip, scenario, transcript=transcript)  # loads hama, warms espeak's cache
        times: dict[str, list[float]] = {"with": [], "without": [], "recogniser": [],
                                         "sounds": []}
        for _ in range(args.runs):
            for label, coach in (("without", off), ("with", on)):
                start = time.perf_counter()
                feedback = coach.analyze(clip, scenario, transcript=transcript)
                times[label].append(time.perf_counter() - start)
            frames = TimedFrames(clip.samples, on.recogniser)
            start = time.perf_counter()
            report = score_key_terms(transcript, scenario, analyze_coverage(transcript, scenario),
                                     frames, on.phonemizer)
            times["sounds"].append(time.perf_counter() - start)
            times["recogniser"].append(frames.seconds)
        median = {k: round(statistics.median(v), 3) for k, v in times.items()}
        row = {"answer": name, "audio_s": round(clip.duration_s, 1),
               "terms_scored": len(report.words),
               "judged": sum(w.judged for w in report.words),
               "analysis_without_s": median["without"], "analysis_with_s": median["with"],
               "added_after_stop_s": round(median["with"] - median["without"], 3),
               "sounds_alone_s": median["sounds"], "of_which_recogniser_s": median["recogniser"]}
        assert feedback.sounds.checked, feedback.sounds.message
        results.append(row)
        print(json.dumps(row), flush=True)
    summary = {"command": "nice -n 10 .venv/bin/python benchmarks/pronunciation_speed.py",
               "runs": args.runs, "target_added_s": 0.3, "answers": results,
               "median_added_after_stop_s": statistics.median(
                   r["added_after_stop_s"] for r in results)}
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
