#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-14 under AddressSanitizer and UBSan
# into build/fuzz, replays each corpus of fuzz/corpus/, then fuzzes each target for
# SECONDS (default 30). Exits non-zero on any crash, leak, timeout or failed property;
# the inputs that caused them are saved under build/fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
targets=(users_text users_json environment account_file prosodyctl_output
  prosody_host_patch web_config jicofo_config jigasi_properties marked_block)

# What the fuzz build needs beyond the project's packages: Debian's clang and libFuzzer.
scripts/install-deps.sh clang-14 libclang-rt-14-dev

echo "== fuzz build (clang-14, libFuzzer, AddressSanitizer + UBSan): build/fuzz"
cmake -S fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >/dev/null
cmake --build build/fuzz -j"$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build/fuzz/crashes build/fuzz/logs
failed=()

# Every input of the checked-in corpus once: a fix that regresses shows here first.
echo "== fuzz: replaying fuzz/corpus"
for target in "${targets[@]}"; do
  if ! "build/fuzz/$target"_fuzz -runs=0 "fuzz/corpus/$target" \
    >"build/fuzz/logs/$target.replay.log" 2>&1; then
    echo "fuzz: $target: replaying its corpus fails: see build/fuzz/logs/$target.replay.log" >&2
    failed+=("$target")
  fi
done

# New inputs go to build/fuzz/corpus/<target>, never into the repository's corpus.
echo "== fuzz: ${seconds}s per target"
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  mkdir -p "$work"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  log="build/fuzz/logs/$target.log"
  if "build/fuzz/$target"_fuzz "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/crashes/$target-" "$work" "fuzz/corpus/$target" \
    >"$log" 2>&1; then
    echo "fuzz: $target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
      grep -o '[0-9]*$') runs, no failure"
  else
    echo "fuzz: $target: failed: see $log and build/fuzz/crashes/$target-*" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
