"""Scenario files: the library loads, and malformed files get line-numbered messages."""

from __future__ import annotations

import textwrap

import pytest

from coach.errors import ScenarioInvalid, ScenarioNotFound
from coach.scenarios import KINDS, MODULES
from coach.scenarios.library import ScenarioLibrary, load_scenario
from coach.scenarios.validation import validate_file, validate_library
from coach.settings import scenarios_dir

MINIMAL = """\
id = "tiny"
title = "Tiny"
kind = "opening"
time_limit_s = 30
prompt = "Why?"

[[key_terms]]
term = "dmesg"
"""


def write(tmp_path, text, name="tiny.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_library_has_enough_scenarios_across_modules():
    library = ScenarioLibrary.load()
    assert len(library) >= 16
    modules = {s.module for s in library}
    assert modules == set(MODULES)
    for scenario in library:
        assert scenario.kind in KINDS
        assert 3 <= len(scenario.key_terms) <= 6, scenario.id
        assert scenario.prompt


@pytest.mark.parametrize("scenario_id, term", [
    ("oom-silent-restart", "OOMKiller"),
    ("io-max-slow-writes", "io.max"),
    ("retry-loop-review", "backoff with jitter"),
    ("cpu-high-no-process", "cgroup v2"),
    ("overlayfs-io-latency", "OverlayFS"),
    ("snapshot-prepare-busy", "device or resource busy"),
])
def test_required_scenarios_exist(scenario_id, term):
    scenario = ScenarioLibrary.load().get(scenario_id)
    assert scenario.key_term(term) is not None


def test_whole_library_validates():
    report = validate_library(scenarios_dir())
    assert {f: p for f, p in report.items() if p} == {}


def test_minimal_fields_are_enough(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.id == "tiny"
    assert scenario.expected_structure == ("hypothesis", "first checks", "mitigation")
    assert scenario.key_terms[0].spellings == ("dmesg",)


@pytest.mark.parametrize("broken, expected", [
    (MINIMAL.replace('title = "Tiny"\n', ""), "line 1: missing required field 'title'"),
    (MINIMAL.replace("time_limit_s = 30", 'time_limit_s = "30s"'),
     "line 4: time_limit_s must be a whole number"),
    (MINIMAL.replace('kind = "opening"', 'kind = "essay"'), "line 3: kind must be one of"),
    (MINIMAL.replace('id = "tiny"', 'id = "Tiny One"'), "line 1: id 'Tiny One' may use only"),
    (MINIMAL.replace('prompt = "Why?"', 'prompt = "Why?'), "line 5: not valid TOML"),
    (MINIMAL.replace('term = "dmesg"', 'term = "dmesg"\naliases = "d message"'),
     "line 9: aliases of 'dmesg' must be a list"),
    (MINIMAL.split("[[key_terms]]")[0], "missing required field 'key_terms'"),
    (MINIMAL + '\n[[key_terms]]\nterm = "DMESG"\n', "line 10: key term 'DMESG' is listed twice"),
    (MINIMAL + '\n[[follow_ups]]\nquestion = "Which file?"\ntargets = ["iostat"]\n',
     "follow-up target 'iostat' is not one of"),
    (MINIMAL.replace("time_limit_s = 30", "time_limit_s = 3600"), "between 5 and 600"),
    (MINIMAL + 'clause = "I would read the kernel log"\n',
     "line 9: the clause of 'dmesg' must say the term itself"),
    (MINIMAL + 'clause = "I\'d ' + "check " * 20 + 'dmesg"\n', "keep it to 16"),
    (MINIMAL + 'part = "checks"\n', "line 9: part of 'dmesg' must be one of the answer's parts"),
    (MINIMAL + "clause = 42\n", "line 9: clause of 'dmesg' must be text in quotes"),
])
def test_malformed_files_get_line_numbered_messages(tmp_path, broken, expected):
    problems = validate_file(write(tmp_path, broken))
    assert any(expected in p for p in problems), problems
    with pytest.raises(ScenarioInvalid):
        load_scenario(tmp_path / "tiny.toml")


def test_id_must_match_file_name(tmp_path):
    problems = validate_file(write(tmp_path, MINIMAL, name="other.toml"))
    assert problems == ["line 1: id 'tiny' should match the file name 'other'"]


def test_duplicate_ids_in_a_folder(tmp_path):
    write(tmp_path, MINIMAL, name="tiny.toml")
    write(tmp_path, MINIMAL.replace('title = "Tiny"', 'title = "Again"'), name="tiny2.toml")
    report = validate_library(tmp_path)
    assert report[str(tmp_path / "tiny.toml")] == []
    assert (
        "line 1: duplicate id 'tiny' (also used by tiny.toml)"
        in report[str(tmp_path / "tiny2.toml")]
    )


def test_unknown_id_suggests_close_ones():
    with pytest.raises(ScenarioNotFound) as caught:
        ScenarioLibrary.load().get("oom")
    assert "oom-silent-restart" in str(caught.value)


def test_every_key_term_has_a_short_clause_for_its_part():
    for scenario in ScenarioLibrary.load():
        for key in scenario.key_terms:
            assert key.clause and key.part in scenario.expected_structure, (scenario.id, key.term)


def test_every_model_answer_says_its_terms_covers_its_parts_and_fits():
    from coach.analysis.model_answer import mentioned_terms, model_answer
    from coach.analysis.structure import analyze_structure

    for scenario in ScenarioLibrary.load():
        answer = model_answer(scenario)
        structure = analyze_structure(answer.text, scenario.expected_structure)
        assert mentioned_terms(answer.text, scenario) == tuple(
            k.term for k in scenario.key_terms), scenario.id
        assert structure.missing == () and structure.order_ok, scenario.id
        assert answer.estimated_s <= scenario.time_limit_s, scenario.id
        if scenario.kind == "opening":  # 30 s as a voice says it (pauses included): ~50-60 words
            assert 50 <= len(answer.text.split()) <= 85, scenario.id


def test_clause_and_part_are_read(tmp_path):
    text = MINIMAL + 'clause = "I\'d check dmesg on the node"\npart = "first checks"\n'
    key = load_scenario(write(tmp_path, text)).key_terms[0]
    assert (key.clause, key.part) == ("I'd check dmesg on the node", "first checks")


@pytest.mark.parametrize("setup, says", [
    (lambda folder: None, "does not exist"),
    (lambda folder: folder.mkdir(), "has no scenarios"),
    (lambda folder: folder.write_text("x"), "is not a folder"),
])
def test_a_scenario_folder_without_scenarios_is_named(tmp_path, monkeypatch, setup, says):
    folder = tmp_path / "my-scenarios"
    setup(folder)
    monkeypatch.setenv("COACH_SCENARIOS_DIR", str(folder))
    with pytest.raises(ScenarioNotFound) as caught:
        ScenarioLibrary.load().get("oom-silent-restart")
    assert str(folder) in caught.value.message and says in caught.value.message
    assert "COACH_SCENARIOS_DIR" in caught.value.message
