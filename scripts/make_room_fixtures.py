"""Build the real-room test set, audio_fixtures/rooms/ (issue 19).

The coach must hold up in a room with noise and echo, recorded by a laptop and sent by a
browser as Opus. This script takes answers with exact ground truth and plays them "into a room":

    source speech --> room reverberation (synthetic impulse response, RT60 0.25-0.75 s)
                  --> laptop microphone band (highpass 150 Hz, lowpass 7 kHz)
                  --> + noise at the target SNR (speech power over speech-active frames,
                        noise through the same microphone band)
                  --> level set (-26 dBFS active speech) --> Opus 32 kb/s at 48 kHz in WebM,
                        as a browser's MediaRecorder sends it --> decoded to 16 kHz FLAC

Conditions: `clean` (the source speech as it is: the manifest points at the source fixture,
`../answers/...`, `../human/...`; only the two Debian clips are copied into rooms/clean/),
`room20` (noise at 20 dB SNR) and `room10` (10 dB). A source keeps the same room and the
same noise (kind and samples) in room20 and room10: only the SNR changes between them. Noise
kinds rotate over the files: pink, brown, babble (four other fixtures' voices, time-shifted
and further away), fan (hum + airflow), keyboard (typing clicks). room20/room10 files have
0.6 s of room before the speech starts and ~0.6 s after it ends (a recording starts before
one talks).

Sources: 12 synthetic answers from audio_fixtures/answers (all six scenarios; espeak en-us
120/150/180, en-gb, en-gb-scotland, en-029, Piper joe at normal and slow pace), the five
LibriVox sentences from audio_fixtures/human, and two more human clips from Debian
`pocketsphinx-testdata` (`apt-get install pocketsphinx-testdata`; if it is absent the
clean copies already in audio_fixtures/rooms/clean/ are used, which are the same samples).

Everything is seeded from the source id (crc32), so re-running writes the same samples.
Needs only numpy and PyAV (the coach's own dependencies):

    .venv/bin/python scripts/make_room_fixtures.py
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import room_dsp as dsp

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "audio_fixtures"
OUT = FIXTURES / "rooms"
RATE = dsp.RATE
LEAD_S, TRAIL_S = 0.6, 0.3  # room before the speech; room after the 0.3 s reverb tail
SPEECH_DBFS = -26.0  # active speech level of a room file (a laptop mic with browser AGC)
OPUS_BITRATE = 32_000

ANSWERS = [  # 12 answers: every scenario twice, every voice at least once
    "oom-us150-fillers",
    "oom-gb140-pauses",
    "iomax-joe-fillers",
    "iomax-029-grammar",
    "retry-scot140-grammar",
    "retry-us180-fillers",
    "cpu-us120-clean",
    "cpu-joe-slow-missing",
    "overlay-joe-clean",
    "overlay-gb140-grammar",
    "snapshot-029-fillers",
    "snapshot-joe-pauses",
]
HUMAN = [f"human-librivox-{n}" for n in ("0870", "0880", "0890", "0920", "0930")]
NOISE_KINDS = ["pink", "babble", "fan", "keyboard", "brown"]
ROOMS = [  # base RT60 per kind of room; each file jitters it by +-10 %
    ("small office", 0.30),
    ("meeting room", 0.50),
    ("living room", 0.45),
    ("kitchen", 0.70),
    ("bedroom", 0.25),
    ("open-plan office", 0.60),
]
CONDITIONS = {"room20": 20.0, "room10": 10.0}
PS_DATA = Path("/usr/share/pocketsphinx/test/data")
PS_LICENCE = (
    "BSD-2-Clause: Debian pocketsphinx-testdata, Copyright 1995-2014 Carnegie Mellon "
    "University, 2014-2015 Alpha Cephei Inc."
)


@dataclass(frozen=True)
class ExtraClip:
    """A transcribed human clip from a Debian package (not in audio_fixtures/ yet)."""

    id: str
    path: Path
    raw_s16: bool  # headerless 16 kHz s16le
    text: str
    note: str


EXTRA = [
    ExtraClip(
        "human-cmu-cards-005",
        PS_DATA / "cards/005.wav",
        False,
        "eight of spades four of clubs seven of hearts",
        "CMU read speech (card names), transcript from cards/cards.transcription",
    ),
    ExtraClip(
        "human-cmu-goforward",
        PS_DATA / "goforward.raw",
        True,
        "go forward ten meters",
        "CMU read command, transcript from goforward.gram (the test's expected result)",
    ),
]


def read_audio(source) -> np.ndarray:
    """Any file PyAV reads (or a file-like object), as 16 kHz mono float32."""
    container = av.open(source)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    chunks = [
        f.to_ndarray().reshape(-1)
        for frame in container.decode(audio=0)
        for f in resampler.resample(frame)
    ]
    chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    container.close()
    return np.concatenate(chunks).astype(np.float32)


def write_flac(path: Path, x: np.ndarray) -> None:
    """16-bit 16 kHz mono FLAC."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=RATE, layout="mono")
        for start in range(0, len(pcm), 4096):
            frame = av.AudioFrame.from_ndarray(
                pcm[None, start : start + 4096], format="s16", layout="mono"
            )
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def opus_round_trip(x: np.ndarray) -> np.ndarray:
    """Encode as a browser does (libopus 32 kb/s, 48 kHz, WebM) and decode back to 16 kHz."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        stream.codec_context.bit_rate = OPUS_BITRATE
        up = av.AudioResampler(format="flt", layout="mono", rate=48_000)
        frame = av.AudioFrame.from_ndarray(
            x.astype(np.float32)[None, :], format="flt", layout="mono"
        )
        frame.sample_rate = RATE
        for f in up.resample(frame) + up.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    buffer.seek(0)
    y = read_audio(buffer)
    return y[: len(x)] if len(y) >= len(x) else np.pad(y, (0, len(x) - len(y)))


def load_sources() -> tuple[list[dict], list[dict]]:
    """Ground truth of every source, in a fixed order: answers, LibriVox, extra clips."""
    manifest = tomllib.loads((FIXTURES / "manifest.toml").read_text())
    by_id = {f["id"]: f for f in manifest["fixture"]}
    sources = []
    for fid in ANSWERS + HUMAN:
        f = by_id[fid]
        licence = (
            "project synthetic speech (audio_fixtures/README.md)"
            if f["source"] == "synthetic"
            else PS_LICENCE + "; the LibriVox recording is public domain"
        )
        sources.append({**f, "licence": licence, "audio": FIXTURES / f["file"]})
    for clip in EXTRA:
        sources.append(
            {
                "id": clip.id,
                "voice": "human cmu",
                "source": "human",
                "scenario": "",
                "text": clip.text,
                "word_count": len(clip.text.split()),
                "fillers": [],
                "traps": [],
                "key_terms_said": [],
                "key_terms_not_said": [],
                "licence": PS_LICENCE,
                "note": clip.note,
                "extra": clip,
            }
        )
    others = [
        f
        for f in manifest["fixture"]
        if f["file"].startswith("answers/") and f["id"] not in ANSWERS
    ]
    return sources, others


def source_audio(src: dict) -> np.ndarray:
    clip: ExtraClip | None = src.get("extra")
    if clip is None:
        return read_audio(str(src["audio"]))
    if not clip.path.exists():  # the committed lossless copy holds the same samples
        print(f"  {clip.path} absent, using the clean copy in rooms/clean/", file=sys.stderr)
        return read_audio(str(OUT / "clean" / f"{clip.id}.flac"))
    if clip.raw_s16:
        return np.fromfile(clip.path, dtype="<i2").astype(np.float32) / 32768.0
    return read_audio(str(clip.path))


def make_noise(
    kind: str, n: int, rng: np.random.Generator, room: dsp.Room, talkers: list[dict]
) -> tuple[np.ndarray, str]:
    if kind == "babble":
        picks = rng.choice(len(talkers), size=4, replace=False)
        voices = [read_audio(str(FIXTURES / talkers[i]["file"])) for i in sorted(picks)]
        detail = "babble of " + ", ".join(talkers[i]["id"] for i in sorted(picks))
        return dsp.babble_noise(n, rng, voices, room), detail
    maker = {
        "pink": dsp.pink_noise,
        "brown": dsp.brown_noise,
        "fan": dsp.fan_noise,
        "keyboard": dsp.keyboard_noise,
    }[kind]
    return maker(n, rng), kind


def truth_fields(src: dict) -> dict:
    keys = (
        "voice",
        "scenario",
        "text",
        "key_terms_said",
        "key_terms_not_said",
        "fillers",
        "traps",
        "word_count",
    )
    return {k: src[k] for k in keys}


def entry(
    src: dict, condition: str, file: str, audio: np.ndarray, span: tuple[float, float], extra: dict
) -> dict:
    start, end = span
    return {
        "id": f"{condition}-{src['id']}",
        "file": file,
        "source_id": src["id"],
        "condition": condition,
        **extra,
        **truth_fields(src),
        "duration_s": round(len(audio) / RATE, 3),
        "speech_start_s": round(start, 2),
        "speech_end_s": round(end, 2),
        "speaking_s": round(end - start, 2),
        "true_wpm": round(src["word_count"] * 60.0 / (end - start), 1),
        "licence": src["licence"],
        **({"note": src["note"]} if "note" in src else {}),
    }


def build_source(index: int, src: dict, talkers: list[dict]) -> list[dict]:
    """The clean copy and the room files of one source, with their manifest entries."""
    clean = source_audio(src)
    span = dsp.speech_span(clean)
    if "extra" in src:  # not in audio_fixtures/ yet: keep a lossless copy
        clean_file = f"clean/{src['id']}.flac"
        write_flac(OUT / clean_file, clean)
    else:  # the source fixture itself, not a second copy of it
        clean_file = f"../{src['file']}"
    entries = [
        entry(
            src,
            "clean",
            clean_file,
            clean,
            span,
            {"noise": "none", "snr_db": 0.0, "room": "", "rt60_s": 0.0, "drr_db": 0.0, "seed": 0},
        )
    ]
    seed = zlib.crc32(src["id"].encode())
    rng = np.random.default_rng(seed)
    name, rt60 = ROOMS[index % len(ROOMS)]
    room = dsp.Room(name, round(rt60 * rng.uniform(0.9, 1.1), 3), round(rng.uniform(2.0, 8.0), 1))
    reverberant = dsp.convolve(clean, dsp.room_impulse_response(room, rng))
    lead = np.zeros(int(LEAD_S * RATE), dtype=np.float32)
    trail = np.zeros(int(TRAIL_S * RATE), dtype=np.float32)
    speech = dsp.band_limit(np.concatenate([lead, reverberant, trail]))
    kind = NOISE_KINDS[index % len(NOISE_KINDS)]
    noise, detail = make_noise(kind, len(speech), rng, room, talkers)
    noise = dsp.band_limit(noise)
    shifted = (span[0] + LEAD_S, span[1] + LEAD_S)
    for condition, snr in CONDITIONS.items():
        mix = speech + dsp.scale_to_snr(speech, noise, snr)
        mix *= 10 ** (SPEECH_DBFS / 20) / np.sqrt(dsp.active_power(speech))
        peak = float(np.max(np.abs(mix)))
        if peak > 0.9:
            mix *= 0.9 / peak
        out = np.clip(opus_round_trip(mix), -1.0, 1.0)
        file = f"{condition}/{src['id']}.flac"
        write_flac(OUT / file, out)
        entries.append(
            entry(
                src,
                condition,
                file,
                out,
                shifted,
                {
                    "noise": kind,
                    "noise_detail": detail,
                    "snr_db": snr,
                    "room": room.name,
                    "rt60_s": room.rt60_s,
                    "drr_db": room.drr_db,
                    "seed": seed,
                },
            )
        )
    return entries


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + "}"
    return "[" + ", ".join(toml_value(x) for x in v) + "]"


def write_manifest(entries: list[dict]) -> None:
    lines = [
        "# Ground truth of audio_fixtures/rooms/ -- written by scripts/make_room_fixtures.py,",
        "# do not edit by hand. Paths are relative to audio_fixtures/rooms/.",
        "# condition: clean (the source fixture itself, hence ../answers/...) | room20 / room10"
        " (reverb + laptop band + noise at",
        "#   20 / 10 dB SNR over speech-active frames + Opus 32 kb/s, decoded to 16 kHz FLAC).",
        "# text, key_terms_*, fillers, traps, word_count, scenario: copied from the source",
        "#   fixture (audio_fixtures/manifest.toml). speech_start_s/speech_end_s: first and last",
        "#   speech-active instant of the clean source (+0.6 s lead-in in room files);",
        "#   true_wpm = word_count / (speech_end_s - speech_start_s) * 60.",
        "",
    ]
    for e in entries:
        lines.append("[[file]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in e.items()]
        lines.append("")
    (OUT / "manifest.toml").write_text("\n".join(lines))


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    sources, talkers = load_sources()
    entries = []
    for index, src in enumerate(sources):
        print(f"{src['id']}", file=sys.stderr)
        entries += build_source(index, src, talkers)
    entries.sort(
        key=lambda e: list(CONDITIONS).index(e["condition"]) + 1 if e["condition"] != "clean" else 0
    )
    write_manifest(entries)
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    for condition in ["clean", *CONDITIONS]:
        chosen = [e for e in entries if e["condition"] == condition]
        print(f"{condition}: {len(chosen)} files, {sum(e['duration_s'] for e in chosen):.1f} s")
    print(f"total {size / 1e6:.1f} MB in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
