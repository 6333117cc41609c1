#!/usr/bin/env bash
# Builds meetgate and runs every test: unit tests under AddressSanitizer and UBSan,
# static analysis (clang-tidy, cppcheck), the fuzz corpora replayed and each fuzzer run
# briefly, the integration suite against Debian's real Prosody on 127.0.0.1, then the
# container suite (podman + docker-compose).
# Run from anywhere as root on Debian 12: installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
echo "== build (AddressSanitizer + UBSan): build/asan"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DMEETGATE_SANITIZE=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build build/asan -j"$jobs"

# The optimised build is what operators run (and g++ warns differently at -O3).
echo "== release build: build/release"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMEETGATE_TESTS=OFF >/dev/null
cmake --build build/release -j"$jobs"
build/release/meetgate version

echo "== formatting (.clang-format)"
unformatted=$(find src tests fuzz -name '*.cpp' -o -name '*.hpp' | sort |
  while read -r file; do
    clang-format --dry-run -Werror "$file" >/dev/null 2>&1 || echo "$file"
  done)
if [ -n "$unformatted" ]; then
  echo "not formatted with clang-format: $unformatted" >&2
  exit 1
fi

echo "== unit tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build/asan && ctest --output-on-failure -j"$jobs")

echo "== static analysis (clang-tidy, cppcheck)"
MEETGATE_ANALYSIS_BUILD=build/asan scripts/static-analysis.sh

echo "== fuzzing: every corpus replayed, then ${MEETGATE_FUZZ_SECONDS:-30}s per target"
scripts/fuzz.sh "${MEETGATE_FUZZ_SECONDS:-30}"

echo "== integration tests (real prosody, real prosodyctl, real XMPP logins)"
export MEETGATE_BIN="$PWD/build/asan/meetgate"
/usr/bin/python3 -m pytest tests/integration -q -p no:cacheprovider

echo "== container tests (podman, docker-compose, Kubernetes schemas)"
scripts/test-containers.sh
