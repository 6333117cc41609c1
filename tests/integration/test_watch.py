"""meetgate watch as a sidecar: what happens to the users source reaches Prosody.

Each test starts `meetgate watch` with JSON logs, a 100 ms debounce and HTTP on a
free 127.0.0.1 port, follows its stderr as events while it runs, then changes the
users source the way the kubelet, editors, operators and broken mounts do, and
checks Prosody's account files, real XMPP logins, the HTTP endpoints and the logs.
Every wait is bounded; a watch is stopped by its own pid (SIGTERM, and SIGKILL in
teardown when a test failed before it stopped).
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import DOMAIN, MEETGATE_BIN, Run
from fault_tools import BackgroundSampler
from prosody_server import chown_to_prosody, free_port

DEBOUNCE = 0.1  # MEETGATE_DEBOUNCE of every watch here
PAUSE = DEBOUNCE + 0.5  # long enough for a half-written source to be read
APPLY_TIMEOUT = 20.0  # a change, debounced and applied with a few prosodyctl calls
STOP_PROMISE = 2.0  # the contract: exit 0 within 2 s of SIGTERM
STOP_BOUND = 10.0  # how long stop() waits before it calls the watch hung

# No proxy from the environment may carry a request off this host.
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))

START = {"alice": "alice-pw-start", "bob": "bob-pw-start", "carol": "carol-pw-start",
         "dave": "dave-pw-start"}


def users_text(entries):
    return "".join(f"{user}:{password}\n" for user, password in entries.items())


def replace_file(path, text):
    """What editors and `sed -i` do: write a new file beside it, rename it over the old."""
    scratch = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp")
    with open(scratch, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.rename(scratch, path)


def parse_line(line):
    """The JSON object on one stderr line, or None when it is not one."""
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return None
    return event if isinstance(event, dict) else None


def counts_are(**counts):
    """A reconcile_done predicate: these counts exactly (others any)."""
    return lambda event: all(int(event.get(k, -1)) == v for k, v in counts.items())


class Watch:
    """One `meetgate watch` child; its stderr becomes `events` while it runs."""

    def __init__(self, stack, users, **env):
        self.stack = stack
        self.port = free_port()
        self.args = ["watch", "--users", users]
        env = stack.env(**{"MEETGATE_HTTP_ADDR": f"127.0.0.1:{self.port}",
                           "LOG_FORMAT": "json",
                           "MEETGATE_DEBOUNCE": f"{DEBOUNCE * 1000:.0f}ms", **env})
        self.proc = subprocess.Popen(
            [MEETGATE_BIN, *self.args], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines, self.events, self.stdout = [], [], []
        self._changed = threading.Condition()
        self._stderr_done = False
        self._readers = [
            threading.Thread(target=self._follow, args=(self.proc.stderr, self.lines),
                             daemon=True),
            threading.Thread(target=self._follow, args=(self.proc.stdout, self.stdout),
                             daemon=True)]
        for reader in self._readers:
            reader.start()

    def _follow(self, stream, lines):
        for raw in stream:
            line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            with self._changed:
                lines.append(line)
                event = parse_line(line) if lines is self.lines else None
                if event is not None:
                    self.events.append(event)
                self._changed.notify_all()
        with self._changed:
            if lines is self.lines:
                self._stderr_done = True
            self._changed.notify_all()

    # --- events ---

    def mark(self):
        """A position in the event list: a wait `since` it sees only later events."""
        with self._changed:
            return len(self.events)

    def events_named(self, name, since=0):
        with self._changed:
            return [e for e in self.events[since:] if e.get("event") == name]

    def _wait(self, found, timeout, what):
        """found() under the lock, until it returns something or the time is up."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = found()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0 or self._stderr_done:
                    break
                self._changed.wait(min(left, 0.5))
        why = "the watch ended" if self._stderr_done else f"{timeout:.0f} s passed"
        raise AssertionError(f"no {what} ({why})\n{self.tail()}")

    def wait_for_event(self, name, predicate=None, timeout=APPLY_TIMEOUT, since=0):
        """The first event `name` at or after `since` that `predicate` accepts."""
        def found():
            return next((e for e in self.events[since:] if e.get("event") == name
                         and (predicate is None or predicate(e))), None)
        return self._wait(found, timeout, f"matching {name} event")

    def wait_for_count(self, name, count, timeout=APPLY_TIMEOUT, since=0):
        """The events `name` since `since`, once there are at least `count`."""
        def found():
            named = [e for e in self.events[since:] if e.get("event") == name]
            return named if len(named) >= count else None
        return self._wait(found, timeout, f"{count} {name} events")

    def wait_quiet(self, name, quiet, timeout=APPLY_TIMEOUT, since=0):
        """Waits until no event `name` came for `quiet` seconds; returns those since."""
        deadline = time.monotonic() + timeout
        count, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            now_count = len(self.events_named(name, since))
            if now_count != count:
                count, last_change = now_count, time.monotonic()
            elif time.monotonic() - last_change >= quiet:
                return self.events_named(name, since)
            time.sleep(0.05)
        raise AssertionError(f"{name} events kept coming for {timeout:.0f} s\n{self.tail()}")

    def reconciled(self, trigger="change", since=0, timeout=APPLY_TIMEOUT, **counts):
        """The first reconcile_done for `trigger` since `since` with exactly these counts."""
        matches = counts_are(**counts)
        return self.wait_for_event(
            "reconcile_done", lambda e: e.get("trigger") == trigger and matches(e),
            timeout, since)

    def tail(self, lines=40):
        """The end of what the watch wrote, and its exit code once it has one."""
        with self._changed:
            return (f"--- meetgate {' '.join(self.args)}: exit {self.proc.poll()}\n"
                    + "--- stdout (tail)\n" + "\n".join(self.stdout[-lines:])
                    + "\n--- stderr (tail)\n" + "\n".join(self.lines[-lines:]))

    # --- HTTP, on 127.0.0.1 only ---

    def http_get(self, path, timeout=5):
        """(status, body) of GET path; 503 and the like are answers, not errors."""
        try:
            with HTTP.open(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8")
            error.close()
            return error.code, body

    def wait_http(self, path, status, timeout=10.0):
        """The body of `path` once it answers `status`; polled, bounded."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = self.http_get(path)
            except OSError as error:  # URLError too: not listening yet
                last = error
            if isinstance(last, tuple) and last[0] == status:
                return last[1]
            time.sleep(0.05)
        raise AssertionError(f"GET {path}: wanted {status}, last {last!r}\n{self.tail()}")

    def metrics(self):
        status, text = self.http_get("/metrics")
        assert status == 200, text
        return text

    # --- the process ---

    def send(self, sig):
        os.kill(self.proc.pid, sig)

    def stop(self, sig=signal.SIGTERM):
        """Signals the watch by its pid, asserts exit 0; returns seconds it took to exit."""
        started = time.monotonic()
        self.send(sig)
        try:
            self.proc.wait(timeout=STOP_BOUND)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"watch still running {STOP_BOUND:.0f} s after "
                                 f"{sig.name}\n{self.tail()}") from None
        took = time.monotonic() - started
        self._finish()
        assert self.proc.returncode == 0, f"exit {self.proc.returncode}\n{self.tail()}"
        return took

    def kill(self):
        """Teardown: SIGKILL by pid when still running, then reap."""
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        self._finish()

    def _finish(self):
        """Drains the pipes (once) and files the output with the stack, for stack.leaks()."""
        if self.proc.stderr.closed:
            return
        for reader in self._readers:
            reader.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.stack.runs.append(Run(self.args, self.proc.returncode,
                                   "\n".join(self.stdout) + "\n",
                                   "\n".join(self.lines) + "\n", list(self.events)))


@pytest.fixture
def watch(request):
    """start(stack, users=None, **env) -> a running Watch; stragglers SIGKILLed by pid."""
    started = []

    def start(stack, users=None, **env):
        running = Watch(stack, users or stack.users, **env)
        started.append(running)
        return running

    yield start
    report = getattr(request.node, "rep_call", None)
    for running in started:
        if report is not None and report.failed:
            print(running.tail(200))
        running.kill()


class KubeletVolume:
    """A ConfigMap or Secret volume, written step by step as the kubelet's atomic writer
    does: files in a new hidden timestamped directory, `..data_tmp` pointing at it,
    renamed over `..data`, visible names as symlinks to `..data/<name>`, then the old
    directory removed."""

    def __init__(self, directory):
        self.directory = directory
        self.updates = 0
        os.makedirs(directory, exist_ok=True)

    def _path(self, name):
        return os.path.join(self.directory, name)

    def visible(self):
        return {n for n in os.listdir(self.directory) if not n.startswith(".")}

    def write(self, files):
        """files: {name: content}; the volume then holds exactly these."""
        data = self._path("..data")
        old = os.readlink(data) if os.path.islink(data) else None

        # The payload, complete, in a directory nobody looks at yet.
        self.updates += 1
        stamp = f"..2026_12_03_10_00_{self.updates:02d}.{123456789 + self.updates}"
        os.mkdir(self._path(stamp), 0o755)
        for name, content in files.items():
            with open(os.path.join(self._path(stamp), name), "w", encoding="utf-8") as f:
                f.write(content)

        # The switch: one rename makes every file new at once.
        os.symlink(stamp, self._path("..data_tmp"))
        os.rename(self._path("..data_tmp"), data)

        # Visible names for new keys, removal of dropped ones, then the old payload.
        for name in files:
            if not os.path.lexists(self._path(name)):
                os.symlink(os.path.join("..data", name), self._path(name))
        for name in self.visible() - set(files):
            os.unlink(self._path(name))
        if old is not None:
            shutil.rmtree(self._path(old))


class AccountWitness(BackgroundSampler):
    """Lists Prosody's account files every few ms in the background and remembers
    which of `users` it ever found missing."""

    def __init__(self, stack, users):
        super().__init__()
        self.stack, self.users = stack, set(users)
        self.missing = set()

    def sample(self):
        self.missing |= self.users - self.stack.accounts()


def metric(text, name, **labels):
    """The value of sample `name` with exactly `labels` in exposition `text`."""
    values = [s.value for family in text_string_to_metric_families(text)
              for s in family.samples if s.name == name and s.labels == labels]
    assert len(values) == 1, f"{name}{labels}: {values}\n{text}"
    return values[0]


def started(watch, stack, users=None, **env):
    """A watch that has created the START accounts (written first) at start."""
    stack.write_users(START, path=users)
    running = watch(stack, users, **env)
    running.reconciled("start", created=len(START))
    return running


# 1
@pytest.mark.parametrize("layout", ["file", "directory"])
def test_kubernetes_volume_updates_are_applied(server_stack, watch, layout):
    """--users is the volume's users.txt (a symlink through ..data) or the volume
    itself (a Secret: one file per user, the content its password)."""
    volume = KubeletVolume(os.path.join(server_stack.root, "volume"))

    def publish(users):
        if layout == "file":
            volume.write({"users.txt": users_text(users)})
        else:  # a Secret's values rarely end in a newline; one that does loses it
            volume.write({u: p + ("\n" if u == "bob" else "") for u, p in users.items()})

    users = {"alice": "alice-pw-1", "bob": "bob-pw-1", "carol": "carol-pw-1"}
    publish(users)
    path = os.path.join(volume.directory, "users.txt") if layout == "file" else volume.directory
    running = watch(server_stack, path)
    running.reconciled("start", created=3)

    since = running.mark()
    publish({**users, "alice": "alice-pw-2", "dave": "dave-pw-1"})
    running.reconciled(since=since, created=1, updated=1, deleted=0)
    assert server_stack.login("dave", "dave-pw-1")
    assert server_stack.login("alice", "alice-pw-2")
    assert not server_stack.login("alice", "alice-pw-1")

    since = running.mark()
    publish({"alice": "alice-pw-2", "bob": "bob-pw-1", "dave": "dave-pw-1"})
    running.reconciled(since=since, created=0, updated=0, deleted=1)
    assert not server_stack.login("carol", "carol-pw-1")
    assert server_stack.accounts() == {"alice", "bob", "dave"}

    since = running.mark()
    publish({"alice": "alice-pw-2", "bob": "bob-pw-2", "dave": "dave-pw-1"})
    running.reconciled(since=since, created=0, updated=1, deleted=0)
    assert server_stack.login("bob", "bob-pw-2")
    assert not server_stack.login("bob", "bob-pw-1")

    running.stop()
    assert [e["user"] for e in running.events_named("account_deleted")] == ["carol"]
    assert len(volume.visible()) == (1 if layout == "file" else 3)


# 2
def test_editor_replace_and_in_place_rewrite_never_delete(server_stack, watch):
    """An editor's rename and a slow in-place rewrite both pass through states that
    are not the operator's intent. The rename is atomic; the rewrite is read twice
    half-done: truncated (a valid source with no users) and with one of four lines
    (three of four managed accounts gone, over the 50 % guard). Asserted: the guard
    refuses both (it logs delete_guard_tripped, counted in /metrics), no account file
    of the four is missing in any sample taken every few ms, no account_deleted is
    logged, and the finished file is what Prosody ends with."""
    running = started(watch, server_stack)

    with AccountWitness(server_stack, START) as witness:
        since = running.mark()
        replace_file(server_stack.users, users_text({**START, "bob": "bob-pw-edited"}))
        running.reconciled(since=since, updated=1, deleted=0)

        final = {**START, "bob": "bob-pw-edited", "carol": "carol-pw-rewritten"}
        lines = users_text(final).splitlines(keepends=True)
        since = running.mark()
        with open(server_stack.users, "w", encoding="utf-8"):
            pass  # truncated, closed: someone's `> users.txt`
        running.wait_for_event("delete_guard_tripped", since=since)
        time.sleep(PAUSE)
        since = running.mark()
        with open(server_stack.users, "a", encoding="utf-8") as f:
            f.write(lines[0])
        running.wait_for_event("delete_guard_tripped", since=since)
        time.sleep(PAUSE)
        since = running.mark()
        with open(server_stack.users, "a", encoding="utf-8") as f:
            f.write("".join(lines[1:]))
        running.reconciled(since=since, updated=1, deleted=0)

    assert witness.samples > 100 and witness.missing == set()
    assert running.events_named("account_deleted") == []
    assert metric(running.metrics(), "meetgate_delete_guard_trips_total") >= 2
    assert server_stack.login("bob", "bob-pw-edited")
    assert server_stack.login("carol", "carol-pw-rewritten")
    assert server_stack.login("alice", START["alice"])
    running.stop()


# 3
def test_deleted_source_deletes_nobody_until_it_returns(stack, watch):
    """Gone is "not ready", never "no users"; the same file back is ready again."""
    running = started(watch, stack)
    assert running.wait_http("/readyz", 200)
    calls = len(stack.calls())

    since = running.mark()
    os.unlink(stack.users)
    event = running.wait_for_event("source_missing", since=since)
    body = running.wait_http("/readyz", 503)
    time.sleep(PAUSE)
    running.send(signal.SIGHUP)  # a forced reconcile must not read "gone" as "empty"
    time.sleep(PAUSE)

    assert event["path"] == stack.users
    assert body.strip() == f"users source missing: {stack.users}"
    assert stack.accounts() == set(START)
    assert len(stack.calls()) == calls
    assert running.events_named("account_deleted") == []
    assert len(running.events_named("source_missing", since)) == 1

    stack.write_users(START)
    running.wait_http("/readyz", 200)
    assert stack.accounts() == set(START) and len(stack.calls()) == calls
    assert running.events_named("account_deleted") == []
    running.stop()


# 4
def test_a_hundred_quick_writes_end_with_the_last(server_stack, watch):
    """Debounced: few reconciles, and the last write is the one that stays."""
    running = started(watch, server_stack)

    since = running.mark()
    for i in range(100):
        server_stack.write_users({**START, "alice": f"alice-pw-{i:03d}"})
    running.reconciled(since=since)
    done = running.wait_quiet("reconcile_done", quiet=10 * DEBOUNCE, since=since)

    changes = [e for e in done if e.get("trigger") == "change"]
    assert 1 <= len(changes) < 20, done
    assert server_stack.login("alice", "alice-pw-099")
    assert not server_stack.login("alice", "alice-pw-098")
    assert running.events_named("account_deleted") == []
    running.stop()


# 5
def test_watched_directory_removed_and_recreated(server_stack, watch):
    """rm -rf of the directory holding the file, then mkdir and a new file: the watch
    follows the new directory, for this change and the next."""
    config = os.path.join(server_stack.root, "config")
    os.mkdir(config)
    users = os.path.join(config, "users.txt")
    running = started(watch, server_stack, users)

    since = running.mark()
    shutil.rmtree(config)
    running.wait_for_event("source_missing", since=since)
    os.mkdir(config)
    server_stack.write_users({**START, "erin": "erin-pw-1"}, path=users)
    running.reconciled(since=since, created=1, deleted=0)

    since = running.mark()
    server_stack.write_users({**START, "erin": "erin-pw-2"}, path=users)
    running.reconciled(since=since, updated=1, deleted=0)

    assert server_stack.login("erin", "erin-pw-2")
    assert server_stack.accounts() == set(START) | {"erin"}
    running.wait_http("/readyz", 200)
    running.stop()


# 6
def test_polling_mode_applies_changes(server_stack, watch):
    """MEETGATE_WATCH=poll, for file systems without inotify: a write, then a rename."""
    running = started(watch, server_stack, MEETGATE_WATCH="poll",
                      MEETGATE_POLL_INTERVAL="200ms")

    since = running.mark()
    server_stack.write_users({**START, "erin": "erin-pw-1"})
    running.reconciled(since=since, created=1)
    since = running.mark()
    replace_file(server_stack.users, users_text({**START, "erin": "erin-pw-2"}))
    running.reconciled(since=since, updated=1)

    assert running.events_named("watch_started")[0]["mode"] == "poll"
    assert server_stack.login("erin", "erin-pw-2")
    running.stop()


# 7
def test_endpoints_metrics_and_logs_through_the_life_cycle(stack, watch):
    """Probes before the source exists, once it is applied, while it is invalid and
    once fixed; then /metrics through a real Prometheus parser, and the logs: JSON on
    every line, no password anywhere, no username in /metrics."""
    users = {"alice": "alice-secret-71", "bob": "bob-secret-72", "carol": "carol-secret-73"}
    bad = ["alice:alice-secret-71", "bad user:bad-secret-74", "no colon here"]
    running = watch(stack)
    listening = running.wait_for_event("http_listening")

    assert running.wait_http("/livez", 200)
    # Until the first read /readyz says 503 "not read yet": wait for the read to be done.
    running.wait_for_event("source_missing")
    assert running.wait_http("/readyz", 503).strip() == f"users source missing: {stack.users}"
    assert running.http_get("/healthz")[0] == 503

    since = running.mark()
    stack.write_users(users)
    running.wait_for_event("reconcile_done", counts_are(created=3), since=since)
    assert running.wait_http("/readyz", 200)
    assert running.http_get("/healthz")[0] == 200
    calls = len(stack.calls())

    since = running.mark()
    stack.write_users(bad)
    invalid = running.wait_for_event("source_invalid", since=since)
    reason = running.wait_http("/readyz", 503)
    assert running.http_get("/livez")[0] == 200
    assert stack.accounts() == set(users) and len(stack.calls()) == calls

    stack.write_users(users)
    running.wait_http("/readyz", 200)
    text = running.metrics()
    assert running.http_get("/no-such-path")[0] == 404
    running.stop()

    assert listening["address"] == "127.0.0.1" and int(listening["port"]) == running.port
    assert invalid["path"] == stack.users
    assert reason.startswith(f"users source invalid: {stack.users}:"), reason
    assert metric(text, "meetgate_reconciles_total", result="ok") >= 1
    assert metric(text, "meetgate_reconciles_total", result="invalid_source") >= 1
    assert metric(text, "meetgate_source_errors_total") >= 1
    assert metric(text, "meetgate_desired_accounts") == 3
    assert metric(text, "meetgate_managed_accounts") == 3
    assert metric(text, "meetgate_prosodyctl_calls_total", operation="create", result="ok") == 3
    assert metric(text, "meetgate_last_success_timestamp_seconds") > time.time() - 600
    assert [s.labels.keys() for f in text_string_to_metric_families(text)
            for s in f.samples if s.name == "meetgate_build_info"] == [{"version"}]
    assert not [u for u in [*users, "bad user"] if u in text]
    assert [line for line in running.lines if parse_line(line) is None] == []
    assert all({"event", "level"} <= e.keys() for e in running.events)
    assert stack.leaks([*users.values(), "bad-secret-74"]) == []


# 8
def test_sigterm_during_a_large_reconcile(stack, watch):
    """One call at a time, 300 to make: SIGTERM after a few. The call in flight ends,
    the rest waits for the next start, which a plain sync then does."""
    users = {f"user{i:03d}": f"password-{i:03d}" for i in range(300)}
    stack.write_users(users)
    running = watch(stack, MEETGATE_JOBS="1")
    running.wait_for_count("account_created", 3)

    took = running.stop()

    assert took < STOP_PROMISE, f"exit {took:.2f} s after SIGTERM\n{running.tail()}"
    assert running.events_named("watch_stopped")
    created = {e["user"] for e in running.events_named("account_created")}
    [done] = running.events_named("reconcile_done")
    assert stack.accounts() == created and int(done["created"]) == len(created)
    assert int(done["skipped"]) == len(users) - len(created) > 0, done
    assert created <= set(stack.state()["managed"].get(DOMAIN, []))

    finish = stack.sync()

    assert finish.returncode == 0, str(finish)
    assert stack.accounts() == set(users)
    assert finish.summary["created"] == len(users) - len(created)
    assert finish.summary["failed"] == 0


# 9
def test_sighup_reconciles_now(stack, watch):
    """A reconcile on demand repairs drift the file watch cannot see."""
    running = started(watch, stack)
    result = stack.prosodyctl("unregister", "bob", DOMAIN)
    assert result.returncode == 0, result.stdout + result.stderr

    since = running.mark()
    running.send(signal.SIGHUP)
    running.reconciled("signal", since=since, created=1, deleted=0)

    assert stack.accounts() == set(START)
    running.stop()


def test_data_directory_missing_at_start_is_waited_for(stack, watch):
    """The server container may create its volume after meetgate starts: not ready and
    retried with backoff, then synced as soon as the directory is there."""
    stack.write_users(START)
    data = os.path.join(stack.root, "data-later")

    running = watch(stack, MEETGATE_DATA_PATH=data)
    waiting = running.wait_for_event("data_directory_waiting")
    body = running.wait_http("/readyz", 503)
    os.makedirs(data)
    chown_to_prosody(data)

    running.reconciled("retry", created=len(START))
    assert waiting["path"] == data
    assert body.startswith("waiting for Prosody's data directory")
    assert running.wait_http("/readyz", 200)
    assert stack.accounts(data=data) == set(START)
    running.stop()


def test_a_second_sigterm_during_the_stop_still_exits_0(stack, watch):
    """An impatient `docker stop` repeats the signal: the stop goes on, exit stays 0."""
    stack.write_users({f"user{i:03d}": f"password-{i:03d}" for i in range(100)})
    running = watch(stack, MEETGATE_JOBS="1")
    running.wait_for_count("account_created", 2)

    running.send(signal.SIGTERM)
    took = running.stop()  # the second TERM

    assert took < STOP_PROMISE, f"exit {took:.2f} s after SIGTERM\n{running.tail()}"
    assert len(running.events_named("watch_stopping")) == 1
    assert running.events_named("watch_stopped")
