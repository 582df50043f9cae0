"""`coach practice` from a microphone: the answer is transcribed while it is recorded.

A stand-in sounddevice plays a fixture as the microphone (0.1 s int16 blocks from its own
thread, faster than real time, then silence up to the time limit). The loop keeps the
recording, and the feedback comes from the stream's transcript, which is the one the kept
recording gets when it is decoded whole.
"""

from __future__ import annotations

import io
import threading
import time
import types

import numpy as np

from coach.attempts import analyze_and_keep
from coach.audio import recorder
from coach.audio.decode import load_audio
from coach.audio.recorder import MicrophoneSource, SilentSink
from coach.cli.practice import PracticeLoop, Terminal
from coach.history import HistoryStore
from coach.streamed_answer import StreamedAnswer


class FixtureMicrophone:
    """sounddevice.InputStream that plays `samples` (int16), then silence, until closed."""

    samples: np.ndarray

    def __init__(self, samplerate, channels, dtype, device, blocksize, callback):
        self.blocksize, self.callback = blocksize, callback

    def __enter__(self):
        self.running = True
        self.thread = threading.Thread(target=self._play, daemon=True)
        self.thread.start()
        return self

    def _play(self):
        offset = 0
        while self.running:
            block = self.samples[offset : offset + self.blocksize]
            block = np.pad(block, (0, self.blocksize - len(block))).reshape(-1, 1)
            self.callback(block, self.blocksize, None, None)
            offset += self.blocksize
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def test_a_microphone_answer_is_streamed_kept_and_gets_the_whole_file_feedback(
        offline_coach, fixtures, tmp_path, monkeypatch):
    fixture = fixtures["oom-us150-fillers"]
    pcm = np.round(load_audio(fixture.path).samples * 32768).clip(-32768, 32767)
    FixtureMicrophone.samples = pcm.astype(np.int16)
    monkeypatch.setattr(recorder, "_sounddevice", lambda: types.SimpleNamespace(
        InputStream=FixtureMicrophone, PortAudioError=RuntimeError,
        check_input_settings=lambda **settings: None))
    used = []
    original = StreamedAnswer.transcriber_for

    def transcriber_for(self, coach, scenario):
        transcribe = original(self, coach, scenario)
        used.append(transcribe is not None)
        return transcribe

    monkeypatch.setattr(StreamedAnswer, "transcriber_for", transcriber_for)
    store = HistoryStore(tmp_path / "history.db", recordings=tmp_path / "recordings")
    out = io.StringIO()
    loop = PracticeLoop(offline_coach, store, MicrophoneSource(), SilentSink(),
                        Terminal(io.StringIO("q\n"), out), tmp_path / "work")
    assert loop.run(offline_coach.library.get(fixture.scenario)) == 0
    assert used == [True], "the answer was not transcribed from the stream"
    assert "OOMKiller" in out.getvalue() and "Key terms" in out.getvalue()

    [attempt] = store.attempts()
    assert attempt.status == "analyzed"
    kept = load_audio(attempt.recording_path).samples
    assert np.array_equal(kept[: len(pcm)], (pcm / 32768).astype(np.float32))
    streamed = store.get(attempt.id).transcript
    _, whole, error = analyze_and_keep(offline_coach, store, attempt.recording_path,
                                       fixture.scenario)
    assert error is None and streamed == whole.transcript.text
