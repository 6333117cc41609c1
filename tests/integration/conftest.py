"""Fixtures for driving the real meetgate binary against a real Prosody 0.12.

Each test gets its own Stack: a temp dir owned by the prosody user holding the
data directory, meetgate's rendered prosodyctl config, a users file and a
prosodyctl wrapper that records every call. `server_stack` also runs Prosody
on a free 127.0.0.1 port. Run with Debian's interpreter (its slixmpp):

    /usr/bin/python3 -m pytest tests/integration -q

MEETGATE_BIN names the binary (default /work/main/build-main/meetgate);
MEETGATE_IT_KEEP=1 keeps the temp dirs for a look after a failure.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from prosody_server import ProsodyServer, chown_to_prosody  # noqa: E402
from xmpp_login import login, login_anonymous  # noqa: E402

MEETGATE_BIN = os.environ.get("MEETGATE_BIN", "/work/main/build-main/meetgate")
PROSODYCTL = "/usr/bin/prosodyctl"
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DOMAIN = "meet.test"
AUTH_DOMAIN = "auth.meet.test"
GUEST_DOMAIN = "guest.meet.test"

SUMMARY = re.compile(
    r"^sync: (?P<created>\d+) created, (?P<updated>\d+) updated, "
    r"(?P<deleted>\d+) deleted, (?P<adopted>\d+) adopted, "
    r"(?P<unchanged>\d+) unchanged, (?P<failed>\d+) failed, "
    r"(?P<calls>\d+) prosodyctl calls$")
PLAN = re.compile(
    r"^plan: (?P<create>\d+) create, (?P<update>\d+) update, (?P<delete>\d+) delete, "
    r"(?P<adopt>\d+) adopt, (?P<unchanged>\d+) unchanged, (?P<left>\d+) left alone$")

# Records argv (fields split by US, record ended by RS) and the environment it was
# given, one file per call so parallel calls cannot interleave. stdin is not read:
# that is where the passwords are.
WRAPPER = """#!/bin/sh
# Test stand-in for prosodyctl: records the call, then runs the real one.
record=$(mktemp "{calls}/call.XXXXXXXX")
{{
  printf 'argv'
  for arg in "$@"; do printf '\\037%s' "$arg"; done
  printf '\\036\\n'
}} > "$record"
cat /proc/$$/environ > "$record.env"
exec {prosodyctl} "$@"
"""


def storage_encode(text):
    """Prosody's file-name encoding: every byte outside [A-Za-z0-9] as %xx."""
    return "".join(chr(b) if chr(b).isascii() and chr(b).isalnum() else "%%%02x" % b
                   for b in text.encode("utf-8"))


def storage_decode(name):
    out, i, raw = bytearray(), 0, name.encode("ascii")
    while i < len(raw):
        if raw[i:i + 1] == b"%":
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8")


@dataclass
class Run:
    """One meetgate invocation, its output parsed."""
    args: list
    returncode: int
    stdout: str
    stderr: str
    events: list = field(default_factory=list)

    def __str__(self):
        return (f"meetgate {' '.join(self.args)} -> exit {self.returncode}\n"
                f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}")

    @property
    def summary(self):
        """The counts of a real sync's last stdout line."""
        lines = self.stdout.strip().splitlines()
        match = SUMMARY.match(lines[-1]) if lines else None
        assert match, f"no summary line\n{self}"
        return {k: int(v) for k, v in match.groupdict().items()}

    @property
    def plan(self):
        """(operation lines, counts) of a --dry-run."""
        lines = self.stdout.strip().splitlines()
        match = PLAN.match(lines[-1]) if lines else None
        assert match, f"no plan line\n{self}"
        return lines[:-1], {k: int(v) for k, v in match.groupdict().items()}

    def events_named(self, name):
        return [e for e in self.events if e.get("event") == name]


def parse_events(stderr):
    events = []
    for line in stderr.splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return events


