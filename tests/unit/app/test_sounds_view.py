"""The key terms' sounds on the page (ui/sounds_view.py) and the two clips behind its players
(coach.phonemes.clips): pure rendering and file making, with a stand-in voice."""

from __future__ import annotations

import re
import wave
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from coach.audio.wav import read_wav, write_pcm_wav
from coach.phonemes.answer import SoundScore, SoundsReport, TermSounds
from coach.phonemes.clips import MIN_CLIP_S, PAD_S, TermClips, term_clips
from coach.ui.sounds_view import sound_clips, sound_trend_lines, sounds_html, sounds_request

CGROUP = TermSounds("cgroup", "cgroup", 1.0, 1.5, (
    SoundScore("s", "k", -4.2, True, "substitution", "Say /s/ (s in see), not /k/."),
    SoundScore("iː", None, -0.5, False), SoundScore("ɡ", None, 2.0, False)), ipa="sˈiːɡ")
SHORT = TermSounds("dmesg", "dmesg", 2.0, 2.05, (SoundScore("d", None, 0.0, False),), False,
                   "too short: fewer frames than sounds")
REPORT = SoundsReport((CGROUP, SHORT), True, "")


def chips(html: str) -> list[str]:
    return re.findall(r'<span class="phoneme ([a-z]+)"[^>]*aria-label="([^"]+)"', html)


def test_each_sound_is_marked_in_words_as_well_as_colour():
    html = sounds_html(REPORT)
    assert chips(html) == [("off", "/s/ off, sounded like k"), ("unsure", "/iː/ close"),
                           ("ok", "/ɡ/ as expected"), ("unjudged", "/d/ not judged")]
    assert "/s/ sounded like /k/" in html and "Say /s/ (s in see), not /k/." in html
    assert "1 sound off" in html and "not judged: too short" in html
    assert re.search(r'data-term="cgroup" open>', html), "a term with a sound off opens itself"
    assert 'data-term="dmesg">' in html
    assert "clips-pending" in html  # the players come after the written feedback


def test_sounds_not_checked_say_why():
    html = sounds_html(SoundsReport((), False, "Sounds were not checked. hama is missing."))
    assert "hama is missing" in html and "phoneme" not in html


def speak_into(log: list):
    def speak(text: str, path: Path) -> None:
        log.append(text)
        write_pcm_wav(path, np.zeros(8000, np.float32))
    return speak


def seconds(path: str) -> float:
    with wave.open(path) as audio:
        return audio.getnframes() / audio.getframerate()


def test_yours_is_the_word_cut_from_the_recording_and_the_model_is_made_once(tmp_path):
    recording = tmp_path / "answer.wav"
    write_pcm_wav(recording, 0.1 * np.sin(np.arange(16000 * 4) / 5).astype(np.float32))
    said: list = []
    made = term_clips(recording, REPORT.words, tmp_path / "clips", speak=speak_into(said),
                      voice="piper|145")
    assert [c.term for c in made] == ["cgroup", "dmesg"] and not any(c.problem for c in made)
    # the word (0.5 s and PAD_S each side) in the middle of silence up to MIN_CLIP_S: a
    # browser shows a shorter clip as "0:00 / 0:00"
    yours, rate = read_wav(Path(made[0].yours))
    assert len(yours) == MIN_CLIP_S * rate
    sounding = np.flatnonzero(yours)
    assert abs((sounding[-1] - sounding[0]) / rate - (0.5 + 2 * PAD_S)) < 0.01
    assert abs(sounding[0] / rate - (MIN_CLIP_S - 0.5 - 2 * PAD_S) / 2) < 0.01
    assert seconds(made[0].model) == MIN_CLIP_S and said == ["cgroup", "dmesg"]
    again = term_clips(recording, REPORT.words, tmp_path / "clips", speak=speak_into(said),
                       voice="piper|145")
    assert again == made and said == ["cgroup", "dmesg"]  # reused, not made again
    other = term_clips(recording, REPORT.words[:1], tmp_path / "clips", speak=speak_into(said),
                       voice="piper|170")  # another speed: said again
    assert other[0].model != made[0].model and said[-1] == "cgroup"


