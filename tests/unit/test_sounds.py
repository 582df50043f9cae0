"""Phoneme scores of the key terms said (coach.phonemes.answer), with stand-in engines: a
phonemizer from a table and recogniser frames drawn from the expected sounds, one of them
changed. Also the report's JSON shape, the feedback it goes into and the honest "not checked".
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from coach.analysis.coverage import analyze_coverage
from coach.cli.render import render_text
from coach.engines.phoneme_frames import PAD_S, ClipFrames
from coach.errors import EngineUnavailable
from coach.feedback import build_feedback
from coach.grammar import place_issues
from coach.history.export import attempt_json, attempt_markdown
from coach.history.records import Attempt, FeedbackRecord
from coach.history.sound_trends import sound_trends
from coach.phonemes import inventory
from coach.phonemes.answer import (
    NotYet,
    SoundScore,
    SoundsReport,
    TermSounds,
    score_key_terms,
)
from coach.phonemes.recogniser import FRAME_S
from coach.scenarios import KeyTerm, Scenario
from coach.streamed_sounds import EarlySounds
from coach.transcript import Transcript, Word

IPA = {"we": "wiː", "saw": "sɔː", "jitter": "dʒˈɪɾɚ", "today": "tədˈeɪ", "high": "hˈaɪ"}
JITTER = Scenario("net", "Network", "explain", 60, "Why is it slow?", (KeyTerm("jitter"),))
TIMES = [("we", 0.2, 0.4), ("saw", 0.4, 0.7), ("jitter", 0.7, 1.2), ("today", 1.2, 1.7)]


def phonemize(phrases):
    return {p: IPA[p] for p in phrases}


def transcript(times=TIMES) -> Transcript:
    return Transcript(tuple(Word(w, s, e, 0.95) for w, s, e in times), duration_s=2.0)


def drawn_frames(times=TIMES, change: tuple[str, int, str] | None = None) -> np.ndarray:
    """Class log-probs as a clean recording of the words would give: each expected sound
    sure in its share of its word's time, then a blank frame. `change`: (word, index, class)
    said instead."""
    columns = len(inventory.CLASS_NAMES) + 1
    lp = np.full((int(2.0 / FRAME_S), columns), np.log(0.01 / columns))
    lp[:, 0] = np.log(0.99)
    for word, start, end in times:
        sounds = inventory.expected_phonemes(IPA[word])
        edges = np.linspace(start / FRAME_S, end / FRAME_S, len(sounds) + 1).astype(int)
        for i, sound in enumerate(sounds):
            column = inventory.sequence_columns([sound])[0][0]
            span = slice(edges[i], edges[i + 1] - 1)
            lp[span] = np.log(0.01 / columns)
            if change and change[:2] == (word, i):  # mostly the other sound, a little this one
                lp[span, column] = np.log(0.3)
                column = inventory.COLUMN[change[2]]
                lp[span, column] = np.log(0.69)
            else:
                lp[span, column] = np.log(0.99)
    return lp


def frames_of(lp: np.ndarray, calls: list | None = None):
    def frames(start_s: float, end_s: float):
        first = max(int(start_s / FRAME_S) - 5, 0)
        if calls is not None:
            calls.append((start_s, end_s))
        return lp[first:int(end_s / FRAME_S) + 5], first * FRAME_S
    return frames


def sounds(lp: np.ndarray, times=TIMES, calls=None) -> SoundsReport:
    said = transcript(times)
    return score_key_terms(said, JITTER, analyze_coverage(said, JITTER), frames_of(lp, calls),
                           phonemize)


def test_a_term_said_as_expected_is_judged_with_nothing_flagged():
    calls: list = []
    report = sounds(drawn_frames(), calls=calls)
    assert report.checked and [w.term for w in report.words] == ["jitter"]
    word = report.words[0]
    assert word.judged and not word.flagged
    assert [p.expected for p in word.phonemes] == [
        p.ipa for p in inventory.expected_phonemes(IPA["jitter"])]
    # aligned with the words before and after, inside their times and the margin
    assert calls == [(pytest.approx(0.34), pytest.approx(1.76))]
    assert (word.start, word.end, word.said_as) == (0.7, 1.2, "jitter")


def test_the_changed_sound_is_flagged_with_what_it_sounded_like_and_a_tip():
    word = sounds(drawn_frames(change=("jitter", 0, "j"))).words[0]
    assert word.judged
    assert [i for i, p in enumerate(word.phonemes) if p.flagged] == [0]
    first = word.phonemes[0]
    assert (first.expected, first.heard, first.kind) == ("dʒ", "j", "substitution")
    assert first.score < 0 and first.tip
    assert all(p.heard is None and p.tip is None for p in word.phonemes[1:])


def test_a_term_too_short_for_its_sounds_is_not_judged_and_flags_nothing():
    times = [("we", 0.2, 0.68), ("saw", 0.68, 0.7), ("jitter", 0.7, 0.72),
             ("today", 0.72, 0.74)]
    word = sounds(drawn_frames(change=("jitter", 0, "j")), times).words[0]
    assert not word.judged and word.reason and "short" in word.reason
    assert not word.flagged


def test_without_the_recogniser_sounds_are_not_checked_and_feedback_still_arrives():
    def broken(start_s, end_s):
        raise EngineUnavailable("The hama phoneme recogniser is not installed.",
                                hint="pip install hama==1.7.0")

    said = transcript()
    feedback = build_feedback(said, JITTER, place_issues(said, [], "test"), phonemize=phonemize,
                              phoneme_frames=broken)
    assert not feedback.sounds.checked and feedback.sounds.words == ()
    assert "hama" in feedback.sounds.message and "Traceback" not in feedback.sounds.message
    assert feedback.coverage.said == ("jitter",) and feedback.polished.text
    data = feedback.to_dict()
    assert data["pronunciation"] == [] and data["pronunciation_check"]["checked"] is False


def test_without_espeak_sounds_are_not_checked():
    said = transcript()
    report = score_key_terms(said, JITTER, analyze_coverage(said, JITTER),
                             frames_of(drawn_frames()), None)
    assert not report.checked and "espeak" in report.message


def test_the_json_shape_scripts_read():
    said = transcript()
    feedback = build_feedback(said, JITTER, place_issues(said, [], "test"), phonemize=phonemize,
                              phoneme_frames=frames_of(drawn_frames(change=("jitter", 0, "j"))))
    data = json.loads(json.dumps(feedback.to_dict()))
    assert data["schema_version"] == 4
    [word] = data["pronunciation"]
    assert word["term"] == "jitter" and word["judged"] is True
    for phoneme in word["phonemes"]:
        assert {"expected", "heard", "score", "flagged"} <= set(phoneme)
        assert isinstance(phoneme["expected"], str) and isinstance(phoneme["score"], float)
        assert isinstance(phoneme["flagged"], bool)
        assert phoneme["heard"] is None or isinstance(phoneme["heard"], str)
    assert [p["flagged"] for p in word["phonemes"]][:2] == [True, False]
    assert word["phonemes"][0]["heard"] == "j"


def test_the_report_reads_back():
    report = SoundsReport((TermSounds("cgroup", "c group", 1.0, 1.5, (
        SoundScore("s", "k", -4.2, True, "substitution", "Say /s/, not /k/."),
        SoundScore("iː", None, 0.5, False)), ipa="sˈiːɡɹuːp"),
        TermSounds("dmesg", "dmesg", 2.0, 2.1, (), False, "too short to align")), True, "")
    data = json.loads(json.dumps({"w": report.to_list(), "c": report.check_dict()}))
    assert SoundsReport.from_parts(data["w"], data["c"]) == report


def feedback_with(phoneme_frames):
    said = transcript()
    return build_feedback(said, JITTER, place_issues(said, [], "test"), phonemize=phonemize,
                          phoneme_frames=phoneme_frames)


def test_the_cli_shows_a_flagged_sound_with_what_it_sounded_like_and_the_tip():
    feedback = feedback_with(frames_of(drawn_frames(change=("jitter", 0, "j"))))
    text = render_text(feedback)
    section = text[text.index("Sounds of key terms"):]
    tip = feedback.sounds.words[0].phonemes[0].tip
    assert "jitter /dʒ ɪ" in section
    assert f"✗ /dʒ/ sounded like /j/: {tip}" in section


@pytest.mark.parametrize("frames, shown", [
    (frames_of(drawn_frames()), "jitter /dʒ ɪ ɾ ɚ/: every sound as expected"),
    ("Sounds are not checked: turned off in settings.", "turned off in settings"),
])
def test_the_cli_says_when_nothing_was_off_or_nothing_was_checked(frames, shown):
    text = render_text(feedback_with(frames))
    assert shown in text[text.index("Sounds of key terms"):]
    assert "✗" not in text[text.index("Sounds of key terms"):]


def kept(number: int, flags: list[bool] | None, version: int = 4) -> Attempt:
    """An analysed attempt whose kept feedback scored jitter's first two sounds (`flags`)."""
    words = [] if flags is None else [{"term": "jitter", "judged": True, "phonemes": [
        {"expected": "dʒ", "heard": "j" if flags[0] else None, "score": -4.0, "flagged": flags[0]},
        {"expected": "ɪ", "heard": None, "score": 1.0, "flagged": flags[1]}]}]
    return Attempt(number, "net", "2026-01-01T00:00:00", "/r.wav", feedback={
        "schema_version": version, "pronunciation": words})


