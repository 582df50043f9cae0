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
from coach.phonemes import alignment, inventory, scoring
from coach.phonemes.inventory import VOWELS

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


# --- variants: raw -> (phonemes, features) evidence matrix; flagged where below thresholds ---
def kind_min(r: dict, kinds=scoring.KINDS) -> np.ndarray:
    out = np.full((len(r["expected"]), len(kinds)), np.inf)
    for i, kind, _, value in r["hyps"]:
        if kind in kinds:
            k = kinds.index(kind)
            out[i, k] = min(out[i, k], value)
    return out


def kind_lse(r, kinds=scoring.KINDS) -> np.ndarray:
    """Like kind_min, but against all of a kind's edits together (log-sum-exp: the expected
    sequence's odds against the kind's whole posterior mass, not its best edit)."""
    out = np.full((len(r["expected"]), len(kinds)), -np.inf)
    for i, kind, _, value in r["hyps"]:
        k = kinds.index(kind)
        out[i, k] = np.logaddexp(out[i, k], -value)
    return -out


def summed(r):
    return kind_lse(r)


def summed_all(r):
    """One evidence: expected against every edit of every kind at once."""
    m = kind_lse(r)
    return -np.logaddexp.reduce(-m, axis=1)[:, None]


def plain(r):
    return kind_min(r)


def by_class(r):
    """Substitution and other split by vowel / consonant: six features."""
    m = kind_min(r)
    vowel = np.array([e in VOWELS for e in r["expected"]])
    sub_v = np.where(vowel, m[:, 0], np.inf)
    sub_c = np.where(vowel, np.inf, m[:, 0])
    return np.column_stack([sub_v, sub_c, m[:, 1], m[:, 2], m[:, 3]])


def duration_normalised(r):
    """llr per frame of the phoneme (at least 2 frames)."""
    frames = np.array([max(g[2], 2) for g in r["gop"]], dtype=float)
    return kind_min(r) / frames[:, None]


def sqrt_normalised(r):
    frames = np.array([max(g[2], 1) for g in r["gop"]], dtype=float)
    return kind_min(r) / np.sqrt(frames)[:, None]


def with_gop(r):
    """plain plus the frame-posterior GOP as a fifth, independent feature."""
    return np.column_stack([kind_min(r), [g[0] for g in r["gop"]]])


def gated_gop(r):
    """Substitution flags only where the frame posteriors also favour another class: the
    substitution evidence is max(llr, gop-scaled) so both must be low."""
    m = kind_min(r)
    g = np.array([g[0] for g in r["gop"]])
    m[:, 0] = np.maximum(m[:, 0], g * 3.0)
    m[:, 3] = np.maximum(m[:, 3], g * 3.0)
    return m


def final_deletion(r):
    """plain, with the term's last sound's deletion as a feature of its own (dropped finals)."""
    m = kind_min(r)
    last = np.full(len(m), np.inf)
    last[-1], m[-1, 1] = m[-1, 1], np.inf
    return np.column_stack([m, last])


def class_and_final(r):
    m = by_class(r)
    last = np.full(len(m), np.inf)
    last[-1], m[-1, 2] = m[-1, 2], np.inf
    return np.column_stack([m, last])


def features(r) -> np.ndarray:
    """Per phoneme: the four kinds' llr (clipped), frame GOP, own log-prob, frames, vowel?,
    last sound?, first sound?"""
    m = np.clip(kind_min(r), -30, 30)
    g = np.array(r["gop"])
    n = len(m)
    pos = np.arange(n)
    return np.column_stack([m, m.min(axis=1), np.clip(g[:, 0], -15, 15), g[:, 1],
                            np.minimum(g[:, 2], 15) / 5,
                            [e in VOWELS for e in r["expected"]], pos == n - 1, pos == 0,
                            np.ones(n)]).astype(float)


