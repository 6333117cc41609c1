#!/usr/bin/env bash
# Backend figures on this machine, as root on Debian 12 (not run in CI): for
# BENCH_USERS (1,000) users, the time and the prosodyctl processes it takes to
#  (a) create all, (b) change every password, (c) delete all (empty source, --force),
# side by side for MEETGATE_BACKEND=online (a throwaway Prosody on 127.0.0.1 with
# admin_shell), MEETGATE_BACKEND=offline (MEETGATE_JOBS = cores) and a shell loop of
# `prosodyctl register`/`unregister`, one call a user.
# Each case has its own data dir: the server serves the online one; offline and the
# loop write theirs with no server reading them, as at container start.
# MEETGATE_BIN picks the binary (default: build/release/meetgate, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

users=${BENCH_USERS:-1000}
meetgate=${MEETGATE_BIN:-$PWD/build/release/meetgate}
prosodyctl=/usr/bin/prosodyctl
python=/usr/bin/python3
jobs=$(nproc)
host=meet.bench
host_dir='meet%2ebench' # Prosody's file-name encoding of $host
cases=(online offline loop)

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-backends: run as root: prosodyctl writes as the prosody user" >&2
  exit 1
fi
if [ ! -x "$meetgate" ]; then
  scripts/install-deps.sh
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMEETGATE_TESTS=OFF >/dev/null
  cmake --build build/release --target meetgate -j"$(nproc)" >/dev/null
fi
meetgate=$(realpath "$meetgate")

# One temp dir for everything; the trap stops the server by its pid and removes it.
work=$(mktemp -d /tmp/meetgate-bench.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    # TERM, then KILL after 5 s: prosody_server.py bounds the wait.
    "$python" tests/integration/prosody_server.py stop --pid "$server_pid" \
      --dir "$work/server" || true
    echo "bench-backends: stopped Prosody (pid $server_pid)" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
chown prosody:prosody "$work"

# The environment of case $1 (a data dir $work/$1, its config, its backend); sets
# case_env.
case_env() {
  case_env=(PATH="$PATH" ENABLE_AUTH=1 ENABLE_GUESTS=1 XMPP_DOMAIN="$host"
    XMPP_AUTH_DOMAIN="auth.$host" XMPP_GUEST_DOMAIN="guest.$host"
    PROSODY_GUEST_AUTH_TYPE=anonymous MEETGATE_PROSODY_CONFIG="$work/$1.cfg.lua"
    MEETGATE_DATA_PATH="$work/$1" MEETGATE_PROSODYCTL="$work/prosodyctl-counting")
  case $1 in
    online) case_env+=(MEETGATE_BACKEND=online) ;;
    offline) case_env+=(MEETGATE_BACKEND=offline MEETGATE_JOBS="$jobs") ;;
  esac
}

# A data dir and its rendered prosodyctl config, one per case so none sees another's
# accounts. The config is the prosody user's: the server Includes the online one.
setup_case() {
  mkdir -p "$work/$1/$host_dir/accounts"
  case_env "$1"
  env -i "${case_env[@]}" LOG_LEVEL=warn "$meetgate" render --only prosody
  chown -R prosody:prosody "$work/$1" "$work/$1.cfg.lua"
  chmod -R go-rwx "$work/$1"
}

# Counts prosodyctl processes independently of meetgate's own summary: one byte a call.
cat >"$work/prosodyctl-counting" <<EOF
#!/bin/sh
printf . >>"$work/calls"
exec $prosodyctl "\$@"
EOF
chmod 755 "$work/prosodyctl-counting"

