"""Why a file someone named cannot be opened, in plain words that are true.

`Path.exists()` answers False for a symbolic link that loops, a link to nothing, a file
behind a folder without permission... and "does not exist" is then wrong. `file_problem()`
asks the operating system once and names the actual reason.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def file_problem(path: str | Path, what: str = "file") -> str | None:
    """None if `path` is a regular file that can be opened for reading, else a one-line reason.

    `what` names the expected thing in the message ("scenario file", "recording").
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as error:
        return _stat_problem(path, error, what)
    if stat.S_ISDIR(info.st_mode):
        return f"{path} is a folder, not a {what}."
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file (a device or a pipe), not a {what}."
    system = _system_folder(path)
    if system:
        return (f"{path} is not a regular file: the system makes up its contents as it is "
                f"read (under {system}), not a {what}.")
    if not os.access(path, os.R_OK):
        return f"{path} cannot be read: permission denied."
    return None


def _system_folder(path: Path) -> str:
    """"/proc" or "/sys" when `path` is in one of the kernel's own file systems, else ""."""
    parts = path.resolve().parts
    return f"/{parts[1]}" if len(parts) > 1 and parts[1] in ("proc", "sys") else ""


def _stat_problem(path: Path, error: OSError, what: str) -> str:
    if error.errno == errno.ELOOP:
        return f"{path} is a symbolic link that loops back on itself, not a {what}."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"{path} cannot be opened: permission denied on a folder in its path."
    if error.errno == errno.ENOTDIR:
        return f"{path} does not exist: part of that path is a file, not a folder."
    if error.errno == errno.ENAMETOOLONG:
        return f"{path} is not a usable file name: it is too long."
    if path.is_symlink():
        return f"{path} is a link to {os.readlink(path)}, which does not exist."
    if error.errno == errno.ENOENT:
        return f"{path} does not exist."
    return f"{path} cannot be opened ({os.strerror(error.errno or 0)})."
