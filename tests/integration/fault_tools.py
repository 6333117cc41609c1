"""Tools for injecting faults into meetgate's runs: stand-ins for prosodyctl that
hang, die or crawl, a private mount namespace with a small tmpfs, peak memory of a
run, processes left behind, and a check that Prosody account records are whole.

Every wait is bounded and every process is signalled by its own pid.
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time

TIME = "/usr/bin/time"  # Debian's package `time`

# One Prosody 0.12 internal_hashed record as datamanager writes it: a Lua table of
# four fields, closed. A record cut short by a full disk cannot match.
RECORD = re.compile(
    rb'\Areturn \{\n(?:\t\["(?:iteration_count|salt|stored_key|server_key)"\] = '
    rb'(?:\d+|"[^"\n]*");\n){4}\};\n\Z')


def write_script(path, body):
    """An executable /bin/sh script."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


def is_account_record(data):
    """Whether `data` (bytes) is one whole Prosody account record."""
    return RECORD.match(data) is not None


def state_parses(path):
    """The state file's managed accounts {host: set}, or an AssertionError saying why not."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        state = json.loads(raw)
    except ValueError as error:
        raise AssertionError(f"state file does not parse ({error}): {raw[:200]!r}") from None
    assert state.get("version") == 1 and isinstance(state.get("managed"), dict), raw[:200]
    return {host: set(users) for host, users in state["managed"].items()}


class BackgroundSampler:
    """Calls `sample()` every `interval` s on a thread of its own, from start() to
    stop() or within a `with` block; `samples` counts the calls."""

    def __init__(self, interval=0.002):
        self.samples, self.interval = 0, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        raise NotImplementedError

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self.samples += 1
            self._stop.wait(self.interval)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class SourceWitness(BackgroundSampler):
    """Lists Prosody's accounts and reads the state file every few ms in the
    background. `lost`: accounts of `users` that were there once and then missing;
    `unparsed`: state file reads that did not parse (it must always be whole)."""

    def __init__(self, stack, users):
        super().__init__()
        self.stack, self.users = stack, set(users)
        self.lost, self.unparsed, self._present = set(), [], set()

    def sample(self):
        now = self.users & self.stack.accounts()
        self.lost |= self._present - now
        self._present |= now
        try:
            state_parses(self.stack.state_file)
        except FileNotFoundError:
            pass
        except AssertionError as error:
            self.unparsed.append(str(error))


# --- processes ---

def pids_mentioning(marker):
    """Pids whose command line holds `marker` (a str): what a killed meetgate left."""
    needle = marker.encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if needle in f.read():
                    found.append(int(name))
        except OSError:  # gone meanwhile
            pass
    return found


def wait_gone(marker, timeout):
    """Waits until no process mentions `marker`; returns those still there at the end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = pids_mentioning(marker)
        if not left:
            return []
        time.sleep(0.1)
    return pids_mentioning(marker)


def alive(pid):
    """Whether `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def kill_pid(pid):
    """SIGKILL to one pid; quiet when it is gone."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def peak_rss(argv, env, timeout):
    """Runs argv under /usr/bin/time -v: (returncode, stdout bytes, stderr bytes, peak
    resident set in KiB, seconds). Not wait4() from here: a child forked from this
    process counts our own resident set as its peak until it execs."""
    with tempfile.NamedTemporaryFile(mode="r", encoding="utf-8") as report:
        started = time.monotonic()
        result = subprocess.run([TIME, "-v", "-o", report.name, *argv], env=env,
                                stdin=subprocess.DEVNULL, capture_output=True,
                                timeout=timeout)
        took = time.monotonic() - started
        text = report.read()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    assert match, text
    return result.returncode, result.stdout, result.stderr, int(match.group(1)), took


# --- a private mount namespace ---

class MountNamespace:
    """A private mount namespace held open by a sleeping `unshare` child. Commands run
    in it through nsenter; its files are reachable from here as /proc/<pid>/root/...,
    so nothing mounted in it is ever seen by the host. Closing kills the holder by pid,
    and the namespace with its mounts goes with it."""

    def __init__(self, lifetime=600):
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sleep", str(lifetime)],
            stdin=subprocess.DEVNULL)
        own = os.readlink("/proc/self/ns/mnt")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if os.readlink(f"/proc/{self.proc.pid}/ns/mnt") != own:
                    return
            except OSError:
                pass
            time.sleep(0.01)
        self.close()
        raise AssertionError("unshare --mount did not start a namespace within 10 s")

    def run(self, argv, env=None, timeout=120, **kwargs):
        """argv run in the namespace (as root, our environment unless `env`)."""
        return subprocess.run(["nsenter", "-t", str(self.proc.pid), "-m", "--", *argv],
                              env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, **kwargs)

    def sh(self, script, timeout=60):
        result = self.run(["sh", "-ec", script], timeout=timeout, encoding="utf-8")
        assert result.returncode == 0, f"{script}\n{result.stdout}{result.stderr}"
        return result

    def path(self, path):
        """`path` as the namespace sees it, from here."""
        return f"/proc/{self.proc.pid}/root{path}"

    def close(self):
        if self.proc.poll() is None:
            kill_pid(self.proc.pid)
        self.proc.wait(timeout=10)


def fill(path, chunk=65536):
    """Writes zeros to `path` until the file system is full; returns bytes written."""
    written = 0
    with open(path, "wb", buffering=0) as f:
        block = bytes(chunk)
        while True:
            try:
                written += f.write(block)
            except OSError as error:
                if error.errno != 28:  # ENOSPC
                    raise
                if chunk == 1:
                    return written
                block = bytes(max(1, len(block) // 16))
                chunk = len(block)
