"""Compare variants of the per-phoneme pronunciation scoring on the pronunciation set.

    PYTHONPATH=. .venv/bin/python benchmarks/pronunciation_variants.py [--cache FILE]

One pass runs the recogniser and every one-edit hypothesis of coach.phonemes.scoring over the
set (the clips of benchmarks/pronunciation_calibration.py, same halves; ~12 min on a loaded
2-core machine, --cache keeps it); each variant is then a different decision from the same raw
numbers, its thresholds chosen on the calibration half (greedy loosening, then coordinate
ascent: the most detections at <= 1.5% false alarms per phoneme there) and reported on the
held-out half and on the LibriVox human words (never tuned on either). Variants that learn
something (per-sound bias, confusion prior, logistic) learn it on the calibration half only.
For a few variants (CURVE_FOR), also the held-out results of thresholds calibrated at other
false-alarm limits.

Raw numbers per term phoneme: the log-likelihood ratio of the expected sequence against each
edit (as in scoring.phoneme_evidence, without the shipped prior: kinds by CONFUSABLE alone),
the frames its best path gives it, and the frame posteriors over those frames (expected class
against the best other class). Reference variants use the set's correct clip of the same
sentence by another engine's voice (no new synthesis; no reference for the human words).

Writes benchmarks/results/pronunciation_variants.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pronunciation_calibration import (
    SET,
    VOICES,
    Scorer,
    espeak_ipa,
    half_of,
    label_index,
    read,
)
from benchmarks.pronunciation_variant_kinds import (
    LOGISTIC,
    OFFSETS,
    OFFSETS_5,
    OFFSETS_25,
    PRUNED,
    PRUNED_1,
    PRUNED_3,
    PRUNED_ALL,
    PRUNED_ALL_2,
    PRUNED_FINAL,
    PRUNED_NO_DELETION,
    REF_FINAL,
    REF_ONE,
    REF_PRUNED,
    REF_TWO,
    VARIANTS,
    Reference,
)
from coach.phonemes import alignment, inventory, scoring

RESULTS = ROOT / "benchmarks" / "results" / "pronunciation_variants.json"
LIMIT = 0.015  # calibration half's false alarms per phoneme (headroom under 2%)
CURVE = (0.005, 0.01, 0.0125, 0.02, 0.03)
CURVE_FOR = ("plain", "confusion prior, all kinds",
             "confusion prior, substitutions and insertions", "reference: one other voice",
             "confusion prior + final deletion", "confusion prior + reference")


def raw(lp: np.ndarray, before, term, after) -> dict | None:
    """Every hypothesis' log-likelihood ratio and the best path's frames for one term."""
    phonemes = [*before, *term, *after]
    columns = inventory.sequence_columns(phonemes)
    lp = np.asarray(lp, dtype=np.float64)
    emit = alignment.emissions(lp, columns)
    path = alignment.viterbi(emit, lp[:, 0], alignment.no_skip(columns))
    if path is None or not term:
        return None
    hyps = scoring._hypotheses(len(before), term, columns, frozenset())  # no prior: raw kinds
    ll = scoring._batch_log_likelihood(lp, [columns] + [h[3] for h in hyps])
    gop = []
    for n in range(len(before), len(before) + len(term)):
        frames = path.phoneme_frames(n)
        own = emit[frames, n]
        others = lp[frames][:, 1:].copy()
        for c in columns[n]:
            others[:, c - 1] = -np.inf
        gop.append((float(np.mean(own - others.max(axis=1))), float(own.mean()), len(frames)))
    return {"expected": [p.canonical for p in term], "ipa": [p.ipa for p in term],
            "hyps": [(i, kind, heard, float(ll[0] - v)) for (i, kind, heard, _), v
                     in zip(hyps, ll[1:])],
            "gop": gop, "frame_log_prob": path.score / path.frames,
            "frames_per_phoneme": path.frames / len(phonemes)}


def collect(manifest: dict) -> list[dict]:
    scorer = Scorer()
    rows = []
    for n, item in enumerate(manifest["items"]):
        lp = scorer.class_lp(read(SET / item["file"]))
        first, last = scoring.window_frames(*item["window"], lp.shape[0])
        exp = item["expected"]
        r = raw(lp[first:last], *(inventory.expected_phonemes(exp[k])
                                  for k in ("before", "term", "after")))
        rows.append({"id": item["id"], "term": item["term"], "voice": item["voice"],
                     "kind": item["label"]["kind"], "index": label_index(item),
                     "half": half_of(item["term"]), "raw": r})
        if n % 100 == 0:
            print(f"  {n}/{len(manifest['items'])}", flush=True)
    for clip in manifest["human"]:
        lp = scorer.class_lp(read((SET / clip["file"]).resolve()))
        words = clip["words"]
        for i, (word, start, end) in enumerate(words):
            ipa = espeak_ipa(word)
            if start is None or len(inventory.expected_phonemes(ipa)) < 2:
                continue
            b = words[i - 1] if i > 0 and words[i - 1][1] is not None else None
            a = words[i + 1] if i + 1 < len(words) and words[i + 1][1] is not None else None
            first, last = scoring.window_frames(b[1] if b else start, a[2] if a else end,
                                                lp.shape[0])
            r = raw(lp[first:last], inventory.expected_phonemes(espeak_ipa(b[0]) if b else ""),
                    inventory.expected_phonemes(ipa),
                    inventory.expected_phonemes(espeak_ipa(a[0]) if a else ""))
            rows.append({"id": f"{clip['id']}#{i}", "term": word, "voice": "human",
                         "kind": "correct", "index": None, "half": "human", "raw": r})
    return rows


# --- decisions and calibration ------------------------------------------------------------
def judged(r, floor) -> bool:
    return r is not None and r["frame_log_prob"] >= floor and r["frames_per_phoneme"] >= 1.0


def measure(rows, th, floor) -> dict:
    det = tot = fa = ph = fa_w = w = 0
    for row, ev in rows:
        ok = judged(row["raw"], floor)
        got = scoring._strongest_apart((ev - th).min(axis=1)) if ok else set()
        if row["kind"] == "correct":
            if ok:
                ph += len(ev)
                fa += len(got)
                w += 1
                fa_w += bool(got)
        else:
            tot += 1
            det += row["index"] in got
    return {"detection": round(det / tot, 4) if tot else None, "detected": f"{det}/{tot}",
            "false_alarms_per_phoneme": round(fa / ph, 4) if ph else None,
            "false_alarms": f"{fa}/{ph}",
            "false_alarms_per_word": round(fa_w / w, 4) if w else None}


def calibrate(rows, n: int, floor, limit=LIMIT) -> np.ndarray:
    """Greedy loosening, then coordinate ascent, over each threshold's quantile grid of the
    calibration evidence: from no flags at all, loosen the threshold that buys the most
    detections per false alarm while false alarms stay within `limit`."""
    values = np.concatenate([ev for _, ev in rows])
    grids = []
    for k in range(n):
        finite = values[:, k][np.isfinite(values[:, k])]
        grids.append(np.unique(np.quantile(finite, np.linspace(0.0, 0.3, 61)))
                     if finite.size else np.array([-np.inf]))
    memo: dict = {}

    def stats(pos):
        if pos not in memo:
            m = measure(rows, np.array([grids[k][i] for k, i in enumerate(pos)]), floor)
            memo[pos] = (m["detection"], m["false_alarms_per_phoneme"])
        return memo[pos]

    pos = (0,) * n
    while True:
        det, fa = stats(pos)
        moves = []
        for k in range(n):
            if pos[k] + 1 < len(grids[k]):
                trial = pos[:k] + (pos[k] + 1,) + pos[k + 1:]
                d, f = stats(trial)
                if f <= limit:
                    moves.append(((d - det) / max(f - fa, 1e-4), d, trial))
        if not moves:
            break
        pos = max(moves)[2]

    def objective(p):
        d, f = stats(p)
        return (f <= limit, d, -f)

    for _ in range(3):  # coordinate ascent from there
        moved = False
        for k in range(n):
            for i in range(len(grids[k])):
                trial = pos[:k] + (i,) + pos[k + 1:]
                if objective(trial) > objective(pos):
                    pos, moved = trial, True
        if not moved:
            break
    return np.array([grids[k][i] for k, i in enumerate(pos)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--curve", nargs="*", default=CURVE_FOR,
                        help="variants to give a trade-off curve as well")
    args = parser.parse_args()
    manifest = json.loads((SET / "manifest.json").read_text())
    if args.cache and args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = collect(manifest)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(rows))
    floor = scoring.Thresholds().min_frame_log_prob
    out = {"command": "PYTHONPATH=. .venv/bin/python benchmarks/pronunciation_variants.py",
           "calibration_fa_limit": LIMIT, "variants": {}}
    cal = [r for r in rows if r["half"] == "calibration" and r["raw"] is not None
           and r["voice"] in VOICES]
    for ref in (REF_ONE, REF_TWO, REF_FINAL, REF_PRUNED):
        ref.fit([r for r in rows if r["voice"] in VOICES])
    for fitted in (OFFSETS, OFFSETS_5, OFFSETS_25, PRUNED, PRUNED_3, PRUNED_ALL,
                   PRUNED_FINAL, PRUNED_1, PRUNED_ALL_2, PRUNED_NO_DELETION):
        fitted.fit(cal)
    LOGISTIC.fit([r for r in rows if r["half"] == "calibration" and r["raw"] is not None
                  and r["voice"] in VOICES and judged(r["raw"], scoring.Thresholds()
                                                      .min_frame_log_prob)])
    for name, fn in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        ready = {h: [(r, fn(r["raw"], r) if isinstance(fn, Reference) else fn(r["raw"]))
                     for r in rows if r["half"] == h and r["raw"] is not None
                     and (r["voice"] in VOICES or h == "human")]
                 for h in ("calibration", "held-out", "human")}
        th = calibrate(ready["calibration"], ready["calibration"][0][1].shape[1], floor)
        result = {"thresholds": [round(float(t), 3) for t in th],
                  **{h: measure(ready[h], th, floor) for h in ready}, "trade_off": []}
        for limit in CURVE if name in args.curve else ():
            t = calibrate(ready["calibration"], len(th), floor, limit)
            m = measure(ready["held-out"], t, floor)
            result["trade_off"].append({"calibration_fa_limit": limit,
                                        "held_out_detection": m["detection"],
                                        "held_out_fa_per_phoneme": m["false_alarms_per_phoneme"],
                                        "held_out_fa_per_word": m["false_alarms_per_word"],
                                        "human_fa_per_phoneme": measure(ready["human"], t, floor)[
                                            "false_alarms_per_phoneme"]})
        out["variants"][name] = result
        print(name, json.dumps(result, ensure_ascii=False), flush=True)
    out["learnt_prior"] = [list(t) for t in sorted(PRUNED_NO_DELETION.pruned)]
    out["learnt_prior_is_shipped"] = PRUNED_NO_DELETION.pruned == set(inventory.UNRELIABLE)
    if args.only and RESULTS.exists():  # a few variants again: keep the others' results
        out["variants"] = {**json.loads(RESULTS.read_text())["variants"], **out["variants"]}
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
