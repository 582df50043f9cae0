"""Calibrate and measure per-phoneme pronunciation flags (coach.phonemes) on the pronunciation set.

    PYTHONPATH=. .venv/bin/python benchmarks/pronunciation_calibration.py

The set (scripts/make_pronunciation_set.py) holds every key term said correctly by three
voices and with one phoneme changed. It is split in two halves by term (a hash of the term,
so the same term's renditions stay together): thresholds are chosen on the calibration half
and reported on the held-out half.

- detection: a mispronounced clip whose flags include the changed phoneme (its index, ±0);
  a clip not judged counts as missed.
- false alarms per phoneme: flags over the term phonemes of correctly said clips (all voices);
  per word: correctly said clips with any flag. Also on the LibriVox human clips: every word
  of two phonemes or more, with its neighbours as context and Whisper's times as window.
- thresholds: the four kinds' (likely substitute, deletion, insertion, other substitute; see
  coach.phonemes.scoring; the edits of inventory.UNRELIABLE, learnt on the calibration half by
  benchmarks/pronunciation_variants.py, count as "other") that detect the most on
  the calibration half with at most TARGET_FA false alarms per phoneme there (grid, then a
  finer grid around the best); "not judged" floor: below every correct clip of that half.
- reference comparison: each clip's evidence less the reference's where that is negative
  (llr - min(reference llr, 0)), the reference being the same words said by another voice
  than the clip's (Piper joe, a fresh draw, for espeak and human clips; espeak-ng en-us for
  joe's), calibrated the same way; kept only if it detects more on the held-out half at no
  more false alarms.
- trade-off: thresholds calibrated for 1%, 2%, 5%, 10% false alarms, held-out results.
- not judged: correct clips scored against another term's words, and noise / hum clips,
  should come out "not judged": the floor on the mean best-path log-prob per frame is the
  lower of the 2nd percentile of the calibration half's correct synthetic clips and the 5th
  of its human words (real speech scores lower than synthetic).
- CPU: the recogniser's seconds per second of audio, the scoring's seconds per term.

Writes benchmarks/results/pronunciation.json.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.phonemes import inventory, scoring
from coach.phonemes.recogniser import shared_recogniser

VOICES = ("en-us", "en-gb", "joe")
SET = ROOT / "audio_fixtures" / "pronunciation"
RESULTS = ROOT / "benchmarks" / "results" / "pronunciation.json"
TARGET_FA = 0.015  # per phoneme on the calibration half: headroom under the 2% target
COARSE = np.arange(-10.0, -0.5, 1.0)
COARSE_OTHER = (-13.0, -9.0, -7.0)  # "other" also holds inventory.UNRELIABLE's edits
CURVE = (0.01, 0.02, 0.05, 0.10)  # false-alarm limits of the trade-off curve


def half_of(term: str) -> str:
    """"calibration" or "held-out", fixed by the term's text."""
    return "calibration" if hashlib.sha1(term.encode()).digest()[0] % 2 == 0 else "held-out"


def espeak_ipa(text: str) -> str:
    out = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us"], input=text,
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return " ".join(out.split())


def read(path: Path) -> np.ndarray:
    from scripts.make_pronunciation_set import read_audio

    return read_audio(path)


class Scorer:
    """Class log-probs and evidence, with the CPU time each takes."""

    def __init__(self) -> None:
        self.recogniser = shared_recogniser()
        self.membership = inventory.class_matrix(self.recogniser.symbols)
        self.recogniser_cpu = self.audio_s = self.scoring_cpu = 0.0
        self.terms = 0

    def class_lp(self, samples: np.ndarray) -> np.ndarray:
        start = time.process_time()
        lp = inventory.class_log_probs(self.recogniser.log_probs(samples), self.membership)
        self.recogniser_cpu += time.process_time() - start
        self.audio_s += len(samples) / 16000
        return lp

    def evidence(self, lp, window, before, term, after):
        start = time.process_time()
        offset = 0.0
        if window is not None:
            first, last = scoring.window_frames(window[0], window[1], lp.shape[0])
            lp, offset = lp[first:last], first * 0.02
        result = scoring.phoneme_evidence(lp, inventory.expected_phonemes(before),
                                          inventory.expected_phonemes(term),
                                          inventory.expected_phonemes(after), offset)
        self.scoring_cpu += time.process_time() - start
        self.terms += 1
        return result


