"""The live panel's captions with the real small model (tiny.en) and a real stream: words show
within a second or two of being said, at the lowest CPU priority, and stop with the recording.
They never reach the transcript: tests/integration/test_streamed_answers.py runs its answers
with captions on and still gets the whole-file transcript word for word."""

from __future__ import annotations

import os
import time

import numpy as np

from benchmarks.word_error_rate import word_error_rate
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.engines.live_captions import NICE
from coach.scenarios.library import ScenarioLibrary
from coach.streamed_answer import StreamedAnswer

LIBRARY = ScenarioLibrary.load()
BLOCK = SAMPLE_RATE // 10  # as the page sends it: 0.1 s


def nice_values() -> list[int]:
    values = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as stat:
                values.append(int(stat.read().rsplit(")", 1)[1].split()[16]))
        except OSError:
            continue  # the thread ended meanwhile
    return values


def test_a_caption_is_the_words_of_the_audio_on_the_recordings_timeline(offline_coach, fixtures):
    fixture = fixtures["oom-us150-fillers"]
    scenario = LIBRARY.get(fixture.scenario)
    samples = load_audio(fixture.path).samples
    start, end = 10.0, 18.0
    decode = offline_coach._caption_model().quick_decoder([t.term for t in scenario.key_terms])
    words = decode(samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)], start)
    assert words, "the small model heard nothing in 8 s of speech"
    assert all(start <= w.start <= w.end <= end + 0.05 for w in words), words
    said = [w.text for w in words]
    reference = ("I'd like to check the exit code first. If it is exit code 137, uh, it was a "
                 "kill signal.")
    assert word_error_rate(reference, " ".join(said)) < 0.4, said  # tiny.en: a rough caption
    assert decode(np.zeros(2 * SAMPLE_RATE, dtype=np.float32), 3.0) == [], \
        "silence gives no caption"


def test_captions_show_the_words_before_the_stream_decodes_them(offline_coach, fixtures):
    fixture = fixtures["oom-us150-fillers"]
    scenario = LIBRARY.get(fixture.scenario)
    offline_coach._caption_model()  # loaded (the app loads it while it starts)
    pcm = np.clip(np.round(load_audio(fixture.path).samples * 32768), -32768, 32767
                  ).astype(np.int16)
    answer = StreamedAnswer.open(offline_coach, scenario)
    assert answer.captions is not None
    ahead, lowest = [], False
    began = time.monotonic()
    for offset in range(0, 9 * SAMPLE_RATE, BLOCK):  # 9 s of the answer, in real time
        while time.monotonic() < began + offset / SAMPLE_RATE:
            time.sleep(0.01)
        answer.stream.feed(pcm[offset : offset + BLOCK], SAMPLE_RATE)
        if offset % (SAMPLE_RATE // 2) == 0:
            shown, own = answer.progress(), answer.stream.progress()
            ahead.append(len(shown.words) - len(own.words))
            lowest = lowest or NICE in nice_values()
    answer.recorded()
    decodes = answer.captions.decodes
    time.sleep(1.5)
    assert answer.captions.decodes == decodes, "no caption starts after the recording ended"
    assert max(ahead) >= 3, f"captions never ran ahead of the stream's words: {ahead}"
    assert lowest, "the captions' model worker runs at the lowest priority"
    assert answer.stream.finish().words, "the answer is transcribed as usual"