class Logistic:
    """A logistic model of "this sound was said wrong", fitted on the calibration half only;
    its evidence is minus the log-odds (low = likely wrong), one threshold."""

    def __init__(self) -> None:
        self.w: np.ndarray | None = None

    def fit(self, rows) -> None:
        x, y = [], []
        for row in rows:
            f = features(row["raw"])
            if row["kind"] == "correct":
                x.append(f)
                y.append(np.zeros(len(f)))
            elif row["index"] is not None and row["index"] < len(f):
                x.append(f[[row["index"]]])
                y.append(np.ones(1))
        x, y = np.concatenate(x), np.concatenate(y)
        self.mean, self.std = x.mean(0), x.std(0) + 1e-9
        self.mean[-1], self.std[-1] = 0.0, 1.0
        z = (x - self.mean) / self.std
        w = np.zeros(z.shape[1])
        weight = np.where(y == 1, (y == 0).sum() / max((y == 1).sum(), 1), 1.0)
        for _ in range(3000):
            pred = 1 / (1 + np.exp(-z @ w))
            w -= 0.1 * ((z.T @ (weight * (pred - y))) / weight.sum() + 1e-3 * w)
        self.w = w

    def __call__(self, r):
        z = (features(r) - self.mean) / self.std
        return -(z @ self.w)[:, None]


LOGISTIC = Logistic()


class PhonemeOffsets:
    """Each expected sound's own bias, learnt from the correctly said clips of the calibration
    half: per (sound, kind) a low percentile of its evidence (shrunk towards all sounds'), taken
    off where negative, so a sound the recogniser often hears as another when said right needs
    more evidence to be flagged."""

    def __init__(self, q: float = 10.0, prior: float = 20.0, pairs: bool = False) -> None:
        self.q, self.prior, self.pairs = q, prior, pairs
        self.offsets: dict = {}

    def fit(self, rows) -> None:
        from collections import defaultdict

        seen = defaultdict(list)
        for row in rows:
            if row["kind"] != "correct":
                continue
            m = kind_min(row["raw"])
            for i, e in enumerate(row["raw"]["expected"]):
                for k in range(m.shape[1]):
                    if np.isfinite(m[i, k]):
                        seen[(e, k)].append(m[i, k])
        glob = {k: np.percentile(np.concatenate([v for (e, kk), v in seen.items() if kk == k]),
                                 self.q) for k in range(len(scoring.KINDS))}
        self.offsets = {key: (len(v) * np.percentile(v, self.q) + self.prior * glob[key[1]])
                        / (len(v) + self.prior) for key, v in seen.items()}
        self.glob = glob

    def __call__(self, r):
        m = kind_min(r)
        for i, e in enumerate(r["expected"]):
            for k in range(m.shape[1]):
                m[i, k] -= min(self.offsets.get((e, k), self.glob[k]), 0.0)
        return m


OFFSETS = PhonemeOffsets()
OFFSETS_5 = PhonemeOffsets(q=5.0)
OFFSETS_25 = PhonemeOffsets(q=25.0, prior=10.0)


class PrunedConfusions:
    """A confusion prior learnt on the calibration half: a likely-substitute pair (expected ->
    heard) that flags more correctly said sounds than changed ones there (at a loose cut,
    `loose`) is moved to "other" (held to the strict threshold): contrasts this recogniser
    does not hear reliably (it was not trained on English) stop flagging correct speech."""

    def __init__(self, loose: float = -2.0, kinds=("substitution",), final=False,
                 at_least: int = 1) -> None:
        self.loose, self.kinds, self.final, self.at_least = loose, kinds, final, at_least
        self.pruned: set = set()

    def fit(self, rows) -> None:
        from collections import Counter

        false, true = Counter(), Counter()
        for row in rows:
            r = row["raw"]
            best: dict = {}
            for i, kind, heard, value in r["hyps"]:
                if kind in self.kinds and value < best.get((i, kind), (np.inf, ""))[0]:
                    best[(i, kind)] = (value, heard)
            for (i, kind), (value, heard) in best.items():
                if value >= self.loose:
                    continue
                pair = (r["expected"][i], kind, heard)
                if row["kind"] == "correct":
                    false[pair] += 1
                elif i == row["index"]:
                    true[pair] += 1
        self.pruned = {pair for pair, n in false.items() if n > true[pair] and n >= self.at_least}

    def __call__(self, r):
        out = np.full((len(r["expected"]), len(scoring.KINDS)), np.inf)
        for i, kind, heard, value in r["hyps"]:
            if (r["expected"][i], kind, heard) in self.pruned:
                kind = "other"
            k = scoring.KINDS.index(kind)
            out[i, k] = min(out[i, k], value)
        if self.final:
            last = np.full(len(out), np.inf)
            last[-1], out[-1, 1] = out[-1, 1], np.inf
            out = np.column_stack([out, last])
        return out


