"""meetgate run as a container's PID 1, without a container runtime.

`unshare --pid --fork --mount-proc` makes meetgate PID 1 of a new PID namespace; the
tests watch it from outside through the host's /proc (zombies, parents, signal masks)
and signal it by its host pid. Every wait is bounded; teardown SIGKILLs, by pid, only
the processes a test started and their descendants.
"""

import os
import signal
import subprocess
import time

import pytest

from conftest import MEETGATE_BIN
from prosody_server import PROSODY_USER, ProsodyServer, free_port
from xmpp_login import LoginError

UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
SIGTERM_BIT = 1 << (signal.SIGTERM - 1)


def proc_table():
    """{pid: (state, ppid, session)} of every process on the host."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # ended while we looked
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(name)] = (fields[0], int(fields[1]), int(fields[3]))
    return table


def descendants(root):
    """{pid: state} of every process below root."""
    table = proc_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (state, ppid, _) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = state
                frontier.append(pid)
    return found


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")[:-1]
    except OSError:
        return None


def status_field(pid, name):
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split()[1]
    raise AssertionError(f"no {name} in /proc/{pid}/status")


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class Meetgate:
    """One `meetgate run`, as PID 1 of a new namespace or as an ordinary child."""

    def __init__(self, args, env, pid1=True, preexec_fn=None):
        command = [MEETGATE_BIN, "run", *args]
        self.proc = subprocess.Popen(
            (UNSHARE + command) if pid1 else command, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8",
            errors="replace", preexec_fn=preexec_fn)
        self.pid1 = pid1
        self.stdout = self.stderr = ""
        self._pid = None

    @property
    def pid(self):
        """meetgate's host pid, looked up on first use (an exec'd one is gone at once)."""
        if self._pid is None:
            self._pid = self._find_meetgate()
        return self._pid

    def _find_meetgate(self):
        """meetgate's host pid: unshare's forked child, or the process itself."""
        if not self.pid1:
            return self.proc.pid

        def child():
            for pid, (_, ppid, _) in proc_table().items():
                if ppid == self.proc.pid and (cmdline(pid) or [b""])[0] == MEETGATE_BIN.encode():
                    return pid
            return None
        return wait_for(child, what="meetgate to start under unshare")

    def find(self, *argv):
        """Host pid of the descendant whose command line is exactly argv."""
        wanted = [a.encode() for a in argv]
        return wait_for(lambda: next((p for p in descendants(self.pid) if cmdline(p) == wanted),
                                     None), what=f"process {argv}")

    def signal(self, sig):
        os.kill(self.pid, sig)

    def wait(self, timeout=20):
        self.stdout, self.stderr = self.proc.communicate(timeout=timeout)
        return self.proc.returncode

    def kill_all(self):
        """Teardown: SIGKILL what is still running below us, by pid, then reap."""
        if self.proc.poll() is not None:
            return
        for pid in [*descendants(self.proc.pid), self.proc.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.communicate(timeout=10)

    def __str__(self):
        return f"exit {self.proc.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


@pytest.fixture
def run(bare_stack):
    """Starts meetgate run; the env is the stack's (a clean PATH, sanitizer options)."""
    started = []

    def start(*args, pid1=True, env=None, preexec_fn=None):
        meetgate = Meetgate(list(args), env or bare_stack.env(), pid1, preexec_fn)
        started.append(meetgate)
        return meetgate

    start.stack = bare_stack
    yield start
    for meetgate in started:
        meetgate.kill_all()


def ready_file(stack):
    return os.path.join(stack.root, "ready")


def wait_ready(stack):
    wait_for(lambda: os.path.exists(ready_file(stack)), what="CMD to be ready")


# 1
def test_orphaned_grandchildren_are_reaped(run):
    ready = ready_file(run.stack)
    meetgate = run("--", "sh", "-c",
                   f'sh -c "sleep 0.3 & sleep 0.4 &"; touch {ready}; exec sleep 31')
    wait_ready(run.stack)
    cmd = meetgate.find("sleep", "31")

    # The orphans end; afterwards CMD must be all that is left below meetgate.
    wait_for(lambda: set(descendants(meetgate.pid)) == {cmd}, what="orphans to be reaped")
    time.sleep(0.3)
    left = descendants(meetgate.pid)
    meetgate.signal(signal.SIGTERM)

    assert left == {cmd: "S"}
    assert meetgate.wait() == 128 + signal.SIGTERM, str(meetgate)