def label_index(item: dict) -> int | None:
    """The changed phoneme's index in the term's expected phonemes (current inventory)."""
    label = item["label"]
    if label["kind"] == "correct":
        return None
    flat = [inventory.normalise(u) for word in item["units"] for u in word]
    counts = inventory.unit_phoneme_counts(flat)
    start = sum(counts[: label["unit"]])
    if label["kind"] == "insertion" and label["position"] == "after":
        return start + counts[label["unit"]] - 1
    if label["kind"] == "insertion":
        return max(start - 1, 0)
    return start


def synthetic_rows(scorer: Scorer, manifest: dict) -> list[dict]:
    rows = []
    for n, item in enumerate(manifest["items"]):
        samples = read(SET / item["file"])
        lp = scorer.class_lp(samples)
        exp = item["expected"]
        ev = scorer.evidence(lp, item["window"], exp["before"], exp["term"], exp["after"])
        rows.append({"id": item["id"], "term": item["term"], "voice": item["voice"],
                     "kind": item["label"]["kind"], "index": label_index(item),
                     "confusion": item["label"].get("confusion", ""),
                     "sentence": item["sentence"], "ipa": exp, "evidence": ev,
                     "half": half_of(item["term"])})
        if n % 100 == 0:
            print(f"  {n}/{len(manifest['items'])} clips", flush=True)
    return rows


def human_rows(scorer: Scorer, manifest: dict) -> list[dict]:
    rows = []
    for clip in manifest["human"]:
        samples = read((SET / clip["file"]).resolve())
        lp = scorer.class_lp(samples)
        words = clip["words"]
        for i, (word, start, end) in enumerate(words):
            if start is None:
                continue
            ipa = espeak_ipa(word)
            if len(inventory.expected_phonemes(ipa)) < 2:
                continue
            before = words[i - 1] if i > 0 and words[i - 1][1] is not None else None
            after = words[i + 1] if i + 1 < len(words) and words[i + 1][1] is not None else None
            window = (before[1] if before else start, after[2] if after else end)
            ev = scorer.evidence(lp, window, espeak_ipa(before[0]) if before else "", ipa,
                                 espeak_ipa(after[0]) if after else "")
            rows.append({"id": f"{clip['id']}#{i}", "term": word, "voice": "human",
                         "kind": "correct", "index": None, "confusion": "",
                         "sentence": " ".join(w for w in [before and before[0], word,
                                                          after and after[0]] if w),
                         "evidence": ev, "half": half_of(f"{clip['id']}#{i}")})
    return rows


def mismatch_rows(scorer: Scorer, manifest: dict) -> list[dict]:
    """Correct clips scored against another term's words: should come out "not judged"."""
    items = [i for i in manifest["items"] if i["label"]["kind"] == "correct"]
    rows = []
    for item, other in zip(items, items[3:] + items[:3]):  # the next term, same voice
        lp = scorer.class_lp(read(SET / item["file"]))
        exp = other["expected"]
        ev = scorer.evidence(lp, item["window"], exp["before"], exp["term"], exp["after"])
        rows.append({"id": item["id"], "term": other["term"], "voice": item["voice"],
                     "kind": "correct", "index": None, "confusion": "", "evidence": ev,
                     "sentence": other["sentence"], "half": half_of(item["term"])})
    return rows


def noise_rows(scorer: Scorer, manifest: dict) -> list[dict]:
    """White noise and silence-with-hum the length of each held-out term's clip."""
    rng = np.random.default_rng(7)
    rows = []
    for item in manifest["items"][::3]:
        if item["label"]["kind"] != "correct":
            continue
        n = int(item["duration_s"] * 16000)
        t = np.arange(n) / 16000
        for name, audio in (("noise", 0.05 * rng.standard_normal(n)),
                            ("hum", 0.05 * np.sin(2 * np.pi * 120 * t))):
            lp = scorer.class_lp(audio.astype(np.float32))
            exp = item["expected"]
            ev = scorer.evidence(lp, None, exp["before"], exp["term"], exp["after"])
            rows.append({"id": f"{item['id']}#{name}", "term": item["term"], "voice": name,
                         "kind": "correct", "index": None, "confusion": "", "evidence": ev,
                         "sentence": item["sentence"], "half": half_of(item["term"])})
    return rows


