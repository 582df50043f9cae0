"""The wait after Stop when an answer is transcribed while it is spoken.

    .venv/bin/python benchmarks/streaming.py [--model NAME] [--answers 5] [--json FILE]

Each ~30 s answer from audio_fixtures/ is fed to `Coach.open_stream` in 0.5 s blocks at the pace
of speech (as a microphone would), so earlier chunks are decoded while "the user speaks". After
the last block it measures `finish()` (the tail) and then `Coach.analyze(clip, scenario,
transcript=...)` (every analysis, grammar included when LanguageTool is installed): their sum is
the wait after Stop. For comparison the same answer is decoded whole afterwards
(`WhisperTranscriber.transcribe`, cut into the stream's chunks), and the two transcripts must be
identical; the WER between the streamed and the default whole-file transcript (longer chunks)
is reported too. The machine load
(os.getloadavg) is recorded with each answer, since other work on the machine slows decoding.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from benchmarks.word_error_rate import word_error_rate
from coach import Coach, Settings
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.engines.transcriber import WhisperTranscriber

BLOCK_S = 0.5
RESULTS = Path(__file__).resolve().parent / "results"


def answers_near_30_s(count: int):
    pool = [f for f in load_fixtures() if f.source == "synthetic" and f.scenario
            and "format" not in f.tags and 24 <= f.duration_s <= 32]
    return sorted(pool, key=lambda f: abs(f.duration_s - 30))[:count]


def stream_in_real_time(coach: Coach, fixture) -> dict:
    clip = load_audio(fixture.path)
    stream = coach.open_stream(fixture.scenario)
    block = int(BLOCK_S * SAMPLE_RATE)
    began = time.perf_counter()
    for i, offset in enumerate(range(0, len(clip.samples), block)):
        due = began + i * BLOCK_S
        time.sleep(max(0.0, due - time.perf_counter()))
        stream.feed(clip.samples[offset : offset + block], SAMPLE_RATE)
    stopped = time.perf_counter()
    transcript = stream.finish()
    tail = time.perf_counter() - stopped
    feedback = coach.analyze(stream.clip(), fixture.scenario, transcript=transcript)
    waited = time.perf_counter() - stopped
    return {"transcript": transcript, "tail_s": tail, "wait_s": waited,
            "analyses_s": waited - tail, "grammar": feedback.grammar.checked}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="speech model (default: the shipped one)")
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--json", help="write the figures here (default: results/streaming-"
                                       "MODEL.json)")
    args = parser.parse_args()
    transcriber = WhisperTranscriber(args.model)
    transcriber.load()
    coach = Coach(Settings(), transcriber=transcriber)
    coach.warm_up()
    coach.grammar.check("The server is warming up.")
    rows = []
    for fixture in answers_near_30_s(args.answers):
        streamed = stream_in_real_time(coach, fixture)
        clip = load_audio(fixture.path)
        started = time.perf_counter()
        terms = [t.term for t in coach.library.get(fixture.scenario).key_terms]
        whole = transcriber.transcribe(clip, terms)
        whole_s = time.perf_counter() - started
        options = transcriber.options  # the stream's chunks: the identical transcript
        as_streamed = transcriber.transcribe(
            clip, terms, replace(options, whole_file_chunking=options.chunking))
        row = {"id": fixture.id, "audio_s": round(clip.duration_s, 1),
               "tail_s": round(streamed["tail_s"], 3),
               "analyses_s": round(streamed["analyses_s"], 3),
               "wait_after_stop_s": round(streamed["wait_s"], 3),
               "whole_file_transcription_s": round(whole_s, 3),
               "same_transcript": as_streamed.words == streamed["transcript"].words,
               "wer_streamed_vs_whole_file": round(word_error_rate(
                   whole.text, streamed["transcript"].text), 3),
               "grammar_checked": streamed["grammar"],
               "load_avg_1min": round(os.getloadavg()[0], 2)}
        rows.append(row)
        print(row, flush=True)
    coach.close()
    summary = {
        "model": transcriber.model_info.name,
        "answers": len(rows),
        "median_wait_after_stop_s": round(statistics.median(r["wait_after_stop_s"]
                                                            for r in rows), 3),
        "median_tail_s": round(statistics.median(r["tail_s"] for r in rows), 3),
        "median_whole_file_transcription_s": round(statistics.median(
            r["whole_file_transcription_s"] for r in rows), 3),
        "all_transcripts_identical": all(r["same_transcript"] for r in rows),
        "rows": rows,
    }
    for key, value in summary.items():
        if key != "rows":
            print(f"{key:38} {value}")
    out = Path(args.json) if args.json else RESULTS / f"streaming-{summary['model']}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["all_transcripts_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
