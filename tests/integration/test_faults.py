"""Faults injected into meetgate's runs against real Prosody: SIGKILL at random
points, read-only data, a hung or killed prosodyctl, a full disk, a second meetgate,
huge users sources. Each checks that no account is lost, every file stays whole,
the state says what happened and failures say why.

MEETGATE_FAULT_SEED=N repeats the random kill points of a failed run (it is printed).
"""

import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import AUTH_DOMAIN, DOMAIN, MEETGATE_BIN, Run, parse_events, storage_encode
from fault_tools import (MountNamespace, SourceWitness, alive, fill, is_account_record, kill_pid,
                         peak_rss, pids_mentioning, state_parses, wait_gone, write_script)
from prosody_server import chown_to_prosody
from test_watch import watch  # noqa: F401  (a fixture)

SERVICES = {"MEETGATE_SERVICE_ACCOUNTS": "1", "JICOFO_AUTH_PASSWORD": "focus-pw-1",
            "JVB_AUTH_PASSWORD": "jvb-pw-1"}


def accounts_dir(stack, host=DOMAIN):
    return os.path.join(stack.data, storage_encode(host), "accounts")


def seed_managed(stack, names, password):
    """Accounts `names` with one password, managed by meetgate: copies of one record
    prosodyctl wrote, then adopted (no call each, so hundreds take a second)."""
    stack.register("template", DOMAIN, password)
    directory = accounts_dir(stack)
    template = os.path.join(directory, "template.dat")
    for name in names:
        shutil.copy2(template, os.path.join(directory, f"{name}.dat"))
        chown_to_prosody(os.path.join(directory, f"{name}.dat"))
    os.unlink(template)
    stack.write_users({name: password for name in names})
    run = stack.sync()
    assert run.returncode == 0 and run.summary["adopted"] == len(names), str(run)


def managed(stack, host=DOMAIN):
    return state_parses(stack.state_file).get(host, set())


def leftovers(directory):
    """Temp and scratch files a write left behind: meetgate's .<name>.XXXXXX, Prosody's
    <user>.dat~."""
    found = []
    for parent, _, names in os.walk(directory):
        found += [os.path.join(parent, n) for n in names
                  if n.endswith(".dat~") or (n.startswith(".") and n[-7:-6] == ".")]
    return found


# 1
KILLS = 30
EARLY = 0.6  # s after start: start-up, lock, the state, 250 records read and checked
MID_APPLY = b'"event":"account_'  # logged as each account is changed