def reference_engine(row: dict) -> str:
    """The reference voice for a row: never the voice that said it (Piper joe for espeak's and
    human clips, espeak-ng en-us for joe's), as a learner's voice is never the reference's."""
    return "espeak" if row["voice"] == "joe" else "joe"


def references(rows: list[dict]) -> dict[tuple[str, str], object]:
    """Evidence of a reference rendition of each row's words (whole clip as window), keyed
    by (engine, sentence): Piper joe (a fresh draw) or espeak-ng en-us."""
    from scripts.make_pronunciation_set import Piper, espeak_wav, trim

    piper = Piper()
    scorer = Scorer()
    out: dict[tuple[str, str], object] = {}
    for row in rows:
        key = (reference_engine(row), row["sentence"])
        if key in out:
            continue
        audio = trim(piper(row["sentence"]) if key[0] == "joe"
                     else espeak_wav(row["sentence"], "en-us"))
        lp = scorer.class_lp(audio)
        ipa = row.get("ipa")
        if ipa is None:  # human rows: words before / term / after from the sentence
            parts = row["sentence"].split()
            k = parts.index(row["term"]) if row["term"] in parts else 0
            ipa = {"before": espeak_ipa(" ".join(parts[:k])), "term": espeak_ipa(row["term"]),
                   "after": espeak_ipa(" ".join(parts[k + 1:]))}
        out[key] = scorer.evidence(lp, None, ipa["before"], ipa["term"], ipa["after"])
    return out


def prepared(rows: list[dict], refs) -> list[tuple[dict, np.ndarray | None]]:
    """Each row with the llr its decisions use (less the reference's, when given)."""
    out = []
    for row in rows:
        ev = row["evidence"]
        llr = None if ev is None else ev.llr
        ref = refs.get((reference_engine(row), row["sentence"])) if refs is not None else None
        if llr is not None and ref is not None and ref.llr.shape == llr.shape:
            llr = llr - np.minimum(ref.llr, 0.0)
        out.append((row, llr))
    return out


# --- decisions ------------------------------------------------------------------------------
def flags(llr: np.ndarray, thresholds: np.ndarray) -> set[int]:
    return scoring._strongest_apart((llr - thresholds).min(axis=1))


def judged(row: dict, floor: float) -> bool:
    ev = row["evidence"]
    return ev is not None and ev.frame_log_prob >= floor and ev.frames_per_phoneme >= 1.0


def measure(rows, thresholds, floor) -> dict:
    """Detection and false alarms of `prepared` rows at these thresholds."""
    detected = missed = 0
    near = wrong_place = not_judged_bad = 0
    fa_phonemes = phonemes = fa_words = words = not_judged_good = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_confusion: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_voice: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fa_by_voice: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    heard = Counter()
    for row, llr in rows:
        ev = row["evidence"]
        ok = judged(row, floor)
        got = flags(llr, thresholds) if ok else set()
        if row["kind"] == "correct":
            if not ok:
                not_judged_good += 1
                continue
            n = len(ev.expected)
            phonemes += n
            fa_phonemes += len(got)
            words += 1
            fa_words += bool(got)
            fa_by_voice[row["voice"]][0] += len(got)
            fa_by_voice[row["voice"]][1] += n
            for i in got:
                heard[f"{ev.expected[i]}→{ev.best[i][int(np.argmin(llr[i] - thresholds))]}"] += 1
            continue
        hit = row["index"] in got
        if not ok:
            not_judged_bad += 1
        detected += hit
        missed += not hit
        near += (not hit) and any(abs(i - row["index"]) == 1 for i in got)
        wrong_place += len(got - {row["index"]})
        for table, key in ((by_kind, row["kind"]), (by_confusion, row["confusion"]),
                           (by_voice, row["voice"])):
            table[key][0] += hit
            table[key][1] += 1
    total = detected + missed
    return {
        "mispronounced_clips": total,
        "detection": round(detected / total, 4) if total else None,
        "detected_one_phoneme_off": near,
        "flags_elsewhere_on_mispronounced": wrong_place,
        "mispronounced_not_judged": not_judged_bad,
        "correct_phonemes": phonemes,
        "false_alarms_per_phoneme": round(fa_phonemes / phonemes, 4) if phonemes else None,
        "correct_words": words,
        "false_alarms_per_word": round(fa_words / words, 4) if words else None,
        "correct_not_judged": not_judged_good,
        "detection_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())},
        "detection_by_confusion": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_confusion.items())},
        "detection_by_voice": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_voice.items())},
        "false_alarms_by_voice": {k: f"{v[0]}/{v[1]}" for k, v in sorted(fa_by_voice.items())},
        "false_alarm_pairs": dict(heard.most_common(12)),
    }


