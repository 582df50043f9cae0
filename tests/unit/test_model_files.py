"""Model files are checked against their sha256 once per install; listing models changes nothing."""

from __future__ import annotations

import hashlib
import os

import pytest

from coach.engines import model_files, models
from coach.errors import ModelNotFound


@pytest.fixture
def model(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"weights")
    digest = hashlib.sha256(b"weights").hexdigest()
    monkeypatch.setitem(model_files.DIGESTS, "test-model", {"model.bin": digest})
    monkeypatch.setitem(model_files.REINSTALL_HINT, "test-model", "reinstall it")
    return folder


def test_a_matching_file_passes_and_is_remembered(model, monkeypatch):
    model_files.verify("test-model", model)
    hashed = []
    monkeypatch.setattr(model_files, "sha256_of", lambda path: hashed.append(path) or "x")
    model_files.verify("test-model", model)  # same size and time: not hashed again
    assert hashed == []


def test_a_damaged_file_is_named_with_how_to_fix_it(model):
    (model / "model.bin").write_bytes(b"weightz")
    with pytest.raises(ModelNotFound, match="model.bin is damaged") as raised:
        model_files.verify("test-model", model)
    assert raised.value.hint == "reinstall it"


def test_a_file_changed_after_it_was_verified_is_hashed_again(model):
    model_files.verify("test-model", model)
    (model / "model.bin").write_bytes(b"weightz")
    os.utime(model / "model.bin", ns=(1, 1))
    with pytest.raises(ModelNotFound, match="damaged"):
        model_files.verify("test-model", model)


def test_a_missing_file_is_named(model):
    (model / "model.bin").unlink()
    with pytest.raises(ModelNotFound, match="incomplete: .*model.bin is missing"):
        model_files.verify("test-model", model)


def test_every_bundled_model_has_a_digest_for_each_file_it_loads():
    for name in ("tiny.en", "base"):
        assert {"model.bin", "config.json", "tokenizer.json"} <= set(model_files.DIGESTS[name])
    assert "en_US-joe-medium.onnx" in model_files.DIGESTS["piper-joe"]


def test_listing_the_models_joins_and_writes_nothing(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("COACH_CACHE_DIR", str(cache))
    listed = models.available_models()
    assert [m.name for m in listed] == ["tiny.en", "base"]
    assert not cache.exists()
