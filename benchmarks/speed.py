"""Speed and memory of the whole feedback path on this machine.

    .venv/bin/python benchmarks/speed.py [--json FILE]

Measures: model load; feedback for a ~30 s answer (first call and warm median, with and
without grammar); peak memory of this process and of the LanguageTool JVM; speech synthesis
(espeak-ng and Piper); and the repetition-loop guard on long real recordings, against a naive
faster-whisper set-up (conditioning on previous text, no VAD, no prompt).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import FIXTURES
from benchmarks.word_error_rate import normalize_words
from coach import Coach, Settings
from coach.audio.decode import load_audio
from coach.engines.transcriber import WhisperTranscriber

ANSWER = FIXTURES / "answers/oom-us150-clean.flac"
LONG_REAL = [FIXTURES / "human/ve9qrp.flac", FIXTURES / "human/librivox-long.flac"]


def naive_text(model, clip) -> str:
    """faster-whisper as a first attempt would call it: sequential, conditioned, no VAD."""
    segments, _ = model.transcribe(clip.samples, language="en", condition_on_previous_text=True,
                                   vad_filter=False, word_timestamps=True)
    return " ".join(s.text for s in segments)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def longest_run(words: list[str]) -> int:
    best = 0
    for n in (1, 2, 3):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        run = 1
        for a, b in zip(grams, grams[n:]):
            run = run + 1 if a == b else 1
            best = max(best, run)
    return best


def rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_with_children(pid: int) -> float:
    total = rss_of(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += rss_with_children(int(child))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results: dict[str, object] = {}
    audio_s = load_audio(ANSWER).duration_s
    results["answer_audio_s"] = round(audio_s, 1)

    transcriber = WhisperTranscriber()
    _, results["model_load_s"] = timed(transcriber.load)
    coach = Coach(Settings(check_grammar=False), transcriber=transcriber)
    _, results["first_feedback_no_grammar_s"] = timed(coach.analyze, ANSWER, "oom-silent-restart")
    warm = [timed(coach.analyze, ANSWER, "oom-silent-restart")[1] for _ in range(5)]
    results["warm_feedback_no_grammar_median_s"] = round(statistics.median(warm), 2)
    feedback = coach.analyze(ANSWER, "oom-silent-restart")
    results["warm_stage_ms"] = {k: round(v) for k, v in feedback.stage_ms.items()}

    graded = Coach(Settings(), transcriber=transcriber)
    _, results["grammar_server_start_s"] = timed(graded.grammar.start_in_background)
    _, results["first_feedback_with_grammar_s"] = timed(graded.analyze, ANSWER,
                                                        "oom-silent-restart")
    warm = [timed(graded.analyze, ANSWER, "oom-silent-restart")[1] for _ in range(5)]
    results["warm_feedback_with_grammar_median_s"] = round(statistics.median(warm), 2)
    server = graded.grammar.server
    if server is not None and server.pid:
        results["languagetool_rss_mb"] = round(rss_with_children(server.pid), 0)
    graded.close()

    with tempfile.TemporaryDirectory() as folder:
        text = feedback.polished.text
        for engine in ("espeak", "piper"):
            synth = coach.synthesizer(engine)
            _, first = timed(coach.speak, text, Path(folder) / f"{engine}-1.wav", engine=engine)
            speech, warm_s = timed(coach.speak, text, Path(folder) / f"{engine}-2.wav",
                                   engine=engine)
            results[f"synthesis_{synth.name}_first_s"] = round(first, 2)
            results[f"synthesis_{synth.name}_warm_s"] = round(warm_s, 2)
            results[f"synthesis_{synth.name}_audio_s"] = round(speech.duration_s, 1)

    for path in LONG_REAL:
        clip = load_audio(path)
        text, seconds = timed(naive_text, transcriber.load(), clip)
        words = normalize_words(text)
        results[f"loop_{path.stem}_naive"] = {
            "audio_s": round(clip.duration_s, 1), "seconds": round(seconds, 2),
            "words": len(words), "longest_repeat_run": longest_run(words)}
        transcript, seconds = timed(transcriber.transcribe, clip)
        words = normalize_words(transcript.text)
        results[f"loop_{path.stem}_guarded"] = {
            "audio_s": round(clip.duration_s, 1), "seconds": round(seconds, 2),
            "words": len(words), "longest_repeat_run": longest_run(words),
            "notes": list(transcript.notes)}
    results["load_avg_1min"] = round(os.getloadavg()[0], 2)  # other work slows every figure
    results["peak_rss_mb_this_process"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    for key, value in results.items():
        print(f"{key:40} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
