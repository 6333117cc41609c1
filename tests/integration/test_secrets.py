"""No password leaves meetgate except through a child's stdin: not in the argv or the
environment of any child (sampled from /proc every few ms while they run), a log
line at debug level, a metric or other HTTP answer, the state file, nor the message
of an operation that failed. Rendered files holding a secret are 0640 or tighter.

Every user's password holds MARK and nothing else does, so a leak of any part shows.
Service passwords hold SERVICE_MARK: the operator hands them to meetgate in its own
environment, so only a child that has not yet exec'd (a copy of meetgate) may show them.
"""

import os
import secrets
import shutil
import stat
import subprocess

import pytest

from conftest import DOMAIN, MEETGATE_BIN, Run, parse_events, storage_encode
from fault_tools import write_script
from proc_sampler import ChildSampler
from prosody_server import chown_to_prosody
from test_watch import watch  # noqa: F401  (a fixture)

MARK = "s3cr3t"
SERVICE_MARK = "s3rv1ce"
USERS = 200
HERE = os.path.dirname(os.path.abspath(__file__))
JIGASI_DATA = os.path.join(HERE, "..", "data", "render", "jigasi")


def password(index, salt):
    return f"Pw{index:03d}-{MARK}-{salt}"


@pytest.fixture(params=["offline", "online"])
def backend(request, server_stack):
    """Each backend; online is skipped while this binary refuses it."""
    if request.param == "online":
        server_stack.write_users({"probe": "probe-pw"})
        run = server_stack.meetgate("check", "--users", server_stack.users,
                                    env=server_stack.env(MEETGATE_BACKEND="online"))
        refusal = [line for line in run.stderr.splitlines() if "MEETGATE_BACKEND" in line]
        if run.returncode != 0 and refusal:
            pytest.skip(f"this meetgate refuses MEETGATE_BACKEND=online: {refusal[0]}")
    return request.param


def leaky_prosodyctl(stack):
    """prosodyctl that, asked to register trudy, prints her password in its error (as a
    prompt echo might); the recording wrapper otherwise. Only the offline backend runs
    `register`, so the online one never meets it."""
    return write_script(os.path.join(stack.root, "bin", "prosodyctl-leaky"),
                        'case " $* " in\n'
                        '  *" register trudy "*) read -r pw; echo "Error: cannot store $pw"\n'
                        '    echo "stored $pw" >&2; exit 1;;\n'
                        f'esac\nexec {stack.wrapper} "$@"\n')


def block_account(stack, user):
    """A directory where the user's record belongs: Prosody cannot write it."""
    host = os.path.join(stack.data, storage_encode(DOMAIN))
    os.makedirs(os.path.join(host, "accounts", f"{user}.dat", "keep"))
    for path in (host, os.path.join(host, "accounts")):
        chown_to_prosody(path)