PRUNED, PRUNED_3 = PrunedConfusions(), PrunedConfusions(-3.0)
PRUNED_ALL = PrunedConfusions(kinds=("substitution", "insertion", "deletion"))
PRUNED_FINAL = PrunedConfusions(final=True)
PRUNED_NO_DELETION = PrunedConfusions(kinds=("substitution", "insertion"))
PRUNED_1 = PrunedConfusions(-1.0)
PRUNED_ALL_2 = PrunedConfusions(kinds=("substitution", "insertion", "deletion"), at_least=2)


class Reference:
    """Evidence less a reference rendition's where that is negative (llr - min(ref llr, 0)): the
    same sentence said correctly by other voices than the clip's (the set's correct clips);
    `voices` picks them: "one" (Piper joe for espeak's clips, espeak en-us for joe's, as the
    app's model voice is never the learner) or "all" (every voice of another engine: joe for
    espeak's, en-us and en-gb for joe's; the lower evidence)."""

    def __init__(self, voices: str = "one", base=None) -> None:
        self.voices, self.base = voices, base or kind_min
        self.correct: dict = {}

    def fit(self, rows) -> None:
        self.correct = {(r["term"], r["voice"]): r["raw"] for r in rows
                        if r["kind"] == "correct" and r["raw"] is not None}

    def others(self, voice: str) -> tuple[str, ...]:
        if self.voices == "one":
            return ("en-us",) if voice == "joe" else ("joe",)
        return ("en-us", "en-gb") if voice == "joe" else ("joe",)

    def __call__(self, r, row=None):
        m = self.base(r)
        refs = [self.correct.get((row["term"], v)) for v in self.others(row["voice"])]
        refs = [self.base(x) for x in refs if x is not None]
        refs = [x for x in refs if x.shape == m.shape]
        if refs:
            m = m - np.minimum(np.minimum.reduce(refs), 0.0)
        return m


REF_ONE, REF_TWO = Reference("one"), Reference("all")
REF_FINAL = Reference("one", final_deletion)
REF_PRUNED = Reference("one", PRUNED)


VARIANTS = {"plain": plain, "confusion prior (pruned at -2)": PRUNED,
            "confusion prior (pruned at -3)": PRUNED_3, "confusion prior (-1)": PRUNED_1,
            "confusion prior, all kinds": PRUNED_ALL,
            "confusion prior, substitutions and insertions": PRUNED_NO_DELETION,
            "confusion prior, all kinds, 2+ false flags": PRUNED_ALL_2,
            "confusion prior + final deletion": PRUNED_FINAL, "reference: one other voice": REF_ONE,
            "reference: every other engine's voice": REF_TWO,
            "reference + final deletion": REF_FINAL,
            "confusion prior + reference": REF_PRUNED, "edits summed per kind": summed,
            "edits summed, one threshold": summed_all, "per-sound bias (10th pct)": OFFSETS,
            "per-sound bias (5th pct)": OFFSETS_5, "per-sound bias (25th pct)": OFFSETS_25,
            "final deletion threshold": final_deletion,
            "vowel/consonant + final deletion": class_and_final,
            "logistic (calibration half)": LOGISTIC, "vowel/consonant thresholds": by_class,
            "llr per frame": duration_normalised, "llr per sqrt(frames)": sqrt_normalised,
            "plus frame-posterior GOP": with_gop, "substitution gated by GOP": gated_gop}


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
