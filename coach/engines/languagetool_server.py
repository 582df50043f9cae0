"""Run and talk to a local LanguageTool HTTP server (Java) for coach's grammar checks.

`scripts/install_languagetool.sh` puts the LanguageTool 6.7 jars in
`cache_dir()/languagetool/6.7/lib/` (or set `COACH_LANGUAGETOOL_DIR` to a folder of jars).
`LanguageToolServer` starts `org.languagetool.server.HTTPServer` on a free port of 127.0.0.1 once,
reuses it, and stops it on `close()` or at interpreter exit. `post_check()` is the HTTP client.

Besides the stock rules, the server loads `COACH_RULES_XML` (a LanguageTool `grammar_custom.xml`)
for agreement errors that LanguageTool 6.7 misses and that non-native speakers make often.

Environment:
- `COACH_LANGUAGETOOL_DIR`: a folder holding the LanguageTool server jars (overrides the cache).
- `COACH_LANGUAGETOOL_DOWNLOAD=1`: when no jars are installed, let `language_tool_python`
  download LanguageTool from the internet and run it (laptops with internet only).
"""

from __future__ import annotations

import atexit
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coach.config import cache_dir
from coach.errors import GrammarUnavailable

if TYPE_CHECKING:
    from typing import Self  # only for type checkers: Python 3.10 lacks it

LANGUAGETOOL_VERSION = "6.7"
INSTALL_HINT = (
    "Install LanguageTool with `make setup`, or run `scripts/install_languagetool.sh` "
    "(it needs Java 17+ and Maven: apt-get install -y openjdk-17-jre-headless maven)."
)
STARTUP_TIMEOUT_S = 60.0
CHECK_TIMEOUT_S = 30.0
JAVA_HEAP = "512m"
# Measured on 2 cores (benchmarks/grammar_speed.py): with only the C1 JIT the first check after
# start-up takes ~2.8 s instead of ~6.8 s and later checks are no slower (C2 compiling competes
# for the cores during the first minutes); the serial GC saves ~100 MiB of resident memory.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")

_MAIN_CLASS = "org.languagetool.server.HTTPServer"
_HOST = "127.0.0.1"
_REQUIRED_JARS = ("languagetool-server-*.jar", "language-en-*.jar")
_INSTALLED_MARKER = "INSTALLED"  # written last by scripts/install_languagetool.sh

# The JVM runs under this small sh wrapper: it kills java when coach's end of the wrapper's stdin
# pipe closes, which happens however coach ends (even SIGKILL, or SIGHUP from a closed
# terminal), so no orphaned JVM is left behind. The wrapper exits with java's status, so
# `Popen.poll()` tells whether java is still running. Arguments: the java command line.
_WATCHDOG_SH = (
    'exec 3<&0 0</dev/null; "$@" 3<&- & jpid=$!; '
    '{ read -r _ <&3; kill "$jpid" 2>/dev/null; } & '
    'exec 3<&-; wait "$jpid"'
)

# Requests to the local server must never go through an http_proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --- where the jars are ------------------------------------------------------------------
def install_dir() -> Path:
    """Where scripts/install_languagetool.sh installs LanguageTool (jars in `lib/`)."""
    return cache_dir() / "languagetool" / LANGUAGETOOL_VERSION


def find_jar_dir() -> Path:
    """The folder of LanguageTool jars to run; raises GrammarUnavailable if not installed."""
    override = os.environ.get("COACH_LANGUAGETOOL_DIR")
    if override:
        folder = Path(override).expanduser()
        missing = [p for p in _REQUIRED_JARS if not any(folder.glob(p))]
        if missing:
            raise GrammarUnavailable(
                f"COACH_LANGUAGETOOL_DIR={folder} does not hold the LanguageTool jars "
                f"({', '.join(missing)} not found).",
                hint="Point it at a folder of LanguageTool server jars, or unset it. "
                + INSTALL_HINT,
            )
        return folder
    folder = install_dir() / "lib"
    if not (install_dir() / _INSTALLED_MARKER).is_file() or not all(
        any(folder.glob(p)) for p in _REQUIRED_JARS
    ):
        raise GrammarUnavailable(
            f"LanguageTool {LANGUAGETOOL_VERSION} is not installed (looked in {folder}).",
            hint=INSTALL_HINT,
        )
    return folder


