"""Where LanguageTool and coach's own rules are, and the opt-in download for laptops with internet.

`scripts/install_languagetool.sh` puts the LanguageTool 6.7 jars in
`cache_dir()/languagetool/6.7/lib/` (or set `COACH_LANGUAGETOOL_DIR` to a folder of jars).

Environment:
- `COACH_LANGUAGETOOL_DIR`: a folder holding the LanguageTool server jars (overrides the cache).
- `COACH_LANGUAGETOOL_DOWNLOAD=1`: when no jars are installed, let `language_tool_python`
  download LanguageTool from the internet and run it (laptops with internet only).
"""

from __future__ import annotations

import hashlib
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

from coach.errors import GrammarUnavailable
from coach.settings import cache_dir

LANGUAGETOOL_VERSION = "6.7"
INSTALL_HINT = (
    "Install LanguageTool with `make setup`, or run `scripts/install_languagetool.sh` "
    "(it needs Java 17+ and Maven: apt-get install -y openjdk-17-jre-headless maven)."
)
_REQUIRED_JARS = ("languagetool-server-*.jar", "language-en-*.jar")
_INSTALLED_MARKER = "INSTALLED"  # written last by scripts/install_languagetool.sh
# coach's own rules, package data: see the comment at its top
COACH_RULES = files(__package__) / "coach_rules.xml"


def install_dir() -> Path:
    """Where scripts/install_languagetool.sh installs LanguageTool (jars in `lib/`)."""
    return cache_dir() / "languagetool" / LANGUAGETOOL_VERSION


def find_jar_dir() -> Path:
    """The folder of LanguageTool jars to run; raises GrammarUnavailable if not installed."""
    override = os.environ.get("COACH_LANGUAGETOOL_DIR")
    if override:
        folder = Path(override).expanduser()
        missing = [p for p in _REQUIRED_JARS if not any(folder.glob(p))]
        if missing:
            raise GrammarUnavailable(
                f"COACH_LANGUAGETOOL_DIR={folder} does not hold the LanguageTool jars "
                f"({', '.join(missing)} not found).",
                hint="Point it at a folder of LanguageTool server jars, or unset it. "
                + INSTALL_HINT,
            )
        return folder
    folder = install_dir() / "lib"
    if not (install_dir() / _INSTALLED_MARKER).is_file() or not all(
        any(folder.glob(p)) for p in _REQUIRED_JARS
    ):
        raise GrammarUnavailable(
            f"LanguageTool {LANGUAGETOOL_VERSION} is not installed (looked in {folder}).",
            hint=INSTALL_HINT,
        )
    return folder


def download_allowed() -> bool:
    return os.environ.get("COACH_LANGUAGETOOL_DOWNLOAD") == "1"


def start_downloaded() -> Any:
    """A `language_tool_python.LanguageTool` running its own server, downloaded if need be.

    Only with COACH_LANGUAGETOOL_DOWNLOAD=1 (it needs the internet); the library kills its
    server at exit. Coach's extra rules (coach_rules.xml) are not loaded on this path.
    """
    import language_tool_python
    from language_tool_python.exceptions import LanguageToolError

    try:
        return language_tool_python.LanguageTool(
            "en-US", language_tool_download_version=LANGUAGETOOL_VERSION
        )
    except (LanguageToolError, OSError) as e:
        raise GrammarUnavailable(
            f"LanguageTool is not installed and downloading it failed: {e}",
            hint=INSTALL_HINT,
        ) from e


def coach_rules_dir() -> Path:
    """A classpath folder holding coach_rules.xml as org/languagetool/rules/en/grammar_custom.xml.

    LanguageTool loads that resource, when present, next to its own English rules. The folder
    name carries a hash of the rules, so a server never sees a half-written or stale file.
    """
    rules = COACH_RULES.read_bytes()
    root = cache_dir() / "languagetool" / f"coach-rules-{hashlib.sha256(rules).hexdigest()[:12]}"
    target = root / "org" / "languagetool" / "rules" / "en" / "grammar_custom.xml"
    if not target.is_file():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            partial.write_bytes(rules)
            os.replace(partial, target)
        except OSError as e:
            raise GrammarUnavailable(
                f"Cannot write coach's LanguageTool rules to {target}: {e}",
                hint="Set COACH_CACHE_DIR to a writable folder.",
            ) from e
    return root
