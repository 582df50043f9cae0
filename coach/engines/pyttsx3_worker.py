"""Run by `SystemSynthesizer` as `python pyttsx3_worker.py`: say texts into files with pyttsx3.

Input on stdin, one JSON object: {"driver": null | "espeak" | "nsss" | "sapi5", "rate": int,
"text": str, "path": str}. Exit status 0 once the file is complete; CANCELLED when pyttsx3
cut the utterance short (worth another try); otherwise a message on stderr and status 1.
Standard library and pyttsx3 only: this file is run by path, so starting it does not import
coach (or NumPy, Whisper ...). One utterance per process: a reused pyttsx3 engine ignored rate
changes and, asked for a second file, never wrote it.

pyttsx3's espeak driver synthesises on espeak's own thread and writes the file from a callback
that can land after `runAndWait()` returns; leaving then would lose the file with the process.
So the file is awaited until its header says it is complete.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time

COMPLETE_WITHIN_S = 30.0
CANCELLED = 75  # exit status: the driver reported the utterance as not completed


def is_complete(path: str) -> bool:
    """Whether a RIFF/WAVE or AIFF file is fully written: its header's size matches the file's."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as audio:
            header = audio.read(12)
    except OSError:
        return False
    if size <= 44 or len(header) < 12:
        return False
    if header[:4] == b"RIFF":
        return int.from_bytes(header[4:8], "little") + 8 == size
    if header[:4] == b"FORM":  # AIFF, what NSSpeechSynthesizer writes
        return int.from_bytes(header[4:8], "big") + 8 == size
    return False


def wait_until_complete(path: str, timeout: float = COMPLETE_WITHIN_S) -> bool:
    deadline = time.monotonic() + timeout
    while not is_complete(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def main() -> int:
    request = json.load(sys.stdin)
    # The espeak driver prints "Audio saved to ..." on stdout: keep stdout for nothing.
    with contextlib.redirect_stdout(io.StringIO()):
        import pyttsx3

        engine = pyttsx3.init(request.get("driver"))
        finished: list[bool] = []  # each "finished-utterance": whether it was completed

        def on_finished(completed: bool = True, **_) -> None:
            finished.append(completed)

        engine.connect("finished-utterance", on_finished)
        engine.setProperty("rate", request["rate"])
        engine.save_to_file(request["text"], request["path"])
        engine.runAndWait()
        if not wait_until_complete(request["path"]):
            print(f"the system voice did not finish writing {request['path']}", file=sys.stderr)
            return 1
    if False in finished:  # pyttsx3's loop stopped the utterance part-way: a short file
        print("the system voice stopped part-way", file=sys.stderr)
        return CANCELLED
    return 0


if __name__ == "__main__":
    try:
        status = main()
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises a typed error
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        status = 1
    sys.stderr.flush()
    # Skip interpreter teardown: espeak's library asserts when it is shut down from Python.
    os._exit(status)