def wait_for_log(path, text, count, proc, timeout):
    """Until `text` is `count` times in the file at `path`, the process ended or
    `timeout` passed."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        with open(path, "rb") as f:
            if f.read().count(text) >= count:
                return
        time.sleep(0.005)


def test_sigkill_at_random_points_loses_no_account_and_converges(stack):
    """250 managed accounts, a source that keeps 100, updates 100, creates 100 and
    drops 50 (interleaved by name); sync SIGKILLed 30 times, restarted each time: a
    third of the kills at a random time early on, the rest after a random count (1 to 8)
    of accounts changed, so the loop never runs out of work. Watched all along: an account of the source,
    once there, never goes missing (not even for a few ms); the state always parses."""
    seed = int(os.environ.get("MEETGATE_FAULT_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    # Each kind of change spread over the alphabet, the plan's order.
    names = [f"user{i:03d}" for i in range(350)]
    gone = names[::7]
    staying = [name for name in names if name not in gone]
    unchanged, updated = staying[0::3], staying[1::3]  # the third left is created
    seed_managed(stack, unchanged + updated + gone, "old-shared-pw")
    source = {name: "old-shared-pw" if name in unchanged else f"new-pw-{name}"
              for name in staying}
    stack.write_users(source)
    kept = set(unchanged + updated)
    env = stack.env(MEETGATE_JOBS="2")
    logs = os.path.join(stack.root, "killed")
    os.mkdir(logs)

    killed, in_calls, orphans, kinds = 0, 0, set(), set()
    with SourceWitness(stack, source) as witness:
        for n in range(KILLS):
            log_path = os.path.join(logs, f"{n:02d}.log")
            with open(log_path, "wb") as log:
                proc = subprocess.Popen([MEETGATE_BIN, "sync", "--users", stack.users], env=env,
                                        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if n % 3:
                wait_for_log(log_path, MID_APPLY, rng.randint(1, 8), proc, timeout=30)
            try:
                proc.wait(timeout=rng.uniform(0, 0.05 if n % 3 else EARLY))
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                killed += 1
                orphans |= set(pids_mentioning(stack.config))
            with open(log_path, "rb") as log:
                changes = set(re.findall(rb'"event":"(account_[a-z]+)"', log.read()))
            in_calls += bool(changes)
            kinds |= changes

            where = f"after kill {n} (MEETGATE_FAULT_SEED={seed})"
            assert kept <= stack.accounts() and kept <= managed(stack), where
            assert witness.lost == set() and witness.unparsed == [], where
        left = wait_gone(stack.root, 60)  # calls a killed meetgate had started
    converge = stack.sync(env=env)
    again = stack.sync(env=env)

    print(f"seed {seed}: {killed} of {KILLS} runs killed, {in_calls} while changing accounts "
          f"({b', '.join(sorted(kinds)).decode()}), "
          f"{len(orphans)} prosodyctl processes outlived them, {witness.samples} samples; "
          f"then {converge.summary}")
    assert left == [], f"still running 60 s after the last kill: {left}"
    assert killed == KILLS and in_calls >= KILLS * 2 // 3, f"seed {seed}"
    assert kinds == {b"account_created", b"account_updated", b"account_deleted"}, kinds
    assert witness.lost == set() and witness.unparsed == []
    assert converge.returncode == 0, str(converge)
    assert converge.summary["calls"] > 0  # the kills left it work to finish
    assert again.returncode == 0 and again.summary["unchanged"] == len(source), str(again)
    assert again.summary["calls"] == 0
    assert stack.accounts() == set(source)
    assert managed(stack) == set(source)
    assert leftovers(stack.data) == []


# 2
def synced_with_services(stack):
    stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1", "carol": "carol-pw-1"})
    run = stack.sync(env=stack.env(**SERVICES))
    assert run.returncode == 0 and run.summary["created"] == 5, str(run)
    stack.clear_calls()


def test_read_only_accounts_directory_fails_its_host_only(stack):
    """The main host's accounts directory not writable by the prosody user: its
    create, update and delete fail saying so; the auth host's accounts apply; the
    state keeps exactly what is there."""
    synced_with_services(stack)
    directory = accounts_dir(stack)
    before = stack.snapshot()
    os.chmod(directory, 0o555)
    stack.write_users({"alice": "alice-pw-2", "bob": "bob-pw-1", "dave": "dave-pw-1"})
    env = stack.env(**{**SERVICES, "JVB_AUTH_PASSWORD": "jvb-pw-2",
                       "JIGASI_XMPP_PASSWORD": "jigasi-pw-1"})

    try:
        run = stack.sync(env=env)
    finally:
        os.chmod(directory, 0o750)

    assert run.returncode == 1, str(run)
    assert (run.summary["created"], run.summary["updated"], run.summary["failed"]) == (1, 1, 3)
    failed = {e["user"]: e for e in run.events_named("operation_failed")}
    assert set(failed) == {"alice", "carol", "dave"}
    for user, event in failed.items():
        assert f"{directory}/{user}.dat~: Permission denied" in event["reason"], event
        assert f"meetgate: error: {user}@{DOMAIN}: " in run.stderr
    assert {e["user"] for e in run.events_named("account_created")} == {"jigasi"}
    assert {e["user"] for e in run.events_named("account_updated")} == {"jvb"}
    assert managed(stack) == {"alice", "bob", "carol"}
    assert managed(stack, AUTH_DOMAIN) == {"focus", "jvb", "jigasi"}
    assert stack.accounts() == {"alice", "bob", "carol"}
    main_host = storage_encode(DOMAIN) + "/"
    assert {k: v for k, v in stack.snapshot().items() if k.startswith(main_host)} == {
        k: v for k, v in before.items() if k.startswith(main_host)}

    repaired = stack.sync(env=env)

    assert repaired.returncode == 0, str(repaired)
    assert (repaired.summary["created"], repaired.summary["updated"],
            repaired.summary["deleted"]) == (1, 1, 1)
    assert stack.accounts() == {"alice", "bob", "dave"} == managed(stack)


def test_account_file_unreadable_to_prosody_fails_only_its_delete(stack):
    """carol's and bob's records left root's and mode 000 (prosodyctl once run as root
    without switching users): deleting carol fails saying why and she stays managed;
    bob's update replaces his record; the rest applies."""
    synced_with_services(stack)
    for user in ("bob", "carol"):
        path = os.path.join(accounts_dir(stack), f"{user}.dat")
        os.chown(path, 0, 0)
        os.chmod(path, 0)
    stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-2", "dave": "dave-pw-1"})

    run = stack.sync(env=stack.env(**SERVICES))

    assert run.returncode == 1, str(run)
    [event] = run.events_named("operation_failed")
    assert (event["operation"], event["user"]) == ("delete", "carol"), event
    assert f"{accounts_dir(stack)}/carol.dat: Permission denied" in event["reason"]
    assert (run.summary["created"], run.summary["updated"], run.summary["failed"]) == (1, 1, 1)
    assert stack.accounts() == {"alice", "bob", "carol", "dave"}
    assert managed(stack) == {"alice", "bob", "carol", "dave"}
    assert os.stat(os.path.join(accounts_dir(stack), "bob.dat")).st_uid != 0


