"""The HTTP client of a LanguageTool server: one check request, one health probe, the answer read.

A plain POST to /v2/check rather than `language_tool_python.LanguageTool(...,
remote_server=URL)`: coach owns the server, so the client needs only that one request, and
doing it directly gives a per-request timeout (the library's is a fixed 300 s), no hidden
retries, and every failure as a typed `GrammarUnavailable` (the library lets e.g. a KeyError
through on an odd answer). A check that gets no answer in time raises `CheckTimedOut`, so the
server's owner can tell a hung server from a missing one.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from coach.errors import GrammarUnavailable
from coach.grammar.issues import GrammarIssue
from coach.grammar.languagetool_install import INSTALL_HINT

MAX_REPLACEMENTS = 3
# Measured on 2 cores (benchmarks/grammar_speed.py): a warm check of a 70-word answer takes
# tens of milliseconds, of a 5-minute answer under a second; 10 s means the server is stuck.
CHECK_TIMEOUT_S = 10.0
PROBE_TIMEOUT_S = 3.0  # GET /v2/languages: answered at once by a server that is alive

# Requests to the local server must never go through an http_proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class CheckTimedOut(GrammarUnavailable):
    """The server took the request but sent no answer in time: it is hung (or stopped)."""


def base_url(url: str) -> str:
    """"http://host:port/" from any of "http://host:port", ".../", ".../v2", ".../v2/"."""
    return url.rstrip("/").removesuffix("/v2") + "/"


def post_check(
    url: str, text: str, *, language: str = "en-US", timeout: float = CHECK_TIMEOUT_S
) -> list[dict[str, Any]]:
    """POST `text` to LanguageTool's /v2/check at base `url` and return its raw `matches`.

    Raises CheckTimedOut when no answer comes within `timeout`, and GrammarUnavailable when
    the server cannot be reached, answers with an HTTP error, or sends something that is not
    a LanguageTool answer: never an empty list in its place.
    """
    data = urllib.parse.urlencode({"language": language, "text": text}).encode("utf-8")
    request = urllib.request.Request(
        url + "v2/check", data=data, headers={"Accept": "application/json"}, method="POST"
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as e:
        detail = e.read(300).decode("utf-8", "replace").strip()
        raise GrammarUnavailable(
            f"LanguageTool at {url} answered HTTP {e.code}: {detail}",
            hint="LanguageTool itself failed; please report it with the text checked.",
        ) from e
    except (OSError, http.client.HTTPException) as e:
        if _is_timeout(e):
            raise CheckTimedOut(
                f"LanguageTool at {url} did not answer within {timeout:.0f} s.",
                hint="It may be stuck or the machine very busy.",
            ) from e
        raise GrammarUnavailable(
            f"LanguageTool at {url} is not reachable ({e}).",
            hint="Is the LanguageTool server running? " + INSTALL_HINT,
        ) from e
    try:
        matches = json.loads(body)["matches"]
    except (ValueError, KeyError, TypeError) as e:
        raise GrammarUnavailable(
            f"LanguageTool at {url} sent an answer that is not a grammar check: {body[:200]!r}",
            hint="Is that port a LanguageTool server?",
        ) from e
    if not isinstance(matches, list):
        raise GrammarUnavailable(
            f"LanguageTool at {url} sent matches of type {type(matches).__name__}.",
            hint="Is that port a LanguageTool server?",
        )
    return matches


def responds(url: str, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether a LanguageTool server at base `url` answers a cheap request within `timeout`."""
    try:
        with _OPENER.open(url + "v2/languages", timeout=timeout) as response:
            return response.status == 200 and response.read(1) == b"["
    except (OSError, http.client.HTTPException):
        return False


def _is_timeout(error: BaseException) -> bool:
    # A read that times out raises TimeoutError; a connect that does, URLError(TimeoutError).
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


def issues_from_matches(matches: list[dict[str, Any]], text: str) -> tuple[GrammarIssue, ...]:
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
    return tuple(issues)


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
