"""Accuracy of the feedback on audio_fixtures/, against the manifest's ground truth.

    .venv/bin/python benchmarks/accuracy.py            # the shipped decoding set-up
    .venv/bin/python benchmarks/accuracy.py --compare  # also without the scenario prompt
    .venv/bin/python benchmarks/accuracy.py --models tiny.en,base   # compare speech models

Reports: WER; vocal and discourse filler precision/recall (counted per filler text, since the
ground truth has no times; vocal ones by number, as um/uh/er are one hesitation sound);
false fillers from trap phrases; key-term detection (said terms
found, terms not said never credited, and key-term accuracy: the share of decisions right,
said and credited or not said and not credited); WPM error; inserted-pause detection; vocal
fillers over a 112 s real recording (ve9qrp, full of "uh"; no transcript, so counted by third
of the clip); time per answer and per 30 s of speech.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import Fixture, load_fixtures
from benchmarks.word_error_rate import word_error_rate
from coach import Coach, Settings
from coach.audio.voice_activity import speech_intervals
from coach.engines.transcriber import DecodingOptions, WhisperTranscriber
from coach.scenarios.library import ScenarioLibrary

GENERIC_SCENARIO = "explain-restart-root-cause"  # for human speech that answers no scenario
LONG_REAL_ANSWER = "human-codec2-ve9qrp"


def _counts(items, kind):
    # Vocal fillers are one sound spelled many ways (Whisper writes a spoken "er" as "uh"), so
    # they are matched by number per answer; discourse fillers are matched by their words.
    return Counter(text if kind == "discourse" else "vocal" for text, k in items if k == kind)


def _prf(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def fillers_by_third(feedback) -> list[int]:
    third = feedback.transcript.duration_s / 3
    starts = [f.start for f in feedback.fillers.items if f.kind == "vocal"]
    return [sum(1 for s in starts if k * third <= s < (k + 1) * third) for k in range(3)]


def evaluate(coach: Coach, fixtures: list[Fixture], library: ScenarioLibrary) -> dict:
    totals = Counter()
    rows, long_answer = [], None
    wers, wpm_errors, seconds, audio_seconds = [], [], [], []
    for fixture in fixtures:
        scenario = library.get(fixture.scenario or GENERIC_SCENARIO)
        started = time.perf_counter()
        feedback = coach.analyze(fixture.path, scenario)
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        audio_seconds.append(fixture.duration_s)
        row = {"id": fixture.id, "s": round(elapsed, 2)}
        if fixture.id == LONG_REAL_ANSWER:
            long_answer = fillers_by_third(feedback)
        if fixture.transcript_available and fixture.text:
            row["wer"] = round(word_error_rate(fixture.text, feedback.transcript.text), 3)
            wers.append(row["wer"])
        detected = [(f.text, f.kind) for f in feedback.fillers.items]
        if fixture.transcript_available and fixture.text:
            for kind in ("vocal", "discourse"):
                truth, found = _counts(fixture.fillers, kind), _counts(detected, kind)
                tp = sum((truth & found).values())
                totals[f"{kind}_tp"] += tp
                totals[f"{kind}_fp"] += sum(found.values()) - tp
                totals[f"{kind}_fn"] += sum(truth.values()) - tp
            for trap in fixture.traps:
                word = "like" if "like" in trap.lower() else trap.lower().split()[-1]
                extra = (
                    _counts(detected, "discourse")[word]
                    - _counts(fixture.fillers, "discourse")[word]
                )
                totals["trap_false_fillers"] += max(extra, 0)
            row["fillers"] = f"{len(detected)}/{len(fixture.fillers)}"
        if fixture.scenario:
            covered = {h.term for h in feedback.coverage.covered}
            heard = {h.term for h in feedback.coverage.heard_as}
            for term in fixture.terms_said:
                totals["said"] += 1
                totals["said_found"] += term in covered
                totals["said_heard_as"] += term in heard
            for term in fixture.terms_not_said:
                totals["not_said"] += 1
                totals["not_said_credited"] += term in covered
                totals["not_said_heard_as"] += term in heard
            row["terms"] = f"{len(covered & set(fixture.terms_said))}/{len(fixture.terms_said)}"
        if fixture.transcript_available and fixture.word_count:
            speech = speech_intervals(coach.load(fixture.path).samples)
            span = speech[-1].end - speech[0].start
            truth_wpm = fixture.word_count * 60 / span
            error = abs(feedback.timing.wpm - truth_wpm) / truth_wpm
            wpm_errors.append(error)
            row["wpm"] = f"{feedback.timing.wpm:.0f} vs {truth_wpm:.0f}"
        for start, duration, _where in fixture.pauses:
            totals["pauses"] += 1
            totals["pauses_found"] += any(
                abs(p.start - start) < 0.3 and abs(p.duration - duration) < 0.3
                for p in feedback.pauses.pauses)
        if fixture.pauses or fixture.source == "synthetic":
            truth_starts = [p[0] for p in fixture.pauses]
            totals["long_pauses_reported"] += len(feedback.pauses.long_pauses)
            totals["long_pauses_false"] += sum(
                1 for p in feedback.pauses.long_pauses
                if not any(abs(p.start - s) < 0.3 for s in truth_starts))
        rows.append(row)
    vocal = _prf(totals["vocal_tp"], totals["vocal_fp"], totals["vocal_fn"])
    discourse = _prf(totals["discourse_tp"], totals["discourse_fp"], totals["discourse_fn"])
    return {
        "fixtures": len(fixtures),
        "wer_mean": round(statistics.mean(wers), 3) if wers else None,
        "vocal_filler_precision": round(vocal[0], 3), "vocal_filler_recall": round(vocal[1], 3),
        "discourse_filler_precision": round(discourse[0], 3),
        "discourse_filler_recall": round(discourse[1], 3),
        "trap_false_fillers": totals["trap_false_fillers"],
        "key_terms_said": totals["said"],
        "key_term_recall": round(totals["said_found"] / max(totals["said"], 1), 3),
        "key_term_recall_with_heard_as": round(
            (totals["said_found"] + totals["said_heard_as"]) / max(totals["said"], 1), 3),
        "key_terms_not_said": totals["not_said"],
        "not_said_credited": totals["not_said_credited"],
        "key_term_accuracy": round(
            (totals["said_found"] + totals["not_said"] - totals["not_said_credited"])
            / max(totals["said"] + totals["not_said"], 1), 3),
        "not_said_heard_as": totals["not_said_heard_as"],
        "wpm_error_mean": round(statistics.mean(wpm_errors), 3) if wpm_errors else None,
        "wpm_error_max": round(max(wpm_errors), 3) if wpm_errors else None,
        "pauses_inserted": totals["pauses"], "pauses_found": totals["pauses_found"],
        "long_pauses_reported": totals["long_pauses_reported"],
        "long_pauses_not_inserted": totals["long_pauses_false"],
        "seconds_per_answer_mean": round(statistics.mean(seconds), 2),
        "realtime_factor": round(sum(seconds) / sum(audio_seconds), 3),
        "seconds_per_30s_of_speech": round(30 * sum(seconds) / sum(audio_seconds), 2),
        "ve9qrp_vocal_fillers_by_third": long_answer,
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true",
                        help="also run without the scenario/disfluent prompt")
    parser.add_argument("--only", help="substring of fixture ids to run")
    parser.add_argument("--rows", action="store_true", help="print per-fixture rows")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--models", help="comma-separated speech models (default: the shipped "
                                         "one), e.g. tiny.en,base")
    args = parser.parse_args()
    fixtures = [f for f in load_fixtures() if not args.only or args.only in f.id]
    library = ScenarioLibrary.load()
    configs = {"shipped": DecodingOptions()}
    if args.compare:
        configs["no prompt"] = DecodingOptions(keep_fillers=False, use_key_terms=False)
    models = args.models.split(",") if args.models else [None]
    results = {}
    for model in models:
        for name, options in configs.items():
            transcriber = WhisperTranscriber(model, options=options)
            coach = Coach(Settings(check_grammar=False), transcriber=transcriber)
            label = f"{transcriber.model_info.name}, {name}" if args.models else name
            results[label] = evaluate(coach, fixtures, library)
    for name, result in results.items():
        print(f"== {name} ==")
        for key, value in result.items():
            if key != "rows":
                print(f"  {key:32} {value}")
        if args.rows:
            for row in result["rows"]:
                print("   ", row)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