def test_read_only_data_directory_changes_nothing_and_says_why(stack):
    """The whole data directory on a read-only mount (as root sees it too): the
    reconcile stops before any call and names the file system as the reason."""
    synced_with_services(stack)
    before = stack.snapshot()
    stack.write_users({"alice": "alice-pw-2", "dave": "dave-pw-1"})
    namespace = MountNamespace()
    try:
        namespace.sh(f"mount --bind '{stack.data}' '{stack.data}'\n"
                     f"mount -o remount,bind,ro '{stack.data}'")
        result = namespace.run([MEETGATE_BIN, "sync", "--users", stack.users],
                               env=stack.env(**SERVICES), encoding="utf-8")
    finally:
        namespace.close()

    assert result.returncode == 1, result.stdout + result.stderr
    assert (f"meetgate: error: open {stack.data}/meetgate.lock: read-only file system"
            in result.stderr), result.stderr
    assert stack.calls() == []
    assert stack.snapshot() == before


# 3
def stalling_prosodyctl(stack):
    """prosodyctl that hangs for user "hangs" (its pid noted), dies of SIGKILL for
    user "dies", and is the recording wrapper for everyone else."""
    pids = os.path.join(stack.root, "hung-pids")
    path = os.path.join(stack.root, "bin", "prosodyctl-stalling")
    write_script(path, f'case " $* " in\n'
                       f'  *" hangs "*) echo $$ >> {pids}; exec sleep 600;;\n'
                       f'  *" dies "*) kill -KILL $$;;\n'
                       f'esac\nexec {stack.wrapper} "$@"\n')
    return path, pids


def hung_pids(pids):
    with open(pids, encoding="utf-8") as f:
        return [int(line) for line in f.read().split()]