users_file() { # count file: user:password lines, random passwords
  "$python" -c 'import secrets, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(f"user{i:05d}:{secrets.token_urlsafe(12)}")' "$1" >"$2"
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
accounts() { find "$work/$1/$host_dir/accounts" -name '*.dat' | wc -l; }
digests() { (cd "$work/$1/$host_dir/accounts" && md5sum -- *.dat | sort); }

# Waits until `prosodyctl shell` reaches the server: the port listens before
# mod_admin_shell has its socket. readline is kept from loading so that the probe
# writes no .shell_history into the data dir.
wait_admin_shell() {
  local deadline=$((SECONDS + 15)) reply
  while [ "$SECONDS" -lt "$deadline" ]; do
    reply=$(LUA_INIT='package.preload["readline"] = function() error("no readline", 0) end' \
      timeout 10 "$prosodyctl" --config "$work/online.cfg.lua" shell --quiet \
      <<<'server:version()' 2>/dev/null) || true
    if [[ $reply == *"| "* ]]; then
      return 0
    fi
    sleep 0.2
  done
  echo "bench-backends: prosodyctl shell did not reach the server within 15 s; its log:" >&2
  tail -n 20 "$work/server/prosody.log" >&2
  exit 1
}

# Runs meetgate sync for case $1 on users file $2 with extra arguments $3...; sets
# seconds, calls, summary.
meetgate_sync() {
  local name=$1 source=$2 start
  shift 2
  case_env "$name"
  : >"$work/calls"
  start=$(now)
  if ! summary=$(env -i "${case_env[@]}" LOG_LEVEL=warn "$meetgate" sync \
    --users "$source" "$@" | tail -n 1); then
    echo "bench-backends: meetgate sync failed for the $name case" >&2
    exit 1
  fi
  seconds=$(elapsed "$start" "$(now)")
  calls=$(stat -c %s "$work/calls")
}

# The naive way for $1 (register or unregister): one prosodyctl call a user of file $2,
# in turn, through the counting wrapper. Sets seconds and calls.
loop_run() {
  local command=$1 source=$2 start user password
  : >"$work/calls"
  start=$(now)
  while IFS=: read -r user password; do
    if [ "$command" = register ]; then
      printf '%s\n%s\n' "$password" "$password" |
        "$work/prosodyctl-counting" --config "$work/loop.cfg.lua" register "$user" "$host" \
          >"$work/loop.out" 2>&1 || loop_failed "$command" "$user"
    else
      "$work/prosodyctl-counting" --config "$work/loop.cfg.lua" unregister "$user" "$host" \
        </dev/null >"$work/loop.out" 2>&1 || loop_failed "$command" "$user"
    fi
  done <"$source"
  seconds=$(elapsed "$start" "$(now)")
  calls=$(stat -c %s "$work/calls")
}
loop_failed() {
  echo "bench-backends: prosodyctl $1 $2 $host failed:" >&2
  tail -n 5 "$work/loop.out" >&2
  exit 1
}

# Runs operation $1 (create, change or delete) for case $2; records its figures.
declare -A seconds_of calls_of summary_of
measure() {
  local operation=$1 name=$2
  case $operation/$name in
    create/loop | change/loop) loop_run register "$work/users-$operation.txt" ;;
    delete/loop) loop_run unregister "$work/users-change.txt" ;;
    delete/*) meetgate_sync "$name" "$work/empty.txt" --force ;;
    *) meetgate_sync "$name" "$work/users-$operation.txt" ;;
  esac
  seconds_of[$operation/$name]=$seconds
  calls_of[$operation/$name]=$calls
  if [ "$name" != loop ]; then
    summary_of[$operation/$name]=$summary
  fi
}

# Fails unless case $1 holds $2 accounts.
expect_accounts() {
  local found
  found=$(accounts "$1")
  if [ "$found" -ne "$2" ]; then
    echo "bench-backends: the $1 case has $found accounts, expected $2" >&2
    exit 1
  fi
}

load_start=$(load)
echo "bench-backends: $jobs cores, $users users, load average $load_start" >&2
for name in "${cases[@]}"; do setup_case "$name"; done
users_file "$users" "$work/users-create.txt"
# The same users, every password new.
users_file "$users" "$work/users-change.txt"
: >"$work/empty.txt"

echo "setup: a throwaway Prosody on 127.0.0.1 serving the online case's data dir" >&2
mkdir "$work/server"
started=$("$python" tests/integration/prosody_server.py start \
  --dir "$work/server" --include "$work/online.cfg.lua")
server_pid=$(sed -n 's/^pid=//p' <<<"$started")
port=$(sed -n 's/^port=//p' <<<"$started")
wait_admin_shell

declare -A load_of
step=0
for operation in create change delete; do
  load_of[$operation]=$(load)
  for name in "${cases[@]}"; do
    step=$((step + 1))
    echo "$step/9 $operation, $name (load average ${load_of[$operation]})" >&2
    if [ "$operation" = change ]; then
      digests "$name" >"$work/before.md5"
    fi

    measure "$operation" "$name"

    case $operation in
      create) expect_accounts "$name" "$users" ;;
      delete) expect_accounts "$name" 0 ;;
      change)
        expect_accounts "$name" "$users"
        changed=$(digests "$name" | comm -13 "$work/before.md5" - | wc -l)
        if [ "$changed" -ne "$users" ]; then
          echo "bench-backends: $name changed $changed account files, expected $users" >&2
          exit 1
        fi
        ;;
    esac
  done
done
load_end=$(load)

printf '\n%s users, %s cores, Prosody 127.0.0.1:%s (pid %s)\n' "$users" "$jobs" "$port" \
  "$server_pid"
printf 'load average (1, 5, 15 min): %s at start, %s at end\n\n' "$load_start" "$load_end"
printf '%-27s %17s   %17s   %17s\n' "" "online" "offline, $jobs jobs" "shell loop"
row() { printf '%-27s %9s %7s   %9s %7s   %9s %7s   %s\n' "$@"; }
row "operation" "seconds" "procs" "seconds" "procs" "seconds" "procs" "load (1 min)"
label() {
  case $1 in
    create) echo "(a) create all" ;;
    change) echo "(b) change every password" ;;
    delete) echo "(c) delete all" ;;
  esac
}
for operation in create change delete; do
  row "$(label "$operation")" \
    "${seconds_of[$operation/online]}" "${calls_of[$operation/online]}" \
    "${seconds_of[$operation/offline]}" "${calls_of[$operation/offline]}" \
    "${seconds_of[$operation/loop]}" "${calls_of[$operation/loop]}" \
    "${load_of[$operation]%% *}"
done
printf '\nprocs: prosodyctl processes, counted by a wrapper (MEETGATE_PROSODYCTL)\n'
printf 'change: the loop registers again (Prosody 0.12 overwrites the account)\n'
printf 'delete: meetgate synced an empty source with --force; the loop ran unregister\n'
printf 'meetgate: %s\n' "$meetgate"

printf '\nmeetgate said:\n'
for operation in create change delete; do
  for name in online offline; do
    printf '  %-7s %-7s %s\n' "$operation" "$name" "${summary_of[$operation/$name]}"
  done
done

for operation in create change delete; do
  if [ "${calls_of[$operation/online]}" -ne 1 ]; then
    echo "bench-backends: online $operation made ${calls_of[$operation/online]}" \
      "prosodyctl calls, expected one shell session" >&2
    exit 1
  fi
done
