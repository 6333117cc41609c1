#!/usr/bin/env bash
# Watch figures on this machine, as root on Debian 12 (not run in CI):
#  1. change-to-applied latency: one user's password changed in the users source
#     (temp file + rename) until Prosody's account file changes and until
#     reconcile_done, BENCH_CHANGES (20) times, with the default 250ms debounce and
#     with 50ms; beside a shell loop that polls every 5 s (computed);
#  2. idle CPU and wakeups over BENCH_IDLE_SECONDS (60) with BENCH_USERS (1,000)
#     users applied, beside that shell loop measured over the same window;
#  3. resident memory while idle with BENCH_USERS and BENCH_BIG_USERS (10,000);
#  4. a SIGHUP reconcile of BENCH_BIG_USERS unchanged users (verified passwords
#     cached: no PBKDF2) beside `meetgate sync` of the same (a fresh process: PBKDF2
#     for every account).
# No server runs: the offline backend writes accounts with prosodyctl. The accounts
# are written directly as Prosody's internal_hashed files (SCRAM-SHA-1, 10000
# iterations), because 10,000 `prosodyctl register` calls take minutes; meetgate
# adopts them on its first pass.
# MEETGATE_BIN picks the binary (default: build/release/meetgate, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

users=${BENCH_USERS:-1000}
big_users=${BENCH_BIG_USERS:-10000}
changes=${BENCH_CHANGES:-20}
idle_seconds=${BENCH_IDLE_SECONDS:-60}
meetgate=${MEETGATE_BIN:-$PWD/build/release/meetgate}
prosodyctl=/usr/bin/prosodyctl
python=/usr/bin/python3
host=meet.bench
host_dir='meet%2ebench' # Prosody's file-name encoding of $host

if [ "$(id -u)" -ne 0 ]; then
  echo "bench-watch: run as root: prosodyctl writes as the prosody user" >&2
  exit 1
fi
if [ "$big_users" -lt "$users" ]; then
  echo "bench-watch: BENCH_BIG_USERS ($big_users) must be at least BENCH_USERS ($users)" >&2
  exit 1
fi
if [ ! -x "$meetgate" ]; then
  scripts/install-deps.sh
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMEETGATE_TESTS=OFF >/dev/null
  cmake --build build/release --target meetgate -j"$(nproc)" >/dev/null
fi
meetgate=$(realpath "$meetgate")

