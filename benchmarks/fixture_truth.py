"""Ground truth of audio_fixtures/ (manifest.toml) as records, shared by benchmarks and tests."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


@dataclass(frozen=True)
class Fixture:
    id: str
    path: Path
    source: str
    voice: str
    scenario: str
    text: str
    word_count: int
    duration_s: float
    format: str
    sample_rate: int
    channels: int
    tags: tuple[str, ...]
    fillers: tuple[tuple[str, str], ...]  # (text, kind)
    traps: tuple[str, ...]
    repeats: tuple[str, ...]
    terms_said: tuple[str, ...]
    terms_not_said: tuple[str, ...]
    grammar_errors: tuple[tuple[str, str], ...]  # (said, correct)
    pauses: tuple[tuple[float, float, str], ...]  # (start, duration, where)
    transcript_available: bool = True
    extra: dict = field(default_factory=dict, compare=False)


def load_fixtures(root: Path = FIXTURES) -> list[Fixture]:
    raw = tomllib.loads((root / "manifest.toml").read_text(encoding="utf-8"))
    out = []
    for f in raw.get("fixture", []):
        out.append(Fixture(
            id=f["id"], path=root / f["file"], source=f["source"], voice=f["voice"],
            scenario=f.get("scenario", ""), text=f.get("text", ""),
            word_count=f.get("word_count", 0), duration_s=f["duration_s"], format=f["format"],
            sample_rate=f["sample_rate"], channels=f["channels"], tags=tuple(f.get("tags", ())),
            fillers=tuple((x["text"].lower(), x["kind"]) for x in f.get("fillers", [])),
            traps=tuple(f.get("traps", ())), repeats=tuple(f.get("repeats", ())),
            terms_said=tuple(f.get("key_terms_said", ())),
            terms_not_said=tuple(f.get("key_terms_not_said", ())),
            grammar_errors=tuple((g["said"], g["correct"]) for g in f.get("grammar_errors", [])),
            pauses=tuple((p["start"], p["duration"], p["where"]) for p in f.get("pauses", [])),
            transcript_available=f.get("transcript_available", True),
        ))
    return out


def load_bad_inputs(root: Path = FIXTURES) -> list[tuple[Path, str, str]]:
    raw = tomllib.loads((root / "manifest.toml").read_text(encoding="utf-8"))
    return [(root / b["file"], b["expect"], b.get("note", "")) for b in raw.get("bad_input", [])]
