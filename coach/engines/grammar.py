"""Grammar checking of a transcript: the `GrammarIssue` type, the `GrammarChecker` interface and
its LanguageTool implementation.

`LanguageToolChecker` sends the text to a local LanguageTool server (see languagetool_server.py)
with a plain HTTP POST to /v2/check rather than through `language_tool_python.LanguageTool(...,
remote_server=URL)`: we own the server, so the client only needs that one request, and doing it
directly gives a per-request timeout (the library's is a fixed 300 s), no hidden retries, and
every failure as a typed `GrammarUnavailable` (the library lets e.g. a KeyError through on an
odd answer). `language_tool_python` is still used for the opt-in download fallback.

Which issues are worth showing for speech is decided separately, in
coach/analysis/grammar_filter.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from coach.analysis.grammar_filter import drop_accepted_misspellings
from coach.engines.languagetool_server import (
    CHECK_TIMEOUT_S,
    LANGUAGETOOL_VERSION,
    LanguageToolServer,
    default_server,
    post_check,
)
from coach.errors import GrammarUnavailable

MAX_REPLACEMENTS = 3


@dataclass(frozen=True)
class GrammarIssue:
    start: int  # character offset in the checked text
    end: int  # exclusive
    text: str  # the flagged words, text[start:end]
    message: str  # LanguageTool's message, plain
    replacements: tuple[str, ...]  # up to 3 suggestions
    rule_id: str
    category: str  # e.g. GRAMMAR, TYPOS, CASING, PUNCTUATION, STYLE ...


class GrammarChecker(Protocol):
    name: str  # e.g. "LanguageTool 6.7"

    def check(self, text: str, accepted_words: Iterable[str] = ()) -> list[GrammarIssue]:
        """All issues the engine finds, except misspellings of `accepted_words`.

        Raises GrammarUnavailable when the engine is not installed / not reachable.
        """
        ...


class LanguageToolChecker:
    """`GrammarChecker` backed by a LanguageTool HTTP server.

    By default it uses the process-wide `default_server()`, starting it on the first check (or
    waiting for a start already under way, see `warm_up()`). Pass `server` to use another
    managed server, or `url` for a LanguageTool server that coach does not manage.
    """

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
        self._url = _base_url(url) if url is not None else None
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

    def check(self, text: str, accepted_words: Iterable[str] = ()) -> list[GrammarIssue]:
        if not text.strip():
            return []
        server = self.server
        if server is not None:
            matches = server.check(text, language=self.language, timeout=self.timeout)
        else:
            assert self._url is not None
            matches = post_check(self._url, text, language=self.language, timeout=self.timeout)
        issues = issues_from_matches(matches, text)
        return drop_accepted_misspellings(issues, text, accepted_words, builtin=False)


def issues_from_matches(matches: list[dict[str, Any]], text: str) -> list[GrammarIssue]:
    """Convert LanguageTool's JSON matches for `text` into GrammarIssues.

    LanguageTool counts offsets in UTF-16 code units (Java strings); Python counts code points,
    which differ after any character outside the BMP (an emoji in a transcript).
    """
    to_index = _utf16_index_map(text)
    issues = []
    try:
        for match in matches:
            offset, length = int(match["offset"]), int(match["length"])
            if offset < 0 or length < 0 or offset + length >= len(to_index):
                raise ValueError(f"match at {offset}+{length} is outside the text")
            start, end = to_index[offset], to_index[offset + length]
            rule = match["rule"]
            issues.append(
                GrammarIssue(
                    start=start,
                    end=end,
                    text=text[start:end],
                    message=str(match["message"]).strip(),
                    replacements=tuple(
                        str(r["value"]) for r in match.get("replacements", [])[:MAX_REPLACEMENTS]
                    ),
                    rule_id=str(rule["id"]),
                    category=str(rule["category"]["id"]),
                )
            )
    except (KeyError, TypeError, ValueError) as e:
        raise GrammarUnavailable(
            f"LanguageTool sent a match coach cannot read ({e!r}).",
            hint="Is that server LanguageTool 6.x?",
        ) from e
    return issues


def _utf16_index_map(text: str) -> list[int] | range:
    """Map each UTF-16 offset of `text` (0..len inclusive) to a Python string index."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return range(len(text) + 1)
    mapping: list[int] = []
    for i, char in enumerate(text):
        mapping.append(i)
        if ord(char) >= 0x10000:  # a surrogate pair in UTF-16
            mapping.append(i)
    mapping.append(len(text))
    return mapping


def _base_url(url: str) -> str:
    url = url.rstrip("/")
    url = url.removesuffix("/v2")
    return url + "/"


# --- one shared checker per process ------------------------------------------------------
_CHECKER_LOCK = threading.Lock()
_checker: LanguageToolChecker | None = None


def get_checker() -> LanguageToolChecker:
    """The process-wide checker, created on first use (its server starts on the first check)."""
    global _checker
    with _CHECKER_LOCK:
        if _checker is None:
            _checker = LanguageToolChecker()
        return _checker


def warm_up() -> None:
    """Start the shared LanguageTool server in the background (call at app start-up).

    Returns at once; the first `check()` waits for the start if it is still under way, and
    raises its GrammarUnavailable if it failed.
    """
    get_checker().start_in_background()
