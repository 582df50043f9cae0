#!/usr/bin/env bash
# Install the LanguageTool 6.7 HTTP server (LGPL-2.1) for coach's grammar checks.
#
# Maven fetches org.languagetool:languagetool-server and org.languagetool:language-en with all
# their dependencies from Maven Central (see scripts/languagetool/pom.xml) into one folder:
#
#     ${COACH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coach}/languagetool/6.7/lib/*.jar
#
# and writes languagetool/6.7/INSTALLED when complete, so a second run does nothing.
#
# Usage: scripts/install_languagetool.sh [--force]
#   --force                     fetch again even if already installed
#   COACH_SKIP_LANGUAGETOOL=1   do nothing and succeed (grammar checks will then be unavailable)
#
# Needs java (17+) and mvn: apt-get install -y openjdk-17-jre-headless maven
set -euo pipefail

LT_VERSION="6.7"
APT_HINT="apt-get install -y openjdk-17-jre-headless maven"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${COACH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coach}"
dest="$cache/languagetool/$LT_VERSION"
marker="$dest/INSTALLED"

force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

if [[ "${COACH_SKIP_LANGUAGETOOL:-}" == "1" ]]; then
  echo "COACH_SKIP_LANGUAGETOOL=1: not installing LanguageTool (grammar checks will be unavailable)."
  exit 0
fi

if [[ $force == 0 && -f "$marker" ]]; then
  echo "LanguageTool $LT_VERSION already installed in $dest/lib"
  exit 0
fi

missing=()
command -v java >/dev/null 2>&1 || missing+=(java)
command -v mvn >/dev/null 2>&1 || missing+=(mvn)
if ((${#missing[@]})); then
  echo "error: ${missing[*]} not found; LanguageTool needs Java 17+ and Maven to install." >&2
  echo "Install them with (as root):  $APT_HINT" >&2
  exit 3
fi
# `java -version` prints e.g. 'openjdk version "17.0.15" 2025-04-15' (or "1.8.0_392" for Java 8).
java_major="$(java -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)\..*/\1/p; s/.* version "\([0-9][0-9]*\)".*/\1/p' | head -n1)"
if [[ -z "$java_major" || "$java_major" == 1 || "$java_major" -lt 17 ]]; then
  echo "error: LanguageTool $LT_VERSION needs Java 17 or newer; found: $(java -version 2>&1 | head -n1)" >&2
  echo "Install it with (as root):  $APT_HINT" >&2
  exit 3
fi

mkdir -p "$dest"
staging="$(mktemp -d "$dest/partial.XXXXXX")"
trap 'rm -rf "$staging" "$staging.log"' EXIT

echo "Fetching LanguageTool $LT_VERSION (server + English) from Maven Central into $dest/lib ..."
log="$staging.log"
if ! mvn -q -B -Dstyle.color=never -f "$here/languagetool/pom.xml" \
  -Dlanguagetool.version="$LT_VERSION" \
  dependency:copy-dependencies \
  -DincludeScope=runtime \
  -DoutputDirectory="$staging/jars" >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: Maven could not fetch LanguageTool $LT_VERSION (is Maven Central reachable?)" >&2
  exit 4
fi
rm -f "$log"

for jar in "languagetool-server-$LT_VERSION.jar" "language-en-$LT_VERSION.jar" "languagetool-core-$LT_VERSION.jar"; do
  if [[ ! -f "$staging/jars/$jar" ]]; then
    echo "error: Maven finished but $jar is missing from the download" >&2
    exit 4
  fi
done

rm -f "$marker"
rm -rf "${dest:?}/lib"
mv "$staging/jars" "$dest/lib"
jars="$(find "$dest/lib" -maxdepth 1 -name '*.jar' | wc -l)"
printf 'LanguageTool %s: %s jars in %s, installed %s\n' \
  "$LT_VERSION" "$jars" "$dest/lib" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$marker"
echo "LanguageTool $LT_VERSION installed: $jars jars, $(du -sh "$dest/lib" | cut -f1) in $dest/lib"
