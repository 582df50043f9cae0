"""The scoring variants compared by benchmarks/pronunciation_variants.py.

Each variant turns one term's raw numbers (`pronunciation_variants.raw`: every one-edit
hypothesis' log-likelihood ratio, the best path's frames, frame posteriors) into an evidence
matrix (phonemes x features); a phoneme is flagged where a feature is below its threshold. The
classes learn something (`fit`) from the calibration half's rows only.
"""

from __future__ import annotations

import numpy as np

from coach.phonemes import scoring
from coach.phonemes.inventory import VOWELS


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
