"""`coach` on the command line: good input, bad input, JSON shape, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.fixture_truth import FIXTURES, load_bad_inputs
from coach.cli import main

REQUIRED_KEYS = [
    ("scenario", "id"), ("scenario", "time_limit_s"), ("transcript",), ("words",),
    ("timing", "duration_s"), ("timing", "wpm"), ("timing", "over_time_s"), ("fillers", "total"),
    ("fillers", "items"), ("coverage", "covered"), ("coverage", "missing"),
    ("grammar", "issues"), ("polished", "text"),
]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_json_has_every_documented_key(capsys):
    code, out, err = run(capsys, "analyze", str(FIXTURES / "answers/oom-us150-fillers.flac"),
                         "--scenario", "oom-silent-restart", "--json", "--no-grammar")
    assert code == 0, err
    data = json.loads(out)
    for path in REQUIRED_KEYS:
        value = data
        for key in path:
            assert key in value, path
            value = value[key]
    assert data["scenario"]["id"] == "oom-silent-restart"
    assert data["words"][0].keys() >= {"text", "start", "end", "probability"}
    assert {f["kind"] for f in data["fillers"]["items"]} <= {"vocal", "discourse"}
    assert "OOMKiller" in data["coverage"]["covered"]
    assert "memory.events" in data["coverage"]["missing"]
    assert data["grammar"]["checked"] is False and data["grammar"]["reason"]


def test_analyze_text_report(capsys):
    code, out, _ = run(capsys, "analyze", str(FIXTURES / "answers/cpu-us180-overtime.flac"),
                       "--scenario", "cpu-high-no-process", "--no-grammar")
    assert code == 0
    assert "over the 30 s limit" in out
    assert "Polished answer" in out and "Key terms" in out


def test_scenario_by_path(capsys):
    code, out, _ = run(capsys, "analyze", str(FIXTURES / "answers/iomax-us150-short.wav"),
                       "--scenario", str(FIXTURES.parent / "scenarios/io-max-slow-writes.toml"),
                       "--json", "--no-grammar")
    assert code == 0 and json.loads(out)["scenario"]["id"] == "io-max-slow-writes"


@pytest.mark.parametrize("path, expect", [(p, e) for p, e, _ in load_bad_inputs() if e != "ok"],
                         ids=lambda v: getattr(v, "name", v))
def test_bad_audio_one_line_on_stderr_and_error_object(capsys, path, expect):
    code, out, err = run(capsys, "analyze", str(path), "--scenario", "oom-silent-restart",
                         "--json", "--no-grammar")
    assert code == 2
    assert json.loads(out)["error"]["code"] == expect
    assert err.count("\n") == 1 and err.startswith("coach: ")
    assert "Traceback" not in err


def test_unknown_scenario(capsys):
    code, _, err = run(capsys, "analyze", str(FIXTURES / "bad/empty.wav"), "--scenario", "nope")
    assert code == 2 and "No scenario with id 'nope'" in err


def test_scenarios_list_show_validate(capsys, tmp_path):
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and "oom-silent-restart" in out and len(out.splitlines()) >= 16
    code, out, _ = run(capsys, "scenarios", "show", "retry-loop-review")
    assert code == 0 and "backoff with jitter" in out
    code, out, _ = run(capsys, "scenarios", "validate")
    assert code == 0 and out.startswith("ok:")
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "broken"\ntitle = "B"\nkind = "opening"\ntime_limit_s = "x"\n')
    code, out, _ = run(capsys, "scenarios", "validate", str(broken))
    assert code == 1
    assert "line 4: time_limit_s must be a whole number" in out
    assert "missing required field 'prompt'" in out


def test_models_lists_the_bundled_model(capsys):
    code, out, _ = run(capsys, "models")
    assert code == 0 and "* base" in out and "  tiny.en" in out


def test_console_script_runs_without_traceback():
    result = subprocess.run([sys.executable, "-m", "coach.cli", "analyze",
                             str(FIXTURES / "bad/not_audio.wav"), "--scenario",
                             "oom-silent-restart"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "could not be read as audio" in result.stderr
    assert "Traceback" not in result.stderr


def test_polished_answer_spoken_with_the_chosen_voice(capsys, tmp_path):
    target = tmp_path / "polished.wav"
    code, out, err = run(capsys, "analyze", str(FIXTURES / "answers/iomax-us150-short.wav"),
                         "--scenario", "io-max-slow-writes", "--no-grammar", "--json",
                         "--speak", str(target), "--voice", "piper", "--wpm", "130")
    assert code == 0
    assert target.stat().st_size > 50_000
    assert "spoken to" in err and "piper" in err
    words = len(json.loads(out)["polished"]["text"].split())
    from coach.engines.synthesizer import wav_duration

    assert wav_duration(target) == pytest.approx(words * 60 / 130, rel=0.25)


def test_grammar_server_down_still_gives_feedback():
    from coach import Coach, Settings
    from coach.engines.grammar import LanguageToolChecker

    dead = LanguageToolChecker(url="http://127.0.0.1:9")  # nothing listens on the discard port
    coach = Coach(Settings(), grammar=dead)
    feedback = coach.analyze(FIXTURES / "answers/iomax-us150-short.wav", "io-max-slow-writes")
    grammar = feedback.to_dict()["grammar"]
    assert grammar["checked"] is False and grammar["issues"] == []
    assert "LanguageTool" in grammar["engine"] and grammar["reason"]
    assert feedback.transcript.text and feedback.score.total > 0
    assert "grammar" not in {p.name for p in feedback.score.parts}