work=$(mktemp -d /tmp/meetgate-bench.XXXXXX)
running=() # pids this script started and has not reaped yet
reaped() { # forgets pid $1
  local pid kept=()
  for pid in "${running[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  running=("${kept[@]}")
}
cleanup() {
  local pid
  for pid in "${running[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
chown prosody:prosody "$work"

# The environment of case $1 (a data dir $work/$1 and its config); sets case_env.
case_env() {
  case_env=(PATH="$PATH" ENABLE_AUTH=1 ENABLE_GUESTS=1 XMPP_DOMAIN="$host"
    XMPP_AUTH_DOMAIN="auth.$host" XMPP_GUEST_DOMAIN="guest.$host"
    PROSODY_GUEST_AUTH_TYPE=anonymous MEETGATE_PROSODY_CONFIG="$work/$1.cfg.lua"
    MEETGATE_DATA_PATH="$work/$1")
}

# A data dir and its rendered prosodyctl config, one per case so none sees another's
# accounts.
setup_case() {
  mkdir -p "$work/$1/$host_dir/accounts"
  chown -R prosody:prosody "$work/$1"
  chmod -R go-rwx "$work/$1"
  case_env "$1"
  env -i "${case_env[@]}" LOG_LEVEL=warn "$meetgate" render --only prosody
}

# The measuring side, in Python for its sub-millisecond clock and JSON parsing.
cat >"$work/bench.py" <<'EOF'
import hashlib, hmac, json, multiprocessing, os, secrets, signal, statistics, sys, time, uuid

def account(entry):
    """Prosody's internal_hashed account file for user:password (SCRAM-SHA-1)."""
    user, password = entry
    salt, iterations = str(uuid.uuid4()), 10000
    salted = hashlib.pbkdf2_hmac("sha1", password.encode(), salt.encode(), iterations)
    client_key = hmac.new(salted, b"Client Key", "sha1").digest()
    server_key = hmac.new(salted, b"Server Key", "sha1").hexdigest()
    stored_key = hashlib.sha1(client_key).hexdigest()
    return user, (f'return {{\n\t["stored_key"] = "{stored_key}";\n'
                  f'\t["iteration_count"] = {iterations};\n\t["salt"] = "{salt}";\n'
                  f'\t["server_key"] = "{server_key}";\n}};\n')

def generate(count, users_file, accounts):
    entries = [(f"user{i:05d}", secrets.token_urlsafe(12)) for i in range(1, count + 1)]
    with open(users_file, "w") as f:
        f.writelines(f"{user}:{password}\n" for user, password in entries)
    os.umask(0o027)
    with multiprocessing.Pool() as pool:
        for user, text in pool.imap_unordered(account, entries, chunksize=64):
            with open(os.path.join(accounts, user + ".dat"), "w") as f:
                f.write(text)

class Log:
    """The watch's JSON stderr, read from where it was when the object was made."""
    def __init__(self, path, pid):
        self.file, self.pid, self.rest = open(path), pid, ""
        self.file.seek(0, os.SEEK_END)

    def events(self):
        self.rest += self.file.read()
        *lines, self.rest = self.rest.split("\n")
        for line in lines:
            try:
                yield json.loads(line)
            except ValueError:
                pass

    def check_alive(self):
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    return
        except FileNotFoundError:
            pass
        sys.exit(f"bench-watch: meetgate (pid {self.pid}) ended")

def wait_done(log, trigger, deadline):
    """The next reconcile_done of `trigger`; fails on reconcile_failed or timeout."""
    while time.monotonic() < deadline:
        for event in log.events():
            if event.get("event") == "reconcile_failed":
                sys.exit(f"bench-watch: reconcile_failed: {event.get('reason')}")
            if event.get("event") == "reconcile_done" and event.get("trigger") == trigger:
                if int(event.get("failed", 0)):
                    sys.exit(f"bench-watch: reconcile failed for some accounts: {event}")
                return event
        log.check_alive()
        time.sleep(0.001)
    sys.exit(f"bench-watch: no reconcile_done with trigger {trigger} in time")

def ms(seconds):
    return round(seconds * 1000, 1)

def spread(values):  # median,min,max
    return f"{statistics.median(values):.0f},{min(values):.0f},{max(values):.0f}"

def replace_file(path, text):
    scratch = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(scratch, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.rename(scratch, path)

def latency(pid, log_path, users_file, account_file, changes, timeout):
    """Changes the first user's password `changes` times; prints the ms from the
    rename to the account file's change, to reconcile_done, and the passes' own
    duration_ms (median,min,max each)."""
    to_file, to_event, durations = [], [], []
    for _ in range(changes):
        with open(users_file) as f:
            lines = f.read().splitlines(keepends=True)
        user = lines[0].split(":", 1)[0]
        lines[0] = f"{user}:{secrets.token_urlsafe(12)}\n"
        with open(account_file) as f:
            before = f.read()
        log = Log(log_path, pid)

        replace_file(users_file, "".join(lines))
        renamed = time.monotonic()
        deadline, file_seen, event = renamed + timeout, None, None
        while file_seen is None or event is None:
            if time.monotonic() > deadline:
                sys.exit("bench-watch: the change was not applied in time")
            if file_seen is None:
                with open(account_file) as f:
                    text = f.read()
                if text != before and text.endswith("};\n"):
                    file_seen = time.monotonic()
            for e in log.events():
                if e.get("event") == "reconcile_failed":
                    sys.exit(f"bench-watch: reconcile_failed: {e.get('reason')}")
                if event is None and e.get("event") == "reconcile_done" and \
                        e.get("trigger") == "change":
                    event, event_seen = e, time.monotonic()
            log.check_alive()
            time.sleep(0.001)
        if int(event.get("updated", 0)) != 1 or int(event.get("failed", 0)):
            sys.exit(f"bench-watch: expected one account updated: {event}")

        to_file.append(ms(file_seen - renamed))
        to_event.append(ms(event_seen - renamed))
        durations.append(int(event["duration_ms"]))
        time.sleep(0.2)  # let the watcher settle so that changes do not merge
    print(spread(to_file), spread(to_event), spread(durations))

def hup(pid, log_path, count, timeout):
    """SIGHUP `count` times; prints ms until reconcile_done (median,min,max), the
    passes' duration_ms (median) and their prosodyctl calls (sum)."""
    waited, durations, calls = [], [], 0
    for _ in range(count):
        log = Log(log_path, pid)
        sent = time.monotonic()
        os.kill(pid, signal.SIGHUP)
        event = wait_done(log, "signal", sent + timeout)
        waited.append(ms(time.monotonic() - sent))
        durations.append(int(event["duration_ms"]))
        calls += int(event["calls"])
    print(spread(waited), f"{statistics.median(durations):.0f}", calls)

def wait_start(pid, log_path, timeout):
    """Waits for the start pass (the log is read from its beginning); prints its
    duration_ms and what it did."""
    log = Log(log_path, pid)
    log.file.seek(0)
    event = wait_done(log, "start", time.monotonic() + timeout)
    print(event["duration_ms"], event["adopted"], event["unchanged"], event["calls"])

command, args = sys.argv[1], sys.argv[2:]
if command == "generate":
    generate(int(args[0]), args[1], args[2])
elif command == "latency":
    latency(int(args[0]), args[1], args[2], args[3], int(args[4]), float(args[5]))
elif command == "hup":
    hup(int(args[0]), args[1], int(args[2]), float(args[3]))
elif command == "wait-start":
    wait_start(int(args[0]), args[1], float(args[2]))
EOF
bench() { "$python" "$work/bench.py" "$@"; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
alive() { # running: neither gone nor a zombie waiting to be reaped
  local state
  state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Starts `meetgate watch` for case $1 on users file $2 with extra environment $3...;
# sets watch_pid and watch_log, and waits for its start pass (sets start_pass).
start_watch() {
  local name=$1 users_file=$2
  shift 2
  case_env "$name"
  watch_log=$work/$name-watch-$RANDOM.log
  # env execs meetgate, so $! is meetgate's own pid.
  env -i "${case_env[@]}" LOG_FORMAT=json "$@" "$meetgate" watch --users "$users_file" \
    </dev/null >/dev/null 2>"$watch_log" &
  watch_pid=$!
  running+=("$watch_pid")
  if ! start_pass=$(bench wait-start "$watch_pid" "$watch_log" 300); then
    tail -n 20 "$watch_log" >&2
    exit 1
  fi
}

# Stops the watch by its pid; it promises to exit 0 within 2 s.
stop_watch() {
  local deadline=$((SECONDS + 10)) status=0
  kill -TERM "$watch_pid"
  while alive "$watch_pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
  if alive "$watch_pid"; then
    echo "bench-watch: meetgate $watch_pid still running 10 s after SIGTERM: killed" >&2
    kill -KILL "$watch_pid"
  fi
  wait "$watch_pid" || status=$?
  reaped "$watch_pid"
  if [ "$status" -ne 0 ]; then
    echo "bench-watch: meetgate watch exited $status; its log:" >&2
    tail -n 20 "$watch_log" >&2
    exit 1
  fi
}

cpu_ticks() { # utime + stime (+ cutime + cstime with $2=children) of pid $1
  local stat fields
  stat=$(<"/proc/$1/stat")
  read -ra fields <<<"${stat##*) }" # fields[0] is field 3, the state
  if [ "${2:-}" = children ]; then
    echo $((fields[11] + fields[12] + fields[13] + fields[14]))
  else
    echo $((fields[11] + fields[12]))
  fi
}
wakeups() { # voluntary context switches over all threads of pid $1
  cat /proc/"$1"/task/*/status | awk '$1 == "voluntary_ctxt_switches:" { n += $2 } END { print n }'
}
threads() {
  local tasks=(/proc/"$1"/task/*)
  echo "${#tasks[@]}"
}
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

echo "bench-watch: $(nproc) cores, $users users ($big_users for memory and the" \
  "no-op resync), $changes changes a debounce, ${idle_seconds}s idle" >&2
setup_case small
setup_case big
setup_case naive
# Each users source alone in its directory: the watch watches the directory, and
# writes there (such as the logs) would wake it.
mkdir "$work/small-source" "$work/big-source"
small_source=$work/small-source/users.txt big_source=$work/big-source/users.txt

echo "1/6 setup: $big_users accounts written as Prosody files (PBKDF2 in Python)" >&2
start=$(now)
bench generate "$big_users" "$big_source" "$work/big/$host_dir/accounts"
head -n "$users" "$big_source" >"$small_source"
while IFS=: read -r user _; do
  cp -p "$work/big/$host_dir/accounts/$user.dat" "$work/small/$host_dir/accounts/"
done <"$small_source"
chown -R prosody:prosody "$work/big" "$work/small"
generate_seconds=$(elapsed "$start" "$(now)")
first_user=$(head -n 1 "$small_source" | cut -d: -f1)
account_file=$work/small/$host_dir/accounts/$first_user.dat

echo "2/6 latency, debounce 250ms (default): $changes changes" >&2
start_watch small "$small_source"
read -r small_start_ms small_adopted _ _ <<<"$start_pass"
read -r file250 event250 pass250 <<<"$(bench latency "$watch_pid" "$watch_log" \
  "$small_source" "$account_file" "$changes" 30)"
stop_watch

echo "3/6 latency, debounce 50ms: $changes changes" >&2
start_watch small "$small_source" MEETGATE_DEBOUNCE=50ms
read -r file50 event50 pass50 <<<"$(bench latency "$watch_pid" "$watch_log" \
  "$small_source" "$account_file" "$changes" 30)"

echo "4/6 idle ${idle_seconds}s with $users users applied, beside a 5 s polling loop" >&2
# The naive keeper: checksum the users file every 5 s, register everyone on a change.
cat >"$work/poll-loop.sh" <<EOF
#!/bin/bash
# A TERM ends the sleep too, by its pid, so that nothing outlives the loop.
trap 'kill "\$sleeper" 2>/dev/null; exit 0' TERM
last=\$(md5sum <"$small_source")
while :; do
  sleep 5 &
  sleeper=\$!
  wait "\$sleeper"
  sum=\$(md5sum <"$small_source")
  if [ "\$sum" != "\$last" ]; then
    while IFS=: read -r user password; do
      printf '%s\n%s\n' "\$password" "\$password" |
        $prosodyctl --config "$work/naive.cfg.lua" register "\$user" $host >/dev/null
    done <"$small_source"
    last=\$sum
  fi
done
EOF
chmod 755 "$work/poll-loop.sh"
"$work/poll-loop.sh" & # no output: the file never changes here
loop_pid=$!
running+=("$loop_pid")
sleep 1 # the loop's first checksum is not idle time
cpu0=$(cpu_ticks "$watch_pid") wake0=$(wakeups "$watch_pid") threads0=$(threads "$watch_pid")
loop_cpu0=$(cpu_ticks "$loop_pid" children) loop_wake0=$(wakeups "$loop_pid")
sleep "$idle_seconds"
cpu1=$(cpu_ticks "$watch_pid") wake1=$(wakeups "$watch_pid") threads1=$(threads "$watch_pid")
loop_cpu1=$(cpu_ticks "$loop_pid" children) loop_wake1=$(wakeups "$loop_pid")
rss_small=$(status_kb "$watch_pid" VmRSS) hwm_small=$(status_kb "$watch_pid" VmHWM)
loop_rss=$(status_kb "$loop_pid" VmRSS)
kill -TERM "$loop_pid"
wait "$loop_pid" 2>/dev/null || true
reaped "$loop_pid"
stop_watch

echo "5/6 no-op resync of $big_users users: watch (adopts them at start), 3 SIGHUPs" >&2
start_watch big "$big_source"
read -r big_start_ms big_adopted _ _ <<<"$start_pass"
read -r hup_ms hup_pass hup_calls <<<"$(bench hup "$watch_pid" "$watch_log" 3 120)"
rss_big=$(status_kb "$watch_pid" VmRSS) hwm_big=$(status_kb "$watch_pid" VmHWM)
stop_watch

echo "6/6 no-op resync of $big_users users: meetgate sync (fresh process); prosodyctl register" >&2
case_env big
start=$(now)
sync_summary=$(env -i "${case_env[@]}" LOG_LEVEL=warn "$meetgate" sync \
  --users "$big_source" | tail -n 1)
sync_seconds=$(elapsed "$start" "$(now)")
# One register call, what the naive loop pays after noticing a change (median of 5).
register_ms=$(for i in 1 2 3 4 5; do
  start=$(now)
  printf 'pw%s\npw%s\n' "$i" "$i" |
    "$prosodyctl" --config "$work/naive.cfg.lua" register "naive$i" $host >/dev/null 2>&1
  awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
done | sort -n | sed -n 3p)

hz=$(getconf CLK_TCK)
seconds_of() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'; }
percent_of() { awk -v t="$1" -v hz="$hz" -v s="$idle_seconds" \
  'BEGIN { printf "%.3f%%", 100 * t / hz / s }'; }
trio() { awk -F, '{ printf "%s / %s / %s", $1, $2, $3 }' <<<"$1"; }

printf '\nsetup: %s accounts written in %s s; start passes adopted %s accounts in %s ms' \
  "$big_users" "$generate_seconds" "$small_adopted" "$small_start_ms"
printf ' and %s in %s ms\n' "$big_adopted" "$big_start_ms"

printf '\n1. change-to-applied latency, one user, %s changes (ms: median / min / max)\n' "$changes"
row() { printf '  %-44s %-20s %-20s %s\n' "$@"; }
row "" "to account file" "to reconcile_done" "pass duration_ms"
row "meetgate watch, debounce 250ms (default)" "$(trio "$file250")" "$(trio "$event250")" \
  "$(trio "$pass250")"
row "meetgate watch, debounce 50ms" "$(trio "$file50")" "$(trio "$event50")" "$(trio "$pass50")"
row "shell loop, poll every 5 s (computed)" \
  "$((2500 + register_ms)) / $register_ms / $((5000 + register_ms))" "-" \
  "(0-5 s wait + one register: $register_ms ms)"

printf '\n2. idle %ss, %s users applied, no changes (CPU counted in %s ms ticks)\n' \
  "$idle_seconds" "$users" $((1000 / hz))
row "" "CPU seconds" "CPU" "wakeups (voluntary switches)"
row "meetgate watch ($threads0 threads, $threads1 after)" "$(seconds_of $((cpu1 - cpu0)))" \
  "$(percent_of $((cpu1 - cpu0)))" "$((wake1 - wake0))"
row "shell loop, poll every 5 s (with children)" "$(seconds_of $((loop_cpu1 - loop_cpu0)))" \
  "$(percent_of $((loop_cpu1 - loop_cpu0)))" \
  "$((loop_wake1 - loop_wake0)) (shell only; 2 processes a poll)"

printf '\n3. resident memory while idle\n'
row "" "VmRSS" "VmHWM (peak)" ""
row "meetgate watch, $users users" "$(mib "$rss_small")" "$(mib "$hwm_small")" ""
row "meetgate watch, $big_users users" "$(mib "$rss_big")" "$(mib "$hwm_big")" ""
row "shell loop (bash alone)" "$(mib "$loop_rss")" "-" ""

printf '\n4. no-op resync of %s unchanged users\n' "$big_users"
row "" "seconds" "prosodyctl calls" ""
row "meetgate watch, SIGHUP to reconcile_done" \
  "$(awk -F, '{ printf "%.3f", $1 / 1000 }' <<<"$hup_ms")" "$hup_calls" \
  "(median of 3, min/max $(cut -d, -f2,3 <<<"$hup_ms" | tr , /) ms; reconcile $hup_pass ms)"
row "meetgate sync, fresh process" "$sync_seconds" \
  "$(sed -n 's/.* \([0-9]*\) prosodyctl calls.*/\1/p' <<<"$sync_summary")" ""
printf '\nmeetgate sync said: %s\n' "$sync_summary"

if [ "$hup_calls" -ne 0 ]; then
  echo "bench-watch: the SIGHUP resyncs made $hup_calls prosodyctl calls, expected 0" >&2
  exit 1
fi