class Stack:
    """A data directory, meetgate's rendered config, and (optionally) a server."""

    def __init__(self, root):
        self.root = root
        self.data = os.path.join(root, "data")
        self.config = os.path.join(root, "meetgate", "prosodyctl.cfg.lua")
        self.users = os.path.join(root, "users.txt")
        self.calls_dir = os.path.join(root, "calls")
        self.wrapper = os.path.join(root, "bin", "prosodyctl")
        self.state_file = os.path.join(self.data, "meetgate-state.json")
        self.runs = []
        self.server = None

        for path in (self.data, self.calls_dir, os.path.dirname(self.wrapper)):
            os.makedirs(path)
        chown_to_prosody(self.root)
        chown_to_prosody(self.data)
        with open(self.wrapper, "w", encoding="utf-8") as f:
            f.write(WRAPPER.format(calls=self.calls_dir, prosodyctl=PROSODYCTL))
        os.chmod(self.wrapper, 0o755)

    # --- meetgate ---

    def env(self, **extra):
        env = {
            "PATH": CLEAN_PATH,
            "ENABLE_AUTH": "1",
            "ENABLE_GUESTS": "1",
            "XMPP_DOMAIN": DOMAIN,
            "XMPP_AUTH_DOMAIN": AUTH_DOMAIN,
            "XMPP_GUEST_DOMAIN": GUEST_DOMAIN,
            "PROSODY_GUEST_AUTH_TYPE": "anonymous",
            "MEETGATE_PROSODY_CONFIG": self.config,
            "MEETGATE_DATA_PATH": self.data,
            "MEETGATE_PROSODYCTL": self.wrapper,
            "LOG_FORMAT": "json",
        }
        # Sanitizer settings of the test run (scripts/test.sh) reach the binary too.
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}  # None: leave it out

    def meetgate(self, *args, env=None, timeout=120):
        """Run meetgate with a clean environment; every output is kept for leak checks."""
        result = subprocess.run(
            [MEETGATE_BIN, *args], env=env or self.env(), capture_output=True,
            encoding="utf-8", errors="surrogateescape", timeout=timeout,
            stdin=subprocess.DEVNULL)
        run = Run(list(args), result.returncode, result.stdout, result.stderr,
                  parse_events(result.stderr))
        self.runs.append(run)
        return run

    def render(self):
        run = self.meetgate("render", "--only", "prosody")
        assert run.returncode == 0, str(run)
        # The test server reads this file too, as the prosody user.
        chown_to_prosody(os.path.dirname(self.config))
        return run

    def sync(self, *args, env=None, users=None):
        return self.meetgate("sync", "--users", users or self.users, *args, env=env)

    def write_users(self, entries, path=None):
        """entries: {user: password} or raw lines; written exactly, UTF-8."""
        lines = ([f"{u}:{p}" for u, p in entries.items()]
                 if isinstance(entries, dict) else list(entries))
        with open(path or self.users, "w", encoding="utf-8", newline="") as f:
            f.write("".join(line + "\n" for line in lines))
        return path or self.users

    # --- what prosodyctl saw ---

    def calls(self):
        """argv lists of every wrapper call so far, oldest first."""
        records = sorted(
            (os.path.join(self.calls_dir, n) for n in os.listdir(self.calls_dir)
             if not n.endswith(".env")), key=os.path.getmtime)
        out = []
        for path in records:
            with open(path, "rb") as f:
                record = f.read().decode("utf-8", "surrogateescape")
            out.append(record.rstrip("\n").rstrip("\x1e").split("\x1f")[1:])
        return out

    def clear_calls(self):
        for name in os.listdir(self.calls_dir):
            os.unlink(os.path.join(self.calls_dir, name))

    def call_environments(self):
        """One {name: value} per wrapper call."""
        envs = []
        for name in os.listdir(self.calls_dir):
            if name.endswith(".env"):
                with open(os.path.join(self.calls_dir, name), "rb") as f:
                    pairs = [p.split(b"=", 1) for p in f.read().split(b"\0") if p]
                envs.append({k.decode(): v.decode("utf-8", "replace") for k, v in pairs})
        return envs

    # --- Prosody's accounts, read and written without meetgate ---

    def accounts(self, host=DOMAIN, data=None):
        directory = os.path.join(data or self.data, storage_encode(host), "accounts")
        if not os.path.isdir(directory):
            return set()
        return {storage_decode(n[:-4]) for n in os.listdir(directory) if n.endswith(".dat")}

    def snapshot(self):
        """Every account file's bytes and the state file's bytes: to prove nothing changed."""
        files = {}
        for parent, _, names in os.walk(self.data):
            for name in names:
                if name.endswith(".dat") or name == "meetgate-state.json":
                    path = os.path.join(parent, name)
                    with open(path, "rb") as f:
                        files[os.path.relpath(path, self.data)] = (
                            f.read(), os.stat(path).st_mtime_ns, os.stat(path).st_ino)
        return files

    def state(self):
        with open(self.state_file, encoding="utf-8") as f:
            return json.load(f)

    def prosodyctl(self, *args, input=None, config=None):
        """The real prosodyctl, not the wrapper (for setting up accounts by hand)."""
        return subprocess.run(
            [PROSODYCTL, "--config", config or self.config, *args], input=input,
            capture_output=True, encoding="utf-8", timeout=60,
            env={"PATH": CLEAN_PATH, "LANG": "C.UTF-8"})

    def register(self, user, host, password, config=None):
        """An account made the way an operator would, password on stdin."""
        result = self.prosodyctl("register", user, host, input=f"{password}\n{password}\n",
                                 config=config)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    # --- the server ---

    def start_server(self):
        self.server = ProsodyServer(self.root, self.config).start()
        return self.server

    def stop_server(self):
        if self.server:
            self.server.stop()
            self.server = None

    def login(self, user, password, host=DOMAIN):
        assert self.server, "start_server() first"
        return login(f"{user}@{host}", password, self.server.port)

    def login_anonymous(self, host=GUEST_DOMAIN):
        assert self.server, "start_server() first"
        return login_anonymous(host, self.server.port)

    # --- secrets ---

    def leaks(self, secrets):
        """Where any of `secrets` shows up: outputs, argv, state, any file meetgate or
        prosodyctl wrote. Returns a list of "where: which" strings."""
        def raw(text):
            return text.encode("utf-8", "surrogateescape")

        blobs = []
        for run in self.runs:
            blobs.append((f"stdout of meetgate {' '.join(run.args)}", raw(run.stdout)))
            blobs.append((f"stderr of meetgate {' '.join(run.args)}", raw(run.stderr)))
        for call in self.calls():
            blobs.append((f"argv of prosodyctl {' '.join(call)}", raw("\x1f".join(call))))
        for top in (self.data, os.path.dirname(self.config)):
            for parent, _, names in os.walk(top):
                for name in names:
                    path = os.path.join(parent, name)
                    if os.path.isfile(path):
                        with open(path, "rb") as f:
                            blobs.append((path, f.read()))
        found = []
        for where, blob in blobs:
            for secret in secrets:
                if secret.encode("utf-8") in blob:
                    found.append(f"{where}: {secret!r}")
        return found


