"""Goodness of pronunciation (GOP) per phoneme of a key term, from the recogniser's frames.

A term is aligned with one word of context on each side (so its first and last sounds have
neighbours to lean on), inside the recogniser frames of those words' times plus a margin. For
each of the term's phonemes the whole window's CTC log-likelihood with the expected sequence is
compared against edited sequences:

- substitution: the phoneme replaced by a likely substitute ("θ" said as "s"; the table is
  `inventory.CONFUSABLE`), or by any other class ("other", held to a stricter threshold),
- deletion: a consonant left out (a dropped final consonant),
- insertion: a vowel added right after it (or, for the first, before it) ("check-a").

A confusion prior learnt on the calibration half (`inventory.UNRELIABLE`: edits this
recogniser flags more often on correct speech than on changed speech, such as z/s or ɛ/æ)
counts those edits as "other" whatever their kind.

Its evidence of each kind is log L(expected) - max log L(edited): negative when an edit
explains the audio better. A phoneme is flagged only when that evidence is below the kind's
threshold; then `heard` names the winning edit. Of two neighbours flagged, only the one
further below its threshold is kept (one wrong sound lowers its neighbours' evidence too).
Evidence is kept apart from the decision
(`phoneme_evidence`, `decide`) so thresholds can be calibrated without rerunning the model.

A term is "not judged" when the window is too short for its sounds (fewer frames per expected
phoneme than `Thresholds.min_frames_per_phoneme`) or the best alignment explains the audio
poorly (mean log-prob per frame below `Thresholds.min_frame_log_prob`: noise, another word).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.phonemes import alignment
from coach.phonemes.inventory import (
    CLASS_NAMES,
    COLUMN,
    CONFUSABLE,
    CONSONANTS,
    EPENTHETIC,
    UNRELIABLE,
    Phoneme,
    sequence_columns,
)
from coach.phonemes.recogniser import FRAME_S

# Evidence kinds: a likely substitute (inventory.CONFUSABLE), a dropped consonant, an added
# vowel (inventory.EPENTHETIC), any other class in the sound's place.
KINDS = ("substitution", "deletion", "insertion", "other")
MARGIN_S = 0.06  # around the context words' times (Whisper's word times are approximate)


@dataclass(frozen=True)
class Thresholds:
    """Evidence below a kind's threshold flags the phoneme (natural-log likelihood ratios).

    Defaults: calibrated by benchmarks/pronunciation_calibration.py (results in
    benchmarks/results/pronunciation.json, "plain"), with inventory.UNRELIABLE's edits
    counted as "other": the most detections with at most 1.5% false alarms per correctly said
    phoneme on the calibration half of the set.
    """

    substitution: float = -1.0
    deletion: float = -5.75
    insertion: float = -1.5
    other: float = -9.0  # a substitute not in CONFUSABLE, or an edit of UNRELIABLE
    min_frame_log_prob: float = -0.82
    min_frames_per_phoneme: float = 1.0

    def of(self, kind: str) -> float:
        return float(getattr(self, kind))


# `decide(..., reference=...)` (evidence less a synthetic voice's rendition of the same words)
# is measured by benchmarks/pronunciation_variants.py; with the confusion prior it costs
# detection, so the coach does not use it.


@dataclass(frozen=True)
class PhonemeScore:
    """One expected phoneme: `score` its evidence against the best edit (log-likelihood ratio,
    negative when the edit fits better); `heard` the edit when flagged ("" for nothing heard)."""

    expected: str
    heard: str | None
    score: float
    flagged: bool
    kind: str | None = None  # of the flagged edit: substitution | deletion | insertion
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class WordPronunciation:
    term: str
    phonemes: tuple[PhonemeScore, ...]
    judged: bool
    reason: str | None = None  # why not judged

    @property
    def flagged(self) -> tuple[PhonemeScore, ...]:
        return tuple(p for p in self.phonemes if p.flagged)


@dataclass(frozen=True)
class Evidence:
    """Raw numbers for one term: per phoneme and kind, the evidence and the best edit."""

    expected: tuple[str, ...]
    llr: np.ndarray  # (phonemes, kinds): log L(expected) - max log L(edit of that kind)
    best: tuple[tuple[str, ...], ...]  # [phoneme][kind]: the edit's heard form
    spans: tuple[tuple[int, int], ...]  # frames each term phoneme holds in the window
    frame_log_prob: float  # best path's mean log-prob per frame (the whole window)
    frames_per_phoneme: float
    offset_s: float = 0.0  # the window's start in the clip


def window_frames(start_s: float, end_s: float, total_frames: int,
                  margin_s: float = MARGIN_S) -> tuple[int, int]:
    """Frames [first, last) covering start_s - margin .. end_s + margin, within the clip."""
    first = max(int(np.floor((start_s - margin_s) / FRAME_S + 1e-6)), 0)
    last = min(int(np.ceil((end_s + margin_s) / FRAME_S - 1e-6)), total_frames)
    return first, max(last, first)


def _hypotheses(before: int, term: Sequence[Phoneme], columns: list[tuple[int, ...]],
                unreliable: frozenset = UNRELIABLE
                ) -> list[tuple[int, str, str, list[tuple[int, ...]]]]:
    """Every one-edit sequence: (term phoneme index, kind, heard, columns). An edit in
    `unreliable` ((expected class, kind, heard); inventory.UNRELIABLE) counts as "other"."""
    out = [(i, "other" if (term[i].canonical, kind, heard) in unreliable else kind, heard,
            edited) for i, kind, heard, edited in _edits(before, term, columns)]
    return out


def _edits(before: int, term: Sequence[Phoneme], columns: list[tuple[int, ...]]
           ) -> list[tuple[int, str, str, list[tuple[int, ...]]]]:
    """The one-edit sequences with their kind by inventory.CONFUSABLE alone."""
    out = []
    for i, phoneme in enumerate(term):
        at = before + i
        accepted = set(columns[at])
        likely = set(CONFUSABLE.get(phoneme.canonical, ()))
        for name in CLASS_NAMES:
            if COLUMN[name] not in accepted:
                edited = columns[:at] + [(COLUMN[name],)] + columns[at + 1:]
                kind = "substitution" if name in likely else "other"
                out.append((i, kind, name, edited))
        if phoneme.canonical in CONSONANTS:
            out.append((i, "deletion", "", columns[:at] + columns[at + 1:]))
        slots = [(at + 1, False)] + ([(at, True)] if i == 0 else [])
        for slot, first in slots:
            near = set(columns[slot - 1]) if slot > 0 else set()
            near |= set(columns[slot]) if slot < len(columns) else set()
            for name in EPENTHETIC:
                if COLUMN[name] in near:
                    continue
                heard = f"{name} {phoneme.ipa}" if first else f"{phoneme.ipa} {name}"
                out.append((i, "insertion", heard, columns[:slot] + [(COLUMN[name],)]
                            + columns[slot:]))
    return out


def _batch_log_likelihood(class_lp: np.ndarray, sequences: list[list[tuple[int, ...]]]
                          ) -> np.ndarray:
    bank: dict[tuple[int, ...], int] = {}
    for seq in sequences:
        for cols in seq:
            bank.setdefault(cols, len(bank))
    emit_bank = alignment.emissions(class_lp, list(bank))  # (T, distinct)
    longest = max(len(seq) for seq in sequences)
    index = np.zeros((len(sequences), longest), dtype=np.int64)
    flags = np.zeros((len(sequences), longest), dtype=bool)
    lengths = np.array([len(seq) for seq in sequences])
    for b, seq in enumerate(sequences):
        index[b, :len(seq)] = [bank[cols] for cols in seq]
        flags[b, :len(seq)] = alignment.no_skip(seq)
    return alignment.forward_banked(emit_bank, class_lp[:, 0], index, flags, lengths)


def phoneme_evidence(class_lp: np.ndarray, before: Sequence[Phoneme],
                     term: Sequence[Phoneme], after: Sequence[Phoneme],
                     offset_s: float = 0.0, unreliable: frozenset = UNRELIABLE
                     ) -> Evidence | None:
    """The evidence for each of `term`'s phonemes in the window `class_lp` (frames x columns
    of `inventory.class_log_probs`); None when the window is too short to align at all.
    `unreliable`: the edits counted as "other" (see `_hypotheses`)."""
    phonemes = [*before, *term, *after]
    columns = sequence_columns(phonemes)
    class_lp = np.asarray(class_lp, dtype=np.float64)
    emit = alignment.emissions(class_lp, columns)
    best_path = alignment.viterbi(emit, class_lp[:, 0], alignment.no_skip(columns))
    if best_path is None or not term:
        return None
    hypotheses = _hypotheses(len(before), term, columns, unreliable)
    ll = _batch_log_likelihood(class_lp, [columns] + [h[3] for h in hypotheses])
    expected_ll = ll[0]
    llr = np.full((len(term), len(KINDS)), np.inf)
    best = [[""] * len(KINDS) for _ in term]
    for (i, kind, heard, _), value in zip(hypotheses, ll[1:]):
        k = KINDS.index(kind)
        ratio = expected_ll - value
        if ratio < llr[i, k]:
            llr[i, k] = ratio
            best[i][k] = heard
    spans = best_path.spans[len(before):len(before) + len(term)]
    return Evidence(
        expected=tuple(p.ipa for p in term), llr=llr, best=tuple(tuple(b) for b in best),
        spans=tuple(spans), frame_log_prob=best_path.score / best_path.frames,
        frames_per_phoneme=best_path.frames / len(phonemes), offset_s=offset_s)


def decide(term: str, evidence: Evidence | None, thresholds: Thresholds = Thresholds(),
           reference: Evidence | None = None, expected: Sequence[str] = ()
           ) -> WordPronunciation:
    """Flags from evidence: a phoneme is flagged when some kind's evidence is below its
    threshold (the kind furthest below wins). With `reference` (the same term said correctly
    by a synthetic voice, through the same pipeline), evidence the reference also shows is
    discounted: llr - min(reference llr, 0)."""
    if evidence is None:
        return WordPronunciation(term, tuple(PhonemeScore(e, None, 0.0, False) for e in expected),
                                 False, "too short to judge sound by sound")
    reason = None
    if evidence.frames_per_phoneme < thresholds.min_frames_per_phoneme:
        reason = "said too quickly to judge sound by sound"
    elif evidence.frame_log_prob < thresholds.min_frame_log_prob:
        # the recogniser's fault as often as the audio's (a clean synthetic "OOMKiller" lands here)
        reason = "the sounds could not be lined up with the recording closely enough to judge"
    llr = evidence.llr
    if reference is not None and reference.llr.shape == llr.shape:
        llr = llr - np.minimum(reference.llr, 0.0)
    limits = np.array([thresholds.of(kind) for kind in KINDS])
    margins = llr - limits  # (phonemes, kinds): below 0 passes the kind's threshold
    kinds = np.argmin(margins, axis=1)
    flagged = _strongest_apart(margins[np.arange(len(kinds)), kinds]) if reason is None \
        else set()
    scores = []
    for i, expected_ipa in enumerate(evidence.expected):
        k = int(kinds[i])
        first, last = evidence.spans[i]
        scores.append(PhonemeScore(
            expected=expected_ipa, heard=evidence.best[i][k] if i in flagged else None,
            score=round(float(np.min(llr[i])), 3), flagged=i in flagged,
            kind=_reported(evidence.best[i][k]) if i in flagged else None,
            start_s=round(evidence.offset_s + first * FRAME_S, 3),
            end_s=round(evidence.offset_s + (last + 1) * FRAME_S, 3)))
    return WordPronunciation(term, tuple(scores), reason is None, reason)


def _reported(heard: str) -> str:
    """The kind of edit a flag reports, from what was heard (an "other" edit may be any kind:
    inventory.UNRELIABLE's dropped consonants and added vowels count as "other")."""
    if not heard:
        return "deletion"
    return "insertion" if " " in heard else "substitution"


def _strongest_apart(margins: np.ndarray) -> set[int]:
    """Phonemes whose margin is below 0, strongest first, none next to one already taken.

    One wrong sound also lowers the evidence of its neighbours (an extra sound inserted
    beside it explains the same frames), so only the strongest of adjacent flags is kept.
    """
    taken: set[int] = set()
    for i in np.argsort(margins, kind="stable"):
        if margins[i] >= 0:
            break
        if not taken & {int(i) - 1, int(i) + 1}:
            taken.add(int(i))
    return taken


def score_term(term: str, class_lp: np.ndarray, before: Sequence[Phoneme],
               term_phonemes: Sequence[Phoneme], after: Sequence[Phoneme], *,
               window: tuple[float, float] | None = None,
               thresholds: Thresholds = Thresholds(),
               reference: Evidence | None = None) -> WordPronunciation:
    """Judge one key term in a clip. `class_lp` are the whole clip's class log-probs; `window`
    (start_s, end_s) the context words' span (the margin is added here); None: all frames."""
    offset = 0.0
    if window is not None:
        first, last = window_frames(window[0], window[1], class_lp.shape[0])
        class_lp = class_lp[first:last]
        offset = first * FRAME_S
    evidence = phoneme_evidence(class_lp, before, term_phonemes, after, offset)
    return decide(term, evidence, thresholds, reference, [p.ipa for p in term_phonemes])


def clip_class_log_probs(samples: np.ndarray, recogniser=None) -> np.ndarray:
    """The recogniser's class log-probs (frames x inventory.COLUMNS) of a whole 16 kHz clip;
    compute once per answer and pass to `assess_term` for each of its key terms."""
    from coach.phonemes.inventory import class_log_probs, class_matrix
    from coach.phonemes.recogniser import shared_recogniser

    recogniser = recogniser or shared_recogniser()
    return class_log_probs(recogniser.log_probs(samples), class_matrix(recogniser.symbols))


def assess_term(term: str, class_lp: np.ndarray, *, term_ipa: str, before_ipa: str = "",
                after_ipa: str = "", window: tuple[float, float] | None = None,
                thresholds: Thresholds = Thresholds(),
                reference: Evidence | None = None) -> WordPronunciation:
    """`score_term` from IPA strings (espeak-ng's, as coach.engines.phonetics gives them):
    the term's, and the words' just before and after it ("" where there is none). `window`:
    the start of the word before and the end of the word after (Whisper's word times)."""
    from coach.phonemes.inventory import expected_phonemes

    return score_term(term, class_lp, expected_phonemes(before_ipa),
                      expected_phonemes(term_ipa), expected_phonemes(after_ipa),
                      window=window, thresholds=thresholds, reference=reference)
