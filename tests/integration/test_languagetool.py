"""The grammar engine against a REAL local LanguageTool 6.7 server.

The server starts once for the session. If LanguageTool is not installed these tests FAIL with
the command that installs it (`make setup` or `scripts/install_languagetool.sh`): never skipped.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

import pytest

from coach.errors import GrammarUnavailable
from coach.grammar import GrammarIssue, check_transcript
from coach.grammar.languagetool import LanguageToolChecker
from coach.grammar.languagetool_install import COACH_RULES, find_jar_dir
from coach.grammar.languagetool_server import (
    NOT_RESTARTED,
    RESTARTED,
    STILL_HUNG,
    LanguageToolServer,
)
from coach.grammar.spoken_filter import filter_spoken_issues, is_spelling_issue
from coach.scenarios import Scenario
from coach.transcript import Transcript

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Scenario(id="s", title="S", kind="opening", time_limit_s=30, prompt="?", key_terms=())


def _require_installed() -> None:
    try:
        find_jar_dir()
    except GrammarUnavailable as e:
        missing = e
    else:
        return
    pytest.fail(str(missing), pytrace=False)


@pytest.fixture(scope="session")
def lt_server() -> Iterator[LanguageToolServer]:
    server = LanguageToolServer()
    # Not raised here, where it would be a set-up ERROR: each test's first check raises it
    # again (with how to install), so every test FAILS with that message.
    with contextlib.suppress(GrammarUnavailable):
        server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def checker(lt_server: LanguageToolServer) -> LanguageToolChecker:
    return LanguageToolChecker(lt_server)


def raw_issues(checker: LanguageToolChecker, text: str) -> tuple[GrammarIssue, ...]:
    result = checker.check(text)
    assert result.note == "", result.note  # the server was not restarted
    return result.issues


def spoken_issues(checker: LanguageToolChecker, text: str, accepted=()) -> list[GrammarIssue]:
    return filter_spoken_issues(raw_issues(checker, text), text, accepted)


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _wait_for_no_members(pgid: int, timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := _group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


# --- what it finds -----------------------------------------------------------------------
def test_singular_noun_with_were_is_flagged_with_was(checker: LanguageToolChecker) -> None:
    text = "The container were restarting every few minutes."
    issues = spoken_issues(checker, text)
    agreement = [i for i in issues if i.text == "were"]
    assert agreement, issues
    assert agreement[0].category == "GRAMMAR"
    assert any("was" in r for r in agreement[0].replacements), agreement[0]
    assert text[agreement[0].start : agreement[0].end] == "were"


@pytest.mark.parametrize(
    ("text", "flagged", "suggestion"),
    [
        ("it show that the memory is full", "show", "shows"),
        ("we doesn't see any logs", "doesn't", "don't"),
        ("there is many reasons for the latency", "there is many", "there are many"),
    ],
)
def test_spoken_agreement_errors_are_flagged(
    checker: LanguageToolChecker, text: str, flagged: str, suggestion: str
) -> None:
    issues = spoken_issues(checker, text)
    assert any(
        flagged in i.text and any(suggestion in r for r in i.replacements) for i in issues
    ), issues
    # lower-case start and no final full stop: writing nits, not shown for speech
    assert all(i.category not in ("CASING", "PUNCTUATION") for i in issues), issues


def _rule_examples() -> list:
    """(rule id, sentence, marked words or None, correction or None) for coach_rules.xml."""
    cases = []
    for rule in ElementTree.fromstring(COACH_RULES.read_bytes()).iter("rule"):
        for example in rule.iter("example"):
            marker = example.find("marker")
            text = "".join(example.itertext())
            flagged = marker.text if marker is not None else None
            cases.append(
                pytest.param(rule.get("id"), text, flagged, example.get("correction"), id=text)
            )
    return cases


@pytest.mark.parametrize(("rule_id", "text", "flagged", "correction"), _rule_examples())
def test_coach_rule_examples(
    checker: LanguageToolChecker,
    rule_id: str,
    text: str,
    flagged: str | None,
    correction: str | None,
) -> None:
    found = [i for i in raw_issues(checker, text) if i.rule_id == rule_id]
    if correction is None:
        assert found == []
    else:
        assert [(i.text, i.replacements) for i in found] == [(flagged, (correction,))]


def test_coach_rules_raise_no_false_alarm_on_the_scenario_library(
    checker: LanguageToolChecker,
) -> None:
    from coach.scenarios.library import ScenarioLibrary

    hits = []
    for scenario in ScenarioLibrary.load():
        texts = [scenario.reference_answer, scenario.prompt, scenario.context]
        texts += [term.model_sentence for term in scenario.key_terms]
        # one check per scenario, its texts as paragraphs: a check's round trip, not its
        # length, is most of its cost
        hits += [(scenario.id, i.text) for i in raw_issues(checker, "\n\n".join(texts))
                 if i.rule_id.startswith("COACH_")]
    assert hits == []


def test_clean_sentence_has_no_issue(checker: LanguageToolChecker) -> None:
    text = "The kernel killed the process because it crossed the memory limit."
    assert spoken_issues(checker, text) == []


def test_jargon_is_not_a_misspelling_after_filtering(checker: LanguageToolChecker) -> None:
    text = "We checked dmesg and memory.events in cgroup v2"
    raw = raw_issues(checker, text)
    assert any(is_spelling_issue(i) for i in raw), "LanguageTool should flag the jargon"
    assert [i for i in spoken_issues(checker, text) if is_spelling_issue(i)] == []


def test_the_filter_accepts_the_scenario_s_words(checker: LanguageToolChecker) -> None:
    text = "The zorpqueue filled up overnight."
    assert any(i.text == "zorpqueue" for i in spoken_issues(checker, text))
    assert not any(i.text == "zorpqueue" for i in spoken_issues(checker, text, ["ZorpQueue"]))


def test_offsets_are_python_offsets_after_an_emoji(checker: LanguageToolChecker) -> None:
    text = "🔥 The container were restarting."
    issues = [i for i in raw_issues(checker, text) if i.rule_id == "COACH_SINGULAR_NOUN_WERE"]
    assert issues and text[issues[0].start : issues[0].end] == "were" == issues[0].text


def test_empty_text_is_not_sent(checker: LanguageToolChecker) -> None:
    assert checker.check("   ").issues == ()


def test_server_is_reused_and_a_warm_check_is_fast(
    lt_server: LanguageToolServer, checker: LanguageToolChecker
) -> None:
    pid = lt_server.pid
    checker.check("The pods on the node were evicted.")
    started = time.perf_counter()
    checker.check("It show that the pod were evicted because the node run out of memory.")
    elapsed = time.perf_counter() - started
    assert lt_server.pid == pid and lt_server.is_running()
    assert elapsed < 1.0, f"a warm check took {elapsed:.2f} s"


# --- failures are errors, never an empty result -----------------------------------------
def test_unreachable_server_raises(lt_server: LanguageToolServer) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    down = LanguageToolChecker(url=f"http://127.0.0.1:{port}/v2/")
    with pytest.raises(GrammarUnavailable, match="not reachable"):
        down.check("The container were restarting.")


class _BadLanguageTool(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        status, body = {
            "/500/v2/check": (500, b"Error: internal error"),
            "/html/v2/check": (200, b"<html>not LanguageTool</html>"),
            "/nomatches/v2/check": (200, b'{"software": {}}'),
        }[self.path]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("mode", ["500", "html", "nomatches"])
def test_broken_server_answer_raises(mode: str) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BadLanguageTool)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        checker = LanguageToolChecker(url=f"http://127.0.0.1:{server.server_port}/{mode}/")
        with pytest.raises(GrammarUnavailable):
            checker.check("The container were restarting.")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("where", ["COACH_LANGUAGETOOL_DIR", "COACH_CACHE_DIR"])
def test_missing_jars_raise_with_install_hint(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACH_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.delenv("COACH_LANGUAGETOOL_DOWNLOAD", raising=False)
    monkeypatch.setenv(where, str(tmp_path))
    with pytest.raises(GrammarUnavailable) as caught:
        LanguageToolChecker(LanguageToolServer()).check("The container were restarting.")
    assert "scripts/install_languagetool.sh" in caught.value.hint
    assert "make setup" in caught.value.hint


class _NoDownloads(http.server.BaseHTTPRequestHandler):
    requested: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _NoDownloads.requested.append(self.path)
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("download", ["1", ""])
def test_download_fallback_only_when_allowed(download: str, tmp_path: Path) -> None:
    # language_tool_python reads its download hosts at import: so a fresh interpreter, whose
    # downloads go to a local server that has nothing.
    files = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NoDownloads)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    _NoDownloads.requested.clear()
    host = f"http://127.0.0.1:{files.server_port}/"
    env = {k: v for k, v in os.environ.items() if k != "COACH_LANGUAGETOOL_DIR"}
    env.update(
        COACH_CACHE_DIR=str(tmp_path / "cache"),
        COACH_LANGUAGETOOL_DOWNLOAD=download,
        LTP_PATH=str(tmp_path / "ltp"),
        **{f"LTP_DOWNLOAD_HOST_{kind}": host for kind in ("RELEASE", "ARCHIVE", "NEW_RELEASES")},
        LTP_DOWNLOAD_HOST_SNAPSHOT=host,
    )
    program = textwrap.dedent(
        """
        from coach.grammar.languagetool import LanguageToolChecker
        from coach.errors import GrammarUnavailable
        try:
            print(LanguageToolChecker().check("The container were restarting."))
        except GrammarUnavailable as e:
            print("GrammarUnavailable:", e)
        """
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True,
        )  # fmt: skip
    finally:
        files.shutdown()
        files.server_close()
    assert result.stdout.startswith("GrammarUnavailable:"), result.stdout + result.stderr
    assert "scripts/install_languagetool.sh" in result.stdout
    if download:
        assert "downloading it failed" in result.stdout
        assert _NoDownloads.requested, "no download was attempted"
    else:
        assert "is not installed" in result.stdout
        assert _NoDownloads.requested == []


# --- process lifecycle -------------------------------------------------------------------
@pytest.fixture
def own_server() -> Iterator[LanguageToolServer]:
    """A server of this test's own (not started), closed after it."""
    _require_installed()
    server = LanguageToolServer()
    yield server
    server.close()


