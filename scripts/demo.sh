#!/usr/bin/env bash
# meetgate's main job, end to end, on a fresh Debian 12 as root: render the prosodyctl
# config from env.example, sync examples/users.txt into a throwaway Prosody on
# 127.0.0.1, and prove with a real XMPP client that the accounts work.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root: it installs packages and starts Prosody as the prosody user" >&2
  exit 1
fi

step "1. Install what is missing (scripts/install-deps.sh)"
scripts/install-deps.sh
say "build tools, libraries, prosody and python3-slixmpp are there"

step "2. Build meetgate (build/release)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DMEETGATE_TESTS=OFF >/dev/null
cmake --build build/release --target meetgate -j"$(nproc)" >/dev/null
meetgate=$repo/build/release/meetgate
say "built $meetgate ($("$meetgate" version | head -n 1))"

# Everything below lives in one temp dir; the trap stops the server and removes it.
work=$(mktemp -d /tmp/meetgate-demo.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    /usr/bin/python3 tests/integration/prosody_server.py stop --pid "$server_pid" --dir "$work"
    say "stopped Prosody (pid $server_pid)"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/data"
chown prosody:prosody "$work" "$work/data"

step "3. Render the prosodyctl config from env.example"
set -a
# shellcheck source=env.example
. ./env.example
set +a
# The demo's own paths; Debian has no jitsi-anonymous module, plain anonymous does.
export MEETGATE_PROSODY_CONFIG=$work/meetgate/prosodyctl.cfg.lua
export MEETGATE_DATA_PATH=$work/data
export PROSODY_GUEST_AUTH_TYPE=anonymous
domain=${XMPP_DOMAIN:-meet.jitsi}
guest_domain=${XMPP_GUEST_DOMAIN:-guest.meet.jitsi}
"$meetgate" render --only prosody
chown -R prosody:prosody "$work/meetgate"
say "meetgate wrote $MEETGATE_PROSODY_CONFIG:"
sed 's/^/   | /' "$MEETGATE_PROSODY_CONFIG"

step "4. Start a throwaway Prosody on 127.0.0.1 that reads that file"
started=$(/usr/bin/python3 tests/integration/prosody_server.py start \
  --dir "$work" --include "$MEETGATE_PROSODY_CONFIG")
server_pid=$(sed -n 's/^pid=//p' <<<"$started")
port=$(sed -n 's/^port=//p' <<<"$started")
say "Prosody listens on 127.0.0.1:$port (pid $server_pid), data in $MEETGATE_DATA_PATH"

step "5. Sync examples/users.txt into Prosody"
"$meetgate" sync --users examples/users.txt
accounts=$(cd "$work/data/${domain//./%2e}/accounts" && printf '%s ' *.dat)
say "account files on $domain now: ${accounts//.dat/}"

step "6. Log in with a real XMPP client (slixmpp)"
login() { # jid password: 0 in, 1 refused, 2 no answer
  printf '%s' "$2" | /usr/bin/python3 tests/integration/xmpp_login.py "$1" "$port"
}
alice_password=$(sed -n 's/^alice://p' examples/users.txt)
if login "alice@$domain" "$alice_password"; then
  say "alice@$domain logged in with the password from examples/users.txt"
else
  echo "demo: alice@$domain could not log in" >&2
  exit 1
fi
carol_password=$(sed -n "s/^carol@$domain://p" examples/users.txt)
if login "carol@$domain" "$carol_password"; then
  say "carol@$domain logged in too: her password has spaces and umlauts"
else
  echo "demo: carol@$domain could not log in" >&2
  exit 1
fi
rc=0
login "alice@$domain" "not alice's password" || rc=$?
if [ "$rc" -eq 1 ]; then
  say "alice@$domain with a wrong password was refused, as it should be"
else
  echo "demo: a wrong password was not refused (login exit $rc)" >&2
  exit 1
fi
guest=$(/usr/bin/python3 tests/integration/xmpp_login.py --anonymous "$guest_domain" "$port")
say "a guest joined anonymously on $guest_domain as $guest"

step "7. Sync again: nothing changed, so no prosodyctl call"
"$meetgate" sync --users examples/users.txt
say "passwords were checked against Prosody's stored keys, offline"

step "8. Preview removing bob (--dry-run changes nothing)"
grep -v '^bob:' examples/users.txt >"$work/users-without-bob.txt"
"$meetgate" sync --users "$work/users-without-bob.txt" --dry-run

step "9. Clean up"
