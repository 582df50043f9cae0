"""How fast and how big the local LanguageTool server is.

Starts its own server and prints: cold start (launch until the HTTP API answers, then the first
check, which loads the English rules), the warm check latency of a 70-word spoken answer
(median and max of 20) and of a 5-minute one (800 words: the longest answer analysed), the
resident memory of the java process, and how long a check waits when the server has hung
(SIGSTOP): health probe, kill, restart and the check again.

    .venv/bin/python benchmarks/grammar_speed.py
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import time
from pathlib import Path

from coach.errors import GrammarUnavailable
from coach.grammar.languagetool import LanguageToolChecker
from coach.grammar.languagetool_http import CHECK_TIMEOUT_S, PROBE_TIMEOUT_S
from coach.grammar.languagetool_server import JAVA_HEAP, JVM_OPTIONS, LanguageToolServer
from coach.grammar.spoken_filter import filter_spoken_issues

# 70 words, as Whisper writes a spoken answer: a couple of real mistakes, some jargon.
ANSWER = (
    "So the pod were restarting every few minutes and the logs show exit code 137. "
    "I checked dmesg on the node and it show that the OOMKiller killed the process "
    "because the container crossed its memory limit in the cgroup. We looked at "
    "memory.events and the kubelet metrics, then we raised the limit and added an alert "
    "on memory usage so we doesn't get surprised by this again next time."
)
RUNS = 20
LONG_ANSWER = " ".join([ANSWER] * 12)  # ~840 words: 5 minutes at 170 wpm


def java_rss_mib(group: int) -> float:
    """Resident memory of the java process in process group `group` (Linux /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        pgrp = int(stat.rsplit(")", 1)[1].split()[2])
        if pgrp == group and comm == "java":
            kib = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
            return int(kib.split()[1]) / 1024
    raise RuntimeError(f"no java process in process group {group}")


def main() -> int:
    words = len(ANSWER.split())
    server = LanguageToolServer()
    try:
        launched = time.perf_counter()
        server.start(warm_up=False)
        answering = time.perf_counter() - launched
        checker = LanguageToolChecker(server)
        first = time.perf_counter()
        checker.check(ANSWER)
        first_check = time.perf_counter() - first

        latencies = []
        for _ in range(RUNS):
            started = time.perf_counter()
            issues = checker.check(ANSWER).issues
            latencies.append(time.perf_counter() - started)
        long_latencies = []
        for _ in range(5):
            started = time.perf_counter()
            checker.check(LONG_ANSWER)
            long_latencies.append(time.perf_counter() - started)
        shown = filter_spoken_issues(issues, ANSWER)
        assert server.pid is not None
        rss = java_rss_mib(server.pid)

        os.killpg(server.pid, signal.SIGSTOP)  # the JVM hangs
        started = time.perf_counter()
        note = checker.check(ANSWER).note
        recovery = time.perf_counter() - started
    except GrammarUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        server.close()

    print(f"LanguageTool server, java -Xmx{JAVA_HEAP} {' '.join(JVM_OPTIONS)}")
    print(f"cold start, until the HTTP API answers: {answering:6.2f} s")
    print(f"first check (loads the English rules):  {first_check:6.2f} s")
    print(f"cold start total (ready for checks):     {answering + first_check:6.2f} s")
    print(
        f"warm check, {words}-word answer, {RUNS} runs: median "
        f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"warm check, {len(LONG_ANSWER.split())}-word answer, 5 runs: median "
        f"{statistics.median(long_latencies) * 1000:.0f} ms, "
        f"max {max(long_latencies) * 1000:.0f} ms"
        f" (check timeout {CHECK_TIMEOUT_S:.0f} s)"
    )
    print(f"java resident memory after the checks:   {rss:6.0f} MiB")
    print(
        f"check on a hung (SIGSTOP) server:        {recovery:6.2f} s "
        f"(probe timeout {PROBE_TIMEOUT_S:.0f} s, restart, check): {note!r}"
    )
    print(f"issues: {len(issues)} raw, {len(shown)} shown for speech:")
    for issue in shown:
        print(f"  {issue.rule_id:<26} {issue.text!r} -> {', '.join(issue.replacements)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
