#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, if any is missing. With "runtime" (make run):
# only what LEV itself needs to run — gettext for the Dutch catalogue, Pango for the letter PDFs —
# and a failure to install is a warning, not an error.
set -euo pipefail
if [ "${1:-}" = "runtime" ]; then
  needed=(gettext libpango-1.0-0 libpangoft2-1.0-0)
  runtime=1
else
  needed=(chromium poppler-utils gettext libpq-dev postgresql redis-server libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
  runtime=0
fi
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if [ "$runtime" -eq 1 ]; then
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "Warning: could not install ${missing[*]}; letters cannot be made as PDF until they are installed." >&2
  fi
  exit 0
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
