"""A child process that cannot outlive coach: java for the LanguageTool server.

The command runs under a small sh wrapper in its own process group. The wrapper kills the
command when coach's end of the wrapper's stdin pipe closes, which happens however coach ends
(even SIGKILL, or SIGHUP from a closed terminal), so no orphaned JVM is left behind. The
wrapper exits with the command's status, so `Popen.poll()` tells whether it still runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from typing import IO

# Arguments: the command line to watch.
_WATCHDOG_SH = (
    'exec 3<&0 0</dev/null; "$@" 3<&- & jpid=$!; '
    '{ read -r _ <&3; kill "$jpid" 2>/dev/null; } & '
    'exec 3<&-; wait "$jpid"'
)


def start_watched(command: list[str], log: IO[bytes], *, name: str) -> subprocess.Popen[bytes]:
    """Start `command` under the watchdog, its output (both streams) into `log`."""
    return subprocess.Popen(
        ["sh", "-c", _WATCHDOG_SH, name, *command],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group: kill_group() ends command and wrapper
    )


def kill_group(proc: subprocess.Popen[bytes], *, force: bool = False) -> None:
    """Stop the command and its wrapper.

    EOF on the wrapper's stdin makes it SIGTERM the command, and it exits once the command has.
    With `force` (a hung process may be stopped, and a stopped process ignores SIGTERM), or
    when that takes over 5 s, the whole process group is SIGKILLed.
    """
    if proc.stdin is not None:
        proc.stdin.close()
    if not force:
        try:
            proc.wait(5.0)
            return
        except subprocess.TimeoutExpired:
            pass
    # The wrapper is not reaped yet, so its pid is still this process group's id; if the group
    # had ended already there is nothing to kill.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
