"""Technical terms respelled for a voice, whole terms only."""

from __future__ import annotations

import pytest

from coach.scenarios import KeyTerm
from coach.speakable import speakable


@pytest.mark.parametrize("text, spoken", [
    ("Check dmesg first.", "Check D mesg first."),
    ("Then io.max, then memory.events.", "Then I O dot max, then memory dot events."),
    ("The OOMKiller fired", "The O O M killer fired"),
    ("It is cgroup v2 here", "It is C group v two here"),
    ("cgroups are fine", "C groups are fine"),
    ("nothing technical here", "nothing technical here"),
    ("the perfect fsync", "the perfect F sync"),  # 'perf' inside 'perfect' is left alone
])
def test_speakable(text, spoken):
    assert speakable(text) == spoken


def test_scenario_say_as_wins():
    assert speakable("run nsenter", [KeyTerm("nsenter", say_as="en-enter")]) == "run en-enter"
