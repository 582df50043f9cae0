"""Which kept attempts are being analysed right now, by a process that is still alive.

An attempt stays "recorded" from the moment its recording is kept until its analysis ends;
after a crash it stays "recorded" for good. To tell the two apart, the analysing process
leaves a mark, `<data dir>/analysing/<attempt id>`, holding its pid and that process's start
time (so a pid reused by another process after a reboot or a crash is not taken for it), and
removes it when the analysis ends. `being_analysed` is True only while such a process lives.

    with analysing(store.path.parent, attempt.id):
        ...analyse...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

MARKS_FOLDER = "analysing"


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, from /proc), "" where there is no
    /proc, None if the process does not exist."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else _exists(pid)
    except OSError:
        return _exists(pid)
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22, counted after "pid (comm)"


def _exists(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return ""
    return ""


def _mark(folder: Path, attempt_id: int) -> Path:
    return folder / MARKS_FOLDER / str(int(attempt_id))


@contextlib.contextmanager
def analysing(data_folder: str | Path, attempt_id: int) -> Iterator[None]:
    """Mark `attempt_id` as analysed by this process for the duration of the block. A mark that
    cannot be written (a full disk) is skipped: the page then offers to analyse it again."""
    mark = _mark(Path(data_folder), attempt_id)
    written = False
    try:
        mark.parent.mkdir(mode=0o700, exist_ok=True)
        mark.write_text(f"{os.getpid()} {_start_time(os.getpid()) or ''}\n", encoding="ascii")
        written = True
    except OSError:
        pass
    try:
        yield
    finally:
        if written:
            with contextlib.suppress(OSError):
                mark.unlink()


def being_analysed(data_folder: str | Path, attempt_id: int) -> bool:
    """True while a live process analyses `attempt_id`; a mark left by a dead one is removed."""
    mark = _mark(Path(data_folder), attempt_id)
    try:
        pid_text, _, started = mark.read_text(encoding="ascii").strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    now = _start_time(pid)
    if now is not None and (not started or not now or now == started):
        return True
    with contextlib.suppress(OSError):
        mark.unlink()  # its process is gone: the analysis will never finish
    return False
