"""Does the polished answer fit the limit and keep the speaker's points? On over-limit answers.

    .venv/bin/python benchmarks/polish_fit.py            # espeak audio of every polished answer
    .venv/bin/python benchmarks/polish_fit.py --no-audio # estimates only

Answers (pure logic, `Transcript.from_text`): every synthetic fixture's text as said
(audio_fixtures/manifest.toml, the "overtime" ones over their limit), each repeated three
times (a long answer that says everything again), and each joined with the next fixture
of the same scenario (two takes in one). For each, polished for the default voice and speed:

- points kept: structure parts the speaker covered, key terms said, facts (numbers and code
  names) said, each the share still in the polished answer;
- fit: the estimate and the real espeak-ng audio of the polished answer's spoken text against
  the limit;
- words kept: polished words / said words.
Results go to benchmarks/results/polish_fit.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from coach.analysis.cleanup import Piece
from coach.analysis.condense import facts
from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import analyze_fillers
from coach.analysis.polish import polish_answer
from coach.analysis.structure import analyze_structure
from coach.analysis.unclear import find_unclear
from coach.grammar import not_checked
from coach.scenarios.library import ScenarioLibrary
from coach.settings import DEFAULT_WPM
from coach.speakable import speakable
from coach.transcript import Transcript

RESULTS = Path(__file__).resolve().parent / "results" / "polish_fit.json"


def answers() -> list[tuple[str, str, str]]:
    """(name, scenario id, text) of every answer measured."""
    fixtures = [f for f in load_fixtures() if f.source == "synthetic" and f.text and f.scenario]
    out = []
    for n, f in enumerate(fixtures):
        out.append((f.id, f.scenario, f.text))
        for times in (3,):
            out.append((f"{f.id} x{times}", f.scenario, " ".join([f.text] * times)))
        other = next((g for g in fixtures[n + 1:] if g.scenario == f.scenario), None)
        if other:
            out.append((f"{f.id} + {other.id}", f.scenario, f"{f.text} {other.text}"))
    return out


def _share(before: set, after: set) -> float:
    return 1.0 if not before else round(len(before & after) / len(before), 3)


def measure(name, scenario, text, synth, folder) -> dict:
    said = Transcript.from_text(text)
    grammar = not_checked("none", "off")
    coverage = analyze_coverage(said, scenario)
    p = polish_answer(said, scenario, analyze_fillers(said, 0.5), coverage, grammar,
                      find_unclear(said, grammar), engine="espeak", wpm=DEFAULT_WPM)
    expected = scenario.expected_structure
    parts = set(analyze_structure(text, expected).present)
    terms = set(coverage.said)
    said_facts = set(facts([Piece(w) for w in text.split()], scenario))
    now_parts = set(analyze_structure(p.text, expected).present)
    now_terms = set(analyze_coverage(Transcript.from_text(p.text), scenario).said)
    now_facts = set(facts([Piece(w) for w in p.text.split()], scenario))
    row = {"answer": name, "scenario": scenario.id, "limit_s": scenario.time_limit_s,
           "said_words": len(text.split()), "said_estimate_s": None,
           "polished_words": len(p.text.split()),
           "words_kept": round(len(p.text.split()) / len(text.split()), 3),
           "parts_kept": _share(parts, now_parts), "terms_kept": _share(terms, now_terms),
           "facts_kept": _share(said_facts, now_facts),
           "facts_lost": sorted(said_facts - now_facts),
           "estimated_s": round(p.estimated_s, 1), "fits_estimate": p.fits,
           "left_out": len(p.left_out), "added_terms": list(p.added_terms)}
    if synth is not None:
        audio = synth.synthesize(speakable(p.spoken_text, scenario.key_terms),
                                 folder / "polished.wav", wpm=DEFAULT_WPM)
        row["audio_s"] = round(audio.duration_s, 1)
        row["fits_audio"] = audio.duration_s <= scenario.time_limit_s
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-audio", action="store_true")
    args = parser.parse_args()
    scenarios = {s.id: s for s in ScenarioLibrary.load()}
    synth = None
    if not args.no_audio:
        from coach.engines.synthesizer import EspeakSynthesizer

        synth = EspeakSynthesizer()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, scenario_id, text in answers():
            row = measure(name, scenarios[scenario_id], text, synth, Path(tmp))
            rows.append(row)
            print(f"{name:<48} {row['said_words']:>4}w -> {row['polished_words']:>3}w "
                  f"est {row['estimated_s']:>5.1f} audio {row.get('audio_s', '-')}"
                  f"/{row['limit_s']} parts {row['parts_kept']} terms {row['terms_kept']} "
                  f"facts {row['facts_kept']}")
    n = len(rows)
    summary = {
        "answers": n, "voice": "espeak", "wpm": DEFAULT_WPM,
        "fits_estimate_share": round(sum(r["fits_estimate"] for r in rows) / n, 3),
        "parts_kept_mean": round(sum(r["parts_kept"] for r in rows) / n, 3),
        "terms_kept_mean": round(sum(r["terms_kept"] for r in rows) / n, 3),
        "facts_kept_mean": round(sum(r["facts_kept"] for r in rows) / n, 3),
        "all_points_kept_share": round(sum(r["parts_kept"] == r["terms_kept"] == r["facts_kept"]
                                           == 1.0 for r in rows) / n, 3),
        "words_kept_mean": round(sum(r["words_kept"] for r in rows) / n, 3),
        "not_fitting": [r["answer"] for r in rows if not r.get("fits_audio",
                                                              r["fits_estimate"])],
    }
    if synth is not None:
        summary["fits_audio_share"] = round(sum(r["fits_audio"] for r in rows) / n, 3)
        summary["estimate_minus_audio_max_s"] = max(
            round(abs(r["estimated_s"] - r["audio_s"]), 1) for r in rows)
    print(json.dumps(summary, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
