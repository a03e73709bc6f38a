#!/usr/bin/env bash
# Debian packages Ratusz needs. As root they are installed with apt-get; otherwise
# the exact apt-get line is printed and the script stops.
#   system-deps.sh test   -> what the test suite needs
#   system-deps.sh run    -> what running the app needs
set -euo pipefail
purpose=${1:-test}
declare -A check=(
  [chromium]=/usr/bin/chromium
  [postgresql]=/usr/lib/postgresql/15/bin/initdb
  [poppler-utils]=/usr/bin/pdftoppm
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu
  [restic]=/usr/bin/restic
  [shellcheck]=/usr/bin/shellcheck
  [wireguard-tools]=/usr/bin/wg
  [wireguard-go]=/usr/bin/wireguard-go
  [iproute2]=/usr/sbin/ip
)
wanted=()
if [ "$purpose" = "test" ]; then
  wanted=(chromium postgresql poppler-utils fonts-dejavu-core restic shellcheck wireguard-tools wireguard-go iproute2)
fi
missing=()
for pkg in "${wanted[@]}"; do
  [ -e "${check[$pkg]}" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = "0" ]; then
  echo "Installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
else
  echo "Missing Debian packages for $purpose: ${missing[*]}" >&2
  echo "Run as root: apt-get update && $line" >&2
  exit 1
fi
