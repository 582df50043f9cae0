"""When the data folder cannot take a write: a full disk, a read-only mount or database, a disk
that fails. Such a failure is named (`write_failed`: the folder, its free space and what was
needed), and the one thing that cannot be made again, the recording, is kept elsewhere
(`keep_elsewhere`: a private folder under the cache folder, else under the system's temporary
folder), so the answer is never lost and the user is told where it is.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from coach.history.errors import HistoryWriteFailed

# errno values that mean "this folder cannot take the write", not a bug
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM}
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# sqlite3.OperationalError texts with the same meaning
SQLITE_WRITE_FAILURES = {"database or disk is full": "full", "disk i/o error": "io",
                         "readonly database": "read-only", "read-only": "read-only"}
UNSAVED_FOLDER = "unsaved"  # under the cache folder: recordings the history could not keep


def is_write_failure(error: BaseException) -> bool:
    """True for an error that says the disk or database refused a write."""
    if isinstance(error, sqlite3.OperationalError):
        return _sqlite_kind(error) is not None
    return isinstance(error, OSError) and error.errno in WRITE_ERRNOS


def _sqlite_kind(error: sqlite3.Error) -> str | None:
    text = str(error).lower()
    return next((kind for key, kind in SQLITE_WRITE_FAILURES.items() if key in text), None)


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def free_bytes(folder: str | Path) -> int | None:
    """Free space of the file system holding `folder` (or its nearest existing parent)."""
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def write_failed(folder: str | Path, error: BaseException,
                 needed: int | None = None) -> HistoryWriteFailed:
    """A HistoryWriteFailed that names `folder` and why it refused the write (`error`)."""
    folder = Path(folder)
    kind = (_sqlite_kind(error) if isinstance(error, sqlite3.Error)
            else "full" if getattr(error, "errno", None) in FULL_ERRNOS
            else "read-only" if getattr(error, "errno", None) == errno.EROFS
            else "io" if getattr(error, "errno", None) == errno.EIO else "denied")
    setting = os.environ.get("COACH_DATA_DIR")
    move = (f"or point COACH_DATA_DIR (now {setting}) at another folder" if setting
            else "or set COACH_DATA_DIR to another folder")
    if kind == "full":
        free = free_bytes(folder)
        has = f"{_mb(free)} free" if free is not None else "no free space"
        wants = f", {_mb(needed)} needed" if needed else ", a few MB needed"
        return HistoryWriteFailed(f"The disk holding {folder} is full ({has}{wants}).",
                                  hint=f"Free some space there, {move}.")
    why = {"read-only": "is read-only", "io": "reported a disk I/O error"}.get(
        kind or "", f"cannot be written ({getattr(error, 'strerror', None) or error})")
    return HistoryWriteFailed(f"The data folder {folder} {why}.",
                              hint=f"Check the disk and its permissions, {move}.")


def fallback_folders() -> list[Path]:
    """Where a recording goes when the data folder cannot take it, in order of preference."""
    from coach.settings import cache_dir

    user = os.getuid() if hasattr(os, "getuid") else "user"
    return [cache_dir() / UNSAVED_FOLDER,
            Path(tempfile.gettempdir()) / f"coach-{user}" / UNSAVED_FOLDER]


def keep_elsewhere(source: str | Path, name: str = "") -> Path | None:
    """Copy `source` into the first fallback folder that takes it (user-only permissions);
    the copy's path, or None if no folder could take it."""
    source = Path(source)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for folder in fallback_folders():
        target = folder / (f"{stamp}-{name or 'answer'}-{secrets.token_hex(3)}"
                           f"{source.suffix.lower() or '.wav'}")
        created = False
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with source.open("rb") as reader, os.fdopen(
                    os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as writer:
                created = True
                shutil.copyfileobj(reader, writer)
                writer.flush()
                os.fsync(writer.fileno())
            return target
        except OSError:
            if created:
                target.unlink(missing_ok=True)
    return None
