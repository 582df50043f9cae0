"""The pure parts of coach.phonemes: IPA mapping and tokenising, CTC alignment on synthetic
log-prob matrices, GOP flagging on crafted matrices, tips."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from coach.phonemes import alignment, inventory, scoring, tips
from coach.phonemes.inventory import COLUMN, COLUMNS, Phoneme, expected_phonemes

# --- inventory ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, spoken", [
    ("WaitGroup", "wait group"),
    ("io.max", "io dot max"),
    ("eye-dem-POH-tent", "eye dem poh tent"),
    ("C P U stat", "C P U stat"),
    ("On-Demand", "on demand"),
    ("gc_list_scan", "gc list scan"),
])
def test_phonemizable(text, spoken):
    assert inventory.phonemizable(text) == spoken


@pytest.mark.parametrize("ipa, units", [
    ("tʃˈɛk", ["tʃ", "ɛ", "k"]),
    ("ɹˈeɪs", ["ɹ", "eɪ", "s"]),
    ("dʒˈɑːb", ["dʒ", "ɑ", "b"]),
    ("fˈaɪɚ", ["f", "aɪɚ"]),
    ("bˈʌʔn̩", ["b", "ʌ", "ʔ", "n̩"]),
    ("t͡ʃˈɛk", ["tʃ", "ɛ", "k"]),
    ("ˌɔːɾoʊskˈeɪlɪŋ", ["ɔ", "ɾ", "oʊ", "s", "k", "eɪ", "l", "ɪ", "ŋ"]),
    ("nˈɔːɹθ", ["n", "ɔɹ", "θ"]),
    ("", []),
])
def test_tokenise_word(ipa, units):
    assert inventory.tokenise_word(ipa) == units


@pytest.mark.parametrize("ipa, classes", [
    ("tʃˈɛk", ["t͡ʃ", "ɛ", "k"]),
    ("dʒˈɑːb", ["d͡ʒ", "ɑ", "b"]),
    ("ɡɹˈuːp", ["g", "ɹ", "u", "p"]),
    ("mˈɛmɚɹi", ["m", "ɛ", "m", "ɝ", "ɹ", "i"]),
    ("fˈɜːst", ["f", "ɝ", "s", "t"]),
    ("fˈaɪɚ", ["f", "aɪ", "ɝ"]),
    ("bˈɑːɾəl", ["b", "ɑ", "ɾ", "ə", "l"]),
    ("ɹᵻtˈɛnʃən", ["ɹ", "ɪ", "t", "ɛ", "n", "ʃ", "ə", "n"]),
    ("ɐbˈaʊt", ["ə", "b", "aʊ", "t"]),
    ("lˈɒt", ["l", "ɑ", "t"]),  # en-gb
    ("ʃˈʊə", ["ʃ", "ʊ", "ə"]),  # en-gb
    ("ˈɔːlsəʊ", ["ɔ", "l", "s", "oʊ"]),  # en-gb
    ("bˈʌʔn̩", ["b", "ʌ", "ʔ", "n"]),
])
def test_expected_phonemes_map_espeak_to_recogniser_classes(ipa, classes):
    assert [p.canonical for p in expected_phonemes(ipa)] == classes


def test_every_mapped_class_is_a_column():
    for classes in inventory.ESPEAK_UNITS.values():
        assert all(c in COLUMN for c in classes)
    for name, variants in inventory.ACCEPTED_VARIANTS.items():
        assert name in COLUMN and all(v in COLUMN for v in variants)


def test_accepted_variants_ride_along():
    flap = expected_phonemes("bˈɑːɾəl")[2]
    assert flap.classes[0] == "ɾ" and {"d", "t"} <= set(flap.classes)


def test_expected_words_keep_word_boundaries():
    words = inventory.expected_words("ɹˈeɪs kəndˈɪʃən")
    assert [len(w) for w in words] == [3, 8]


SYMBOLS = ["<pad>", "k", "kʰ", "ju", "j", "u", "s", "<wb>", "<blank>"]


def test_class_matrix_merges_allophones_and_drops_glides():
    matrix = inventory.class_matrix(SYMBOLS)
    assert matrix[COLUMN["k"], SYMBOLS.index("kʰ")] and matrix[COLUMN["k"], SYMBOLS.index("k")]
    assert matrix[0, SYMBOLS.index("<wb>")] and matrix[0, SYMBOLS.index("<blank>")]
    assert not matrix[:, SYMBOLS.index("ju")].any()
    assert not matrix[:, SYMBOLS.index("<pad>")].any()


def test_class_log_probs_renormalise_without_dropped_symbols():
    probs = np.array([[0.0, 0.2, 0.1, 0.4, 0.1, 0.1, 0.0, 0.0, 0.1]])  # 'ju' has 0.4
    lp = inventory.class_log_probs(np.log(probs + 1e-30), inventory.class_matrix(SYMBOLS))
    assert lp.shape == (1, len(COLUMNS))
    assert np.exp(lp).sum() == pytest.approx(1.0)
    assert np.exp(lp[0, COLUMN["k"]]) == pytest.approx(0.3 / 0.6)
    assert np.exp(lp[0, COLUMN["j"]]) == pytest.approx(0.1 / 0.6)


# --- synthetic log-prob matrices -----------------------------------------------------------
def peaked(frames: list[str], peak: float = 0.9) -> np.ndarray:
    """Class log-probs with each frame's named column at `peak`, the rest shared."""
    k = len(COLUMNS)
    out = np.full((len(frames), k), np.log((1 - peak) / (k - 1)))
    for t, name in enumerate(frames):
        out[t, COLUMN[name]] = np.log(peak)
    return out


