"""The recording pattern (callback queues, main thread writes) with a stand-in sounddevice."""

from __future__ import annotations

import threading
import time
import types
import wave

import numpy as np
import pytest

from coach.audio import recorder
from coach.cli.practice import level_meter
from coach.errors import AudioDeviceUnavailable


class FakeInputStream:
    """Calls the callback from its own thread with 0.1 s blocks of a tone, like PortAudio."""

    def __init__(self, samplerate, channels, dtype, device, blocksize, callback):
        self.blocksize, self.callback = blocksize, callback
        self.running = False

    def __enter__(self):
        self.running = True
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()
        return self

    def _feed(self):
        block = (np.sin(np.arange(self.blocksize) * 0.1) * 8000).astype(np.int16).reshape(-1, 1)
        while self.running:
            self.callback(block, self.blocksize, None, None)
            time.sleep(0.01)  # faster than real time, so the test is quick

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


@pytest.fixture
def fake_sounddevice(monkeypatch):
    module = types.SimpleNamespace(
        InputStream=FakeInputStream, PortAudioError=RuntimeError,
        check_input_settings=lambda **kw: None, query_devices=lambda: [
            {"name": "fake mic", "max_input_channels": 1, "max_output_channels": 0}])
    monkeypatch.setattr(recorder, "_sounddevice", lambda: module)
    return module


def test_recording_stops_at_the_limit_and_keeps_every_block(fake_sounddevice, tmp_path):
    levels = []
    result = recorder.MicrophoneSource().record(tmp_path / "a.wav", 1.0, lambda: False,
                                               lambda elapsed, level: levels.append(level))
    assert result.stopped_by == "limit"
    with wave.open(str(result.path)) as audio:
        assert audio.getframerate() == 16000
        assert audio.getnframes() / 16000 == pytest.approx(result.duration_s)
    assert result.duration_s >= 1.0
    assert levels and all(0 < level <= 1 for level in levels)


def test_enter_stops_and_ctrl_c_keeps_what_was_recorded(fake_sounddevice, tmp_path):
    calls = {"n": 0}

    def stop_after_five():
        calls["n"] += 1
        return calls["n"] > 5

    stopped = recorder.MicrophoneSource().record(tmp_path / "b.wav", 30, stop_after_five)
    assert stopped.stopped_by == "enter" and 0 < stopped.duration_s < 30

    def interrupt(elapsed, level):
        if elapsed > 0.3:
            raise KeyboardInterrupt

    kept = recorder.MicrophoneSource().record(tmp_path / "c.wav", 30, lambda: False, interrupt)
    assert kept.stopped_by == "interrupt"
    assert kept.duration_s >= 0.3
    with wave.open(str(kept.path)) as audio:
        assert audio.getnframes() == round(kept.duration_s * 16000)


def test_no_device_message_lists_devices_and_suggests_analyze(monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("no device")

    module = types.SimpleNamespace(PortAudioError=RuntimeError, check_input_settings=refuse,
                                   query_devices=list)
    monkeypatch.setattr(recorder, "_sounddevice", lambda: module)
    with pytest.raises(AudioDeviceUnavailable) as caught:
        recorder.MicrophoneSource().check()
    message = str(caught.value)
    assert "No input (microphone) device available. No audio devices found." in message
    assert "coach analyze FILE" in message and "--input FILE" in message


def test_level_meter():
    assert level_meter(3.2, 30, 0.5) == "  ● " + "  3.2 s / 30 s  [" + "█" * 10 + " " * 10 + "]"
    assert level_meter(0.0, 30, 0.0).endswith("[" + " " * 20 + "]")  # silence: an empty bar
    assert level_meter(29.9, 30, 1.0).endswith("[" + "█" * 20 + "]")  # full scale: a full bar
    meters = [level_meter(t / 10, 30, level / 10) for t in range(300) for level in range(11)]
    assert {len(m) for m in meters} == {len(meters[0])}  # the bar never shifts as it updates
    assert all(m.isprintable() for m in meters)  # plain text: no escape codes for the terminal


def test_every_block_written_is_handed_on_in_order(fake_sounddevice, tmp_path):
    handed = []
    result = recorder.MicrophoneSource().record(tmp_path / "a.wav", 0.5, lambda: False,
                                               on_block=handed.append)
    with wave.open(str(result.path)) as audio:
        written = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2")
    assert len(handed) >= 5 and all(b.shape == (1600, 1) for b in handed)
    assert np.array_equal(np.concatenate(handed).ravel(), written)