def _make_stack():
    if not os.access(MEETGATE_BIN, os.X_OK):
        pytest.fail(f"no meetgate binary at {MEETGATE_BIN}: build it or set MEETGATE_BIN",
                    pytrace=False)
    root = tempfile.mkdtemp(prefix="meetgate-it-")
    return Stack(root)


def _discard(stack, request):
    """Stop the server, print its log tail when the test failed, remove the temp dir."""
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and stack.server is not None:
        print(stack.server.diagnostics())
    stack.stop_server()
    if os.environ.get("MEETGATE_IT_KEEP") == "1":
        print(f"kept {stack.root}")
        return
    shutil.rmtree(stack.root, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Lets fixtures see whether the test itself failed (pytest's documented recipe)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def stack(request):
    """A rendered config and an empty data directory; no server."""
    stack = _make_stack()
    stack.render()
    yield stack
    _discard(stack, request)


@pytest.fixture
def server_stack(request):
    """A rendered config, its data directory, and Prosody serving it on 127.0.0.1."""
    stack = _make_stack()
    stack.render()
    stack.start_server()
    yield stack
    _discard(stack, request)


@pytest.fixture
def bare_stack(request):
    """A data directory and wrapper, nothing rendered yet."""
    stack = _make_stack()
    yield stack
    _discard(stack, request)
