#!/usr/bin/env bash
# Builds one fully static meetgate, the binary of the FROM scratch image:
#
#   scripts/build-static.sh               Poco (cached), then the `static` preset
#   scripts/build-static.sh --deps-only   only install the packages and build Poco
#
# Poco Foundation and Net are built static from Debian's own source package (Debian
# ships no static Poco), once, into MEETGATE_STATIC_DEPS (default
# /var/cache/meetgate-static) and reused while the key below matches. The binary is
# build/static/meetgate. Runs as root on Debian 12, here or in a Debian builder stage.
set -euo pipefail
cd "$(dirname "$0")/.."

deps_only=0
case "${1:-}" in
  --deps-only) deps_only=1 ;;
  "") ;;
  *) echo "build-static: unknown option $1 (only --deps-only)" >&2; exit 2 ;;
esac

cache=${MEETGATE_STATIC_DEPS:-/var/cache/meetgate-static}
poco_prefix=$cache/poco
jobs=$(nproc)
max_size=$((5 * 1024 * 1024))

# Only what is used: Foundation (with its bundled PCRE and zlib, so nothing else has to
# be static) and Net. Sections let the linker drop what meetgate never calls.
poco_options=(
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DPOCO_UNBUNDLED=OFF
  -DENABLE_TESTS=OFF -DENABLE_FOUNDATION=ON -DENABLE_NET=ON
  -DENABLE_ENCODINGS=OFF -DENABLE_XML=OFF -DENABLE_JSON=OFF -DENABLE_UTIL=OFF
  -DENABLE_MONGODB=OFF -DENABLE_REDIS=OFF -DENABLE_PDF=OFF -DENABLE_ZIP=OFF
  -DENABLE_SEVENZIP=OFF -DENABLE_NETSSL=OFF -DENABLE_CRYPTO=OFF -DENABLE_JWT=OFF
  -DENABLE_DATA=OFF -DENABLE_DATA_SQLITE=OFF -DENABLE_DATA_MYSQL=OFF
  -DENABLE_DATA_POSTGRESQL=OFF -DENABLE_DATA_ODBC=OFF -DENABLE_ACTIVERECORD=OFF
  -DENABLE_ACTIVERECORD_COMPILER=OFF -DENABLE_PAGECOMPILER=OFF
  -DENABLE_PAGECOMPILER_FILE2PAGE=OFF -DENABLE_APACHECONNECTOR=OFF
  -DENABLE_CPPPARSER=OFF -DENABLE_POCODOC=OFF
  "-DCMAKE_CXX_FLAGS=-ffunction-sections -fdata-sections"
  "-DCMAKE_C_FLAGS=-ffunction-sections -fdata-sections"
)

# Static libraries for everything meetgate links (fmt, CLI11, nlohmann_json and dtl
# are header-only); dpkg-dev unpacks Poco's source package.
packages=(
  g++ make ninja-build cmake pkg-config dpkg-dev file
  libfmt-dev nlohmann-json3-dev libcli11-dev libdtl-dev libidn-dev nettle-dev
)

install_packages() {
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-static: need root to apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "build-static: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# A build is reusable while the Debian release, the compiler and the options match.
poco_key() {
  local release
  release=$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")
  printf '%s\n' "$release" "$(g++ -dumpfullversion)" "${poco_options[@]}" | sha256sum |
    cut -c1-16
}

# Debian's source package through a private apt setup: deb-src twins of the machine's
# own deb entries, lists kept in the work dir, so the system's apt state is untouched.
fetch_poco_source() {
  local work=$1 apt=$1/apt file
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list >"$apt/parts/src.list"
  fi
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] && sed 's/^Types:.*/Types: deb-src/' "$file" >"$apt/parts/$(basename "$file")"
  done
  for file in /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$file" \
      >"$apt/parts/$(basename "$file")"
  done
  local options=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o "APT::Sandbox::User=root")
  # A third-party entry without sources must not stop Debian's own from answering.
  apt-get "${options[@]}" -qq update || true
  if ! (cd "$work" && apt-get "${options[@]}" -qq source poco >/dev/null 2>&1); then
    echo "build-static: apt-get source poco failed: apt's sources name no Debian mirror" >&2
    exit 1
  fi
}

# Runs a step with its output in a log, shown only when the step fails: Poco's own
# compiler warnings are not meetgate's to fix.
quietly() {
  local log=$1
  shift
  "$@" >>"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    echo "build-static: failed: $* (whole log: $log)" >&2
    exit 1
  }
}

build_poco() {
  local key work source version
  key=$(poco_key)
  if [ -f "$poco_prefix/lib/cmake/Poco/PocoConfig.cmake" ] &&
    [ "$(cat "$poco_prefix/meetgate-key" 2>/dev/null)" = "$key" ]; then
    echo "build-static: Poco from the cache: $poco_prefix ($(cat "$poco_prefix/version"))"
    return
  fi

  echo "build-static: building Poco Foundation+Net static into $poco_prefix"
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/work.XXXXXX")
  fetch_poco_source "$work"
  source=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'poco-*' | head -n 1)
  version=$(cd "$work" && ls poco_*.dsc | sed 's/^poco_//; s/\.dsc$//')

  quietly "$work/poco.log" cmake -S "$source" -B "$work/build" \
    -DCMAKE_INSTALL_PREFIX="$work/prefix" "${poco_options[@]}"
  quietly "$work/poco.log" cmake --build "$work/build" -j"$jobs"
  quietly "$work/poco.log" cmake --install "$work/build"
  echo "$version" >"$work/prefix/version"
  echo "$key" >"$work/prefix/meetgate-key"

  # Swapped in whole: an interrupted build never leaves a half-filled cache behind.
  rm -rf "$poco_prefix.old"
  [ -d "$poco_prefix" ] && mv "$poco_prefix" "$poco_prefix.old"
  mv "$work/prefix" "$poco_prefix"
  rm -rf "$poco_prefix.old" "$work"
  echo "build-static: Poco $version built"
}

check_binary() {
  local binary=$1 size
  file "$binary" | grep -q "statically linked" || {
    echo "build-static: $binary is not statically linked: $(file -b "$binary")" >&2
    exit 1
  }
  if ldd "$binary" >/dev/null 2>&1; then
    echo "build-static: ldd still finds libraries in $binary" >&2
    exit 1
  fi
  size=$(stat -c %s "$binary")
  if [ "$size" -gt "$max_size" ]; then
    echo "build-static: $binary is $size bytes, over the 5 MiB budget" >&2
    exit 1
  fi
  echo "build-static: $binary: $size bytes, $(file -b "$binary")"
  "$binary" version
}

install_packages
# One builder at a time: a second one waits and then finds the cache filled.
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
build_poco
flock -u 9
[ "$deps_only" -eq 1 ] && exit 0

export MEETGATE_STATIC_DEPS=$cache
cmake --preset static >/dev/null
cmake --build --preset static -j"$jobs"
check_binary build/static/meetgate