def test_a_trend_names_each_sound_once_off_with_how_often_it_was_right():
    attempts = [kept(1, [True, True]), kept(2, [True, False]), kept(3, None),
                kept(4, [False, False]), kept(5, [False, False]), kept(6, [True, False]),
                kept(7, [False, False]), kept(8, [True, True], version=3)]
    trends = sound_trends(attempts, last=5)
    assert [t.sentence for t in trends] == [  # /ɪ/ was off only before the last five
        "your /dʒ/ in jitter: 3 of the last 5 attempts right"]
    assert sound_trends(attempts, last=3)[0].sentence == (
        "your /dʒ/ in jitter: 2 of the last 3 attempts right")
    assert sound_trends([kept(1, [False, False])]) == []


def test_the_markdown_export_lists_the_sounds_with_what_was_off():
    feedback = feedback_with(frames_of(drawn_frames(change=("jitter", 0, "j"))))
    attempt = Attempt(1, "net", "2026-01-01T00:00:00", "/r.wav", status="analyzed",
                      metrics=FeedbackRecord.from_dict(feedback.to_dict(), JITTER).metrics,
                      transcript=feedback.transcript.text, feedback=feedback.to_dict())
    text = attempt_markdown(attempt, JITTER)
    assert "## Sounds of key terms" in text
    assert "- jitter /dʒ ɪ ɾ ɚ/: /dʒ/ sounded like /j/ (" in text
    assert '"pronunciation": [' in attempt_json(attempt)