def download_allowed() -> bool:
    return os.environ.get("COACH_LANGUAGETOOL_DOWNLOAD") == "1"


# --- HTTP client -------------------------------------------------------------------------
def post_check(
    base_url: str, text: str, *, language: str = "en-US", timeout: float = CHECK_TIMEOUT_S
) -> list[dict[str, Any]]:
    """POST `text` to LanguageTool's /v2/check and return its raw `matches`.

    Raises GrammarUnavailable when the server cannot be reached, answers with an HTTP error,
    or sends something that is not a LanguageTool answer: never an empty list in its place.
    """
    data = urllib.parse.urlencode({"language": language, "text": text}).encode("utf-8")
    request = urllib.request.Request(
        base_url + "v2/check",
        data=data,
        headers={"Accept": "application/json"},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as e:
        detail = e.read(300).decode("utf-8", "replace").strip()
        raise GrammarUnavailable(
            f"LanguageTool at {base_url} answered HTTP {e.code}: {detail}",
            hint="LanguageTool itself failed; please report it with the text checked.",
        ) from e
    except (OSError, http.client.HTTPException) as e:
        raise GrammarUnavailable(
            f"LanguageTool at {base_url} is not reachable ({e}).",
            hint="Is the LanguageTool server running? " + INSTALL_HINT,
        ) from e
    try:
        matches = json.loads(body)["matches"]
    except (ValueError, KeyError, TypeError) as e:
        raise GrammarUnavailable(
            f"LanguageTool at {base_url} sent an answer that is not a grammar check: "
            f"{body[:200]!r}",
            hint="Is that port a LanguageTool server?",
        ) from e
    if not isinstance(matches, list):
        raise GrammarUnavailable(
            f"LanguageTool at {base_url} sent matches of type {type(matches).__name__}.",
            hint="Is that port a LanguageTool server?",
        )
    return matches


def _answers(base_url: str) -> bool:
    try:
        with _OPENER.open(base_url + "v2/languages", timeout=2) as response:
            return response.status == 200 and response.read(1) == b"["
    except (OSError, http.client.HTTPException):
        return False


# --- the server process ------------------------------------------------------------------
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
    ) -> None:
        self._jar_dir = jar_dir
        self._java = java
        self._heap = heap
        self._startup_timeout = startup_timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._downloaded: Any = None  # a language_tool_python.LanguageTool running its server
        self._url: str | None = None
        self._attempts = 0
        self._last_error: GrammarUnavailable | None = None
        self._thread: threading.Thread | None = None
        self.startup_seconds: float | None = None  # launch until the server answered

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
        attempts_seen = self._attempts
        with self._lock:
            if self.is_running():
                assert self._url is not None
                return self._url
            if self._attempts != attempts_seen and self._last_error is not None:
                # We waited for another thread's start, which failed: report it rather than
                # making this caller wait for a second identical failure.
                raise self._last_error
            self._attempts += 1
            self._stop_locked()
            _LIVE_SERVERS.add(self)
            try:
                self._url = self._launch_locked()
                if warm_up:
                    self._post(self._url, "The server is warming up.", self._startup_timeout)
            except GrammarUnavailable as e:
                self._stop_locked()
                self._last_error = e
                raise
            self._last_error = None
            return self._url

    def check(
        self, text: str, *, language: str = "en-US", timeout: float = CHECK_TIMEOUT_S
    ) -> list[dict[str, Any]]:
        """Start the server if needed, then return LanguageTool's raw matches for `text`."""
        return self._post(self.start(), text, timeout, language)

    def _post(
        self, url: str, text: str, timeout: float, language: str = "en-US"
    ) -> list[dict[str, Any]]:
        try:
            return post_check(url, text, language=language, timeout=timeout)
        except GrammarUnavailable as e:
            errors = self.log_errors()
            if not errors:
                raise
            raise GrammarUnavailable(f"{e.message}\n{errors}", hint=e.hint) from e

    def start_in_background(self) -> threading.Thread:
        """Start (and warm up) the server in a daemon thread; failures surface on next start()."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._start_quietly, name="languagetool-start", daemon=True
                )
                self._thread.start()
            return self._thread

    def _start_quietly(self) -> None:
        try:
            self.start()
        except GrammarUnavailable:
            pass  # kept in _last_error and raised to whoever calls start() next

    def close(self) -> None:
        """Stop the server (the whole process group). Safe to call more than once."""
        with self._lock:
            self._stop_locked()
        _LIVE_SERVERS.discard(self)

    # -- internals (hold self._lock) ----------------------------------------------------------
    def _launch_locked(self) -> str:
        try:
            jar_dir = self._jar_dir or find_jar_dir()
        except GrammarUnavailable:
            if self._jar_dir is None and download_allowed():
                return self._launch_downloaded_locked()
            raise
        java = shutil.which(self._java)
        if java is None:
            raise GrammarUnavailable(
                f"Java ({self._java}) is not installed; LanguageTool needs Java 17+.",
                hint="apt-get install -y openjdk-17-jre-headless",
            )
        classpath = os.pathsep.join([str(jar_dir / "*"), str(_coach_rules_dir())])
        # A port picked free can be taken before java binds it: then try another one.
        for _ in range(3):
            port = _free_port()
            url = f"http://{_HOST}:{port}/"
            command = [
                java, f"-Xmx{self._heap}", *JVM_OPTIONS, "-cp", classpath, _MAIN_CLASS,
                "--port", str(port), "--allow-origin", "*",
            ]  # fmt: skip
            # Closed by _stop_locked(): it lives as long as the server.
            self._log = tempfile.TemporaryFile(prefix="coach-languagetool-", suffix=".log")  # noqa: SIM115
            started = time.monotonic()
            self._proc = subprocess.Popen(
                ["sh", "-c", _WATCHDOG_SH, "coach-languagetool", *command],
                stdin=subprocess.PIPE,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: close() kills java and wrapper
            )
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
            self.startup_seconds = time.monotonic() - started
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
            if _answers(url):
                return
            if time.monotonic() > deadline:
                raise GrammarUnavailable(
                    f"LanguageTool did not answer within {self._startup_timeout:.0f} s.\n"
                    + _tail(log),
                    hint="Is the machine very busy? Try again.",
                )
            time.sleep(0.1)

    def log_errors(self, lines: int = 3) -> str:
        """The last error lines the running server logged ("" if none, or not ours)."""
        errors = [
            line.strip()
            for line in self._read_log().splitlines()
            if line.startswith("Caused by:") or " ERROR " in line
        ]
        return "\n".join(errors[-lines:])

    def _read_log(self) -> str:
        log = self._log
        if log is None:
            return ""
        fd = log.fileno()
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")

    def _launch_downloaded_locked(self) -> str:
        # Only with COACH_LANGUAGETOOL_DOWNLOAD=1: language_tool_python downloads LanguageTool
        # (needs internet) and runs its own server, which it kills at exit. Coach's extra
        # rules (COACH_RULES_XML) are not loaded on this path.
        import language_tool_python
        from language_tool_python.exceptions import LanguageToolError

        try:
            tool = language_tool_python.LanguageTool(
                "en-US", language_tool_download_version=LANGUAGETOOL_VERSION
            )
        except (LanguageToolError, OSError) as e:
            raise GrammarUnavailable(
                f"LanguageTool is not installed and downloading it failed: {e}",
                hint=INSTALL_HINT,
            ) from e
        self._downloaded = tool
        return tool.url.removesuffix("v2/")

    def _stop_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill_group(proc)
        if self._log is not None:
            self._log.close()
            self._log = None
        downloaded, self._downloaded = self._downloaded, None
        if downloaded is not None:
            downloaded.close()
        self._url = None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop java and its wrapper; SIGKILL the whole process group if that takes over 5 s."""
    # EOF on the wrapper's stdin makes it SIGTERM java, and the wrapper exits once java has.
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        proc.wait(5.0)
    except subprocess.TimeoutExpired:
        # The wrapper is still alive, so its pid is still this process group's id.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((_HOST, 0))
        return int(s.getsockname()[1])


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


