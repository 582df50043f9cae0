"""Accuracy in real rooms: speech systems over audio_fixtures/rooms/, per condition (issue 19).

    .venv/bin/python benchmarks/room_accuracy.py                      # the plain baseline
    .venv/bin/python benchmarks/room_accuracy.py --systems baseline,my.module:make_system
    .venv/bin/python benchmarks/room_accuracy.py --conditions room10 --limit 3   # quick look
    .venv/bin/python benchmarks/room_accuracy.py --rescore    # re-score the saved transcripts
    .venv/bin/python benchmarks/room_accuracy.py --rescore --systems benchmarks.coach_system:factory
        # the coach's analyses again on its saved transcripts (after a term-matching change)
    .venv/bin/python benchmarks/room_accuracy.py --systems ... --conditions clean --merge
        # run some files again, keep the saved rows of the others

A system is anything matching `SpeechSystem`: a `name` and a call (audio path, scenario id)
-> `SystemOutput` (words with times, credited key terms, fillers, wpm). `baseline` is
benchmarks/plain_baseline.py; another system is plugged in as "module:factory", where the
factory takes (model, cpu_threads) and returns a SpeechSystem. Each system's results go to
benchmarks/results/room_accuracy-<name>.json and the tables are printed side by side.

Per condition (clean / room20 / room10): WER over all words (files without a transcript
skipped), key terms right (over decisions: said or deliberately not said), false credits (of
the terms not said), mean wpm error, filler precision/recall, and seconds of decoding per
second of audio. One decode at a time, cpu_threads=1 by default (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import plain_baseline as plain
from benchmarks import room_metrics as rm

ROOMS_DIR = ROOT / "audio_fixtures" / "rooms"
RESULTS_DIR = ROOT / "benchmarks" / "results"
CONDITIONS = ("clean", "room20", "room10")


@dataclass
class SystemOutput:
    """What a system tells about one recording."""

    words: list[tuple[str, float, float]]  # (word, start s, end s), in order
    credited_terms: set[str]  # canonical key terms (scenario `term`) it gives credit for
    fillers: list[str]  # every filler it found, as text ("um", "you know", "like")
    wpm: float | None  # its own words-per-minute figure, None if it gives none
    text: str = ""  # its transcript; the words joined when empty
    saved: dict | None = None  # what the system needs to analyse again without decoding


class SpeechSystem(Protocol):
    name: str

    def __call__(self, path: Path, scenario_id: str) -> SystemOutput:
        """scenario_id: a scenarios/*.toml id, "" for speech that answers no scenario."""
        ...


@dataclass(frozen=True)
class RoomFile:
    """One manifest entry of audio_fixtures/rooms/manifest.toml (the fields scored here)."""

    id: str
    path: Path
    source_id: str
    condition: str
    noise: str
    scenario: str
    text: str
    key_terms_said: list[str]
    key_terms_not_said: list[str]
    fillers: list[str]
    true_wpm: float
    duration_s: float


def load_room_files(conditions=CONDITIONS) -> list[RoomFile]:
    manifest = tomllib.loads((ROOMS_DIR / "manifest.toml").read_text())
    return [
        RoomFile(
            e["id"],
            (ROOMS_DIR / e["file"]).resolve(),
            e["source_id"],
            e["condition"],
            e["noise"],
            e["scenario"],
            e["text"],
            e["key_terms_said"],
            e["key_terms_not_said"],
            [f["text"] for f in e["fillers"]],
            e["true_wpm"],
            e["duration_s"],
        )
        for e in manifest["file"]
        if e["condition"] in conditions
    ]


class PlainBaseline:
    """benchmarks/plain_baseline.py as a SpeechSystem."""

    def __init__(self, model: str = "base", cpu_threads: int = 1):
        self.name, self.model, self.cpu_threads = "baseline", model, cpu_threads

    def __call__(self, path: Path, scenario_id: str) -> SystemOutput:
        scenario = plain.load_scenario(scenario_id)
        text, words = plain.transcribe_plain(path, scenario, self.model, self.cpu_threads)
        return SystemOutput(
            words,
            plain.terms_credited(text, scenario),
            plain.fillers_plain(text),
            rm.words_per_minute(words),
            text,
        )


SYSTEMS: dict[str, Callable[[str, int], SpeechSystem]] = {"baseline": PlainBaseline}


def make_system(spec: str, model: str, cpu_threads: int) -> SpeechSystem:
    if spec in SYSTEMS:
        return SYSTEMS[spec](model, cpu_threads)
    module, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module), factory)(model, cpu_threads)


def score_file(f: RoomFile, out: SystemOutput, seconds: float) -> dict:
    text = out.text or " ".join(w for w, _, _ in out.words)
    errors, ref_words = rm.word_errors(f.text, text) if f.text else (0, 0)
    terms = rm.score_terms(f.key_terms_said, f.key_terms_not_said, out.credited_terms)
    fillers = rm.score_fillers(out.fillers, f.fillers)
    return {
        "id": f.id,
        "source_id": f.source_id,
        "condition": f.condition,
        "noise": f.noise,
        "scenario": f.scenario,
        "transcript": text,
        "word_errors": errors,
        "ref_words": ref_words,
        "wer": round(errors / ref_words, 4) if ref_words else None,
        "terms": asdict(terms),
        "credited": sorted(out.credited_terms),
        "fillers": asdict(fillers),
        "fillers_found": out.fillers,
        "wpm": round(out.wpm, 1) if out.wpm else None,
        "true_wpm": f.true_wpm,
        "wpm_error": round(rm.wpm_error(out.wpm, f.true_wpm), 4),
        "seconds": round(seconds, 2),
        "audio_s": f.duration_s,
        **({"saved": out.saved} if out.saved is not None else {}),
    }


def summarize(rows: list[dict]) -> dict:
    terms = rm.add_scores([rm.TermScore(**r["terms"]) for r in rows])
    fillers = rm.add_scores([rm.FillerScore(**r["fillers"]) for r in rows])
    precision, recall = rm.precision_recall(fillers)
    ref_words = sum(r["ref_words"] for r in rows)
    return {
        "files": len(rows),
        "audio_s": round(sum(r["audio_s"] for r in rows), 1),
        "wer": round(sum(r["word_errors"] for r in rows) / ref_words, 4) if ref_words else None,
        "key_terms_right": round(terms.right / terms.decisions, 4) if terms.decisions else None,
        "term_decisions": terms.decisions,
        "terms_missed": terms.missed,
        "false_credits": terms.false_credits,
        "terms_not_said": terms.not_said,
        "wpm_error": round(statistics.mean(r["wpm_error"] for r in rows), 4),
        "filler_precision": round(precision, 4),
        "filler_recall": round(recall, 4),
        "fillers_true": fillers.true_positives + fillers.false_negatives,
        "seconds_per_audio_s": round(
            sum(r["seconds"] for r in rows) / max(1e-9, sum(r["audio_s"] for r in rows)), 3
        ),
    }


def run(system: SpeechSystem, files: list[RoomFile], save=None) -> list[dict]:
    """`save(rows)` is called after every file, so a long run that is stopped keeps its rows."""
    rows = []
    for f in files:
        start = time.perf_counter()
        out = system(f.path, f.scenario)
        rows.append(score_file(f, out, time.perf_counter() - start))
        print(f"  {system.name} {f.id}: wer {rows[-1]['wer']}", file=sys.stderr)
        if save:
            save(rows)
    return rows


def rescore(spec: str) -> tuple[str, list[dict]]:
    """Score a saved run again from its stored transcripts: no decoding.

    `spec` is a saved system's name, or "module:factory" when that module also has
    `reanalyse(saved, scenario_id) -> SystemOutput`: then the system's own analyses run again
    on the transcript it saved (after a change to term matching, say).
    """
    module, _, _ = spec.partition(":")
    reanalyse = getattr(importlib.import_module(module), "reanalyse", None) if _ else None
    name = make_system_name(spec) if _ else spec
    saved = json.loads((RESULTS_DIR / f"room_accuracy-{name}.json").read_text())
    files = {f.id: f for f in load_room_files()}
    rows = []
    for r in saved["files"]:
        if reanalyse is not None and "saved" in r:
            out = reanalyse(r["saved"], files[r["id"]].scenario)
        else:
            out = SystemOutput([], set(r["credited"]), r["fillers_found"], r["wpm"],
                               r["transcript"], r.get("saved"))
        rows.append(score_file(files[r["id"]], out, r["seconds"]))
    return saved["system"], rows


def make_system_name(spec: str) -> str:
    """The name a "module:factory" system saves under: the module's NAME (default: factory)."""
    module, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module), "NAME", factory)


def kept(name: str, rows: list[dict], merge: bool) -> list[dict]:
    """With `merge`: the rows of this run and the saved rows of the files it did not run, in
    manifest order; else this run's rows."""
    if not merge:
        return rows
    path = RESULTS_DIR / f"room_accuracy-{name}.json"
    old = json.loads(path.read_text())["files"] if path.exists() else []
    by_id = {r["id"]: r for r in old} | {r["id"]: r for r in rows}
    order = {f.id: i for i, f in enumerate(load_room_files())}
    return sorted(by_id.values(), key=lambda r: order.get(r["id"], len(order)))


def report(name: str, rows: list[dict], args) -> dict:
    groups = {c: [r for r in rows if r["condition"] == c] for c in CONDITIONS}
    noises = sorted({r["noise"] for r in rows if r["noise"] != "none"})
    return {
        "system": name,
        "model": args.model,
        "cpu_threads": args.threads,
        "by_condition": {c: summarize(g) for c, g in groups.items() if g},
        "room_files_by_noise": {n: summarize([r for r in rows if r["noise"] == n]) for n in noises},
        "files": rows,
    }


COLUMNS = [
    ("WER", "wer", "{:.3f}"),
    ("terms right", "key_terms_right", "{:.3f}"),
    ("false cr.", "false_credits", "{}"),
    ("not said", "terms_not_said", "{}"),
    ("wpm err", "wpm_error", "{:.3f}"),
    ("filler P", "filler_precision", "{:.2f}"),
    ("filler R", "filler_recall", "{:.2f}"),
    ("s/audio s", "seconds_per_audio_s", "{:.2f}"),
]


def print_table(results: list[dict], key: str) -> None:
    print(f"{'system':<10} {key:<10} " + " ".join(f"{h:>11}" for h, _, _ in COLUMNS))
    for result in results:
        for group, s in result[key].items():
            cells = ["-" if s[k] is None else fmt.format(s[k]) for _, k, fmt in COLUMNS]
            print(f"{result['system']:<10} {group:<10} " + " ".join(f"{c:>11}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--systems", default="baseline", help="comma-separated, name or module:factory"
    )
    parser.add_argument("--model", default="base", help="base | tiny.en | a model folder")
    parser.add_argument("--threads", type=int, default=1, help="cpu_threads for decoding")
    parser.add_argument("--conditions", default=",".join(CONDITIONS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files per condition")
    parser.add_argument("--no-save", action="store_true", help="print only, write no JSON")
    parser.add_argument(
        "--rescore",
        action="store_true",
        help="score the saved JSON of each system again, without decoding",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the saved rows of files not run now (a run over some conditions or --limit)",
    )
    args = parser.parse_args()
    conditions = tuple(args.conditions.split(","))
    files = sorted(load_room_files(conditions), key=lambda f: conditions.index(f.condition))
    if args.limit:
        files = [
            f for c in conditions for f in [g for g in files if g.condition == c][: args.limit]
        ]
    results = []

    def save(name: str, result: dict) -> None:
        if not args.no_save:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            path = RESULTS_DIR / f"room_accuracy-{name}.json"
            path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")

    for spec in args.systems.split(","):
        if args.rescore:
            name, rows = rescore(spec)  # here --systems lists saved system names
        else:
            system = make_system(spec, args.model, args.threads)
            name = system.name
            rows = run(system, files,
                       lambda rows, n=name: save(n, report(n, kept(n, rows, args.merge), args)))
            rows = kept(name, rows, args.merge)
        result = report(name, rows, args)
        results.append(result)
        save(name, result)
    print_table(results, "by_condition")
    print()
    print_table(results, "room_files_by_noise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
