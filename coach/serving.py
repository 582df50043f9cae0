"""How the practice app is exposed: loopback unless asked, a password if wanted, a free port,
and the app's own files kept private.

The app serves the user's history, recordings and settings: on any address but loopback it
needs `allow_network` (`coach serve --allow-network`) and says so loudly. A password comes from
a file (`--password-file`) or the COACH_PASSWORD environment variable. `check_port` names a
port already in use before the server tries it. `private_files()` makes every file the app
writes user-only (umask 077) and moves Gradio's uploads and generated files under the cache
folder (GRADIO_TEMP_DIR), created 0700: call it before gradio is imported.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path

from coach.errors import CoachError
from coach.paths import file_problem

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
PASSWORD_ENV = "COACH_PASSWORD"
USER = "coach"  # the user name of the login form; only the password matters
APP_TEMP_FOLDER = "gradio"  # under the cache folder: uploads and files the app generates


class ServeError(CoachError):
    """The app cannot be served as asked (an exposed address, a taken port, no password)."""

    code = "serve_error"


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, allow_network: bool, password: str | None) -> str:
    """"" for loopback; a warning for an allowed network address; ServeError otherwise."""
    if is_loopback(host):
        return ""
    if not allow_network:
        raise ServeError(
            f"Serving on {host} would show your history, recordings and settings to every "
            "machine that can reach this one.",
            hint="Add --allow-network if that is what you want (and --password-file, or "
                 f"{PASSWORD_ENV}), or keep the default --host 127.0.0.1.")
    protected = ("protected by a password" if password else
                 f"WITHOUT a password (set one with --password-file or {PASSWORD_ENV})")
    return (f"WARNING: serving on {host}: your history, recordings and settings can be reached "
            f"from the network, {protected}.")


def read_password(password_file: str | None) -> str | None:
    """The password from `password_file` (first line) or COACH_PASSWORD; None for neither."""
    if password_file:
        problem = file_problem(password_file, "password file")
        if problem:
            raise ServeError(problem)
        lines = Path(password_file).read_text(encoding="utf-8").splitlines()
        password = lines[0].strip() if lines else ""
        if not password:
            raise ServeError(f"The password file {password_file} is empty.")
        return password
    return os.environ.get(PASSWORD_ENV) or None


def check_port(host: str, port: int) -> None:
    """ServeError naming the port if it cannot be listened on (in use, or not allowed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(f"Port {port} on {host} is already in use (another app, or "
                                 "another coach serve).",
                                 hint="Stop it, or choose another port with --port.") from None
            raise ServeError(f"Cannot listen on {host}:{port} "
                             f"({error.strerror or error}).",
                             hint="Choose another --host or --port.") from None


def private_files() -> Path:
    """Files the app writes are user-only from here on; Gradio's folder is the cache's."""
    from coach.settings import writable_cache

    os.umask(0o077)
    folder = writable_cache(APP_TEMP_FOLDER)
    folder.chmod(0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def prepare(host: str, port: int, *, allow_network: bool = False,
            password_file: str | None = None) -> str | None:
    """Every check before serving, in order; prints the exposure warning; returns the password.

    Call before gradio is imported (see `private_files`).
    """
    password = read_password(password_file)
    warning = exposure_warning(host, allow_network, password)
    if warning:
        print(f"coach: {warning}", file=sys.stderr)
    check_port(host, port)
    private_files()
    return password
