"""Pronunciation at the level of sounds for key terms (issue 21).

The pipeline, one module each:

- `inventory`: espeak-ng IPA -> expected phonemes in the recogniser's classes;
- `recogniser`: hama's CTC phoneme model -> frame log-probabilities of a 16 kHz clip;
- `alignment`: CTC forced alignment (Viterbi) and likelihood (forward), numpy only;
- `scoring`: per-phoneme goodness of pronunciation (GOP) of a term in its context, with
  thresholds calibrated by benchmarks/pronunciation_calibration.py;
- `tips`: one-line advice for a flagged (expected, heard) pair;
- `answer`: the key terms of one answer scored (`score_key_terms`), the report in the feedback;
- `clips`: yours beside the model, the term cut from the recording and said by the voice.

The recogniser runs as an engine of the Coach (coach/engines/phoneme_frames.py), and while an
answer is streamed (coach/streamed_sounds.py).

Typical use (`assess_term` wires them together)::

    recogniser = shared_recogniser()
    class_lp = inventory.class_log_probs(recogniser.log_probs(samples),
                                         inventory.class_matrix(recogniser.symbols))
    result = scoring.score_term("race condition", class_lp,
                                inventory.expected_phonemes(ipa_before),
                                inventory.expected_phonemes(ipa_term),
                                inventory.expected_phonemes(ipa_after),
                                window=(start_of_word_before, end_of_word_after))
"""

from coach.phonemes.scoring import (
    PhonemeScore,
    Thresholds,
    WordPronunciation,
    assess_term,
    score_term,
)

__all__ = ["PhonemeScore", "Thresholds", "WordPronunciation", "assess_term", "score_term"]