class KeyedFrames:
    """Drawn frames of the samples recorded so far (`recorded_s`), with a digest of each
    stretch, as ClipFrames gives them; counts the stretches run through the 'recogniser'."""

    def __init__(self, lp: np.ndarray, recorded_s: float = 2.0, tag: str = "a") -> None:
        self.lp, self.recorded_s, self.tag, self.runs = lp, recorded_s, tag, 0

    def key(self, start_s: float, end_s: float) -> str:
        if end_s > self.recorded_s:
            raise NotYet(end_s)
        return f"{self.tag}:{start_s:.2f}-{end_s:.2f}"

    def __call__(self, start_s: float, end_s: float):
        self.key(start_s, end_s)
        self.runs += 1
        return frames_of(self.lp)(start_s, end_s)


def test_a_term_scored_before_with_the_same_words_and_audio_is_taken_from_the_memo():
    said, memo = transcript(), {}
    coverage = analyze_coverage(said, JITTER)
    first = KeyedFrames(drawn_frames(change=("jitter", 0, "j")))
    before = score_key_terms(said, JITTER, coverage, first, phonemize, memo=memo)
    again = KeyedFrames(drawn_frames(change=("jitter", 0, "j")))
    after = score_key_terms(said, JITTER, coverage, again, phonemize, memo=memo)
    assert (first.runs, again.runs) == (1, 0) and after == before and after.words[0].flagged
    other_audio = KeyedFrames(drawn_frames(), tag="b")
    fresh = score_key_terms(said, JITTER, coverage, other_audio, phonemize, memo=memo)
    assert other_audio.runs == 1 and not fresh.words[0].flagged


def test_a_term_whose_stretch_is_not_recorded_yet_is_left_for_later():
    said = transcript()
    frames = KeyedFrames(drawn_frames(), recorded_s=1.0)
    report = score_key_terms(said, JITTER, analyze_coverage(said, JITTER), frames, phonemize,
                             memo={})
    assert report.checked and report.words == () and frames.runs == 0


class GrowingStream:
    """Stands in for a TranscriptionStream mid-answer: the words and audio so far."""

    def __init__(self, words) -> None:
        self.words = words
        self.waiting_s = 0.0  # audio in chunks the decoder has not reached
        self.is_open = True

    def progress(self):
        return SimpleNamespace(words=tuple(self.words), waiting_s=self.waiting_s)

    def clip(self):
        return SimpleNamespace(samples=np.zeros(16_000 * 2, np.float32))


