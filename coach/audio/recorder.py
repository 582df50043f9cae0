"""Microphone recording and speaker playback with sounddevice, plus file stand-ins for both.

Recording follows the sounddevice pattern: the audio callback only queues blocks; the calling
thread drains the queue into the WAV file as blocks arrive, so an interrupted recording
(Ctrl-C) keeps everything captured so far. The same thread hands each block, right after
writing it, to `on_block` (e.g. a transcription stream's `feed`), so whatever consumes the
blocks sees exactly what the file holds, in order. `FileSource` and `FileSink` replace the
microphone and the speaker (`coach practice --input FILE`), which is how tests drive the whole loop;
`FileSource(realtime=True)` plays its file like a microphone held to it would record it: 16 kHz
16-bit blocks at the pace of speech, then silence until Enter or the limit, each block written
and handed to `on_block` (`coach practice --realtime`);
`SilentSink` stands in for a missing speaker (playback off, the text is shown instead).
"""

from __future__ import annotations

import queue
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.audio.wav import pcm_writer, read_wav
from coach.errors import AudioDeviceUnavailable

RECORD_RATE = 16_000
BLOCK_S = 0.1

# (elapsed seconds, level 0..1) -> None; called from the recording thread about 10 times a second
Progress = Callable[[float, float], None]
# (int16 samples of shape (n, 1) at RECORD_RATE) -> None; called with every block written
BlockConsumer = Callable[[np.ndarray], None]


@dataclass(frozen=True)
class Recording:
    path: Path
    duration_s: float
    stopped_by: str  # "enter" | "limit" | "interrupt" | "file"


def _sounddevice():
    try:
        import sounddevice
    except OSError as error:  # PortAudio library missing
        raise AudioDeviceUnavailable(
            f"Audio devices cannot be used: {error}.",
            hint="Install libportaudio2 (apt-get install libportaudio2), or use "
                 "'coach analyze FILE' with a recording.",
        ) from None
    return sounddevice


def list_devices() -> list[dict]:
    return [dict(d, index=i) for i, d in enumerate(_sounddevice().query_devices())]


def describe_devices() -> str:
    devices = list_devices()
    if not devices:
        return "No audio devices found."
    return "\n".join(f"{d['index']:>3} {d['name']} (in {d['max_input_channels']}, "
                     f"out {d['max_output_channels']})" for d in devices)


def _no_device(kind: str) -> AudioDeviceUnavailable:
    return AudioDeviceUnavailable(
        f"No {kind} device available. {describe_devices()}",
        hint="Choose one with --device N (see --list-devices), pass --input FILE to use a "
             "recording, or run 'coach analyze FILE'.",
    )


class MicrophoneSource:
    def __init__(self, device: int | None = None) -> None:
        self.device = device

    def check(self) -> None:
        sd = _sounddevice()
        try:
            sd.check_input_settings(device=self.device, channels=1, samplerate=RECORD_RATE)
        except (sd.PortAudioError, ValueError):
            raise _no_device("input (microphone)") from None

    def record(self, path: Path, limit_s: float, should_stop: Callable[[], bool],
               progress: Progress | None = None,
               on_block: BlockConsumer | None = None) -> Recording:
        sd = _sounddevice()
        self.check()
        blocks: queue.Queue[np.ndarray] = queue.Queue()

        def callback(indata, frames, time_info, status):  # runs on the audio thread
            blocks.put(indata.copy())

        def keep(block: np.ndarray) -> None:
            out.writeframes(block.tobytes())
            if on_block:
                on_block(block)

        path.parent.mkdir(parents=True, exist_ok=True)
        frames = 0
        stopped_by = "limit"
        with pcm_writer(path, RECORD_RATE) as out:
            try:
                with sd.InputStream(samplerate=RECORD_RATE, channels=1, dtype="int16",
                                    device=self.device, blocksize=int(RECORD_RATE * BLOCK_S),
                                    callback=callback):
                    while frames < limit_s * RECORD_RATE:
                        if should_stop():
                            stopped_by = "enter"
                            break
                        try:
                            block = blocks.get(timeout=0.5)
                        except queue.Empty:
                            continue
                        keep(block)
                        frames += len(block)
                        if progress:
                            level = float(np.sqrt(np.mean((block / 32768.0) ** 2)))
                            progress(frames / RECORD_RATE, min(1.0, level * 4))
            except KeyboardInterrupt:
                stopped_by = "interrupt"
            while not blocks.empty():  # keep what the callback queued before the stream closed
                block = blocks.get_nowait()
                keep(block)
                frames += len(block)
        return Recording(path, frames / RECORD_RATE, stopped_by)


