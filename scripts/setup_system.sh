#!/usr/bin/env bash
# Installs the system packages coach uses, only those missing, with apt-get (Debian, Ubuntu) or
# Homebrew (macOS). Fast when nothing is missing. "test" adds the browser used by the UI tests,
# strace, which the privacy tests use to see every connection the coach makes, and tmux, in
# which a test drives `coach practice` and reads its live panel.
#
# None of them is required to practise: `pip install .` alone gives a working coach, and
# without a package coach says once, at start, which feature is reduced (grammar by Harper
# instead of LanguageTool without Java; Piper instead of the espeak-ng voice ...). So:
#   scripts/setup_system.sh run    (default) installs what it can; when it cannot (no apt-get
#                                  and no Homebrew, or not root) it prints what is missing and
#                                  how to get it, and exits 0
#   scripts/setup_system.sh test   the same, plus the browser for the UI tests; the test suite
#                                  needs everything, so anything still missing exits 1
set -euo pipefail

purpose="${1:-run}"
case "$purpose" in
  run|test) ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac

have() { command -v "$1" >/dev/null 2>&1; }

# What is missing is told, then: fatal for the tests, only a reduced feature for the app.
missing_exit() {
  if [ "$purpose" = "test" ]; then
    echo "The tests need these; install them, then run make test again." >&2
    exit 1
  fi
  echo "coach will run without them, with those features reduced (it says which at start)." >&2
  exit 0
}

# --- Debian / Ubuntu ---------------------------------------------------------------------
debian_wanted() {
  # espeak-ng: the espeak voice and IPA; libespeak-ng1: the system voice (pyttsx3);
  # libportaudio2: microphone and speaker for `coach practice`; Java and Maven: LanguageTool
  local wanted=(espeak-ng libespeak-ng1 libportaudio2)
  have java || wanted+=(openjdk-17-jre-headless)
  have mvn || wanted+=(maven)
  python3 -c "import ensurepip, venv" >/dev/null 2>&1 || wanted+=(python3-venv)
  if [ "$purpose" = "test" ]; then
    have chromium || wanted+=(chromium)
    have strace || wanted+=(strace)
    have tmux || wanted+=(tmux)
  fi
  printf '%s\n' "${wanted[@]}"
}

setup_debian() {
  local missing=() package
  while read -r package; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done < <(debian_wanted)
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    echo "coach uses these Debian packages, not installed: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    missing_exit
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- macOS with Homebrew -----------------------------------------------------------------
setup_brew() {
  # espeak-ng: the espeak voice, IPA and the library behind pyttsx3's espeak driver;
  # openjdk and maven: LanguageTool. (macOS has its own system voice and sounddevice ships
  # PortAudio in its wheel.)
  local missing=() formula
  for formula in espeak-ng openjdk maven; do
    brew list --formula "$formula" >/dev/null 2>&1 || missing+=("$formula")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing with Homebrew: ${missing[*]}"
    if ! brew install "${missing[@]}"; then
      echo "brew install ${missing[*]} failed; see Homebrew's message above." >&2
      missing_exit
    fi
  fi
  if [ "$purpose" = "test" ] && ! have chromium; then
    echo "The browser tests use Debian's chromium (/usr/bin/chromium); they run on Debian." >&2
    missing_exit
  fi
}

# --- neither -----------------------------------------------------------------------------
report_missing() {
  local missing=()
  have espeak-ng || missing+=("espeak-ng (the espeak voice, IPA)")
  have java || missing+=("Java 17+ (grammar by LanguageTool; without it, Harper)")
  have mvn || missing+=("Maven (installs LanguageTool)")
  if [ "$purpose" = "test" ]; then
    have chromium || missing+=("chromium (the browser tests)")
    have strace || missing+=("strace (the privacy tests)")
    have tmux || missing+=("tmux (the terminal practice panel test)")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Neither apt-get nor Homebrew is here, so coach cannot install these itself:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Install them with your system's package manager (on macOS: install Homebrew, then" >&2
  echo "run this again; it runs brew install espeak-ng openjdk maven)." >&2
  missing_exit
}

if have apt-get && have dpkg-query; then
  setup_debian
elif have brew; then
  setup_brew
else
  report_missing
fi
