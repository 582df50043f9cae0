"""CTC forced alignment of an expected phoneme sequence over frame log-probabilities (numpy).

The usual CTC topology: states blank, p1, blank, p2, ..., pN, blank. A path stays in a state,
moves to the next one, or skips a blank between two different phonemes. Each expected phoneme
may accept several recogniser classes (its canonical sound and accepted variants): its
emission log-prob per frame is the log-sum-exp of theirs, and two neighbours that share a class
must have a blank between them (as two equal labels do in plain CTC).

- `viterbi`: the single best path, the frames each phoneme holds, and its score.
- `forward` / `forward_banked`: the total log-likelihood of many sequences at once (a batch),
  over all paths; the scoring module compares the expected sequence against edited ones
  with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEG_INF = -np.inf


def emissions(class_lp: np.ndarray, columns: Sequence[Sequence[int]]) -> np.ndarray:
    """(T, N): each expected phoneme's log-prob per frame (log-sum-exp of its accepted columns)."""
    class_lp = np.asarray(class_lp, dtype=np.float64)
    out = np.full((class_lp.shape[0], len(columns)), NEG_INF)
    for n, cols in enumerate(columns):
        if len(cols) == 1:
            out[:, n] = class_lp[:, cols[0]]
        elif cols:
            out[:, n] = np.logaddexp.reduce(class_lp[:, list(cols)], axis=1)
    return out


def no_skip(columns: Sequence[Sequence[int]]) -> np.ndarray:
    """(N,) bool: phoneme n shares a class with phoneme n-1, so a blank must come between."""
    flags = np.zeros(len(columns), dtype=bool)
    for n in range(1, len(columns)):
        flags[n] = bool(set(columns[n]) & set(columns[n - 1]))
    return flags


def min_frames(no_skip_flags: np.ndarray) -> int:
    """The fewest frames a CTC path through the sequence needs (one per phoneme, plus blanks
    between neighbours that share a class)."""
    return int(len(no_skip_flags) + np.count_nonzero(no_skip_flags))


@dataclass(frozen=True)
class Alignment:
    """The best path: `score` its log-prob (sum over frames), `states[t]` the path's state at
    frame t (2n+1 is phoneme n, even states are blanks), `spans[n]` the first and last frame
    phoneme n holds (inclusive)."""

    score: float
    states: np.ndarray
    spans: tuple[tuple[int, int], ...]

    @property
    def frames(self) -> int:
        return int(self.states.size)

    def phoneme_frames(self, n: int) -> np.ndarray:
        return np.flatnonzero(self.states == 2 * n + 1)


def viterbi(emit: np.ndarray, blank: np.ndarray, no_skip_flags: np.ndarray) -> Alignment | None:
    """Best CTC path of the sequence whose emissions are `emit` (T, N) with blank log-probs
    `blank` (T,); None when the frames are too few for the sequence."""
    emit = np.asarray(emit, dtype=np.float64)
    frames, n = emit.shape
    if n == 0 or frames < min_frames(no_skip_flags):
        return None
    states = 2 * n + 1
    per_state = np.empty((frames, states))
    per_state[:, 0::2] = np.asarray(blank, dtype=np.float64)[:, None]
    per_state[:, 1::2] = emit
    skip_ok = np.zeros(states, dtype=bool)
    skip_ok[3::2] = ~np.asarray(no_skip_flags[1:], dtype=bool)

    score = np.full(states, NEG_INF)
    score[0] = per_state[0, 0]
    score[1] = per_state[0, 1]
    back = np.zeros((frames, states), dtype=np.int8)  # 0 stay, 1 from s-1, 2 from s-2
    for t in range(1, frames):
        from1 = np.concatenate(([NEG_INF], score[:-1]))
        from2 = np.concatenate(([NEG_INF, NEG_INF], score[:-2]))
        from2[~skip_ok] = NEG_INF
        stacked = np.stack([score, from1, from2])
        choice = np.argmax(stacked, axis=0)
        back[t] = choice
        score = stacked[choice, np.arange(states)] + per_state[t]
    last = states - 1 if score[states - 1] >= score[states - 2] else states - 2
    best = float(score[last])
    if not np.isfinite(best):
        return None
    path = np.empty(frames, dtype=np.int64)
    state = last
    for t in range(frames - 1, -1, -1):
        path[t] = state
        state -= int(back[t, state])
    spans = []
    for k in range(n):
        held = np.flatnonzero(path == 2 * k + 1)
        spans.append((int(held[0]), int(held[-1])))
    return Alignment(best, path, tuple(spans))


