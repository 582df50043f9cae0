"""`coach serve`: loopback unless --allow-network (with a warning), an optional password, a
port in use named, the app's files user-only (no server is started here)."""

from __future__ import annotations

import socket
import stat

import pytest

from coach import serving
from coach.cli.main import main
from coach.serving import ServeError, check_port, exposure_warning, read_password


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_is_served_without_a_word(host):
    assert exposure_warning(host, False, None) == ""


def test_a_network_address_needs_allow_network(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "0.0.0.0" in err and "--allow-network" in err and "recordings" in err


def test_an_allowed_network_address_is_warned_about():
    assert "WITHOUT a password" in exposure_warning("0.0.0.0", True, None)
    assert "protected by a password" in exposure_warning("192.168.1.5", True, "s3cret")


def test_the_password_comes_from_a_file_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("COACH_PASSWORD", raising=False)
    assert read_password(None) is None
    monkeypatch.setenv("COACH_PASSWORD", "from-env")
    assert read_password(None) == "from-env"
    secret = tmp_path / "password"
    secret.write_text("from-file\n", encoding="utf-8")
    assert read_password(str(secret)) == "from-file"
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(ServeError, match="is empty"):
        read_password(str(tmp_path / "empty"))
    with pytest.raises(ServeError, match="does not exist"):
        read_password(str(tmp_path / "missing"))


def test_a_port_in_use_is_named_before_serving(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"Port {port} on 127.0.0.1 is already in use"):
            check_port("127.0.0.1", port)
        assert main(["serve", "--port", str(port)]) == 2
    assert "already in use" in capsys.readouterr().err


def test_the_apps_files_are_user_only_under_the_cache(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADIO_TEMP_DIR", raising=False)
    old = os.umask(0o022)
    try:
        folder = serving.private_files()
        assert os.environ["GRADIO_TEMP_DIR"] == str(folder)
        assert folder == tmp_path / "cache" / "gradio"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        (folder / "upload.wav").write_bytes(b"x")
        assert stat.S_IMODE((folder / "upload.wav").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_cache_folder_that_is_a_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "file"))
    from coach.errors import DataFolderUnusable

    with pytest.raises(DataFolderUnusable, match="cache folder .* is a file.*COACH_CACHE_DIR"):
        serving.private_files()