# 2
def test_sigterm_reaches_cmd_and_its_exit_code_comes_back(run):
    ready = ready_file(run.stack)
    meetgate = run("--", "sh", "-c", f'trap "exit 42" TERM; touch {ready}; sleep 32 & wait')
    wait_ready(run.stack)

    meetgate.signal(signal.SIGTERM)

    assert meetgate.wait() == 42, str(meetgate)
    assert "run_stopping" in meetgate.stderr


# 3
def test_cmd_ignoring_sigterm_is_killed_after_the_grace(run):
    ready = ready_file(run.stack)
    env = run.stack.env(MEETGATE_STOP_GRACE="1s")
    meetgate = run("--", "sh", "-c", f'trap "" TERM; touch {ready}; sleep 33 & wait', env=env)
    wait_ready(run.stack)

    started = time.monotonic()
    meetgate.signal(signal.SIGTERM)
    code = meetgate.wait()
    took = time.monotonic() - started

    assert code == 137, str(meetgate)
    assert 1.0 <= took < 2.0, f"stopped after {took:.2f}s"


# 4
@pytest.mark.parametrize("pid1", [True, False], ids=["pid1", "not-pid1"])
def test_setsid_grandchild_is_gone_after_stop(run, pid1):
    ready = ready_file(run.stack)
    meetgate = run("--", "sh", "-c",
                   f'setsid sh -c \'trap "" TERM; exec sleep 34\' & touch {ready}; wait',
                   pid1=pid1)
    wait_ready(run.stack)
    grandchild = meetgate.find("sleep", "34")
    table = proc_table()
    assert table[grandchild][2] != table[meetgate.pid][2], "setsid made no new session"

    meetgate.signal(signal.SIGTERM)

    assert meetgate.wait() == 128 + signal.SIGTERM, str(meetgate)
    assert not alive(grandchild)


# 5
def test_child_signal_state_is_clean_when_ours_was_not(run):
    def ignore_and_block_sigterm():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})

    meetgate = run("--", "sleep", "35", preexec_fn=ignore_and_block_sigterm)
    cmd = meetgate.find("sleep", "35")
    inherited_mask = int(status_field(meetgate.proc.pid, "SigBlk"), 16)
    inherited_ignored = int(status_field(meetgate.proc.pid, "SigIgn"), 16)

    cmd_mask = int(status_field(cmd, "SigBlk"), 16)
    cmd_ignored = int(status_field(cmd, "SigIgn"), 16)
    meetgate.signal(signal.SIGTERM)

    assert inherited_mask & SIGTERM_BIT and inherited_ignored & SIGTERM_BIT
    assert cmd_mask == 0 and cmd_ignored == 0
    assert meetgate.wait() == 128 + signal.SIGTERM, str(meetgate)


