"""`LanguageToolChecker`: the `GrammarChecker` backed by a LanguageTool HTTP server.

By default it uses the process-wide `default_server()` (languagetool_server.py), starting it on
the first check or waiting for a start already under way (`start_in_background()`), and
restarting it when it hangs. Pass `server` to use another managed server, or `url` for a
LanguageTool server that coach does not manage (then nothing is started or restarted).
"""

from __future__ import annotations

from coach.grammar.issues import CheckResult
from coach.grammar.languagetool_http import (
    CHECK_TIMEOUT_S,
    base_url,
    issues_from_matches,
    post_check,
)
from coach.grammar.languagetool_install import LANGUAGETOOL_VERSION
from coach.grammar.languagetool_server import LanguageToolServer, default_server


class LanguageToolChecker:
    name = f"LanguageTool {LANGUAGETOOL_VERSION}"

    def __init__(
        self,
        server: LanguageToolServer | None = None,
        *,
        url: str | None = None,
        language: str = "en-US",
        timeout: float = CHECK_TIMEOUT_S,
    ) -> None:
        if server is not None and url is not None:
            raise ValueError("pass a server or a url, not both")
        self._server = server
        self._url = base_url(url) if url is not None else None
        self.language = language
        self.timeout = timeout

    @property
    def server(self) -> LanguageToolServer | None:
        """The managed server behind this checker (None when given a `url`)."""
        if self._url is not None:
            return None
        return self._server or default_server()

    def start_in_background(self) -> None:
        """Warm the server up in a thread; the first check waits for it (no-op for a `url`)."""
        if self.server is not None:
            self.server.start_in_background()

    def close(self) -> None:
        """Stop the managed server; a later check would start it again."""
        if self.server is not None:
            self.server.close()

    def check(self, text: str) -> CheckResult:
        """Every issue LanguageTool finds in `text`. Raises GrammarUnavailable."""
        if not text.strip():
            return CheckResult()
        server = self.server
        note = ""
        if server is not None:
            matches, note = server.check(text, language=self.language, timeout=self.timeout)
        else:
            assert self._url is not None
            matches = post_check(self._url, text, language=self.language, timeout=self.timeout)
        return CheckResult(issues_from_matches(matches, text), note)