class FileSource:
    """A recording that already exists, 'recorded' by copying it (progress reported at once),
    or, with `realtime`, played block by block at the pace of speech like a microphone."""

    def __init__(self, path: str | Path, *, realtime: bool = False) -> None:
        self.source = Path(path)
        self.realtime = realtime

    def check(self) -> None:
        """A file that is not a recording at all is refused here, before anything is kept."""
        from coach.audio.decode import probe  # PyAV loads only when a file is used

        probe(self.source)

    def record(self, path: Path, limit_s: float, should_stop: Callable[[], bool],
               progress: Progress | None = None,
               on_block: BlockConsumer | None = None) -> Recording:
        self.check()
        if self.realtime:
            return self._play(path.with_suffix(".wav"), limit_s, should_stop, progress, on_block)
        target = path.with_suffix(self.source.suffix or ".wav")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.source, target)
        from coach.audio.decode import probe

        duration = probe(target)[3]
        if progress:
            progress(duration, 0.5)
        return Recording(target, duration, "file")


    def _play(self, path: Path, limit_s: float, should_stop: Callable[[], bool],
              progress: Progress | None, on_block: BlockConsumer | None) -> Recording:
        """The file, then silence, block by block at the pace of speech until `should_stop`
        or the limit: what a microphone held to the file's sound would record."""
        from coach.audio.decode import load_audio

        pcm = np.round(load_audio(self.source).samples * 32768).clip(-32768, 32767)
        pcm = pcm.astype(np.int16)
        size = int(RECORD_RATE * BLOCK_S)
        total = int(limit_s * RECORD_RATE)
        path.parent.mkdir(parents=True, exist_ok=True)
        began, frames, stopped_by = time.monotonic(), 0, "limit"
        with pcm_writer(path, RECORD_RATE) as out:
            while frames < total:
                time.sleep(max(0.0, began + frames / RECORD_RATE - time.monotonic()))
                if should_stop():
                    stopped_by = "enter"
                    break
                block = pcm[frames : frames + size]
                block = np.pad(block, (0, min(size, total - frames) - len(block)))
                block = block.reshape(-1, 1)
                out.writeframes(block.tobytes())
                if on_block:
                    on_block(block)
                frames += len(block)
                if progress:
                    level = float(np.sqrt(np.mean((block / 32768.0) ** 2)))
                    progress(frames / RECORD_RATE, min(1.0, level * 4))
        return Recording(path, frames / RECORD_RATE, stopped_by)


class SpeakerSink:
    audible = True

    def __init__(self, device: int | None = None) -> None:
        self.device = device

    def check(self) -> None:
        sd = _sounddevice()
        try:
            sd.check_output_settings(device=self.device, channels=1)
        except (sd.PortAudioError, ValueError):
            raise _no_device("output (speaker)") from None

    def play(self, wav_path: Path) -> None:
        sd = _sounddevice()
        data, rate = read_wav(wav_path)
        sd.play(data, rate, device=self.device)
        sd.wait()


class FileSink:
    """Playback into a folder: each played WAV is copied there, in order, for tests to inspect."""

    audible = True

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.played: list[Path] = []

    def check(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def play(self, wav_path: Path) -> None:
        self.check()
        target = self.folder / f"{len(self.played) + 1:02d}-{Path(wav_path).name}"
        shutil.copyfile(wav_path, target)
        self.played.append(target)


class SilentSink:
    """No speaker: nothing is played. Callers check `audible` and skip making the audio."""

    audible = False

    def check(self) -> None:
        pass

    def play(self, wav_path: Path) -> None:
        pass


def timestamped_name(prefix: str) -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{prefix}"