# 6
@pytest.mark.parametrize("how", ["--exec", "MEETGATE_EXEC=1", "CMD named init"])
def test_exec_mode_makes_cmd_pid_1(run, how):
    script = os.path.join(run.stack.root, "init" if how == "CMD named init" else "service")
    with open(script, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\ntr '\\0' ' ' < /proc/1/cmdline; exit 7\n")
    os.chmod(script, 0o755)
    flags = ["--exec"] if how == "--exec" else []
    env = run.stack.env(MEETGATE_EXEC="1" if how == "MEETGATE_EXEC=1" else None)

    meetgate = run(*flags, "--", script, env=env)

    assert meetgate.wait() == 7, str(meetgate)
    assert meetgate.stdout == f"/bin/sh {script} ", str(meetgate)


# 7
def test_not_pid_1_it_is_a_subreaper_and_reaps_orphans(run):
    ready = ready_file(run.stack)
    meetgate = run("--", "sh", "-c", f'sh -c "sleep 1.5 &"; touch {ready}; exec sleep 36',
                   pid1=False)
    wait_ready(run.stack)
    orphan = meetgate.find("sleep", "1.5")
    orphan_parent = proc_table()[orphan][1]

    wait_for(lambda: orphan not in proc_table(), what="the orphan to be reaped")
    meetgate.signal(signal.SIGTERM)

    assert orphan_parent == meetgate.pid
    assert meetgate.wait() == 128 + signal.SIGTERM, str(meetgate)


# 8
@pytest.mark.parametrize("program,code,reason", [
    ("/nonexistent/cmd", 127, "no such file or directory"),
    ("no-such-command-anywhere", 127, "no such file or directory"),
    ("{root}/not-executable", 126, "permission denied"),
])
def test_cmd_that_cannot_run_gives_127_or_126(run, program, code, reason):
    program = program.format(root=run.stack.root)
    with open(os.path.join(run.stack.root, "not-executable"), "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n")  # mode 0644: even root may not exec it

    meetgate = run("--", program)

    assert meetgate.wait() == code, str(meetgate)
    assert f"meetgate: error: cannot run {program}: {reason}\n" in meetgate.stderr


# 8
@pytest.mark.parametrize("case", ["file to patch missing", "unwritable config"])
def test_render_error_gives_2_and_cmd_never_runs(run, case):
    marker = os.path.join(run.stack.root, "cmd-ran")
    if case == "file to patch missing":
        args = ["--layout", "debian", "--root", run.stack.root, "--only", "web"]
        env = run.stack.env()
    else:
        args = ["--only", "prosody"]
        env = run.stack.env(MEETGATE_PROSODY_CONFIG="/dev/null/prosody.cfg.lua")

    meetgate = run(*args, "--", "touch", marker, env=env)

    assert meetgate.wait() == 2, str(meetgate)
    assert not os.path.exists(marker)
    assert "meetgate: error: " in meetgate.stderr


def test_render_happens_before_cmd_starts(run):
    config = run.stack.config

    meetgate = run("--only", "prosody", "--", "test", "-s", config)

    assert meetgate.wait() == 0, str(meetgate)


# 9
def test_users_keeps_accounts_beside_prosody_as_cmd(run):
    """Prosody as CMD, meetgate's watcher beside it: accounts synced once the server is
    up, logins work, a change is applied, and one TERM stops both within the grace."""
    stack = run.stack
    stack.render()
    server = ProsodyServer(stack.root, stack.config, port=free_port())
    server.write_config()
    stack.write_users({"alice": "alice pw", "bob": "bob pw"})
    env = stack.env(MEETGATE_STOP_GRACE="8s", MEETGATE_DEBOUNCE="100ms")
    stack.server = server  # for stack.login; the process is meetgate's child, not ours

    # setpriv execs prosody as the prosody user in its own place (runuser would stay
    # as a parent and answer TERM with 143 of its own).
    meetgate = run("--users", stack.users, "--", "setpriv", f"--reuid={PROSODY_USER}",
                   f"--regid={PROSODY_USER}", "--init-groups", "prosody", "--config",
                   server.config_path, "-F", env=env)

    wait_for(lambda: _logs_in(stack, "alice", "alice pw"), timeout=60,
             what="alice to log in through the server meetgate runs")
    assert _logs_in(stack, "bob", "bob pw")
    stack.write_users({"alice": "alice pw", "bob": "new bob pw"})
    wait_for(lambda: _logs_in(stack, "bob", "new bob pw"), timeout=30, what="bob's new password")
    assert not _logs_in(stack, "bob", "bob pw")

    started = time.monotonic()
    meetgate.signal(signal.SIGTERM)
    assert meetgate.wait(timeout=30) == 0, str(meetgate)
    assert time.monotonic() - started < 8, str(meetgate)
    assert '"event":"watch_stopped"' in meetgate.stderr.replace(" ", ""), str(meetgate)
    assert descendants(meetgate.proc.pid) == {}
    stack.server = None


def _logs_in(stack, user, password):
    try:
        return stack.login(user, password)
    except LoginError:
        return False  # not listening yet


def test_users_with_exec_mode_is_refused(run):
    marker = os.path.join(run.stack.root, "cmd-ran")

    meetgate = run("--exec", "--users", run.stack.users, "--", "touch", marker)

    assert meetgate.wait() == 2, str(meetgate)
    assert not os.path.exists(marker)
    assert "leaving nothing to keep the accounts" in meetgate.stderr
