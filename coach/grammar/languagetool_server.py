"""Run a local LanguageTool HTTP server (Java) for coach's grammar checks, and keep it answering.

`LanguageToolServer` starts `org.languagetool.server.HTTPServer` on a free port of 127.0.0.1
once, reuses it, and stops it on `close()` or at interpreter exit. Besides the stock rules, the
server loads coach_rules.xml (this package's data) for agreement errors that LanguageTool 6.7
misses and that non-native speakers make often. Where the jars and the rules come from:
languagetool_install.py; the HTTP requests: languagetool_http.py; java runs under the
watchdog of watched_process.py, so it never outlives coach.

A server that dies is started again on the next check. One that hangs (a stopped or stuck
JVM: the process is there, the port accepts, nothing answers) is caught by a short health
probe before each check, or by the check's own timeout: it is killed and started again, the
check is retried once, and the result carries a note saying so.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coach.errors import GrammarUnavailable
from coach.grammar.languagetool_http import (
    CHECK_TIMEOUT_S,
    PROBE_TIMEOUT_S,
    CheckTimedOut,
    post_check,
    responds,
)
from coach.grammar.languagetool_install import (
    coach_rules_dir,
    download_allowed,
    find_jar_dir,
    start_downloaded,
)
from coach.grammar.watched_process import free_port, kill_group, start_watched

if TYPE_CHECKING:
    from typing import Self  # only for type checkers: Python 3.10 lacks it

STARTUP_TIMEOUT_S = 60.0
JAVA_HEAP = "512m"
# Measured on 2 cores (benchmarks/grammar_speed.py): with only the C1 JIT the first check after
# start-up takes ~2.8 s instead of ~6.8 s and later checks are no slower (C2 compiling competes
# for the cores during the first minutes); the serial GC saves ~100 MiB of resident memory.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")

RESTARTED = "LanguageTool stopped answering; it was restarted."
NOT_RESTARTED = "LanguageTool stopped answering and could not be restarted: grammar not checked."
STILL_HUNG = "LanguageTool stopped answering, even after a restart: grammar not checked."

_MAIN_CLASS = "org.languagetool.server.HTTPServer"
_HOST = "127.0.0.1"
_WARM_UP_TEXT = "The server is warming up."



class _StartFailed(Exception):
    """java exited (or its main thread died) during start-up; `log` is its output."""

    def __init__(self, log: str) -> None:
        super().__init__(log)
        self.log = log


class LanguageToolServer:
    """One local LanguageTool HTTP server, started once and reused.

    `start()` is idempotent and thread-safe: it returns the base URL (ending in "/") of the
    running server, launching it if needed (again, if the JVM died). `start_in_background()`
    does that in a thread so an app can warm the server up while it builds its UI; a check
    that comes meanwhile simply waits for that start to finish.
    """

    def __init__(
        self,
        *,
        jar_dir: Path | None = None,
        java: str = "java",
        heap: str = JAVA_HEAP,
        startup_timeout: float = STARTUP_TIMEOUT_S,
        probe_timeout: float = PROBE_TIMEOUT_S,
    ) -> None:
        self._jar_dir = jar_dir
        self._java = java
        self._heap = heap
        self._startup_timeout = startup_timeout
        self._probe_timeout = probe_timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._downloaded: Any = None  # a language_tool_python.LanguageTool running its server
        self._url: str | None = None
        self._launches = 0  # tells a restart already done by another thread from one to do
        self._attempts = 0
        self._last_error: GrammarUnavailable | None = None
        self._thread: threading.Thread | None = None
        self.restarts = 0  # hung servers replaced

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str | None:
        """Base URL of the running server, or None."""
        return self._url if self.is_running() else None

    @property
    def pid(self) -> int | None:
        """Process id of the wrapper whose process group holds the JVM (None if not ours)."""
        return self._proc.pid if self._proc is not None else None

    def is_running(self) -> bool:
        if self._downloaded is not None:
            return True
        return self._proc is not None and self._proc.poll() is None

    def start(self, *, warm_up: bool = True) -> str:
        """Start the server unless it runs; return its base URL. Raises GrammarUnavailable.

        With `warm_up`, also send one small check: LanguageTool loads the English rules on the
        first check (a few seconds), better done here than on the user's first answer.
        """
        return self._start(warm_up)[0]

    def check(
        self, text: str, *, language: str = "en-US", timeout: float = CHECK_TIMEOUT_S
    ) -> tuple[list[dict[str, Any]], str]:
        """LanguageTool's raw matches for `text`, and a note if the server had to be restarted.

        Starts the server if needed. A server that fails the health probe, or lets the check
        time out, is restarted and the check retried once (as is a check cut off by another
        check's restart); raises GrammarUnavailable (saying what happened) when that does not
        help.
        """
        url, launch = self._start(True)
        note = ""
        if not responds(url, self._probe_timeout):
            url, launch = self._restart_hung(launch)
            note = RESTARTED
        while True:
            try:
                return self._post(url, text, timeout, language), note
            except CheckTimedOut as e:
                if note:
                    raise GrammarUnavailable(STILL_HUNG, hint=e.message) from e
                url, launch = self._restart_hung(launch)
            except GrammarUnavailable:
                if note or not self._replaced_since(launch):
                    raise
                # Another check found the server hung and replaced it while this one waited.
                url, launch = self._start(True)
            note = RESTARTED

    def start_in_background(self) -> threading.Thread:
        """Start (and warm up) the server in a daemon thread; failures surface on next start()."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._start_quietly, name="languagetool-start", daemon=True
                )
                self._thread.start()
            return self._thread

    def close(self) -> None:
        """Stop the server (the whole process group). Safe to call more than once."""
        with self._lock:
            self._stop_locked()
        _LIVE_SERVERS.discard(self)

    def log_errors(self, lines: int = 3) -> str:
        """The last error lines the running server logged ("" if none, or not ours)."""
        errors = [
            line.strip()
            for line in self._read_log().splitlines()
            if line.startswith("Caused by:") or " ERROR " in line
        ]
        return "\n".join(errors[-lines:])

    # -- internals ---------------------------------------------------------------------------
    def _start(self, warm_up: bool) -> tuple[str, int]:
        """(base URL, launch number) of the running server, started if need be."""
        attempts_seen = self._attempts
        with self._lock:
            if self.is_running():
                assert self._url is not None
                return self._url, self._launches
            if self._attempts != attempts_seen and self._last_error is not None:
                # We waited for another thread's start, which failed: report it rather than
                # making this caller wait for a second identical failure.
                raise self._last_error
            self._attempts += 1
            return self._relaunch_locked(warm_up), self._launches

    def _restart_hung(self, launch: int) -> tuple[str, int]:
        """Kill the server of launch number `launch`, which stopped answering; start another.

        When another thread has already replaced it, use that one. Raises GrammarUnavailable
        (NOT_RESTARTED, with why) when the new server does not start.
        """
        with self._lock:
            if launch == self._launches or not self.is_running():
                self._stop_locked(force=True)
                try:
                    self._relaunch_locked(warm_up=True)
                except GrammarUnavailable as e:
                    raise GrammarUnavailable(NOT_RESTARTED, hint=str(e)) from e
                self.restarts += 1
            assert self._url is not None
            return self._url, self._launches

    def _replaced_since(self, launch: int) -> bool:
        """Whether the server of launch number `launch` was replaced (waits for a restart
        under way: it holds the lock from killing the old server until the new one answers)."""
        with self._lock:
            return launch != self._launches

    def _relaunch_locked(self, warm_up: bool) -> str:
        self._stop_locked()
        _LIVE_SERVERS.add(self)
        try:
            self._url = self._launch_locked()
            self._launches += 1
            if warm_up:
                self._post(self._url, _WARM_UP_TEXT, self._startup_timeout)
        except GrammarUnavailable as e:
            self._stop_locked()
            self._last_error = e
            raise
        self._last_error = None
        return self._url

    def _post(
        self, url: str, text: str, timeout: float, language: str = "en-US"
    ) -> list[dict[str, Any]]:
        try:
            return post_check(url, text, language=language, timeout=timeout)
        except CheckTimedOut:
            raise
        except GrammarUnavailable as e:
            errors = self.log_errors()
            if not errors:
                raise
            raise GrammarUnavailable(f"{e.message}\n{errors}", hint=e.hint) from e

    def _start_quietly(self) -> None:
        # kept in _last_error and raised to whoever calls start() next
        with contextlib.suppress(GrammarUnavailable):
            self.start()

    def _launch_locked(self) -> str:
        try:
            jar_dir = self._jar_dir or find_jar_dir()
        except GrammarUnavailable:
            if self._jar_dir is None and download_allowed():
                self._downloaded = start_downloaded()
                return self._downloaded.url.removesuffix("v2/")
            raise
        java = shutil.which(self._java)
        if java is None:
            raise GrammarUnavailable(
                f"Java ({self._java}) is not installed; LanguageTool needs Java 17+.",
                hint="apt-get install -y openjdk-17-jre-headless",
            )
        classpath = os.pathsep.join([str(jar_dir / "*"), str(coach_rules_dir())])
        # A port picked free can be taken before java binds it: then try another one.
        for _ in range(3):
            port = free_port(_HOST)
            url = f"http://{_HOST}:{port}/"
            command = [
                java, f"-Xmx{self._heap}", *JVM_OPTIONS, "-cp", classpath, _MAIN_CLASS,
                "--port", str(port), "--allow-origin", "*",
            ]  # fmt: skip
            # Closed by _stop_locked(): it lives as long as the server.
            self._log = tempfile.TemporaryFile(prefix="coach-languagetool-", suffix=".log")  # noqa: SIM115
            started = time.monotonic()
            self._proc = start_watched(command, self._log, name="coach-languagetool")
            try:
                self._wait_until_answering(url, started)
            except _StartFailed as e:
                self._stop_locked()
                if "Address already in use" in e.log:
                    continue
                if "UnsupportedClassVersionError" in e.log:
                    hint = "LanguageTool needs Java 17+: apt-get install -y openjdk-17-jre-headless"
                else:
                    hint = "Reinstall with `scripts/install_languagetool.sh --force`."
                raise GrammarUnavailable(
                    "The LanguageTool server stopped while starting:\n" + _tail(e.log), hint=hint
                ) from None
            return url
        raise GrammarUnavailable(
            "Could not find a free local port for LanguageTool.", hint="Try again."
        )

    def _wait_until_answering(self, url: str, started: float) -> None:
        assert self._proc is not None
        deadline = started + self._startup_timeout
        while True:
            if self._proc.poll() is not None:
                raise _StartFailed(self._read_log())
            log = self._read_log()
            # When HTTPServer.main() throws, a non-daemon timer thread keeps the JVM alive.
            if 'Exception in thread "main"' in log:
                raise _StartFailed(log)
            if responds(url, timeout=2.0):
                return
            if time.monotonic() > deadline:
                raise GrammarUnavailable(
                    f"LanguageTool did not answer within {self._startup_timeout:.0f} s.\n"
                    + _tail(log),
                    hint="Is the machine very busy? Try again.",
                )
            time.sleep(0.1)

    def _read_log(self) -> str:
        log = self._log
        if log is None:
            return ""
        fd = log.fileno()
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")

    def _stop_locked(self, *, force: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            kill_group(proc, force=force)
        if self._log is not None:
            self._log.close()
            self._log = None
        downloaded, self._downloaded = self._downloaded, None
        if downloaded is not None:
            downloaded.close()
        self._url = None


def _tail(log: str, lines: int = 15) -> str:
    return "\n".join(log.strip().splitlines()[-lines:])


# --- one shared server per process -------------------------------------------------------
_LIVE_SERVERS: set[LanguageToolServer] = set()
_DEFAULT_LOCK = threading.Lock()
_default: LanguageToolServer | None = None


def default_server() -> LanguageToolServer:
    """The process-wide server (created, not started, on first call)."""
    global _default
    with _DEFAULT_LOCK:
        if _default is None:
            _default = LanguageToolServer()
        return _default


@atexit.register
def _close_all() -> None:
    for server in list(_LIVE_SERVERS):
        server.close()