def test_a_recording_that_cannot_be_read_still_gets_the_model(tmp_path):
    made = term_clips(tmp_path / "gone.wav", REPORT.words[:1], tmp_path / "clips",
                      speak=speak_into([]), voice="piper|145")
    assert made[0].yours is None and made[0].model and "cannot be cut" in made[0].problem


def test_the_clips_handler_puts_two_players_on_each_term_judged(tmp_path):
    class Voice:
        library = SimpleNamespace(get=lambda scenario_id: scenario_id)

        def term_clips(self, recording, words, scenario, folder):
            return [TermClips(w.term, str(tmp_path / f"{w.term}-yours.wav"),
                              str(tmp_path / f"{w.term}-model.wav")) for w in words]

    feedback = SimpleNamespace(audio_path=str(tmp_path / "a.wav"), sounds=REPORT,
                               scenario=SimpleNamespace(id="oom"))
    html = sound_clips(SimpleNamespace(coach=Voice()), sounds_request(feedback))
    sources = re.findall(r'data-clip="(yours|model)" src="([^"]+)"', html)
    assert [kind for kind, _ in sources] == ["yours", "model"]  # dmesg was not judged
    assert "<audio" not in html[html.index('data-term="dmesg"'):]
    assert sources[0][1] == "gradio_api/file=" + str(tmp_path / "cgroup-yours.wav")
    assert "clips-pending" not in html


def kept_answer(flagged: bool) -> SimpleNamespace:
    return SimpleNamespace(feedback={"schema_version": 4, "pronunciation": [
        {"term": "cgroup", "judged": True, "phonemes": [
            {"expected": "s", "heard": "k" if flagged else None, "score": -4.0,
             "flagged": flagged},
            {"expected": "iː", "heard": None, "score": 1.0, "flagged": False}]}]})


class Kept:
    def __init__(self, attempts) -> None:
        self.kept, self.asked = attempts, []

    def attempts(self, **options):
        self.asked.append(options)
        return self.kept


def test_a_sound_off_now_shows_how_it_went_in_the_kept_answers():
    store = Kept([kept_answer(True), kept_answer(False), kept_answer(False), kept_answer(True)])
    lines = sound_trend_lines(SimpleNamespace(store=store), REPORT)
    assert lines == {"cgroup": ["your /s/ in cgroup: 2 of the last 4 attempts right"]}
    assert store.asked == [{"limit": 30, "kind": "answer"}]
    html = sounds_html(REPORT, trends=lines)
    assert "Your /s/ in cgroup: 2 of the last 4 attempts right" in html
    # shown again with the players
    request = sounds_request(SimpleNamespace(audio_path="", sounds=REPORT,
                                             scenario=SimpleNamespace(id="oom")), lines)
    assert "2 of the last 4" in sound_clips(SimpleNamespace(coach=None), request)


def test_no_trend_for_a_first_attempt_nor_without_history_nor_without_a_sound_off():
    assert sound_trend_lines(SimpleNamespace(store=Kept([kept_answer(True)])), REPORT) == {}
    assert sound_trend_lines(SimpleNamespace(store=None), REPORT) == {}
    nothing_off = SoundsReport((SHORT,), True, "")
    store = Kept([kept_answer(True)] * 3)
    assert sound_trend_lines(SimpleNamespace(store=store), nothing_off) == {}
    assert store.asked == []  # history is not read for nothing


def test_a_short_model_clip_at_the_voices_own_rate_is_centred_in_a_second(tmp_path):
    from coach.audio.wav import write_wav

    def speak(text: str, path: Path) -> None:  # a voice at 22.05 kHz saying it in 0.3 s
        write_wav(path, np.full(6615, 1000, np.int16), 22050)

    made = term_clips(tmp_path / "gone.wav", REPORT.words[:1], tmp_path / "clips", speak=speak,
                      voice="espeak|145")
    samples, rate = read_wav(Path(made[0].model))
    assert rate == 22050 and len(samples) == 22050
    assert np.flatnonzero(samples)[0] == (22050 - 6615) // 2
