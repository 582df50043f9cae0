"""Settings: where coach keeps things, what the user chose, and the `Settings` every engine reads.

Folders, each moved by an environment variable:
- `COACH_DATA_DIR`: the user's data (history database, recordings, settings).
  Default: `$XDG_DATA_HOME/coach` or `~/.local/share/coach`.
- `COACH_CACHE_DIR`: downloaded or built assets (LanguageTool jars, joined models).
  Default: `$XDG_CACHE_HOME/coach` or `~/.cache/coach`.
- `COACH_SCENARIOS_DIR`: the scenario library. Default: the `scenarios/` folder of this
  checkout (source tree, editable install), else the copy a normal install ships in the package
  (`coach/scenario_library/`, put there by setup.py).

The user's choices are remembered across restarts in `<data dir>/settings.json`, a small JSON
object; every key is optional and a missing or unusable value falls back to the default of
`Settings`, so an old or hand-edited file never stops the app:

    {"model": "base", "pace_range": [110, 160],
     "fillers": {"extra_vocal": ["mhm"], "extra_discourse": ["right"]},
     "voice_engine": "espeak", "voice_wpm": 145, "check_grammar": true, "check_sounds": true,
     "nudges": {"slow_down": true, "no_fillers": true, "next_part": true}}

`settings_from_dict` and `settings_to_dict` are pure; `load_settings` / `save_settings` do the
file I/O (the write goes through a temporary file, so a crash never leaves half a file).
This module imports only the pure analyses' option records: it is cheap to import.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.analysis.fillers import FillerOptions
from coach.analysis.timing import PaceRange
from coach.errors import DataFolderUnusable

MIN_DURATION_S = 1.0  # shorter recordings are refused: too little to judge
MAX_DURATION_S = 300.0  # longer ones are refused before decoding: no answer runs 5 minutes
VOICE_ENGINES = ("espeak", "piper", "system")
DEFAULT_WPM = 145
SETTINGS_FILE = "settings.json"
WPM_LIMITS = (80, 260)  # voice speed a listener can still follow
PACE_LIMITS = (40.0, 300.0)
# The nudges shown while an answer is recorded (coach.analysis.live); each can be turned off.
NUDGE_KINDS = ("slow_down", "no_fillers", "next_part")
# What each nudge's switch says (Settings tab), in the words of the nudge itself.
NUDGE_LABELS = {"slow_down": "\"Slow down\" when you speak faster than your pace range",
                "no_fillers": "\"No fillers for 10 s, good\"",
                "next_part": "\"10 s left: state your next check\" near the time limit"}


@dataclass(frozen=True)
class Settings:
    """What a `Coach` is set up with: the model, the user's pace and fillers, grammar, voice."""

    model: str | None = None
    pace_range: PaceRange = field(default_factory=PaceRange)
    fillers: FillerOptions = field(default_factory=FillerOptions)
    check_grammar: bool = True
    check_sounds: bool = True  # phoneme scores of the key terms said (coach.phonemes)
    min_duration_s: float = MIN_DURATION_S
    max_duration_s: float = MAX_DURATION_S
    voice_engine: str = "espeak"  # one of VOICE_ENGINES
    voice_wpm: int = DEFAULT_WPM
    nudges: tuple[str, ...] = NUDGE_KINDS  # the live nudges turned on (of NUDGE_KINDS)


# --- folders ---------------------------------------------------------------------------------
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


def writable_cache(subfolder: str = "") -> Path:
    """`cache_dir() / subfolder`, created; DataFolderUnusable naming COACH_CACHE_DIR if not."""
    return writable_folder(cache_dir() / subfolder, setting="COACH_CACHE_DIR",
                           what="cache folder")


def recordings_dir() -> Path:
    return data_dir() / "recordings"


