#!/usr/bin/env bash
# Installs the Debian packages coach needs, only those missing. Fast when nothing is missing.
# Usage: scripts/setup_system.sh [run|test]   ("test" adds the browser used by the UI tests, and
# strace, which the privacy tests use to see every connection the coach makes)
set -euo pipefail

purpose="${1:-run}"
packages=(espeak-ng libespeak-ng1 libportaudio2)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || packages+=(python3-venv)
if [ "$purpose" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  command -v strace >/dev/null 2>&1 || packages+=(strace)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "coach needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