def sampled_sync(stack, env):
    """`meetgate sync` with its children sampled from start to end."""
    proc = subprocess.Popen([MEETGATE_BIN, "sync", "--users", stack.users], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    sampler = ChildSampler(proc.pid).start()
    out, err = proc.communicate(timeout=300)
    sampler.stop()
    run = Run(["sync", "--users", stack.users], proc.returncode, out.decode(), err.decode(),
              parse_events(err.decode()))
    stack.runs.append(run)
    return run, sampler


def test_no_password_leaves_a_200_user_reconcile(server_stack, backend, watch):  # noqa: F811
    stack = server_stack
    salt = secrets.token_hex(4)
    users = {f"user{i:03d}": password(i, salt) for i in range(USERS - 2)}
    users.update({"mallory": password(901, salt), "trudy": password(902, salt)})
    env = {"LOG_LEVEL": "debug", "MEETGATE_BACKEND": backend, "MEETGATE_JOBS": "4",
           "MEETGATE_PROSODYCTL": leaky_prosodyctl(stack), "MEETGATE_SERVICE_ACCOUNTS": "1",
           "JICOFO_AUTH_PASSWORD": f"focus-{SERVICE_MARK}-{salt}",
           "JVB_AUTH_PASSWORD": f"jvb-{SERVICE_MARK}"}
    block_account(stack, "mallory")
    stack.write_users(users)

    # The watch: 200 creates at start, then 40 passwords rotated and 5 users gone.
    running = watch(stack, **env)
    watched = ChildSampler(running.proc.pid).start()
    running.wait_for_event("reconcile_done", timeout=240)
    answers = [running.http_get(path)[1] for path in ("/metrics", "/readyz", "/healthz")]
    since = running.mark()
    rotated = {**{u: p for u, p in users.items() if u not in {f"user{i:03d}" for i in range(5)}},
               **{f"user{i:03d}": password(i, "r" + salt) for i in range(5, 45)}}
    stack.write_users(rotated)
    running.wait_for_event("reconcile_done", since=since, timeout=120)
    answers.append(running.metrics())
    running.stop()
    watched.stop()

    # A sync of its own, more passwords rotated.
    stack.write_users({**rotated, **{f"user{i:03d}": password(i, "s" + salt)
                                     for i in range(45, 65)}})
    synced, sampler = sampled_sync(stack, stack.env(**env))

    failures = [e for run in stack.runs for e in run.events if e.get("event") ==
                "operation_failed"]
    argvs = watched.argvs() | sampler.argvs()
    print(f"{backend}: {watched.samples + sampler.samples} sweeps of /proc, "
          f"{len(watched.seen | sampler.seen)} distinct child images, "
          f"{len(failures)} failed operations")
    assert synced.returncode == 1, str(synced)
    assert {e["user"] for e in failures} >= {"mallory"} | ({"trudy"} if backend == "offline"
                                                           else set())
    assert f"meetgate: error: mallory@{DOMAIN}: " in synced.stderr
    expected_operation = "register" if backend == "offline" else "shell"
    assert any(expected_operation in argv for argv in argvs), argvs
    for sampled in (watched, sampler):
        assert sampled.leaks(MARK) == []
        assert sampled.leaks(SERVICE_MARK, unless_program=MEETGATE_BIN) == []
    assert stack.leaks([MARK, SERVICE_MARK]) == []
    assert [a for a in answers if MARK in a or SERVICE_MARK in a] == []
    for env_of_call in stack.call_environments():
        assert not [v for v in env_of_call.values() if MARK in v or SERVICE_MARK in v]


def test_the_servers_debug_log_holds_no_password(server_stack, backend):
    """What meetgate sends through the admin shell must not end up in the server's
    log, even at debug level (the test server logs at debug)."""
    stack = server_stack
    users = {f"user{i:02d}": password(i, "log") for i in range(10)}
    stack.write_users(users)

    run = stack.sync(env=stack.env(MEETGATE_BACKEND=backend))

    assert run.returncode == 0, str(run)
    with open(stack.server.log_path, encoding="utf-8", errors="replace") as f:
        leaked = [line.strip() for line in f if MARK in line]
    assert leaked == []


def jigasi_target(root, layout):
    """The file jigasi's target writes under --root, installed first for Debian."""
    if layout == "docker-jitsi-meet":
        return os.path.join(root, "config", "custom-sip-communicator.properties")
    path = os.path.join(root, "etc", "jitsi", "jigasi", "sip-communicator.properties")
    os.makedirs(os.path.dirname(path))
    shutil.copy(os.path.join(JIGASI_DATA, "debian.properties"), path)
    return path


# Debian's layout only patches the file the package installed; it never creates one.
@pytest.mark.parametrize("layout,before", [("docker-jitsi-meet", None),
                                           ("docker-jitsi-meet", 0o644),
                                           ("docker-jitsi-meet", 0o666),
                                           ("debian", 0o644), ("debian", 0o666)])
def test_rendered_jigasi_file_is_0640_or_tighter(bare_stack, layout, before):
    """New, or replacing a file others could read (or write): never more than 0640;
    the backup of the old one, which may hold the old password, 0600."""
    stack = bare_stack
    root = os.path.join(stack.root, "rootfs")
    path = jigasi_target(root, layout)
    if before is not None and not os.path.exists(path):
        os.makedirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# the old one\norg.jitsi.jigasi.xmpp.acc.PASS=old-{MARK}\n")
    if before is not None:
        os.chmod(path, before)

    run = stack.meetgate("render", "--layout", layout, "--only", "jigasi", "--root", root,
                         "--backup", env=stack.env(JIGASI_XMPP_PASSWORD=f"jigasi-{MARK}"))

    assert run.returncode == 0, str(run)
    assert f"jigasi-{MARK}" in open(path, encoding="utf-8").read()
    assert stat.S_IMODE(os.stat(path).st_mode) & ~0o640 == 0, oct(os.stat(path).st_mode)
    backup = path + ".meetgate-bak"
    if before is not None:
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert MARK not in run.stdout + run.stderr
