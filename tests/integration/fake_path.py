"""A PATH without some commands: the system's own commands, linked one by one, minus those."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

SYSTEM_FOLDERS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def path_without(folder: Path, removed: Iterable[str], *, first: Iterable[Path] = ()) -> str:
    """A PATH of `first`, then `folder` filled with links to every system command not removed."""
    removed = set(removed)
    folder.mkdir(parents=True, exist_ok=True)
    for system in SYSTEM_FOLDERS:
        if not Path(system).is_dir():
            continue
        for command in Path(system).iterdir():
            link = folder / command.name
            if command.name not in removed and not link.exists() and not link.is_symlink():
                link.symlink_to(command)
    for name in removed:
        assert shutil.which(name, path=str(folder)) is None, f"{name} is still on the PATH"
    return ":".join([*(str(p) for p in first), str(folder)])
