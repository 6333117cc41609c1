#!/usr/bin/env bash
# Installs what meetgate needs to build and test on Debian 12, only when missing.
# Usage: scripts/install-deps.sh [PACKAGE...]: those packages too (the fuzz and
# container scripts name what only they need).
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format clang-tidy-14 cppcheck
  libpoco-dev libfmt-dev nlohmann-json3-dev catch2 libcli11-dev libidn-dev nettle-dev
  libdtl-dev
  prosody lua-readline python3 python3-slixmpp python3-pytest python3-prometheus-client
  nodejs default-jdk-headless libtypesafe-config-java
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: need root to apt-get install: run as root or with sudo" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian's prosody package starts a system server where systemd runs; tests start
# their own on 127.0.0.1 and never use it.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
