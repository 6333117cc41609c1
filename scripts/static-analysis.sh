#!/usr/bin/env bash
# Static analysis of src/: clang-tidy 14 with the checked-in .clang-tidy, then cppcheck.
# Both must be clean; a finding fails the run. Findings that are not bugs are
# suppressed where they are, with the reason (// NOLINT(check): why, or
# // cppcheck-suppress id), or, for files this script must not edit, in
# scripts/cppcheck-suppressions.txt.
#
# Uses the compile_commands.json of MEETGATE_ANALYSIS_BUILD (default build/asan, which
# scripts/test.sh configures); without one it configures build/static-analysis only to
# get one (nothing is compiled). Runs at nice 10: clang-tidy takes a few CPU-minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in run-clang-tidy-14 clang-tidy-14 cppcheck; do
  if ! command -v "$tool" >/dev/null; then
    echo "static-analysis: $tool not found: apt-get install clang-tidy-14 cppcheck" >&2
    exit 1
  fi
done

build=${MEETGATE_ANALYSIS_BUILD:-build/asan}
if [ ! -f "$build/compile_commands.json" ]; then
  build=build/static-analysis
  echo "== configuring $build for its compile_commands.json"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
fi
jobs=${MEETGATE_ANALYSIS_JOBS:-$(nproc)}

# The compile commands are g++'s: clang does not know some of its warning flags, and
# must not turn that into errors. Only src/ is held to these checks (not tests/, fuzz/).
echo "== clang-tidy: src/ ($build/compile_commands.json)"
# run-clang-tidy-14 always asks for colours: strip them, and the per-file noise.
set +e
nice -n 10 run-clang-tidy-14 -quiet -j "$jobs" -p "$build" \
  -clang-tidy-binary "$(command -v clang-tidy-14)" \
  -extra-arg=-Wno-unknown-warning-option \
  "$PWD/src/.*\.cpp\$" 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' |
  grep -v -e '^[0-9]* warnings\? generated\.$' -e '^Suppressed [0-9]* warnings' \
    -e '^Use -header-filter=' -e '^[^ ]*clang-tidy-14 '
status=${PIPESTATUS[0]}  # run-clang-tidy's: non-zero when any file had a finding
set -e
if [ "$status" -ne 0 ]; then
  echo "static-analysis: clang-tidy found problems (above)" >&2
  exit 1
fi

echo "== cppcheck: src/"
nice -n 10 cppcheck --enable=warning,performance,portability --error-exitcode=1 \
  --inline-suppr --suppressions-list=scripts/cppcheck-suppressions.txt \
  --std=c++20 --language=c++ -I src -I "$build/generated" -j "$jobs" --quiet \
  --template='{file}:{line}: {severity}: {message} [{id}]' src/

echo "static-analysis: clean"
