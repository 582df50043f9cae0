"""How much time the sounds of the key terms (coach.phonemes) add after Stop.

Two measures on the same ~30 s answers, in the same process, with the sounds checked and not
(`Settings.check_sounds`), alternately; grammar is off in both (it does not depend on them):

- final audio: `Coach.analyze(clip, scenario, transcript=...)` with the transcript already
  made, every term scored after Stop (the median of --runs each, and their difference; also
  the time of the recogniser and of the scoring alone);
- streamed (what the app does with a microphone): the answer fed to a `StreamedAnswer` in
  0.5 s blocks at --pace times the pace of speech, so chunks are decoded and terms scored
  while it is "spoken" (coach.streamed_sounds); then Stop: the stream's tail and the
  analysis, timed. The difference with and without sounds is what they add after Stop.

Each is reported as wall-clock seconds and as the CPU seconds of the process (all threads):
on a machine shared with other work the wall clock mostly measures the others; the CPU time
does not.

    nice -n 10 .venv/bin/python benchmarks/pronunciation_speed.py [--runs 5] [--pace 1.0]
        [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

from coach import Coach, Settings
from coach.analysis.coverage import analyze_coverage
from coach.audio.decode import SAMPLE_RATE
from coach.engines.phoneme_frames import ClipFrames
from coach.phonemes.answer import score_key_terms
from coach.scenarios.vocabulary import key_terms_of
from coach.streamed_answer import StreamedAnswer

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = (("oom-us150-fillers.flac", "oom-silent-restart"),
           ("overlay-us150-fillers.flac", "overlayfs-io-latency"),
           ("cpu-gb140-fillers.flac", "cpu-high-no-process"))


BLOCK_S = 0.5


def streamed_stop_s(coach: Coach, clip, scenario, pace: float
                    ) -> tuple[float, float, object]:
    """Seconds from Stop to feedback for `clip` streamed at `pace` x the pace of speech, and
    the CPU seconds the process spent in them (all threads)."""
    coach.sound_memo.clear()
    answer = StreamedAnswer.open(coach, scenario)
    block = int(BLOCK_S * SAMPLE_RATE)
    start = time.perf_counter()
    for n, offset in enumerate(range(0, clip.samples.size, block)):
        time.sleep(max(0.0, start + n * BLOCK_S / pace - time.perf_counter()))
        answer.stream.feed(clip.samples[offset:offset + block], SAMPLE_RATE)
    time.sleep(max(0.0, start + clip.duration_s / pace - time.perf_counter()))
    stop, cpu = time.perf_counter(), time.process_time()
    transcribe = answer.transcriber_for(coach, scenario)
    assert transcribe is not None
    transcript = transcribe()
    feedback = coach.analyze(answer.kept_clip(Path("recording.wav")), scenario,
                             transcript=transcript)
    return time.perf_counter() - stop, time.process_time() - cpu, feedback


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
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--streamed-runs", type=int, default=1)
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
                                         "sounds": [], "with_cpu": [], "without_cpu": []}
        for _ in range(args.runs):
            for label, coach in (("without", off), ("with", on)):
                on.sound_memo.clear()  # every term scored after Stop
                start, cpu = time.perf_counter(), time.process_time()
                feedback = coach.analyze(clip, scenario, transcript=transcript)
                times[label].append(time.perf_counter() - start)
                times[f"{label}_cpu"].append(time.process_time() - cpu)
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
               "added_after_stop_cpu_s": round(median["with_cpu"] - median["without_cpu"], 3),
               "sounds_alone_s": median["sounds"], "of_which_recogniser_s": median["recogniser"]}
        assert feedback.sounds.checked, feedback.sounds.message
        streamed: dict[str, list[float]] = {"with": [], "without": [], "with_cpu": [],
                                            "without_cpu": []}
        for _ in range(args.streamed_runs):
            for label, coach in (("without", off), ("with", on)):
                waited, cpu, feedback = streamed_stop_s(coach, clip, scenario, args.pace)
                streamed[label].append(waited)
                streamed[f"{label}_cpu"].append(cpu)
            assert feedback.sounds.words == report.words  # the same scores as from the file
        row.update({"streamed_stop_without_s": round(statistics.median(streamed["without"]), 3),
                    "streamed_stop_with_s": round(statistics.median(streamed["with"]), 3)})
        row["streamed_added_after_stop_s"] = round(
            row["streamed_stop_with_s"] - row["streamed_stop_without_s"], 3)
        row["streamed_added_after_stop_cpu_s"] = round(
            statistics.median(streamed["with_cpu"]) - statistics.median(streamed["without_cpu"]),
            3)
        results.append(row)
        print(json.dumps(row), flush=True)
    summary = {"command": "nice -n 10 .venv/bin/python benchmarks/pronunciation_speed.py",
               "runs": args.runs, "streamed_runs": args.streamed_runs, "pace": args.pace,
               "load_average": os.getloadavg(), "target_added_s": 0.3, "answers": results,
               "median_added_after_stop_s": statistics.median(
                   r["added_after_stop_s"] for r in results),
               "median_streamed_added_after_stop_s": statistics.median(
                   r["streamed_added_after_stop_s"] for r in results),
               "median_added_after_stop_cpu_s": statistics.median(
                   r["added_after_stop_cpu_s"] for r in results),
               "median_streamed_added_after_stop_cpu_s": statistics.median(
                   r["streamed_added_after_stop_cpu_s"] for r in results)}
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
