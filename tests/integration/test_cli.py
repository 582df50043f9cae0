"""`coach` on the command line: good input, bad input, JSON shape, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fixture_truth import FIXTURES, load_bad_inputs
from coach.cli.main import main

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
    sounds = {word["term"]: word for word in data["pronunciation"]}  # the key terms said
    assert "OOMKiller" in sounds and data["pronunciation_check"]["checked"] is True
    assert all(p.keys() >= {"expected", "heard", "score", "flagged"}
               for p in sounds["OOMKiller"]["phonemes"]) and sounds["OOMKiller"]["phonemes"]


def test_analyze_text_report(capsys):
    code, out, _ = run(capsys, "analyze", str(FIXTURES / "answers/cpu-us180-overtime.flac"),
                       "--scenario", "cpu-high-no-process", "--no-grammar")
    assert code == 0
    assert "over the 30 s limit" in out
    assert "Polished answer" in out and "Key terms" in out
    assert "Sounds of key terms" in out


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
    from coach.audio.wav import wav_duration

    assert wav_duration(target) == pytest.approx(words * 60 / 130, rel=0.25)


def test_grammar_server_down_still_gives_feedback():
    from coach import Coach, Settings
    from coach.grammar.languagetool import LanguageToolChecker

    dead = LanguageToolChecker(url="http://127.0.0.1:9")  # nothing listens on the discard port
    coach = Coach(Settings(), grammar=dead)
    feedback = coach.analyze(FIXTURES / "answers/iomax-us150-short.wav", "io-max-slow-writes")
    grammar = feedback.to_dict()["grammar"]
    assert grammar["checked"] is False and grammar["issues"] == []
    assert "LanguageTool" in grammar["engine"] and grammar["reason"]
    assert feedback.transcript.text and feedback.score.total > 0
    assert "grammar" not in {p.name for p in feedback.score.parts}


# --- every input edge gets a plain, true message, before any work --------------------------
ANSWER = str(FIXTURES / "answers/iomax-us150-short.wav")


def test_paths_that_cannot_be_used_say_why(capsys, tmp_path):
    loop = tmp_path / "answer.wav"
    loop.symlink_to(loop)
    code, _, err = run(capsys, "analyze", str(loop), "--scenario", "io-max-slow-writes",
                       "--no-grammar")
    assert code == 2 and "answer.wav is a symbolic link that loops back on itself" in err
    folder = tmp_path / "x.toml"
    folder.mkdir()
    code, _, err = run(capsys, "analyze", ANSWER, "--scenario", str(folder), "--no-grammar")
    assert code == 2 and "x.toml is a folder, not a scenario file" in err
    code, _, err = run(capsys, "analyze", ANSWER, "--scenario", str(tmp_path / "gone.toml"))
    assert code == 2 and "gone.toml does not exist" in err


@pytest.mark.parametrize("argv, complaint", [
    (["--wpm", "0"], "argument --wpm: 0 is out of range: use between 80 and 260"),
    (["--wpm", "-5"], "argument --wpm: -5 is out of range"),
    (["--wpm", "100000"], "argument --wpm: 100000 is out of range"),
    (["--wpm", "fast"], "argument --wpm: 'fast' is not a whole number"),
    (["--speak", "{tmp}"], "argument --speak: {tmp} is a folder; give a file name inside it"),
    (["--speak", "{answer}/polished.wav"], "is a file, not a folder"),
])
def test_bad_arguments_are_refused_before_any_work(capsys, tmp_path, argv, complaint):
    argv = [a.format(tmp=tmp_path, answer=ANSWER) for a in argv]
    with pytest.raises(SystemExit) as stopped:
        main(["analyze", ANSWER, "--scenario", "io-max-slow-writes", *argv])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == ""
    assert complaint.format(tmp=tmp_path) in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["history", "--limit", "0"], ["history", "--last", "-1"],
                                  ["round", "--follow-ups", "3", "-i", ANSWER],
                                  ["serve", "--port", "70000"], ["export", "attempt", "0"],
                                  ["practice", "--sink", ANSWER]])
def test_other_commands_check_their_numbers_and_folders(capsys, argv):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "error: argument" in err and "Traceback" not in err


def test_a_cut_short_recording_is_analysed_with_a_note(capsys, tmp_path):
    cut = tmp_path / "interrupted upload.wav"
    data = (FIXTURES / "answers/cpu-joe-short-pause.wav").read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    code, out, err = run(capsys, "analyze", str(cut), "--scenario", "cpu-high-no-process",
                         "--json", "--no-grammar")
    assert code == 0, err
    [note] = [n for n in json.loads(out)["transcript_notes"] if "cut short" in n]
    assert note.startswith("interrupted upload.wav is cut short: only ")
    code, out, _ = run(capsys, "analyze", str(cut), "--scenario", "cpu-high-no-process",
                       "--no-grammar")
    assert code == 0 and "(note: interrupted upload.wav is cut short" in out


def _save_settings(data: dict) -> None:
    folder = Path(os.environ["COACH_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(data), encoding="utf-8")


def test_analyze_uses_the_saved_settings_and_flags_override_them(capsys):
    _save_settings({"pace_range": [60, 90], "check_grammar": False,
                    "fillers": {"extra_discourse": ["container"]}})
    code, out, err = run(capsys, "analyze", str(FIXTURES / "answers/oom-us150-fillers.flac"),
                         "--scenario", "oom-silent-restart", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["timing"]["pace_range"] == [60, 90]
    assert data["timing"]["pace_verdict"] == "fast"  # ~150 wpm against a 60-90 range
    assert "container" in {f["text"].lower().strip(",.") for f in data["fillers"]["items"]}
    assert data["grammar"]["checked"] is False  # saved "check_grammar": false


def test_every_command_takes_its_settings_from_the_same_place():
    from coach.cli.main import build_parser
    from coach.settings import settings_for_command

    _save_settings({"pace_range": [70, 95], "voice_engine": "piper", "voice_wpm": 120,
                    "fillers": {"extra_vocal": ["mhm"]}})
    parser = build_parser()
    commands = [["analyze", ANSWER, "-s", "x"], ["practice"], ["round", "-i", ANSWER],
                ["history", "reanalyze", "1"]]
    for argv in commands:
        settings = settings_for_command(parser.parse_args(argv))
        assert (settings.pace_range.low, settings.pace_range.high) == (70, 95), argv
        assert settings.fillers.extra_vocal == ("mhm",) and settings.check_grammar, argv
        assert settings.voice_engine == "piper", argv
    flagged = settings_for_command(parser.parse_args(
        ["analyze", ANSWER, "-s", "x", "--voice", "espeak", "--wpm", "150", "--no-grammar"]))
    assert (flagged.voice_engine, flagged.voice_wpm, flagged.check_grammar) == ("espeak", 150,
                                                                                False)
    assert flagged.pace_range.low == 70


def _unwritable(argv: list[str]) -> list[str]:
    """Run as a user that permission bits apply to: root without its override capabilities."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", *argv]


@pytest.mark.parametrize("command", [["history"], ["serve", "--port", "1"]])
def test_an_unusable_data_folder_is_one_plain_line(tmp_path, command):
    a_file = tmp_path / "data.txt"
    a_file.write_text("not a folder")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    cases = [(a_file, "is a file, not a folder"),
             (a_file / "coach", "cannot be made: part of its path is a file"),
             (read_only, "cannot be written (Permission denied)")]
    for folder, why in cases:
        env = {**os.environ, "COACH_DATA_DIR": str(folder)}
        result = subprocess.run(_unwritable([sys.executable, "-m", "coach.cli", *command]),
                                env=env, capture_output=True, text=True, timeout=120,
                                check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"coach: The data folder {folder} {why}. Point COACH_DATA_DIR "
                                 f"(now {folder}) at a folder you can write to.\n")
