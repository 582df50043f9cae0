"""How long each voice takes to say an answer: the calibration behind coach.analysis.speech_time.

    .venv/bin/python benchmarks/voice_rate.py                 # espeak and piper
    .venv/bin/python benchmarks/voice_rate.py --voices espeak

Every scenario's model answer (its spoken text, respelled as `Coach.speak` respells it) is
synthesized with each voice at a few speeds, and the WAV's real duration is fitted, per voice,
by least squares to the model of coach.analysis.speech_time (words, commas, sentence ends at
the voice's speed, pause marks as a fixed silence). The
fixtures' texts (audio_fixtures/manifest.toml, at the default speed) check the fit on text it
was not fitted on. Results go to benchmarks/results/voice_rate.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from coach.analysis.model_answer import model_answer
from coach.analysis.speech_time import (
    VOICE_RATES,
    SpeechCounts,
    VoiceRate,
    rate_seconds,
    speech_counts,
)
from coach.engines.synthesizer import make_synthesizer
from coach.scenarios.library import ScenarioLibrary
from coach.settings import DEFAULT_WPM
from coach.speakable import speakable

RESULTS = Path(__file__).resolve().parent / "results" / "voice_rate.json"
SPEEDS = (120, 145, 180)


Row = tuple[SpeechCounts, int, float]  # counts, wpm, measured seconds


def _measure(synth, texts: list[str], wpm: int, folder: Path) -> list[Row]:
    rows = []
    for number, text in enumerate(texts):
        audio = synth.synthesize(text, folder / f"{number}.wav", wpm=wpm)
        rows.append((speech_counts(text), wpm, audio.duration_s))
    return rows


def _fit(rows: list[Row]) -> VoiceRate:
    a = np.array([[c.words * 60.0 / wpm, c.commas * 60.0 / wpm, c.stops * 60.0 / wpm, c.pauses]
                  for c, wpm, _s in rows])
    b = np.array([s for _c, _wpm, s in rows])
    (per_word, per_comma, per_stop, pause_s), *_ = np.linalg.lstsq(a, b, rcond=None)
    return VoiceRate(speed=round(float(1.0 / per_word), 4),
                     comma_words=round(float(per_comma / per_word), 3),
                     stop_words=round(float(per_stop / per_word), 3),
                     pause_s=round(float(pause_s), 3))


def _errors(rows: list[Row], rate: VoiceRate) -> dict:
    errors = np.array([rate_seconds(c, rate, wpm) - s for c, wpm, s in rows])
    return {"mean_error_s": round(float(errors.mean()), 2),
            "max_abs_error_s": round(float(np.abs(errors).max()), 2),
            "max_under_s": round(float(-errors.min()), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", nargs="+", default=["espeak", "piper"])
    args = parser.parse_args()
    scenarios = ScenarioLibrary.load()
    fit_texts = [speakable(model_answer(s).spoken_text, s.key_terms) for s in scenarios]
    by_id = {s.id: s for s in scenarios}
    check_texts = [speakable(f.text, by_id[f.scenario].key_terms) for f in load_fixtures()
                   if f.source == "synthetic" and f.text and f.scenario in by_id]
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for voice in args.voices:
            synth = make_synthesizer(voice)
            rows = []
            for wpm in SPEEDS:
                rows += _measure(synth, fit_texts, wpm, Path(tmp))
            fitted = _fit(rows)
            check = _measure(synth, check_texts, DEFAULT_WPM, Path(tmp))
            table = VOICE_RATES[voice]
            report[voice] = {
                "fitted": asdict(fitted), "fitted_on": len(rows), "checked_on": len(check),
                "fit_on_fit_texts": _errors(rows, fitted),
                "fit_on_check_texts": _errors(check, fitted),
                "table": asdict(table), "table_on_check_texts": _errors(check, table),
                "table_on_fit_texts": _errors(rows, table),
                "naive_on_fit_texts": _errors(rows, VoiceRate(1.0, 0.0, 0.0, 0.0)),
            }
            print(voice, json.dumps(report[voice]))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    return 0



if __name__ == "__main__":
    raise SystemExit(main())
