"""Argument types for the `coach` commands: every value is checked when the command line is read.

A bad value is refused by argparse with one plain line (`coach analyze: error: argument --wpm:
...`, exit code 2) before any model loads, so it never costs, or loses, a finished analysis.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.settings import WPM_LIMITS


def whole_number(low: int, high: int | None = None):
    """An int type accepting low..high (no upper bound when high is None)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < low or (high is not None and number > high):
            span = f"between {low} and {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{number} is out of range: use {span}")
        return number

    return parse


voice_wpm = whole_number(*WPM_LIMITS)
port = whole_number(1, 65535)
positive = whole_number(1)
device = whole_number(0)


def output_file(value: str) -> str:
    """A file to write: not an existing folder, and inside a folder (or where one can be made)."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value} is a folder; give a file name inside it, e.g. {path / 'answer.wav'}")
    _creatable(path.parent, value)
    return value


def output_folder(value: str) -> str:
    """A folder to write into: an existing folder, or a path where one can be made."""
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a file, not a folder")
    _creatable(path, value)
    return value


def _creatable(folder: Path, value: str) -> None:
    """The nearest existing ancestor of `folder` must be a folder (not a file)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(
            f"{value} cannot be written: {existing} is a file, not a folder")