def test_hung_or_killed_prosodyctl_is_reported_and_the_watch_lives_on(stack, watch):  # noqa: F811
    program, pids = stalling_prosodyctl(stack)
    stack.write_users({"alice": "alice-pw-1", "hangs": "hangs-pw-1", "dies": "dies-pw-1"})

    running = watch(stack, MEETGATE_PROSODYCTL=program, MEETGATE_PROSODYCTL_TIMEOUT="2s",
                    MEETGATE_BACKEND="offline", MEETGATE_JOBS="1")
    deadline = time.monotonic() + 30
    while not os.path.exists(pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    live_while_hung = running.http_get("/livez")[0]  # the call hangs right now
    first = running.reconciled("start", created=1, failed=2, timeout=30)

    failed = {e["user"]: e["reason"] for e in running.events_named("operation_failed")}
    assert failed["hangs"] == "prosodyctl timed out after 2s"
    assert failed["dies"] == "prosodyctl killed by signal 9"
    assert int(first["duration_ms"]) >= 2000
    assert [pid for pid in hung_pids(pids) if alive(pid)] == []
    assert live_while_hung == 200
    assert running.http_get("/livez")[0] == 200

    since = running.mark()
    stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1"})
    running.wait_for_event("reconcile_done",
                           lambda e: int(e["created"]) == 1 and int(e["failed"]) == 0,
                           since=since, timeout=30)
    metrics = running.metrics()
    running.stop()

    assert stack.accounts() == {"alice", "bob"}
    assert ('meetgate_prosodyctl_calls_total{operation="create",result="failed"}'
            in metrics), metrics
    assert [pid for pid in hung_pids(pids) if alive(pid)] == []


def test_hung_prosodyctl_times_out_a_sync_within_its_bound(stack):
    program, pids = stalling_prosodyctl(stack)
    stack.write_users({"alice": "alice-pw-1", "hangs": "hangs-pw-1"})

    started = time.monotonic()
    run = stack.sync(env=stack.env(MEETGATE_PROSODYCTL=program, MEETGATE_BACKEND="offline",
                                   MEETGATE_PROSODYCTL_TIMEOUT="1500ms"))
    took = time.monotonic() - started

    assert run.returncode == 1, str(run)
    assert (run.summary["created"], run.summary["failed"]) == (1, 1)
    assert f"meetgate: error: hangs@{DOMAIN}: prosodyctl timed out after 1500ms" in run.stderr
    assert 1.5 <= took < 20, took
    assert [pid for pid in hung_pids(pids) if alive(pid)] == []
    assert managed(stack) == {"alice"}


def first_pid_noted(path, timeout=30):
    """The first pid a wrapper wrote (a whole line) to `path`, once it is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if text.endswith("\n"):
                return int(text.split()[0])
        time.sleep(0.02)
    raise AssertionError(f"no pid in {path} after {timeout} s")


def uid_of(pid):
    """The real uid of `pid` (its status file), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Uid:"))
    except OSError:
        return None


def killed_meetgate_sync(stack, program, pids):
    """`meetgate sync` with `program` as prosodyctl, SIGKILLed once the call's pid is
    noted. Returns the call's pid."""
    proc = subprocess.Popen([MEETGATE_BIN, "sync", "--users", stack.users],
                            env=stack.env(MEETGATE_PROSODYCTL=program, MEETGATE_BACKEND="offline"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        return first_pid_noted(pids)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_sigkilled_meetgate_takes_its_prosodyctl_calls_with_it(stack):
    """A call still running after meetgate died would write accounts with the data
    lock already free: another meetgate could take it and interleave. The kernel
    kills the calls of a meetgate that died (PR_SET_PDEATHSIG)."""
    program, pids = stalling_prosodyctl(stack)
    stack.write_users({"hangs": "hangs-pw-1"})

    hung = killed_meetgate_sync(stack, program, pids)
    try:
        deadline = time.monotonic() + 1
        while alive(hung) and time.monotonic() < deadline:
            time.sleep(0.01)
        still_alive = alive(hung)
    finally:
        kill_pid(hung)

    assert not still_alive, "the hung prosodyctl outlived its meetgate by over 1 s"


def test_data_lock_is_held_until_the_last_call_of_a_killed_meetgate_ends(stack):
    """prosodyctl run as root switches to Prosody's user, and that change of
    credentials cancels PR_SET_PDEATHSIG: such a call can outlive a SIGKILLed meetgate.
    It holds the data lock meanwhile (inherited), so no other meetgate interleaves."""
    nobody = 65534
    pids = os.path.join(stack.root, "orphan-pids")
    program = write_script(os.path.join(stack.root, "bin", "prosodyctl-setuid"),
                           f'echo $$ >> {pids}.tmp && mv {pids}.tmp {pids}\n'
                           f'exec setpriv --reuid={nobody} --regid={nobody} --clear-groups '
                           'sleep 600\n')
    stack.write_users({"alice": "alice-pw-1"})
    proc = subprocess.Popen([MEETGATE_BIN, "sync", "--users", stack.users],
                            env=stack.env(MEETGATE_PROSODYCTL=program, MEETGATE_BACKEND="offline"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    orphan = None
    try:
        orphan = first_pid_noted(pids)
        deadline = time.monotonic() + 10
        while uid_of(orphan) not in (nobody, None) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert uid_of(orphan) == nobody, "setpriv did not change the call's user"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(0.2)
        assert alive(orphan), "the call died with meetgate: nothing left to hold the lock"

        with open(os.path.join(stack.data, "meetgate.lock"), "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                taken_while_orphan_ran = True
            except BlockingIOError:
                taken_while_orphan_ran = False
            kill_pid(orphan)
            deadline = time.monotonic() + 5
            while alive(orphan) and time.monotonic() < deadline:
                time.sleep(0.01)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once it is gone
    finally:
        kill_pid(proc.pid)
        proc.wait(timeout=10)
        if orphan is not None:
            kill_pid(orphan)

    assert not taken_while_orphan_ran, "the data lock was free while a call still ran"


# 4
class FullDisk:
    """The data and config directories on one small tmpfs, bind-mounted over their
    own paths in a private mount namespace; `filler` takes the free space."""

    def __init__(self, stack, size="512k"):
        self.stack = stack
        self.config_dir = os.path.dirname(stack.config)
        self.volume = os.path.join(stack.root, "volume")
        os.mkdir(self.volume)
        self.namespace = MountNamespace()
        self.namespace.sh(
            f"mount -t tmpfs -o size={size},mode=0755 meetgate-full '{self.volume}'\n"
            f"cp -a '{stack.data}' '{self.volume}/data'\n"
            f"cp -a '{self.config_dir}' '{self.volume}/config'\n"
            f"mount --bind '{self.volume}/data' '{stack.data}'\n"
            f"mount --bind '{self.volume}/config' '{self.config_dir}'")
        self.filler = self.namespace.path(f"{self.volume}/filler")

    def path(self, path):
        return self.namespace.path(path)

    def fill(self):
        fill(self.filler)

    def free(self, pages=None):
        """Frees `pages` of 4 KiB (all the filler when None)."""
        size = os.path.getsize(self.filler)
        keep = 0 if pages is None else max(0, (size + 4095) // 4096 - pages) * 4096
        os.truncate(self.filler, keep)

    def files(self):
        """{path: bytes} of every file in the data and config directories, as mounted."""
        files = {}
        for top in (self.stack.data, self.config_dir):
            for parent, _, names in os.walk(self.path(top)):
                for name in names:
                    with open(os.path.join(parent, name), "rb") as f:
                        files[os.path.join(parent, name)[len(self.path("")):]] = f.read()
        return files

    def sync(self, **env):
        argv = [MEETGATE_BIN, "sync", "--users", self.stack.users]
        result = self.namespace.run(argv, env=self.stack.env(**env), encoding="utf-8",
                                    errors="surrogateescape")
        run = Run(argv[1:], result.returncode, result.stdout, result.stderr,
                  parse_events(result.stderr))
        self.stack.runs.append(run)
        return run

    def close(self):
        self.namespace.close()


@pytest.fixture
def full_disk(stack):
    stack.write_users({u: f"{u}-pw-1" for u in ("alice", "bob", "carol", "dave")})
    assert stack.sync().returncode == 0
    stack.clear_calls()
    disk = FullDisk(stack)
    yield disk
    disk.close()


def test_full_disk_fails_the_state_write_cleanly(stack, full_disk):
    before = full_disk.files()
    full_disk.fill()
    stack.write_users({"alice": "alice-pw-2", "bob": "bob-pw-1", "carol": "carol-pw-1",
                       "dave": "dave-pw-1", "erin": "erin-pw-1"})

    run = full_disk.sync()

    assert run.returncode == 1, str(run)
    assert (f"meetgate: error: write {stack.state_file}: no space left on device"
            in run.stderr), str(run)
    assert stack.calls() == []
    assert full_disk.files() == before


def test_full_disk_fails_the_config_write_cleanly(stack, full_disk):
    stale = open(full_disk.path(stack.config), encoding="utf-8").read() + "-- older render\n"
    with open(full_disk.path(stack.config), "w", encoding="utf-8") as f:
        f.write(stale)
    before = full_disk.files()
    full_disk.fill()

    run = full_disk.sync()

    assert run.returncode == 1, str(run)
    assert f"meetgate: error: write {stack.config}: no space left on device" in run.stderr, \
        str(run)
    assert stack.calls() == []
    assert full_disk.files() == before


def test_disk_full_midway_keeps_every_file_whole_and_recovers(stack, full_disk):
    """One page free: the write-ahead state fits, some records do, the rest and the
    final state write fail; every record and the state stay whole (old or new)."""
    before = {path: data for path, data in full_disk.files().items() if path.endswith(".dat")}
    full_disk.fill()
    full_disk.free(pages=1)
    wanted = {"alice": "alice-pw-2", "bob": "bob-pw-2", "carol": "carol-pw-1",
              "dave": "dave-pw-1", "erin": "erin-pw-1", "frank": "frank-pw-1", "gina": "gina-pw-1"}
    stack.write_users(wanted)

    squeezed = full_disk.sync(MEETGATE_JOBS="1")
    files = full_disk.files()
    records = {path: data for path, data in files.items() if path.endswith(".dat")}
    full_disk.free()
    recovered = full_disk.sync()
    again = full_disk.sync()

    print(f"one page free: {len(squeezed.events_named('account_created'))} created, "
          f"{len(squeezed.events_named('account_updated'))} updated, "
          f"{len(squeezed.events_named('operation_failed'))} failed")
    assert squeezed.returncode == 1, str(squeezed)
    assert squeezed.events_named("operation_failed"), str(squeezed)
    for event in squeezed.events_named("operation_failed"):
        assert "No space left on device" in event["reason"], event
    assert f"meetgate: error: write {stack.state_file}: no space left on device" in squeezed.stderr
    # The final state write failed after the calls: what they did is still reported.
    applied = squeezed.summary
    assert applied["failed"] == len(squeezed.events_named("operation_failed")), str(squeezed)
    assert applied["created"] + applied["updated"] + applied["failed"] == applied["calls"]
    assert set(before) <= set(records)
    assert [p for p, data in records.items() if not is_account_record(data)] == []
    written = {os.path.basename(p)[:-4] for p in records}
    assert written <= state_parses(full_disk.path(stack.state_file))[DOMAIN]
    assert leftovers(full_disk.path(stack.data)) == []
    assert recovered.returncode == 0, str(recovered)
    assert again.summary["unchanged"] == len(wanted) and again.summary["calls"] == 0
    assert stack.accounts(data=full_disk.path(stack.data)) == set(wanted)


# 5
def call_log_prosodyctl(stack, delay):
    """prosodyctl that notes "start|end <meetgate pid> <time>" around each call, and
    takes `delay` seconds longer than the real one."""
    log = os.path.join(stack.root, "call-times")
    path = os.path.join(stack.root, "bin", "prosodyctl-timed")
    write_script(path, f'echo "start $PPID $(date +%s.%N)" >> {log}\n'
                       f'sleep {delay}\n'
                       f'{stack.wrapper} "$@"; status=$?\n'
                       f'echo "end $PPID $(date +%s.%N)" >> {log}\n'
                       f'exit $status\n')
    return path, log


def call_times(log):
    """{pid: (first start, last end)} of the calls each meetgate made."""
    spans = {}
    with open(log, encoding="utf-8") as f:
        for line in f:
            what, pid, when = line.split()
            first, last = spans.get(int(pid), (float("inf"), 0.0))
            when = float(when)
            spans[int(pid)] = (min(first, when), last) if what == "start" else (first,
                                                                                 max(last, when))
    return spans


def test_second_meetgate_waits_for_the_first(stack):
    program, log = call_log_prosodyctl(stack, 0.3)
    first_users = {f"user{i}": f"password-{i}" for i in range(8)}
    second_users = os.path.join(stack.root, "users-second.txt")
    stack.write_users({**first_users, "late": "late-pw-1"}, path=second_users)
    stack.write_users(first_users)
    env = stack.env(MEETGATE_PROSODYCTL=program, MEETGATE_BACKEND="offline", MEETGATE_JOBS="1")

    first = subprocess.Popen([MEETGATE_BIN, "sync", "--users", stack.users], env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not (os.path.exists(log) and os.path.getsize(log)) and time.monotonic() < deadline:
        time.sleep(0.02)
    second = stack.sync(env=env, users=second_users)
    first_out, first_err = first.communicate(timeout=60)

    spans = call_times(log)
    [second_pid] = set(spans) - {first.pid}

    assert first.returncode == 0, first_err.decode()
    assert b"sync: 8 created" in first_out
    assert second.returncode == 0, str(second)
    assert second.events_named("lock_wait"), str(second)
    assert (second.summary["created"], second.summary["unchanged"]) == (1, 8)
    assert spans[first.pid][1] < spans[second_pid][0], spans


def test_second_meetgate_gives_up_with_the_lock_message(stack):
    """The lock held past meetgate's 30 s wait (by this test, as another meetgate
    would): it refuses, names the lock and says what to do, and calls nothing."""
    stack.write_users({"alice": "alice-pw-1"})
    lock_path = os.path.join(stack.data, "meetgate.lock")

    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.monotonic()
        run = stack.sync()
        took = time.monotonic() - started

    assert run.returncode == 1, str(run)
    assert (f"meetgate: error: {lock_path} is locked by another meetgate reconciling this "
            "data directory: stop it, or wait") in run.stderr
    assert run.events_named("lock_wait")
    assert 29 < took < 60, took
    assert stack.calls() == [] and stack.accounts() == set()


# 6
def sanitized():
    """Whether MEETGATE_BIN is built with AddressSanitizer (its RSS is several times
    higher: shadow memory, redzones, a quarantine of freed blocks)."""
    with open(MEETGATE_BIN, "rb") as f:
        return b"__asan_init" in f.read()


def measured(stack, *args):
    returncode, out, err, rss_kib, took = peak_rss([MEETGATE_BIN, *args], stack.env(),
                                                   timeout=300)
    return returncode, out.decode("utf-8", "replace"), err, rss_kib // 1024, took


def test_hundred_thousand_users_are_checked_and_planned_in_bounded_memory(stack):
    stack.write_users([f"user{i:06d}:password-{i:06d}" for i in range(100_000)])
    bound = 600 if sanitized() else 120  # MiB, for a 2.7 MB file

    checked = measured(stack, "check", "--users", stack.users)
    planned = measured(stack, "sync", "--dry-run", "--users", stack.users)

    print(f"100,000 lines: check {checked[3]} MiB in {checked[4]:.1f} s, "
          f"dry run {planned[3]} MiB in {planned[4]:.1f} s")
    assert checked[0] == 0, checked[2][-2000:]
    assert planned[0] == 0, planned[2][-2000:]
    assert planned[1].strip().splitlines()[-1] == (
        "plan: 100000 create, 0 update, 0 delete, 0 adopt, 0 unchanged, 0 left alone")
    assert checked[3] < bound and planned[3] < bound
    assert stack.calls() == []


@pytest.mark.parametrize("name", ["users.txt", "users.json"])
def test_fifty_megabytes_of_random_bytes_are_rejected_in_bounded_memory(stack, name):
    path = os.path.join(stack.root, name)
    with open(path, "wb") as f:
        f.write(random.Random(8).randbytes(50_000_000))
    bound = 1200 if sanitized() else 300  # MiB: the source cap is 64 MiB

    checked = measured(stack, "check", "--users", path)
    synced = measured(stack, "sync", "--users", path)

    print(f"50 MB random {name}: check {checked[3]} MiB in {checked[4]:.1f} s, "
          f"{len(checked[2])} bytes of errors; sync {synced[3]} MiB")
    assert checked[0] == 1 and synced[0] == 2
    assert checked[3] < bound and synced[3] < bound
    for returncode, _, err, _, _ in (checked, synced):
        lines = err.decode("utf-8", "replace").splitlines()
        assert lines and lines[0].startswith(f"meetgate: error: {path}")
        assert len(err) < 64 * 1024, f"{len(err)} bytes, {len(lines)} lines of errors"
    assert stack.calls() == [] and stack.accounts() == set()


def test_source_over_the_size_cap_is_refused_unread(stack):
    path = os.path.join(stack.root, "huge.txt")
    with open(path, "wb") as f:
        f.truncate(65 << 20)  # sparse: nothing to read unless meetgate tries

    returncode, _, err, rss_mib, _ = measured(stack, "sync", "--users", path)

    assert returncode == 2
    assert (f"meetgate: error: {path}: users source is larger than 64 MiB: is this the right "
            "file?") in err.decode()
    assert rss_mib < (200 if sanitized() else 40)


def test_fault_tools_know_a_whole_record():
    assert is_account_record(b'return {\n\t["iteration_count"] = 10000;\n'
                             b'\t["stored_key"] = "7c2f";\n\t["server_key"] = "3444";\n'
                             b'\t["salt"] = "c95c";\n};\n')
    assert not is_account_record(b'return {\n\t["iteration_count"] = 10000;\n')