# --- coach's own LanguageTool rules ------------------------------------------------------
def _coach_rules_dir() -> Path:
    """A classpath folder holding COACH_RULES_XML as org/languagetool/rules/en/grammar_custom.xml.

    LanguageTool loads that resource, when present, next to its own English rules. The folder
    name carries a hash of the rules, so a server never sees a half-written or stale file.
    """
    digest = hashlib.sha256(COACH_RULES_XML.encode("utf-8")).hexdigest()[:12]
    root = cache_dir() / "languagetool" / f"coach-rules-{digest}"
    target = root / "org" / "languagetool" / "rules" / "en" / "grammar_custom.xml"
    if not target.is_file():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            partial.write_text(COACH_RULES_XML, encoding="utf-8")
            os.replace(partial, target)
        except OSError as e:
            raise GrammarUnavailable(
                f"Cannot write coach's LanguageTool rules to {target}: {e}",
                hint="Set COACH_CACHE_DIR to a writable folder.",
            ) from e
    return root


# LanguageTool 6.7 misses agreement errors that spoken answers about incidents are full of:
# "the container were restarting" (never flagged), "we saw the packets was dropped" (flagged only
# at the start of a sentence), "the node have no memory" (its rules skip many noun + verb pairs).
# These rules add: determiner + singular noun + "were"; determiner + plural noun + "was";
# determiner + singular noun + a base-form verb that cannot be a noun ("have", "come", "do",
# "become": "show" or "run" could start a compound noun, so they are left alone). They stay
# silent for the subjunctive ("if the disk were faster"), a noun inside a prepositional phrase
# ("one of the nodes was", "the logs of the pod were"), a compound subject ("the node and the
# pod were"), questions ("what the hell were you doing"), bare infinitives ("we watched the node
# come back") and collective, quantity or -s singular nouns ("the team were", "the news was").
# Precision over recall: no false alarm on the 290 texts of scenarios/ when written.
# The <example>s are checked against the real server by tests/integration/test_languagetool.py.
COACH_RULES_XML = r"""<?xml version="1.0" encoding="UTF-8"?>
<!-- coach's extra LanguageTool rules; generated from coach/engines/languagetool_server.py -->
<rules lang="en">
  <category id="GRAMMAR" name="Grammar" type="grammar">
    <rule id="COACH_SINGULAR_NOUN_WERE" name="Singular noun + were">
      <antipattern>
        <token regexp="yes">if|though|whether|wish|wished|suppose|and|or|nor|of|in|on|at|from|with|for|by|to|into|inside|within|across|under|behind|between|than|like|about|per</token>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token>were</token>
      </antipattern>
      <antipattern>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token>were</token>
        <token regexp="yes">i|you|we|they|he|she|it|there</token>
      </antipattern>
      <pattern>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes">
          <exception postag="NNS|NNP.*|VB.*|JJ.*|RB.*|CD" postag_regexp="yes"/>
          <exception regexp="yes">team|staff|police|family|government|management|majority|minority|couple|crowd|people|group|data|media|crew|board|committee|audience|public|rest|remainder|number|series|species|lot|bunch|pair|set|range|variety|kind|sort|type|total|half|percent|percentage|portion|part</exception>
        </token>
        <marker>
          <token>were</token>
        </marker>
      </pattern>
      <message>The subject ‘\3’ is singular, so the verb should be <suggestion>was</suggestion>.</message>
      <short>Subject–verb agreement</short>
      <example correction="was">The container <marker>were</marker> restarting every few minutes.</example>
      <example correction="was">Then the main disk <marker>were</marker> full.</example>
      <example correction="was">The pod was killed because the memory <marker>were</marker> exhausted.</example>
      <example>The pods on the node were evicted.</example>
      <example>The logs of the pod were rotated.</example>
      <example>The node and the pod were restarted.</example>
      <example>If the container were restarted, the data would be lost.</example>
      <example>I wish the disk were faster.</example>
      <example>What the hell were you doing?</example>
      <example>The team were happy.</example>
      <example>The container logs were full.</example>
      <example>By the time we were done, the node was back.</example>
    </rule>
    <rule id="COACH_SINGULAR_NOUN_ARE" name="Singular noun + are">
      <antipattern>
        <token regexp="yes">and|or|nor|of|in|on|at|from|with|for|by|to|into|inside|within|across|under|behind|between|than|like|about|per</token>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token>are</token>
      </antipattern>
      <antipattern>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token>are</token>
        <token regexp="yes">i|you|we|they|he|she|it|there</token>
      </antipattern>
      <pattern>
        <token regexp="yes">the|this|that|a|an|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes">
          <exception postag="NNS|NNP.*|VB.*|JJ.*|RB.*|CD" postag_regexp="yes"/>
          <exception regexp="yes">team|staff|police|family|government|management|majority|minority|couple|crowd|people|group|data|media|crew|board|committee|audience|public|rest|remainder|number|series|species|lot|bunch|pair|set|range|variety|kind|sort|type|total|half|percent|percentage|portion|part</exception>
        </token>
        <marker>
          <token>are</token>
        </marker>
      </pattern>
      <message>The subject ‘\3’ is singular, so the verb should be <suggestion>is</suggestion>.</message>
      <short>Subject–verb agreement</short>
      <example correction="is">I think the problem <marker>are</marker> in OverlayFS.</example>
      <example correction="is">The root cause <marker>are</marker> a mount leak.</example>
      <example>The pods on the node are evicted.</example>
      <example>The logs of the pod are rotated.</example>
      <example>The node and the pod are restarted.</example>
      <example>The team are happy.</example>
      <example>The container logs are full.</example>
      <example>The disks are idle.</example>
      <example>By the time we are done, the node is back.</example>
    </rule>
    <rule id="COACH_PLURAL_NOUN_WAS" name="Plural noun + was">
      <antipattern>
        <token regexp="yes">if|though|whether|and|or|nor|of|in|on|at|from|with|for|by|to|into|inside|within|across|under|behind|between|than|like|about|per|among|one|each|none|either|neither</token>
        <token regexp="yes">the|these|those|my|our|your|his|her|its|their|all|some|many|several|both|few</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NNS"/>
        <token>was</token>
      </antipattern>
      <antipattern>
        <token regexp="yes">the|these|those|my|our|your|his|her|its|their|all|some|many|several|both|few</token>
        <token postag="NNS"/>
        <token>was</token>
        <token regexp="yes">i|you|he|she|it|there</token>
      </antipattern>
      <pattern>
        <token regexp="yes">the|these|those|my|our|your|his|her|its|their|all|some|many|several|both|few</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NNS">
          <exception postag="NN|NN:U.*|NNP.*|VB.*|JJ.*|RB.*|CD" postag_regexp="yes"/>
          <exception regexp="yes">data|media|criteria|news|series|species|means|physics|mathematics|economics|politics|statistics|analytics|logistics|ethics|metrics|headquarters|whereabouts|lens|bus|gas|status|campus|virus|process|access|address|class|loss|business|kubernetes|jenkins|ios|dns|postgres|cassandra|sales|odds|thanks|ops|devops|sres|pros|cons</exception>
        </token>
        <marker>
          <token>was</token>
        </marker>
      </pattern>
      <message>The subject ‘\3’ is plural, so the verb should be <suggestion>were</suggestion>.</message>
      <short>Subject–verb agreement</short>
      <example correction="were">We saw that the packets <marker>was</marker> dropped by iptables.</example>
      <example correction="were">After the deploy the pods <marker>was</marker> crashing.</example>
      <example>One of the nodes was down.</example>
      <example>Each of the pods was restarted.</example>
      <example>The number of requests was high.</example>
      <example>The memory usage of the pods was high.</example>
      <example>The data was lost.</example>
      <example>The news was bad.</example>
      <example>The status was green.</example>
      <example>The ops team was paged.</example>
      <example>The reason the writes were slow was the disk.</example>
      <example>The time the pods were down was short.</example>
    </rule>
    <rule id="COACH_SINGULAR_NOUN_BASE_VERB" name="Singular noun + base-form verb">
      <antipattern>
        <token postag="VB.*|MD|TO" postag_regexp="yes"/>
        <token regexp="yes">the|this|that|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token postag="VBP|VB" postag_regexp="yes"/>
      </antipattern>
      <antipattern>
        <token regexp="yes">and|or|nor|of|in|on|at|from|with|for|by|into|inside|within|across|under|behind|between|than|like|about|per|among|let|make|made|help|helps|helped|watch|watched|saw|see|seen|hear|heard|did|does|do|that|which|who|if|unless|whether|lest</token>
        <token regexp="yes">the|this|that|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes"/>
        <token postag="VBP|VB" postag_regexp="yes"/>
      </antipattern>
      <pattern>
        <token regexp="yes">the|this|that|my|our|your|his|her|its|their|each|every</token>
        <token postag="JJ.*" postag_regexp="yes" min="0"/>
        <token postag="NN|NN:UN?" postag_regexp="yes">
          <exception postag="NNS|NNP.*|VB.*|JJ.*|RB.*|CD|PRP.*" postag_regexp="yes"/>
          <exception regexp="yes">team|staff|police|family|government|management|majority|minority|couple|crowd|people|group|data|media|crew|board|committee|audience|public|rest|remainder|number|series|species|lot|bunch|pair|set|range|variety|kind|sort|type|total|half|percent|percentage|portion|part|time|way|moment|day|week|month|year|minute|second|hour|reason|thing|one|other|same|first|last|next|ops|sales|news</exception>
        </token>
        <marker>
          <token postag="VBP|VB" postag_regexp="yes">
            <exception postag="NN.*|JJ.*|VBD|RB.*|IN|DT|CC|MD" postag_regexp="yes"/>
            <exception regexp="yes">are|am|were|was|be|been|being|is</exception>
          </token>
        </marker>
      </pattern>
      <message>The subject ‘\3’ is singular, so use <suggestion><match no="4" postag="VBZ"/></suggestion>.</message>
      <short>Subject–verb agreement</short>
      <example correction="has">The node <marker>have</marker> no memory left.</example>
      <example correction="has">The pod <marker>have</marker> been evicted.</example>
      <example correction="comes">Maybe the load <marker>come</marker> from a container.</example>
      <example correction="becomes">Then the node <marker>become</marker> unhealthy.</example>
      <example>We watched the node come back.</example>
      <example>Let the pod come up first.</example>
      <example>Did the node have enough memory?</example>
      <example>I suggest that the node have more memory.</example>
      <example>The pods come back quickly.</example>
      <example>The team run the on-call rotation.</example>
      <example>The node I use for tests is small.</example>
      <example>The memory limit was too low.</example>
      <example>The load balancer health check failed.</example>
      <example>That node and this pod have problems.</example>
    </rule>
  </category>
</rules>
"""
