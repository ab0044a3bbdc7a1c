#!/usr/bin/env bash
# Install the Debian packages that are missing — those named as arguments, or else those listed in
# scripts/debian-packages.txt; quick when none are.
set -euo pipefail
if [[ $# -gt 0 ]]; then
  wanted=("$@")
else
  mapfile -t wanted < <(grep -v -e '^#' -e '^$' "$(dirname "$0")/debian-packages.txt")
fi
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