def forward(emit: np.ndarray, blank: np.ndarray, no_skip_flags: np.ndarray,
            lengths: np.ndarray) -> np.ndarray:
    """(B,) total CTC log-likelihoods of B sequences over the same frames.

    emit: (B, T, N) emissions, padded past each sequence's length (any value);
    blank: (T,); no_skip_flags: (B, N); lengths: (B,) phonemes in each sequence (>= 1).
    A sequence the frames are too short for gets -inf. (`forward_banked` with each
    sequence's emissions as columns of its own.)
    """
    emit = np.asarray(emit, dtype=np.float64)
    batch, frames, n = emit.shape
    bank = emit.transpose(1, 0, 2).reshape(frames, batch * n)
    return forward_banked(bank, blank, np.arange(batch * n).reshape(batch, n), no_skip_flags,
                          lengths)


def forward_banked(bank: np.ndarray, blank: np.ndarray, index: np.ndarray,
                   no_skip_flags: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """`forward` of B sequences whose phoneme n emits column index[b, n] of `bank` (T, K):
    the ~850 one-edit variants of a key term share a few dozen distinct emissions.

    Computed with probabilities rescaled at every frame (Rabiner's scaling): sums and
    products where the log domain needs two log-sum-exps per state and frame, and exp() only
    over the bank. The same figures to about 1e-12. A sequence whose probability underflows
    there (a frame ~700 nats below its best state) is computed again in the log domain
    (`_forward_log`).
    """
    bank = np.asarray(bank, dtype=np.float64)
    blank = np.asarray(blank, dtype=np.float64)
    index = np.asarray(index, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    batch, n = index.shape
    states = 2 * n + 1
    shift = np.maximum(bank.max(axis=1, initial=NEG_INF), blank)  # (T,): each frame's best
    shift[~np.isfinite(shift)] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        bank_prob = np.exp(bank - shift[:, None])
        blank_prob = np.exp(blank - shift)
    reachable = np.arange(states)[None, :] <= 2 * lengths[:, None]
    skip = np.zeros((batch, states), dtype=bool)
    skip[:, 3::2] = ~np.asarray(no_skip_flags, dtype=bool)[:, 1:]
    alpha = np.zeros((batch, states))
    alpha[:, 0] = blank_prob[0]
    alpha[:, 1] = bank_prob[0][index[:, 0]]
    log_scale = np.full(batch, shift.sum())
    with np.errstate(divide="ignore"):
        for t in range(bank.shape[0]):
            if t:
                moved = alpha.copy()
                moved[:, 1:] += alpha[:, :-1]
                moved[:, 2:] += np.where(skip[:, 2:], alpha[:, :-2], 0.0)
                moved[:, 0::2] *= blank_prob[t]
                moved[:, 1::2] *= bank_prob[t][index]
                alpha = moved
            alpha[~reachable] = 0.0
            total = alpha.sum(axis=1)
            log_scale += np.log(total)
            alpha /= np.where(total > 0, total, 1.0)[:, None]
        rows = np.arange(batch)
        out = np.log(alpha[rows, 2 * lengths] + alpha[rows, 2 * lengths - 1]) + log_scale
    lost = np.flatnonzero(np.isneginf(out))  # underflow, or too few frames: -inf both ways
    if lost.size:
        emit = bank[:, index[lost]].transpose(1, 0, 2)  # (L, T, N)
        out[lost] = _forward_log(emit, blank, np.asarray(no_skip_flags)[lost], lengths[lost])
    return out


def _forward_log(emit: np.ndarray, blank: np.ndarray, no_skip_flags: np.ndarray,
                 lengths: np.ndarray) -> np.ndarray:
    """`forward` in the log domain: slower, exact however unlikely a path."""
    emit = np.asarray(emit, dtype=np.float64)
    batch, frames, n = emit.shape
    lengths = np.asarray(lengths, dtype=np.int64)
    states = 2 * n + 1
    blank = np.asarray(blank, dtype=np.float64)
    skip_ok = np.zeros((batch, states), dtype=bool)
    skip_ok[:, 3::2] = ~np.asarray(no_skip_flags, dtype=bool)[:, 1:]
    # states past a sequence's end can never be entered
    reachable = np.arange(states)[None, :] <= 2 * lengths[:, None]
    alpha = np.full((batch, states), NEG_INF)
    alpha[:, 0] = blank[0]
    alpha[:, 1] = emit[:, 0, 0]
    alpha[~reachable] = NEG_INF
    per_state = np.empty((batch, states))
    from1 = np.empty((batch, states))
    from2 = np.empty((batch, states))
    with np.errstate(invalid="ignore"):
        for t in range(1, frames):
            per_state[:, 0::2] = blank[t]
            per_state[:, 1::2] = emit[:, t, :]
            from1[:, 0] = NEG_INF
            from1[:, 1:] = alpha[:, :-1]
            from2[:, :2] = NEG_INF
            from2[:, 2:] = alpha[:, :-2]
            from2[~skip_ok] = NEG_INF
            alpha = np.logaddexp(np.logaddexp(alpha, from1), from2) + per_state
            alpha[~reachable] = NEG_INF
    rows = np.arange(batch)
    return np.logaddexp(alpha[rows, 2 * lengths], alpha[rows, 2 * lengths - 1])
