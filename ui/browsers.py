"""Which browser gave which answer, so the Practice tab's "last answer" note is that browser's
own: another browser, on this machine or across the network, never sees it.

Each browser keeps a random token in its local storage (a gr.BrowserState made with
STORAGE_KEY and SECRET: it outlives page reloads and, its secret being fixed, server
restarts). The answer handlers pass it along; `BrowserAnswers.note(token, attempt_id)` records
the answer as soon as it is kept, before its analysis, so a page reloaded during the analysis,
or after the app was killed, still finds it. The record is a small JSON file beside the
history (token -> last attempt id).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from pathlib import Path

log = logging.getLogger("coach.ui")
STORAGE_KEY = "coach-browser"
# The token is a random name, not a secret: it needs no encryption, and a fixed key lets it be
# read again after a restart (Gradio's default key is new on each start).
SECRET = "coach-browser-token"
MAX_BROWSERS = 200  # the oldest are forgotten past this


def token_for(token: str | None) -> str:
    """`token`, or a new one for a browser that has none yet."""
    return token if token else secrets.token_hex(16)


class BrowserAnswers:
    """token -> the id of that browser's last answer, kept in `path` (None: in memory only)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._last: dict[str, int] = self._read()

    def note(self, token: str | None, attempt_id: int) -> None:
        if not token:
            return
        with self._lock:
            self._last.pop(token, None)
            self._last[token] = attempt_id
            while len(self._last) > MAX_BROWSERS:
                del self._last[next(iter(self._last))]
            self._write()

    def last(self, token: str | None) -> int | None:
        with self._lock:
            return self._last.get(token) if token else None

    def _read(self) -> dict[str, int]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): int(v) for k, v in data.items()}
        except (OSError, ValueError, AttributeError):
            log.warning("%s is unreadable: last answers start afresh", self.path)
            return {}

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            self.path.write_text(json.dumps(self._last), encoding="utf-8")
        except OSError:  # a full disk: the note is a convenience, the answer is kept anyway
            log.warning("cannot write %s", self.path)
