"""Nothing leaves the machine: `coach analyze` and the app, traced with strace, talk only to
this machine (127.0.0.1, ::1, Unix sockets), and no library leaves a telemetry queue behind.

strace sees the system calls of every thread and child process (native code included, such as
onnxruntime's C++ telemetry and the LanguageTool JVM), which a Python audit hook would miss.
Each run gets an empty HOME and an environment without any telemetry switch, as on a new
user's machine: the product itself has to turn telemetry off.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.fixture_truth import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
ANSWER = FIXTURES / "answers/iomax-us150-short.wav"
SCENARIO = "io-max-slow-writes"
TRACED_CALLS = "trace=connect,sendto,sendmsg"
# Families that never leave the machine; AF_UNSPEC is glibc un-connecting a UDP socket.
LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}
LOCAL_ADDRESSES = {'inet_addr("127.0.0.1")', 'inet_pton(AF_INET6, "::1"',
                   'inet_pton(AF_INET6, "::ffff:127.0.0.1"'}
ADDRESS = re.compile(r"\{sa_family=(AF_\w+)[^{}]*\}")
# Switches a user's environment could carry; removed so the test sees the product's defaults.
SWITCH_WORDS = ("TELEMETRY", "ANALYTICS", "TRACK", "OTEL_SDK")


def outside_connections(trace: str) -> list[str]:
    """strace lines that address anything other than this machine."""
    bad = []
    for line in trace.splitlines():
        for match in ADDRESS.finditer(line):
            family, address = match.group(1), match.group(0)
            if family in LOCAL_FAMILIES:
                continue
            if family in ("AF_INET", "AF_INET6") and any(a in address for a in LOCAL_ADDRESSES):
                continue
            bad.append(line.strip())
    return bad


def test_the_trace_reader_tells_local_from_outside():
    # Lines as strace 6.1 prints them; the first is onnxruntime's DNS lookup before the fix.
    dns = ('9981 connect(9, {sa_family=AF_INET, sin_port=htons(53), '
           'sin_addr=inet_addr("10.255.255.53")}, 16) = 0')
    query = ('9982 sendto(8, "+9\\1\\0", 50, MSG_NOSIGNAL, {sa_family=AF_INET6, '
             'sin6_port=htons(53), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr)}, 28) = 50')
    local = ['12 connect(6, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1',
             ('12 connect(7, {sa_family=AF_INET, sin_port=htons(8081), '
              'sin_addr=inet_addr("127.0.0.1")}, 16) = 0'),
             ('12 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), '
              'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0'),
             '12 sendto(5, "\\0", 1, 0, NULL, 0) = 1']
    assert outside_connections("\n".join([dns, query, *local])) == [dns, query]


@functools.cache
def _strace() -> str:
    found = shutil.which("strace")
    if not found:
        pytest.fail("strace is missing: run `make test` (scripts/setup_system.sh test installs "
                    "it), or apt-get install strace.")
    probe = subprocess.run([found, "-f", "-qq", "-e", TRACED_CALLS, "-o", os.devnull, "true"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:  # e.g. a container without the ptrace permission
        pytest.fail(f"strace cannot trace processes here: {probe.stderr.strip()}")
    return found


def _clean_env(home: Path) -> dict:
    from coach.errors import GrammarUnavailable
    from coach.grammar.languagetool_install import find_jar_dir

    try:
        jars = str(find_jar_dir())
    except GrammarUnavailable as error:
        pytest.fail(f"{error} (`make test` installs it)")
    env = {k: v for k, v in os.environ.items()
           if not any(word in k for word in SWITCH_WORDS) and not k.startswith("XDG_")}
    env.update(HOME=str(home), COACH_DATA_DIR=str(home / "data"),
               COACH_CACHE_DIR=str(home / "cache"), COACH_LANGUAGETOOL_DIR=jars,
               PYTHONPATH=str(ROOT), GRADIO_TEMP_DIR=str(home / "gradio"))
    return env


def _traced(trace: Path, *argv: str) -> list[str]:
    return [_strace(), "-f", "--seccomp-bpf", "-qq", "-e", TRACED_CALLS, "-o", str(trace),
            sys.executable, "-m", "coach.cli", *argv]


def _assert_stayed_home(trace: Path, home: Path) -> None:
    outside = outside_connections(trace.read_text(errors="replace"))
    assert not outside, "connections that leave the machine:\n" + "\n".join(outside[:20])
    telemetry = [str(p) for p in (home / ".cache").rglob("*") if "Microsoft" in str(p)] \
        if (home / ".cache").exists() else []
    assert not telemetry, f"a telemetry queue was written: {telemetry}"


def test_coach_analyze_stays_on_this_machine(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    trace = tmp_path / "analyze.strace"
    spoken = tmp_path / "polished.wav"
    result = subprocess.run(
        _traced(trace, "analyze", str(ANSWER), "--scenario", SCENARIO, "--json",
                "--speak", str(spoken), "--voice", "piper"),
        env=_clean_env(home), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    feedback = json.loads(result.stdout)
    assert feedback["transcript"] and feedback["grammar"]["checked"], feedback["grammar"]
    assert spoken.stat().st_size > 10_000  # Piper (onnxruntime) spoke
    assert "connect(" in trace.read_text()  # the trace did see the grammar server's socket
    _assert_stayed_home(trace, home)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, log: Path, timeout_s: float = 180) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("The app exited at start-up:\n" + log.read_text())
        try:
            with opener.open(url, timeout=2) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"The app did not answer on {url} within {timeout_s:.0f} s:\n" + log.read_text())


def _analyse_through_the_app(url: str) -> dict:
    """Upload a recording to the practice tab's analysis, as the page does."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    # the upload's analysis: the recording, the question, and the browser's token (none here)
    name = "/uploaded"
    assert [p["parameter_name"] for p in endpoints[name]["parameters"]] == [
        "recording", "scenario_id", "browser"], endpoints[name]
    result = client.predict(handle_file(str(ANSWER)), SCENARIO, "", api_name=name)
    client.close()
    return {"endpoint": name, "result": result}


def test_the_app_stays_on_this_machine(tmp_path):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    # Piper speaks the questions, so its onnxruntime runs in the server too.
    (home / "data" / "settings.json").write_text(json.dumps({"voice_engine": "piper"}))
    trace, log_path = tmp_path / "serve.strace", tmp_path / "serve.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with log_path.open("w") as log:
        server = subprocess.Popen(_traced(trace, "serve", "--port", str(port)), cwd=ROOT,
                                  env=_clean_env(home), stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            page = _wait_for(url, server, log_path)
            assert "<html" in page.lower() and "coach" in page
            answered = _analyse_through_the_app(url)
            assert "score" in json.dumps(answered["result"], default=str).lower(), answered
            time.sleep(8)  # onnxruntime's uploader wakes a few seconds after its first session
        finally:
            _stop(server)
    _assert_stayed_home(trace, home)


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to strace and the app it runs (strace alone would detach and leave the app
    running), as a user's Ctrl-C; SIGKILL only if they are still there after 30 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # whatever of the group is left
