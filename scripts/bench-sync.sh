#!/usr/bin/env bash
# Sync figures on this machine, as root on Debian 12 (not run in CI):
#  1. initial sync of BENCH_USERS (1,000) users: meetgate vs a shell loop of
#     `prosodyctl register` on the same input;
#  2. a no-op resync of BENCH_RESYNC_USERS (10,000) existing accounts: must make
#     no prosodyctl call.
# No server runs: both use prosodyctl's offline register, as at container start.
# MEETGATE_BIN picks the binary (default: build/release/meetgate, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

users=${BENCH_USERS:-1000}
resync_users=${BENCH_RESYNC_USERS:-10000}
meetgate=${MEETGATE_BIN:-$PWD/build/release/meetgate}
prosodyctl=/usr/bin/prosodyctl

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-sync: run as root: prosodyctl writes as the prosody user" >&2
  exit 1
fi
if [ ! -x "$meetgate" ]; then
  scripts/install-deps.sh
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMEETGATE_TESTS=OFF >/dev/null
  cmake --build build/release --target meetgate -j"$(nproc)" >/dev/null
fi

work=$(mktemp -d /tmp/meetgate-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
chown prosody:prosody "$work"

# A data dir and its rendered prosodyctl config, one per case so none sees another's
# accounts. Prints the config path.
setup_case() {
  local name=$1
  mkdir "$work/$name"
  chown prosody:prosody "$work/$name"
  env -i PATH="$PATH" ENABLE_AUTH=1 ENABLE_GUESTS=1 XMPP_DOMAIN=meet.bench \
    XMPP_AUTH_DOMAIN=auth.meet.bench XMPP_GUEST_DOMAIN=guest.meet.bench \
    PROSODY_GUEST_AUTH_TYPE=anonymous LOG_LEVEL=warn \
    MEETGATE_PROSODY_CONFIG="$work/$name.cfg.lua" MEETGATE_DATA_PATH="$work/$name" \
    "$meetgate" render --only prosody
  echo "$work/$name.cfg.lua"
}

# Counts prosodyctl calls independently of meetgate's own summary: one byte a call.
cat >"$work/prosodyctl-counting" <<EOF
#!/bin/sh
printf . >>"$work/calls"
exec $prosodyctl "\$@"
EOF
chmod 755 "$work/prosodyctl-counting"

users_file() { # count file: user:password lines, random passwords
  /usr/bin/python3 -c 'import secrets, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(f"user{i:05d}:{secrets.token_urlsafe(12)}")' "$1" >"$2"
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Runs meetgate sync for case $1 on file $2; sets seconds, calls, summary.
meetgate_sync() {
  local config=$work/$1.cfg.lua start
  : >"$work/calls"
  start=$(now)
  summary=$(env -i PATH="$PATH" ENABLE_AUTH=1 ENABLE_GUESTS=1 XMPP_DOMAIN=meet.bench \
    XMPP_AUTH_DOMAIN=auth.meet.bench XMPP_GUEST_DOMAIN=guest.meet.bench \
    PROSODY_GUEST_AUTH_TYPE=anonymous LOG_LEVEL=warn MEETGATE_PROSODY_CONFIG="$config" \
    MEETGATE_DATA_PATH="$work/$1" MEETGATE_PROSODYCTL="$work/prosodyctl-counting" \
    "$meetgate" sync --users "$2" | tail -n 1)
  seconds=$(elapsed "$start" "$(now)")
  calls=$(stat -c %s "$work/calls")
}

echo "bench-sync: $(nproc) cores, $users users for the initial sync," \
  "$resync_users for the no-op resync" >&2
users_file "$users" "$work/users.txt"
users_file "$resync_users" "$work/users-big.txt"
setup_case initial >/dev/null
loop_config=$(setup_case loop)
setup_case resync >/dev/null

echo "1/4 meetgate: initial sync of $users users" >&2
meetgate_sync initial "$work/users.txt"
initial_seconds=$seconds initial_calls=$calls initial_summary=$summary

echo "2/4 shell loop: prosodyctl register, one call a user" >&2
start=$(now)
loop_calls=0
while IFS=: read -r user password; do
  printf '%s\n%s\n' "$password" "$password" |
    "$prosodyctl" --config "$loop_config" register "$user" meet.bench >/dev/null
  loop_calls=$((loop_calls + 1))
done <"$work/users.txt"
loop_seconds=$(elapsed "$start" "$(now)")

echo "3/4 setup: $resync_users accounts created by one meetgate sync (parallel)" >&2
meetgate_sync resync "$work/users-big.txt"
setup_seconds=$seconds setup_calls=$calls

echo "4/4 meetgate: no-op resync of $resync_users existing accounts" >&2
meetgate_sync resync "$work/users-big.txt"
resync_seconds=$seconds resync_calls=$calls resync_summary=$summary

printf '\n%-46s %9s %9s %17s\n' "case" "accounts" "seconds" "prosodyctl calls"
row() { printf '%-46s %9s %9s %17s\n' "$@"; }
row "initial sync, meetgate (--jobs default: $(nproc))" "$users" "$initial_seconds" "$initial_calls"
row "initial sync, shell loop of register" "$users" "$loop_seconds" "$loop_calls"
row "setup: initial sync, meetgate" "$resync_users" "$setup_seconds" "$setup_calls"
row "no-op resync, meetgate" "$resync_users" "$resync_seconds" "$resync_calls"
printf '\nmeetgate said: %s\n               %s\n' "$initial_summary" "$resync_summary"

if [ "$resync_calls" -ne 0 ]; then
  echo "bench-sync: the no-op resync made $resync_calls prosodyctl calls, expected 0" >&2
  exit 1
fi