B = inventory.BLANK


def ph(*names: str) -> list[Phoneme]:
    return [Phoneme(n, (n,)) for n in names]


def test_viterbi_finds_each_phonemes_frames():
    lp = peaked([B, "k", "k", B, "æ", "t", B])
    cols = inventory.sequence_columns(ph("k", "æ", "t"))
    path = alignment.viterbi(alignment.emissions(lp, cols), lp[:, 0], alignment.no_skip(cols))
    assert path.spans == ((1, 2), (4, 4), (5, 5))
    assert path.score == pytest.approx(7 * np.log(0.9))


def test_viterbi_needs_a_blank_between_equal_neighbours():
    cols = inventory.sequence_columns(ph("t", "t"))
    flags = alignment.no_skip(cols)
    assert list(flags) == [False, True] and alignment.min_frames(flags) == 3
    lp = peaked(["t", "t"])
    assert alignment.viterbi(alignment.emissions(lp, cols), lp[:, 0], flags) is None
    lp = peaked(["t", B, "t"])
    path = alignment.viterbi(alignment.emissions(lp, cols), lp[:, 0], flags)
    assert path.spans == ((0, 0), (2, 2))


def brute_force(lp: np.ndarray, cols: list[tuple[int, ...]]) -> float:
    """log of the summed probability of every frame labelling that collapses to `cols`."""
    labels = sorted({0, *(c[0] for c in cols)})
    total = -np.inf
    for path in itertools.product(labels, repeat=lp.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if collapsed == [c[0] for c in cols]:
            total = np.logaddexp(total, sum(lp[t, c] for t, c in enumerate(path)))
    return total


@pytest.mark.parametrize("names", [("k", "æ"), ("t", "t"), ("s", "k", "s")])
def test_forward_equals_the_sum_over_all_paths(names):
    rng = np.random.default_rng(len(names))
    raw = rng.normal(size=(5, len(COLUMNS)))
    lp = raw - np.logaddexp.reduce(raw, axis=1, keepdims=True)
    cols = inventory.sequence_columns(ph(*names))
    got = alignment.forward(alignment.emissions(lp, cols)[None], lp[:, 0],
                            alignment.no_skip(cols)[None], np.array([len(cols)]))
    assert got[0] == pytest.approx(brute_force(lp, cols))


def test_forward_batches_sequences_of_different_lengths():
    lp = peaked([B, "k", B, "æ", "t", B])
    seqs = [inventory.sequence_columns(ph(*n)) for n in [("k", "æ", "t"), ("k", "t"),
                                                          ("k", "æ", "t", "s")]]
    single = [alignment.forward(alignment.emissions(lp, s)[None], lp[:, 0],
                                alignment.no_skip(s)[None], np.array([len(s)]))[0] for s in seqs]
    width = max(len(s) for s in seqs)
    emit = np.zeros((3, lp.shape[0], width))
    flags = np.zeros((3, width), dtype=bool)
    for b, s in enumerate(seqs):
        emit[b, :, :len(s)] = alignment.emissions(lp, s)
        flags[b, :len(s)] = alignment.no_skip(s)
    batched = alignment.forward(emit, lp[:, 0], flags, np.array([len(s) for s in seqs]))
    assert batched == pytest.approx(single)
    assert batched[0] > batched[1] and batched[0] > batched[2]


def test_forward_is_minus_infinity_when_frames_are_too_few():
    lp = peaked(["k", "æ"])
    cols = inventory.sequence_columns(ph("k", "æ", "t"))
    got = alignment.forward(alignment.emissions(lp, cols)[None], lp[:, 0],
                            alignment.no_skip(cols)[None], np.array([3]))
    assert got[0] == -np.inf



def test_forward_is_the_log_domain_figure_even_for_paths_that_underflow(monkeypatch):
    """Scaled probabilities (the fast path) against the log domain, on random frames and on
    a sequence (/p/ alone) whose every state is 2000 nats below the frame's best at one
    frame: its probability underflows to 0 there, and the log domain is used for it."""
    rng = np.random.default_rng(7)
    raw = rng.normal(scale=3.0, size=(40, len(COLUMNS)))
    lp = raw - np.logaddexp.reduce(raw, axis=1, keepdims=True)
    seqs = [inventory.sequence_columns(ph(*n)) for n in [("k", "æ", "t"), ("s", "t", "ɒ", "p"),
                                                          ("t", "t"), ("p",)]]
    lp[20, list(inventory.sequence_columns(ph("p"))[0])] = -2000.0
    lp[20, 0] = -2000.0  # the blank too
    bank = np.concatenate([alignment.emissions(lp, s) for s in seqs], axis=1)
    width = max(len(s) for s in seqs)
    index = np.zeros((len(seqs), width), dtype=np.int64)
    flags = np.zeros((len(seqs), width), dtype=bool)
    offset = 0
    for b, s in enumerate(seqs):
        index[b, :len(s)] = offset + np.arange(len(s))
        flags[b, :len(s)] = alignment.no_skip(s)
        offset += len(s)
    lengths = np.array([len(s) for s in seqs])
    exact = alignment._forward_log(bank[:, index].transpose(1, 0, 2), lp[:, 0], flags, lengths)
    redone = []
    log_domain = alignment._forward_log
    monkeypatch.setattr(alignment, "_forward_log",
                        lambda emit, *rest: redone.append(len(emit)) or log_domain(emit, *rest))
    fast = alignment.forward_banked(bank, lp[:, 0], index, flags, lengths)
    assert np.all(np.isfinite(exact)) and fast == pytest.approx(exact, rel=1e-12)
    assert redone == [1] and exact[-1] < -1900  # only /p/ alone, in the log domain

# --- GOP on crafted matrices ---------------------------------------------------------------
BEFORE, TERM, AFTER = [Phoneme("tʃ", ("t͡ʃ",))], ph("θ", "ɪ", "ŋ", "k"), ph("s")


def frames_for(names: list[str], hold: int = 2, pad: int = 12) -> list[str]:
    """Frames saying `names` (each held `hold` frames, blanks between), silence around."""
    out = [B] * pad
    for name in names:
        out += [name] * hold + [B]
    return out + [B] * pad


def judge(frames: list[str]):
    """Default thresholds on frames as sure of themselves as the recogniser's (98%)."""
    return scoring.score_term("thing", peaked(frames, 0.98), BEFORE, TERM, AFTER)


def test_correct_sounds_are_not_flagged():
    result = judge(frames_for(["t͡ʃ", "θ", "ɪ", "ŋ", "k", "s"]))
    assert result.judged and not result.flagged
    assert all(p.score > 3 for p in result.phonemes)


@pytest.mark.parametrize("said, index, heard, kind", [
    (["t͡ʃ", "s", "ɪ", "ŋ", "k", "s"], 0, "s", "substitution"),
    (["t͡ʃ", "θ", "i", "ŋ", "k", "s"], 1, "i", "substitution"),
    (["t͡ʃ", "θ", "ɪ", "n", "k", "s"], 2, "n", "substitution"),
    (["t͡ʃ", "θ", "ɪ", "ŋ", "s"], 3, "", "deletion"),
    (["t͡ʃ", "θ", "ɪ", "ŋ", "k", "ə", "s"], 3, "k ə", "insertion"),
    (["t͡ʃ", "ɛ", "θ", "ɪ", "ŋ", "k", "s"], 0, "ɛ θ", "insertion"),
])
def test_one_changed_sound_is_flagged_where_it_is(said, index, heard, kind):
    result = judge(frames_for(said))
    assert [i for i, p in enumerate(result.phonemes) if p.flagged] == [index]
    flagged = result.phonemes[index]
    assert (flagged.heard, flagged.kind, flagged.expected) == (heard, kind, TERM[index].ipa)
    assert flagged.score < scoring.Thresholds().of(kind)


def test_an_unlikely_substitute_needs_stronger_evidence():
    said = frames_for(["t͡ʃ", "m", "ɪ", "ŋ", "k", "s"])  # θ said as m: not a usual confusion
    evidence = scoring.phoneme_evidence(peaked(said), BEFORE, TERM, AFTER)
    other = evidence.llr[0, scoring.KINDS.index("other")]
    assert evidence.best[0][scoring.KINDS.index("other")] == "m"
    loose = scoring.Thresholds(other=other + 1)
    strict = scoring.Thresholds(other=other - 1)
    flagged = scoring.decide("thing", evidence, loose).phonemes[0]
    assert (flagged.flagged, flagged.heard, flagged.kind) == (True, "m", "substitution")
    assert not scoring.decide("thing", evidence, strict).phonemes[0].flagged


def test_vowels_are_not_tested_for_deletion():
    evidence = scoring.phoneme_evidence(peaked(frames_for(["t͡ʃ", "θ", "ŋ", "k", "s"])),
                                        BEFORE, TERM, AFTER)
    assert evidence.llr[1, scoring.KINDS.index("deletion")] == np.inf


def test_weak_evidence_is_never_flagged():
    frames = peaked(frames_for(["t͡ʃ", "θ", "ɪ", "ŋ", "k", "s"]))
    t = 12 + 3  # the first θ frame: make s a close second, not a winner
    frames[t, COLUMN["θ"]], frames[t, COLUMN["s"]] = np.log(0.5), np.log(0.4)
    result = scoring.score_term("thing", frames, BEFORE, TERM, AFTER)
    assert not result.flagged
    strict = scoring.Thresholds(substitution=10.0, deletion=10.0, insertion=10.0, other=10.0)
    assert scoring.score_term("thing", frames, BEFORE, TERM, AFTER,
                              thresholds=strict).phonemes[0].flagged


def test_uniform_noise_is_not_judged():
    lp = np.full((40, len(COLUMNS)), -np.log(len(COLUMNS)))
    result = scoring.score_term("thing", lp, BEFORE, TERM, AFTER)
    assert not result.judged and "could not be lined up" in result.reason and not result.flagged


def test_too_few_frames_are_not_judged():
    result = scoring.score_term("thing", peaked([B, "θ", "ɪ"]), BEFORE, TERM, AFTER)
    assert not result.judged and result.reason and len(result.phonemes) == len(TERM)


def test_reference_evidence_discounts_what_the_reference_shows_too():
    frames = frames_for(["t͡ʃ", "s", "ɪ", "ŋ", "k", "s"])
    lp = peaked(frames)
    evidence = scoring.phoneme_evidence(lp, BEFORE, TERM, AFTER)
    assert scoring.decide("thing", evidence).phonemes[0].flagged
    assert not scoring.decide("thing", evidence, reference=evidence).flagged


def test_window_frames_add_the_margin_and_stay_in_the_clip():
    assert scoring.window_frames(1.0, 2.0, 500) == (47, 103)
    assert scoring.window_frames(0.01, 2.0, 60) == (0, 60)


def test_phoneme_times_are_in_the_clip():
    lp = peaked([B] * 10 + frames_for(["t͡ʃ", "θ", "ɪ", "ŋ", "k", "s"]))
    result = scoring.score_term("thing", lp, BEFORE, TERM, AFTER, window=(0.2, 0.9))
    first = result.phonemes[0]
    theta = 10 + 12 + 3  # clip frame of θ's first frame: lead-in, silence, t͡ʃ and a blank
    assert first.start_s == pytest.approx(theta * 0.02)
    assert first.end_s == pytest.approx((theta + 2) * 0.02)


# --- tips ------------------------------------------------------------------------------------
@pytest.mark.parametrize("expected, heard, words", [
    ("θ", "s", "between the teeth"),
    ("ð", "d", "this"),
    ("v", "w", "lower lip"),
    ("l", "ɹ", "ridge"),
    ("ɹ", "l", "English r"),
    ("dʒ", "j", "job"),
    ("i", "ɪ", "long ee"),
    ("ʊ", "u", "good"),
    ("t", "", "Don't drop /t/"),
    ("k", "k ə", "no extra vowel"),
    ("s", "ɛ s", "no vowel before"),
    ("tʃ", "ʃ", "starts with a t"),
    ("t͡ʃ", "ʃ", "starts with a t"),
    ("ɡ", "k", "Say /g/, not /k/"),
])
def test_tips(expected, heard, words):
    assert words in tips.tip(expected, heard)


def test_no_tip_when_nothing_was_flagged():
    assert tips.tip("θ", None) is None


@pytest.mark.parametrize("word, ipa, text", [
    ("retention", "ɹᵻtˈɛnʃən", "second syllable"),
    ("canary", "kənˈɛɹi", "second syllable"),
    ("fallback", "fˈɔːlbæk", "first syllable"),
    ("perf", "pˈɜːf", None),
])
def test_stress_tip(word, ipa, text):
    got = tips.stress_tip(word, ipa)
    assert (got is None) if text is None else (text in got)
