"""A throwaway Prosody on 127.0.0.1 for integration tests and the demo.

The server's own config holds only what a test server needs (loopback port, no
TLS, no s2s, no http, admin shell, log file) and then Includes the prosodyctl
config meetgate rendered, so both share data_path and VirtualHosts exactly as a
sidecar shares them with its Prosody container.

As a program (used by scripts/demo.sh):
  prosody_server.py start --dir D --include F   prints `port=N` and `pid=N`
  prosody_server.py stop --pid N
"""

import argparse
import os
import pwd
import signal
import socket
import subprocess
import sys
import time

PROSODY_USER = "prosody"
START_TIMEOUT = 15.0
STOP_GRACE = 5.0


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lua_string(text):
    """`text` as a double-quoted Lua literal, every risky byte escaped."""
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if ch.isalnum() or ch in "/._-+ " else "\\%03d" % byte)
    return '"' + "".join(out) + '"'


def chown_to_prosody(path):
    """Give `path` (not recursively) to the prosody user: it refuses to run as root."""
    user = pwd.getpwnam(PROSODY_USER)
    os.chown(path, user.pw_uid, user.pw_gid)


def chown_tree_to_prosody(root):
    chown_to_prosody(root)
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            chown_to_prosody(os.path.join(parent, name))


def server_config(workdir, port, include):
    """The server's own config: test-only globals, then meetgate's rendered file."""
    return f"""-- Test server written by tests/integration/prosody_server.py
pidfile = {lua_string(os.path.join(workdir, "prosody.pid"))}
log = {{
  {{ levels = {{ min = "debug" }}, to = "file",
     filename = {lua_string(os.path.join(workdir, "prosody.log"))} }};
}}
c2s_ports = {{ {port} }}
c2s_interfaces = {{ "127.0.0.1" }}
c2s_direct_tls_ports = {{}}
s2s_ports = {{}}
component_ports = {{}}
http_ports = {{}}
https_ports = {{}}
modules_disabled = {{ "s2s"; "http"; "bosh"; "websocket" }}
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true -- loopback tests only

-- meetgate's file: data_path, storage, the VirtualHosts.
Include {lua_string(os.path.abspath(include))}

-- Still the global section (Include parses the file on its own). The rendered file
-- lists only the modules prosodyctl needs; a server that lets people log in needs more.
modules_enabled = {{
  "roster"; "saslauth"; "tls"; "disco"; "ping"; "posix"; "admin_shell";
}}
"""


class ProsodyServer:
    """One Prosody process: start() writes its config and waits for the port."""

    def __init__(self, workdir, include, port=None):
        self.workdir = os.path.abspath(workdir)
        self.include = os.path.abspath(include)
        self.port = port or free_port()
        self.config_path = os.path.join(self.workdir, "prosody.cfg.lua")
        self.log_path = os.path.join(self.workdir, "prosody.log")
        self.console_path = os.path.join(self.workdir, "prosody.console")
        self.pidfile = os.path.join(self.workdir, "prosody.pid")
        self.process = None

    def write_config(self):
        """The server's config, readable by the prosody user; start() calls it."""
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(server_config(self.workdir, self.port, self.include))
        chown_to_prosody(self.workdir)
        chown_to_prosody(self.config_path)

    def start(self, detach=False):
        self.write_config()

        # runuser, not su: no password prompt, and Prosody refuses to run as root.
        with open(self.console_path, "ab") as console:
            self.process = subprocess.Popen(
                ["runuser", "-u", PROSODY_USER, "--",
                 "prosody", "--config", self.config_path, "-F"],
                stdin=subprocess.DEVNULL, stdout=console, stderr=console,
                start_new_session=detach)
        self._wait_until_listening()
        return self

    def _wait_until_listening(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"prosody exited with {self.process.returncode} before listening\n"
                    + self.diagnostics())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"prosody did not listen on {self.port} within "
                           f"{START_TIMEOUT:.0f} s\n" + self.diagnostics())

    def admin_socket_ready(self, timeout=5.0):
        """True once prosodyctl shell can reach the server (mod_admin_shell is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = subprocess.run(
                ["prosodyctl", "--config", self.config_path, "shell", "--quiet"],
                input="server:version()\n", capture_output=True, text=True, timeout=10)
            if result.returncode == 0 and "| " in result.stdout:
                return True
            time.sleep(0.2)
        return False

    def stop(self):
        if self.process is None:
            return
        stop_pid(self.process.pid, self.pidfile, waiter=self.process.wait)
        self.process = None

    def diagnostics(self):
        """The tail of the console and log, for failure messages."""
        parts = []
        for path in (self.console_path, self.log_path):
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    parts.append(f"--- {path}\n" + "".join(f.readlines()[-30:]))
        return "\n".join(parts)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _alive(pid):
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _prosody_pid(pidfile, parent):
    """The PID in Prosody's pidfile, only when it is the child of `parent`."""
    try:
        with open(pidfile, encoding="utf-8") as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return pid if _parent_of(pid) == parent else None


def _signal(pid, sig):
    if pid is not None and _alive(pid):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_pid(pid, pidfile, waiter=None):
    """Stop the runuser process `pid` we started and its Prosody child.

    TERM goes to Prosody itself (runuser would forward it, but then waits two
    seconds before it kills its child); SIGKILL to both after STOP_GRACE.
    """
    child = _prosody_pid(pidfile, pid)
    _signal(child if child is not None else pid, signal.SIGTERM)

    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline:
        if waiter is not None:
            try:
                waiter(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        else:
            time.sleep(0.05)
        if not _alive(pid) and (child is None or not _alive(child)):
            return

    _signal(child, signal.SIGKILL)
    _signal(pid, signal.SIGKILL)
    if waiter is not None:
        waiter(timeout=STOP_GRACE)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start in the background, print port= and pid=")
    start.add_argument("--dir", required=True, help="work dir for config, pidfile, log")
    start.add_argument("--include", required=True, help="meetgate's rendered config")
    stop = sub.add_parser("stop", help="stop a server started with `start`")
    stop.add_argument("--pid", required=True, type=int)
    stop.add_argument("--dir", help="its work dir, to find the pidfile")
    args = parser.parse_args(argv)

    if args.command == "start":
        server = ProsodyServer(args.dir, args.include).start(detach=True)
        print(f"port={server.port}")
        print(f"pid={server.process.pid}")
        return 0
    pidfile = os.path.join(args.dir, "prosody.pid") if args.dir else "/nonexistent"
    stop_pid(args.pid, pidfile)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