def previous_not_judged(name: str) -> dict:
    """The previous results file's "not judged" shares (a --no-odd run), marked as such."""
    try:
        old = json.loads(RESULTS.read_text())[name]["not_judged"]
    except (OSError, ValueError, KeyError):
        return {}
    return {**{k: v for k, v in old.items() if k != "note"},
            "note": "from the previous run (--no-odd): these depend only on the fit of the "
                    "alignment and the floor, which the thresholds do not change"}


def not_judged(rows, floor) -> dict:
    """Share of the wrong-words / noise rows that come out "not judged", by kind of row."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        kind = row["voice"].split("-")[0]
        out[kind][0] += not judged(row, floor)
        out[kind][1] += 1
    return {k: f"{v[0]}/{v[1]}" for k, v in sorted(out.items())}


def calibrate(rows, floor, limit: float = TARGET_FA) -> tuple[np.ndarray, dict]:
    """Thresholds with the best detection at <= `limit` false alarms per phoneme (`prepared`
    rows of the synthetic voices)."""

    def score(th):
        m = measure(rows, np.array(th), floor)
        ok = m["false_alarms_per_phoneme"] <= limit
        return (ok, m["detection"] if ok else -m["false_alarms_per_phoneme"],
                -m["false_alarms_per_phoneme"]), m

    best = max(itertools.product(COARSE, COARSE, COARSE, COARSE_OTHER),
               key=lambda th: score(th)[0])
    fine = [np.arange(b - 0.5, b + 0.51, 0.25) for b in best[:3]] + [
        np.arange(best[3] - 1.0, best[3] + 1.01, 0.5)]
    best = max(itertools.product(*fine), key=lambda th: score(th)[0])
    return np.round(np.array(best), 2), score(best)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the evidence here between runs")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--no-odd", action="store_true",
                        help="skip the wrong-words and noise clips (half the run): their "
                        "'not judged' shares depend only on the alignment's fit and the floor, "
                        "not on the thresholds; the previous results file's are kept, marked")
    args = parser.parse_args()
    manifest = json.loads((SET / "manifest.json").read_text())
    if args.cache and args.cache.exists():
        rows, refs, timing = pickle.loads(args.cache.read_bytes())
    else:
        scorer = Scorer()
        scorer.class_lp(np.zeros(16000, np.float32))  # load the model outside the timing
        scorer.recogniser_cpu = scorer.audio_s = 0.0
        print("scoring the set ...", flush=True)
        rows = synthetic_rows(scorer, manifest) + human_rows(scorer, manifest)
        timing = {"recogniser_cpu_s_per_audio_s": round(scorer.recogniser_cpu / scorer.audio_s, 4),
                  "scoring_cpu_s_per_term": round(scorer.scoring_cpu / scorer.terms, 4),
                  "audio_s": round(scorer.audio_s, 1), "terms": scorer.terms}
        if not args.no_odd:
            print("mismatched words, noise ...", flush=True)
            rows += [dict(r, voice=f"mismatch-{r['voice']}")
                     for r in mismatch_rows(scorer, manifest)]
            rows += noise_rows(scorer, manifest)
        refs = None
        if not args.no_reference:
            print("reference renditions ...", flush=True)
            refs = references([r for r in rows if r["voice"] in VOICES or r["voice"] == "human"])
        if args.cache:
            args.cache.write_bytes(pickle.dumps((rows, refs, timing)))
    calibration = [r for r in rows if r["half"] == "calibration"]
    held_out = [r for r in rows if r["half"] == "held-out"]
    odd = [r for r in rows if r["voice"].startswith("mismatch") or r["voice"] in ("noise", "hum")]

    def lowest(voices, percentile):
        values = [r["evidence"].frame_log_prob for r in calibration if r["kind"] == "correct"
                  and r["voice"] in voices and r["evidence"] is not None]
        return float(np.percentile(values, percentile))

    floor = round(min(lowest(VOICES, 2), lowest(("human",), 5)), 2)
    flags = " ".join(f for f, on in (("--no-reference", args.no_reference),
                                     ("--no-odd", args.no_odd)) if on)
    result = {"command": "PYTHONPATH=. .venv/bin/python benchmarks/pronunciation_calibration.py"
                         + (f" {flags}" if flags else ""),
              "set": {"clips": len(manifest["items"]),
                      "human_words": sum(r["voice"] == "human" for r in rows),
                      "terms": len({r["term"] for r in rows if r["voice"] in VOICES})},
              "split": "by sha1(term)[0] % 2 (calibration even, held-out odd)",
              "target": {"detection": 0.8, "false_alarms_per_phoneme": 0.02,
                         "calibration_fa_limit": TARGET_FA},
              "timing": timing, "min_frame_log_prob": floor}
    for name, use_refs in (("plain", None), ("reference", refs)):
        if name == "reference" and use_refs is None:
            continue
        cal = prepared([r for r in calibration if r["voice"] in VOICES], use_refs)
        held = prepared([r for r in held_out if r["voice"] in VOICES], use_refs)
        human = prepared([r for r in rows if r["voice"] == "human"], use_refs)
        thresholds, fit = calibrate(cal, floor)
        result[name] = {
            "thresholds": dict(zip(scoring.KINDS, map(float, thresholds))),
            "calibration_half": fit,
            "held_out": measure(held, thresholds, floor),
            "human_librivox_all_words": measure(human, thresholds, floor),
            "not_judged": not_judged(odd, floor) if odd else previous_not_judged(name),
            "correct_not_judged": {
                "held_out_synthetic": "{}/{}".format(
                    sum(not judged(r, floor) for r, _ in held if r["kind"] == "correct"),
                    sum(r["kind"] == "correct" for r, _ in held)),
                "human": f"{sum(not judged(r, floor) for r, _ in human)}/{len(human)}"},
            "trade_off": [],
        }
        for limit in CURVE:
            th, _ = calibrate(cal, floor, limit)
            m = measure(held, th, floor)
            result[name]["trade_off"].append({
                "calibration_fa_limit": limit, "thresholds": list(map(float, th)),
                "held_out_detection": m["detection"],
                "held_out_false_alarms_per_phoneme": m["false_alarms_per_phoneme"],
                "human_false_alarms_per_phoneme": measure(human, th, floor)[
                    "false_alarms_per_phoneme"]})
        out = result[name]["held_out"]
        print(f"{name}: thresholds {result[name]['thresholds']}; held-out detection "
              f"{out['detection']}, false alarms/phoneme {out['false_alarms_per_phoneme']}, "
              f"/word {out['false_alarms_per_word']}; human fa/phoneme "
              f"{result[name]['human_librivox_all_words']['false_alarms_per_phoneme']}",
              flush=True)
    if "reference" in result:
        plain, ref = result["plain"]["held_out"], result["reference"]["held_out"]
        helps = (ref["detection"] > plain["detection"] + 0.02 and
                 ref["false_alarms_per_phoneme"] <= plain["false_alarms_per_phoneme"])
        result["reference_kept"] = helps
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
