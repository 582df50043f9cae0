"""The live panel's captions (coach/engines/live_captions.py): which audio is captioned, how
captions replace each other and give way to the stream's own words, with stand-ins for the
stream and the small model. The real tiny.en model is exercised in
tests/integration/test_live_captions.py."""

from __future__ import annotations

import numpy as np
import pytest

from coach.engines import live_captions as lc
from coach.engines.transcription_stream import StreamProgress
from coach.transcript import Word


def words(*spec: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text, start, end) for text, start, end in spec)


@pytest.mark.parametrize("decoded, received, expected", [
    (0.0, 0.5, None),  # too little audio yet
    (0.0, 3.0, (0.0, False)),  # all of it, from the start
    (4.0, 4.8, None),  # the stream's words are recent enough
    (4.0, 7.0, (4.0, False)),  # from where the stream's words end
    (2.0, 14.0, (6.0, True)),  # capped at WINDOW_S: the start cuts into the speech
])
def test_the_window_is_the_newest_undecoded_audio(decoded, received, expected):
    assert lc.caption_window(decoded, received) == expected


def test_a_new_caption_replaces_the_words_it_covers_and_keeps_older_ones():
    old = words(("so", 1.0, 1.2), ("the", 1.3, 1.4), ("oom", 2.9, 3.2))
    new = words(("OOMKiller", 2.9, 3.6), ("killed", 3.7, 4.0))
    assert lc.updated_captions(old, 2.5, new, cut=False) == (*old[:2], *new)


def test_a_cut_window_drops_its_first_half_word():
    new = words(("ler", 6.0, 6.2), ("killed", 6.4, 6.8))
    assert lc.updated_captions((), 6.0, new, cut=True) == new[1:]


def progress(own: tuple[Word, ...], decoded_s: float, received_s: float = 10.0, **more):
    return StreamProgress(own, received_s, decoded_s, more.get("backlog_s", 0.0),
                          more.get("waiting_s", 0.0), more.get("pause_s", 0.0))


def test_captions_come_after_the_streams_own_words_and_give_way_to_them():
    own = words(("I", 0.5, 0.6), ("think", 0.6, 0.9))
    captions = words(("think", 0.6, 0.9), ("the", 1.4, 1.5), ("OOMKiller", 1.5, 2.2))
    merged = lc.with_captions(progress(own, decoded_s=1.2), captions)
    assert [w.text for w in merged.words] == ["I", "think", "the", "OOMKiller"]
    assert merged.decoded_s == 1.2, "the stream's own progress is not claimed by captions"
    caught_up = lc.with_captions(progress(own, decoded_s=2.5), captions)
    assert caught_up.words == own


class StandInStream:
    def __init__(self, received_s: float, decoded_s: float) -> None:
        self.received_s, self.decoded_s = received_s, decoded_s
        self.more: dict[str, float] = {}
        self.asked: list[tuple[float, float]] = []
        self.is_open = True

    def progress(self) -> StreamProgress:
        return progress((), self.decoded_s, self.received_s, **self.more)

    def audio_between(self, start_s: float, end_s: float) -> np.ndarray:
        self.asked.append((start_s, end_s))
        return np.zeros(round((end_s - start_s) * 16000), dtype=np.float32)


def test_a_caption_is_decoded_once_every_second_of_new_audio():
    stream = StandInStream(received_s=3.0, decoded_s=0.0)
    captions = lc.LiveCaptions(stream, lambda: decode)  # type: ignore[arg-type]

    def decode(samples, start_s):
        return [Word("hello", start_s + 0.1, start_s + 0.5)]

    captions.step(decode)
    captions.step(decode)  # no new audio: nothing decoded
    stream.received_s = 3.6
    captions.step(decode)  # 0.6 s more: not yet
    stream.received_s, stream.decoded_s = 4.2, 2.0
    captions.step(decode)
    assert stream.asked == [(0.0, 3.0), (2.0, 4.2)]
    assert captions.decodes == 2
    assert [w.start for w in captions.words] == [pytest.approx(0.1), pytest.approx(2.1)]
    assert [w.text for w in captions.progress().words] == ["hello"], \
        "only the caption after the stream's decoded audio is shown"


@pytest.mark.parametrize("state", [
    {"pause_s": 0.3},  # the speaker pauses: the stream decodes ahead what Stop would close
    {"backlog_s": 12.0, "waiting_s": 5.0},  # the stream's decoder is falling behind
])
def test_no_caption_while_the_stream_needs_the_cores(state):
    stream = StandInStream(received_s=3.0, decoded_s=0.0)
    stream.more = state
    captions = lc.LiveCaptions(stream, lambda: decode)  # type: ignore[arg-type]

    def decode(samples, start_s):
        raise AssertionError("no caption now")

    captions.step(decode)
    assert captions.decodes == 0


def test_a_stopped_caption_is_not_kept():
    stream = StandInStream(received_s=3.0, decoded_s=0.0)
    captions = lc.LiveCaptions(stream, lambda: decode)  # type: ignore[arg-type]

    def decode(samples, start_s):
        captions.stop()  # Stop came while this caption was decoded
        return [Word("late", 1.0, 1.5)]

    captions.step(decode)
    assert captions.words == ()


def test_captions_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(lc.SWITCH_VARIABLE, "0")
    assert not lc.captions_wanted()
    monkeypatch.setenv(lc.SWITCH_VARIABLE, "1")
    assert lc.captions_wanted()