def writable_folder(folder: str | Path, *, setting: str = "COACH_DATA_DIR",
                    what: str = "data folder") -> Path:
    """`folder`, created if missing; DataFolderUnusable if it is a file or cannot be written.

    `setting` is the environment variable that moves it, `what` how messages call it.

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
        now = os.environ.get(setting)
        hint = (f"Point {setting} (now {now}) at a folder you can write to."
                if now else f"Check its permissions, or set {setting} to another folder.")
        raise DataFolderUnusable(f"The {what} {folder} {why}.", hint=hint) from None
    return folder


# --- the user's settings file ------------------------------------------------------------------
def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE


def _words(value) -> tuple[str, ...]:
    """A list of words from a list or a comma-separated string: trimmed, lower-case, unique."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return ()
    seen: dict[str, None] = {}
    for item in value:
        if isinstance(item, str) and item.strip():
            seen.setdefault(" ".join(item.lower().split()), None)
    return tuple(seen)


def _number(value, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if low <= value <= high else None


def settings_from_dict(data: dict, base: Settings | None = None) -> Settings:
    """`coach.Settings` from a settings object; unknown keys and bad values are ignored."""
    settings = base or Settings()
    if not isinstance(data, dict):
        return settings
    changes: dict = {}
    model = data.get("model")
    if model is None or (isinstance(model, str) and not model.strip()):
        changes["model"] = None
    elif isinstance(model, str):
        changes["model"] = model.strip()
    pace = data.get("pace_range")
    if isinstance(pace, list | tuple) and len(pace) == 2:
        low, high = (_number(v, *PACE_LIMITS) for v in pace)
        if low is not None and high is not None and low < high:
            changes["pace_range"] = PaceRange(low, high)
    fillers = data.get("fillers")
    if isinstance(fillers, dict):
        changes["fillers"] = replace(settings.fillers,
                                     extra_vocal=_words(fillers.get("extra_vocal", [])),
                                     extra_discourse=_words(fillers.get("extra_discourse", [])))
    if data.get("voice_engine") in VOICE_ENGINES:
        changes["voice_engine"] = data["voice_engine"]
    wpm = _number(data.get("voice_wpm"), *WPM_LIMITS)
    if wpm is not None:
        changes["voice_wpm"] = round(wpm)
    for switch in ("check_grammar", "check_sounds"):
        if isinstance(data.get(switch), bool):
            changes[switch] = data[switch]
    nudges = data.get("nudges")
    if isinstance(nudges, dict):  # {kind: on?}; a kind left out keeps its current state
        changes["nudges"] = tuple(
            kind for kind in NUDGE_KINDS
            if (nudges[kind] if isinstance(nudges.get(kind), bool) else kind in settings.nudges))
    return replace(settings, **changes)


def settings_to_dict(settings: Settings) -> dict:
    return {
        "model": settings.model,
        "pace_range": [settings.pace_range.low, settings.pace_range.high],
        "fillers": {"extra_vocal": list(settings.fillers.extra_vocal),
                    "extra_discourse": list(settings.fillers.extra_discourse)},
        "voice_engine": settings.voice_engine,
        "voice_wpm": settings.voice_wpm,
        "check_grammar": settings.check_grammar,
        "check_sounds": settings.check_sounds,
        "nudges": {kind: kind in settings.nudges for kind in NUDGE_KINDS},
    }


def load_settings(path: str | Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no file or it cannot be read."""
    path = Path(path) if path else settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return settings_from_dict(data)


def settings_for_command(args: argparse.Namespace) -> Settings:
    """The saved settings with a command's flags on top: the one settings source of every
    command (`analyze`, `practice`, `round`, `history reanalyze`), as of the app.

    Reads `model`, `no_grammar`, `voice` and `wpm` from `args` where the command has them;
    a flag left out keeps the saved value.
    """
    flags = {"model": getattr(args, "model", None),
             "voice_engine": getattr(args, "voice", None),
             "voice_wpm": getattr(args, "wpm", None)}
    changes = {name: value for name, value in flags.items() if value is not None}
    if getattr(args, "no_grammar", False):
        changes["check_grammar"] = False
    return replace(load_settings(), **changes)


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    path = Path(path) if path else settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(settings_to_dict(settings), indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path