def test_background_start_restart_after_crash_and_close(own_server: LanguageToolServer) -> None:
    server = own_server
    checker = LanguageToolChecker(server)
    try:
        server.start_in_background()
        # the check waits for the background start instead of starting a second server
        assert any(i.text == "were" for i in raw_issues(checker, "The node were down."))
        first_group = server.pid
        assert first_group is not None

        os.killpg(first_group, signal.SIGKILL)  # the JVM crashes
        assert _wait_for_no_members(first_group) == []
        assert any(i.text == "were" for i in raw_issues(checker, "The node were down."))
        second_group = server.pid
        assert second_group is not None and second_group != first_group
    finally:
        server.close()
    assert not server.is_running()
    assert _wait_for_no_members(second_group, timeout=1.0) == []


def test_no_orphaned_java_when_the_python_process_is_killed() -> None:
    _require_installed()
    program = textwrap.dedent(
        """
        import sys, time
        from coach.grammar.languagetool_server import LanguageToolServer
        server = LanguageToolServer()
        server.start(warm_up=False)
        print(server.pid, flush=True)
        time.sleep(120)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip().isdigit(), "the child did not start LanguageTool"
        group = int(line)
        assert _group_members(group), "LanguageTool is not running"
        child.kill()  # no atexit, no cleanup: only the watchdog can stop java now
        child.wait()
        assert _wait_for_no_members(group) == [], "java outlived the killed coach process"
    finally:
        child.kill()
        child.wait()


# --- a hung server -----------------------------------------------------------------------
def test_a_stopped_server_is_restarted_and_the_check_retried(
    own_server: LanguageToolServer,
) -> None:
    checker = LanguageToolChecker(own_server)
    own_server.start()
    stopped = own_server.pid
    assert stopped is not None
    os.killpg(stopped, signal.SIGSTOP)  # the JVM hangs: the port accepts, nothing answers
    result = checker.check("The node were down.")
    assert result.note == RESTARTED
    assert any(i.text == "were" for i in result.issues)
    assert own_server.restarts == 1 and own_server.pid not in (None, stopped)
    assert _wait_for_no_members(stopped) == [], "the stopped JVM was not killed"
    assert checker.check("The node were down.").note == ""  # the new one answers


def test_a_check_that_times_out_is_retried_once_on_a_new_server(
    own_server: LanguageToolServer,
) -> None:
    # A healthy server that cannot check this much text in 10 ms: the check times out.
    checker = LanguageToolChecker(own_server, timeout=0.01)
    own_server.start()
    first = own_server.pid
    with pytest.raises(GrammarUnavailable) as caught:
        checker.check("The container were restarting every few minutes. " * 2000)
    assert caught.value.message == STILL_HUNG
    assert "did not answer within" in caught.value.hint
    assert own_server.restarts == 1 and own_server.pid != first  # restarted once, not twice


def test_a_check_cut_off_by_another_check_s_restart_is_retried(
    own_server: LanguageToolServer,
) -> None:
    checker = LanguageToolChecker(own_server)
    own_server.start()
    text = "The container were restarting every few minutes. " * 300  # ~1 s to check
    first: list = []
    in_flight = threading.Thread(target=lambda: first.append(checker.check(text)))
    in_flight.start()
    time.sleep(0.3)  # its request is in the server when the JVM hangs
    os.killpg(own_server.pid, signal.SIGSTOP)
    second = checker.check("The node were down.")  # probe fails: kill, restart, check
    in_flight.join(timeout=60)
    assert second.note == RESTARTED and own_server.restarts == 1
    assert first and first[0].note == RESTARTED  # retried on the new server, not an error
    assert sum(i.text == "were" for i in first[0].issues) == 300


def test_a_stopped_server_that_cannot_restart_says_so(tmp_path: Path) -> None:
    _require_installed()
    jars = find_jar_dir()
    links = tmp_path / "jars"
    links.mkdir()
    for jar in jars.iterdir():
        (links / jar.name).symlink_to(jar)
    server = LanguageToolServer(jar_dir=links)
    try:
        server.start()
        shutil.rmtree(links)  # the next start finds no LanguageTool
        os.killpg(server.pid, signal.SIGSTOP)
        report = check_transcript(LanguageToolChecker(server),
                                  Transcript.from_text("The node were down."), SCENARIO)
        assert not report.checked and report.issues == ()
        assert report.reason.startswith(NOT_RESTARTED)
        assert "LanguageTool server stopped while starting" in report.reason
    finally:
        server.close()
