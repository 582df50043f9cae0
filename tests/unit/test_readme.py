"""The README's claims that code can check: its command synopsis is the parser's own."""

from __future__ import annotations

import re
from pathlib import Path

from coach.cli.synopsis import synopsis

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_synopsis_is_what_help_says():
    block = re.search(r"<!-- synopsis -->\n```\n(.*?)```\n<!-- /synopsis -->",
                      README.read_text(encoding="utf-8"), re.S)
    assert block, "README.md lost its <!-- synopsis --> block"
    assert block.group(1) == synopsis(), (
        "README.md's synopsis differs from `coach --help`: paste `python -m coach.cli.synopsis`")


def test_the_synopsis_lists_every_command_and_option():
    text = synopsis()
    for command in ("scenarios", "analyze", "models", "serve", "practice", "history",
                    "history reanalyze", "export", "round"):
        assert re.search(rf"^coach {command} ", text + " ", re.M), command
    assert "--voice {espeak,piper,system}" in text
    assert "[-h]" not in text


def test_the_two_commands_come_first():
    head = README.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "make run" in head and "make test" in head
