"""The hama phoneme recogniser on real speech: espeak-ng says a key term in a carrier sentence,
correctly and with one phoneme substituted; only the substituted one is flagged, where it is.

Real engines: espeak-ng (speech and IPA) and hama (`pip install hama==1.7.0`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np
import pytest

from coach.audio.decode import AudioClip
from coach.phonemes import inventory, scoring
from coach.phonemes.recogniser import FRAME_S, PhonemeRecogniser


@pytest.fixture(scope="module")
def recogniser() -> PhonemeRecogniser:
    try:
        import hama  # noqa: F401
    except ImportError:
        pytest.fail("hama is not installed: pip install hama==1.7.0")
    return PhonemeRecogniser()


def speak(text: str) -> np.ndarray:
    """espeak-ng en-us at 165 wpm (as the calibration set), as 16 kHz float samples."""
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is not installed: apt-get install espeak-ng")
    data = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "--stdout"],
                          input=text.encode(), capture_output=True, timeout=30, check=True).stdout
    with wave.open(io.BytesIO(data)) as audio:
        rate = audio.getframerate()
        samples = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2")
    return AudioClip.from_array(samples.astype(np.float32) / 32768.0, rate).samples


def ipa(text: str) -> str:
    out = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us"], input=text,
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return " ".join(out.split())


CASES = [
    # sentence, espeak phonemes of the term said wrongly, term, (before, after), index, heard
    ("Watch race condition closely.", "[[l'eIs]] condition", "race condition",
     ("watch", "closely"), 0, "l"),
    ("Check feature flag first.", "feature [[fr'ag]]", "feature flag", ("check", "first"), 5,
     "ɹ"),
]


@pytest.mark.parametrize("sentence, wrong, term, context, index, heard", CASES)
def test_substituted_phoneme_is_flagged_where_it_is(recogniser, sentence, wrong, term,
                                                     context, index, heard):
    membership = inventory.class_matrix(recogniser.symbols)
    before, after = context

    def judge(text: str) -> scoring.WordPronunciation:
        samples = speak(text)
        class_lp = inventory.class_log_probs(recogniser.log_probs(samples), membership)
        assert class_lp.shape[0] == pytest.approx(len(samples) / 16000 / FRAME_S, abs=2)
        return scoring.assess_term(term, class_lp, term_ipa=ipa(term),
                                   before_ipa=ipa(before), after_ipa=ipa(after))

    correct = judge(sentence)
    assert correct.judged, correct.reason
    assert not correct.flagged, correct.phonemes

    said = judge(sentence.replace(term, wrong))
    assert said.judged, said.reason
    assert [i for i, p in enumerate(said.phonemes) if p.flagged] == [index], said.phonemes
    assert said.phonemes[index].heard == heard
    assert said.phonemes[index].kind == "substitution"