def test_terms_scored_while_streaming_are_not_scored_again_after_stop():
    lp, memo = drawn_frames(change=("jitter", 0, "j")), {}
    made: list[KeyedFrames] = []

    def frames_of_samples(samples):
        made.append(KeyedFrames(lp, recorded_s=len(samples) / 16_000))
        return made[-1]

    stream = GrowingStream(transcript().words[:2])  # "we saw": no key term yet
    early = EarlySounds(stream, JITTER, frames_of_samples, phonemize, memo)
    early.step()
    assert memo == {} and early.rounds == 0
    stream.words = transcript().words  # the chunk with "jitter today" is decoded
    stream.waiting_s = 3.0  # but the decoder is behind: it goes first
    early.step()
    assert memo == {}
    stream.waiting_s = 0.0
    early.step()
    early.step()  # the same words: nothing new to do
    assert len(memo) == 1 and early.rounds == 1 and sum(f.runs for f in made) == 1
    final = KeyedFrames(lp)
    feedback = build_feedback(transcript(), JITTER, place_issues(transcript(), [], "test"),
                              phonemize=phonemize, phoneme_frames=final, sound_memo=memo)
    assert final.runs == 0 and feedback.sounds.words[0].flagged[0].heard == "j"


def test_the_scoring_thread_ends_with_its_stream():
    stream = GrowingStream(transcript().words)
    early = EarlySounds.start(stream, JITTER, lambda samples: KeyedFrames(drawn_frames()),
                              phonemize, {})
    stream.is_open = False  # finished or cancelled without a word to the thread
    early._thread.join(timeout=5)
    assert not early._thread.is_alive()
    stopped = EarlySounds.start(GrowingStream(()), JITTER, KeyedFrames, phonemize, {})
    stopped.stop()
    assert not stopped._thread.is_alive()


def test_a_term_written_glued_to_the_word_before_is_not_judged():
    times = [("we", 0.2, 0.4), ("checkjitter", 0.4, 1.2), ("today", 1.2, 1.7)]
    said = Transcript(tuple(Word(w, s, e, 0.95) for w, s, e in times), duration_s=2.0)
    coverage = analyze_coverage(said, JITTER)
    assert [h.evidence for h in coverage.covered] == ["glued"]
    frames = KeyedFrames(drawn_frames())
    [word] = score_key_terms(said, JITTER, coverage, frames, phonemize).words
    assert not word.judged and "joined" in word.reason and frames.runs == 0


class FakeRecogniser:
    """Stands in for hama: one frame per 320 samples, or a native failure."""

    symbols = ["p", "<wb>", "<blank>"]

    def __init__(self, fails: bool = False) -> None:
        self.fails, self.clips = fails, []

    def log_probs(self, samples):
        if self.fails:
            raise RuntimeError("native session crashed")
        self.clips.append(len(samples))
        return np.log(np.full((len(samples) // 320, 3), 1 / 3, np.float32))


def test_clip_frames_run_the_stretch_from_a_frame_boundary_and_say_where_it_starts():
    recogniser = FakeRecogniser()
    frames = ClipFrames(np.zeros(16_000 * 10, np.float32), recogniser)
    lp, start = frames(3.013, 4.0)
    assert start == 2.5  # 3.013 s less the padding, down to a frame boundary (320 samples)
    assert recogniser.clips == [int((4.0 + PAD_S) * 16_000) - int(start * 16_000)]
    assert lp.shape[0] == recogniser.clips[0] // 320
    assert frames.key(3.013, 4.0) == frames.key(3.013, 4.0) != frames.key(3.1, 4.0)
    growing = ClipFrames(np.zeros(16_000 * 4, np.float32), recogniser, complete=False)
    with pytest.raises(NotYet):
        growing(3.013, 4.0)


def test_a_recogniser_that_fails_is_an_unavailable_engine_with_a_plain_message():
    frames = ClipFrames(np.zeros(16_000 * 5, np.float32), FakeRecogniser(fails=True))
    with pytest.raises(EngineUnavailable) as raised:
        frames(1.0, 2.0)
    assert "failed" in raised.value.message and "Traceback" not in str(raised.value)
    said = transcript()
    report = score_key_terms(said, JITTER, analyze_coverage(said, JITTER), frames, phonemize)
    assert not report.checked and "failed" in report.message
