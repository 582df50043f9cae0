"""Where coach keeps things, and the environment variables that move them.

- `COACH_DATA_DIR`: the user's data (history database, recordings, settings).
  Default: `$XDG_DATA_HOME/coach` or `~/.local/share/coach`.
- `COACH_CACHE_DIR`: downloaded or built assets (LanguageTool jars, joined models).
  Default: `$XDG_CACHE_HOME/coach` or `~/.cache/coach`.
- `COACH_SCENARIOS_DIR`: the scenario library. Default: the `scenarios/` folder of this
  checkout (source tree, editable install), else the copy a normal install ships in the package
  (`coach/scenario_library/`, put there by setup.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coach.errors import DataFolderUnusable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_SCENARIOS = Path(__file__).resolve().parent / "scenario_library"


def data_dir() -> Path:
    override = os.environ.get("COACH_DATA_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "coach"


def cache_dir() -> Path:
    override = os.environ.get("COACH_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "coach"


def scenarios_dir() -> Path:
    override = os.environ.get("COACH_SCENARIOS_DIR")
    if override:
        return Path(override).expanduser()
    checkout = PROJECT_ROOT / "scenarios"
    if checkout.is_dir() or not PACKAGED_SCENARIOS.is_dir():
        return checkout
    return PACKAGED_SCENARIOS


def recordings_dir() -> Path:
    return data_dir() / "recordings"


def writable_folder(folder: str | Path) -> Path:
    """`folder`, created if missing; DataFolderUnusable if it is a file or cannot be written.

    Checked by writing a temporary file, the only test that is true for every user (root
    passes permission checks that a write still fails, e.g. on a read-only mount).
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        if folder.exists() and not folder.is_dir():
            why = "is a file, not a folder"
        elif isinstance(error, NotADirectoryError | FileExistsError):
            why = "cannot be made: part of its path is a file"
        else:
            why = f"cannot be written ({error.strerror or error})"
        setting = os.environ.get("COACH_DATA_DIR")
        hint = (f"Point COACH_DATA_DIR (now {setting}) at a folder you can write to."
                if setting else "Check its permissions, or set COACH_DATA_DIR to another folder.")
        raise DataFolderUnusable(f"The data folder {folder} {why}.", hint=hint) from None
    return folder
