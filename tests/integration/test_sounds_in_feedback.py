"""The sounds of the key terms in the feedback of a real recorded answer: Whisper's words,
espeak-ng's IPA and the hama phoneme recogniser, through `Coach.analyze`.

Real engines: the Whisper base model, espeak-ng and hama (`pip install hama==1.7.0`).
"""

from __future__ import annotations

import json

from coach.audio.decode import load_audio
from coach.phonemes import inventory

ANSWER = "oom-us150-clean"  # a clean answer that says OOMKiller, exit code 137, dmesg ...


def test_each_key_term_said_gets_its_sounds_scored(offline_coach, fixtures):
    fixture = fixtures[ANSWER]
    feedback = offline_coach.analyze(load_audio(fixture.path), fixture.scenario)
    sounds = feedback.sounds
    assert sounds.checked, sounds.message
    said = [hit.term for hit in sorted(feedback.coverage.covered, key=lambda h: h.word_index)]
    assert len(said) >= 3 and [w.term for w in sounds.words] == said
    judged = [w for w in sounds.words if w.judged]
    assert judged, [(w.term, w.reason) for w in sounds.words]
    words = feedback.transcript.words
    for word in sounds.words:
        expected = [p.ipa for p in inventory.expected_phonemes(word.ipa)]
        assert expected and [p.expected for p in word.phonemes] == expected, word
        assert any(w.start == word.start for w in words) and word.end > word.start
        if not word.judged:
            assert word.reason and not word.flagged
    data = json.loads(json.dumps(feedback.to_dict(), ensure_ascii=False))
    for kept in data["pronunciation"]:
        assert kept["term"] in said
        for phoneme in kept["phonemes"]:
            assert isinstance(phoneme["expected"], str) and isinstance(phoneme["score"], float)
            assert isinstance(phoneme["flagged"], bool)
            assert (phoneme["heard"] is not None) == phoneme["flagged"]
