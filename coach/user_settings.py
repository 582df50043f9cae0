"""The user's settings, remembered across restarts in `<data dir>/settings.json`.

The file is a small JSON object; every key is optional and a missing or unusable value falls
back to the default of `coach.Settings`, so an old or hand-edited file never stops the app:

    {"model": "base", "pace_range": [110, 160],
     "fillers": {"extra_vocal": ["mhm"], "extra_discourse": ["right"]},
     "voice_engine": "espeak", "voice_wpm": 145, "check_grammar": true}

`settings_from_dict` and `settings_to_dict` are pure; `load_settings` / `save_settings` do the
file I/O (the write goes through a temporary file, so a crash never leaves half a file).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from coach.analysis.timing import PaceRange
from coach.config import data_dir
from coach.engines.synthesizer import ENGINES

SETTINGS_FILE = "settings.json"
WPM_LIMITS = (80, 260)  # voice speed a listener can still follow
PACE_LIMITS = (40.0, 300.0)


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


def settings_from_dict(data: dict, base=None):
    """`coach.Settings` from a settings object; unknown keys and bad values are ignored."""
    from coach.coach import Settings

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
    if data.get("voice_engine") in ENGINES:
        changes["voice_engine"] = data["voice_engine"]
    wpm = _number(data.get("voice_wpm"), *WPM_LIMITS)
    if wpm is not None:
        changes["voice_wpm"] = round(wpm)
    if isinstance(data.get("check_grammar"), bool):
        changes["check_grammar"] = data["check_grammar"]
    return replace(settings, **changes)


def settings_to_dict(settings) -> dict:
    return {
        "model": settings.model,
        "pace_range": [settings.pace_range.low, settings.pace_range.high],
        "fillers": {"extra_vocal": list(settings.fillers.extra_vocal),
                    "extra_discourse": list(settings.fillers.extra_discourse)},
        "voice_engine": settings.voice_engine,
        "voice_wpm": settings.voice_wpm,
        "check_grammar": settings.check_grammar,
    }


def load_settings(path: str | Path | None = None):
    """The saved settings, or the defaults when there is no file or it cannot be read."""
    from coach.coach import Settings

    path = Path(path) if path else settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return settings_from_dict(data)


def settings_for_command(args):
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


def save_settings(settings, path: str | Path | None = None) -> Path:
    path = Path(path) if path else settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(settings_to_dict(settings), indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


__all__ = ["load_settings", "save_settings", "settings_for_command", "settings_from_dict",
           "settings_path", "settings_to_dict"]
