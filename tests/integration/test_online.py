"""The online backend against a running Prosody: one prosodyctl shell session per sync,
live sessions of changed and removed users dropped, no code run from a value, no shell
history left behind, auto's choice and fallback, and the same outcome as offline."""

import os
import subprocess
import time

import pytest

from conftest import DOMAIN, MEETGATE_BIN, PROSODYCTL, CLEAN_PATH, _discard, _make_stack
from xmpp_session import LiveSession

ONLINE = {"MEETGATE_BACKEND": "online"}

# Each would end the Lua string and run code if a value were pasted into the command.
ATTACKS = {
    "alice": '"); os.execute("touch {pwned}") --',
    "bob": "]]",
    "carol": "\\",
    "dave": "'",
    "erin": "pä ss ñ 日本語 \\\" ]] --[[",
    "frank": '\\"); user:delete("bob@meet.test") --',
}


def shell_calls(stack):
    return [call for call in stack.calls() if "shell" in call]


def register_calls(stack):
    return [call for call in stack.calls() if "register" in call or "unregister" in call]


@pytest.fixture
def live(server_stack):
    """Starts logged-in clients; stops whatever is left at the end."""
    sessions = []

    def start(user, password):
        session = LiveSession(f"{user}@{DOMAIN}", password, server_stack.server.port)
        sessions.append(session)
        assert session.wait_online(), f"{user} did not get online: {session.lines}"
        return session

    yield start
    for session in sessions:
        session.stop()


@pytest.fixture
def other_server_stack(request):
    """A second, independent server stack, for side-by-side comparisons."""
    stack = _make_stack()
    stack.render()
    stack.start_server()
    yield stack
    _discard(stack, request)


# --- 1. live sessions ---


def test_removed_user_is_disconnected_and_cannot_log_in_again(server_stack, live):
    server_stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1"})
    assert server_stack.sync(env=server_stack.env(**ONLINE)).returncode == 0
    alice = live("alice", "alice-pw-1")
    bob = live("bob", "bob-pw-1")

    server_stack.write_users({"bob": "bob-pw-1"})
    run = server_stack.sync(env=server_stack.env(**ONLINE))
    condition = alice.wait_offline(timeout=1.0)

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 1
    assert condition == "not-authorized", alice.lines
    assert not server_stack.login("alice", "alice-pw-1")
    assert bob.wait_offline(timeout=0.2) is None
    assert server_stack.login("bob", "bob-pw-1")
    assert [c[2:] for c in shell_calls(server_stack)] == [["shell", "--quiet"]] * 2
    assert run.events_named("live_sessions_kept") == []


def test_changed_password_drops_the_old_session_and_the_new_one_works(server_stack, live):
    server_stack.write_users({"alice": "old-secret-a"})
    assert server_stack.sync(env=server_stack.env(**ONLINE)).returncode == 0
    alice = live("alice", "old-secret-a")

    server_stack.write_users({"alice": "new-secret-a"})
    run = server_stack.sync(env=server_stack.env(**ONLINE))
    condition = alice.wait_offline(timeout=1.0)

    assert run.returncode == 0, str(run)
    assert run.summary["updated"] == 1
    assert condition == "reset", alice.lines
    assert not server_stack.login("alice", "old-secret-a")
    assert server_stack.login("alice", "new-secret-a")


def test_offline_backend_leaves_live_sessions_and_says_so(server_stack, live):
    offline = server_stack.env(MEETGATE_BACKEND="offline")
    server_stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1"})
    assert server_stack.sync(env=offline).returncode == 0
    alice = live("alice", "alice-pw-1")

    server_stack.write_users({"bob": "bob-pw-1"})
    run = server_stack.sync(env=offline)

    assert run.returncode == 0, str(run)
    assert alice.wait_offline(timeout=1.0) is None  # what the online backend is for
    [warning] = run.events_named("live_sessions_kept")
    assert warning["deleted"] == 1
    assert not server_stack.login("alice", "alice-pw-1")


# --- 2. injection ---


def test_usernames_rejected_by_validation_never_reach_the_shell(server_stack):
    pwned = os.path.join(server_stack.root, "pwned")
    server_stack.write_users([f'x"); os.execute("touch {pwned}") --:pw-1',
                              "bob]]--:pw-2", "carol'):pw-3", "dave:pw-4"])

    run = server_stack.sync(env=server_stack.env(**ONLINE))

    assert run.returncode == 2, str(run)
    assert server_stack.calls() == []
    assert server_stack.accounts() == set()
    assert not os.path.exists(pwned)


def test_hostile_passwords_are_set_exactly_and_run_nothing(server_stack):
    pwned = os.path.join(server_stack.root, "pwned")
    passwords = {u: p.format(pwned=pwned) for u, p in ATTACKS.items()}
    server_stack.write_users(passwords)

    created = server_stack.sync(env=server_stack.env(**ONLINE))
    server_stack.write_users({u: p + "'2" for u, p in passwords.items()})
    updated = server_stack.sync(env=server_stack.env(**ONLINE))

    assert created.returncode == 0 and updated.returncode == 0, str(created) + str(updated)
    assert (created.summary["created"], updated.summary["updated"]) == (6, 6)
    assert server_stack.accounts() == set(ATTACKS)
    for user, password in passwords.items():
        assert server_stack.login(user, password + "'2"), f"{user} with {password!r}"
        assert not server_stack.login(user, password)
    assert not os.path.exists(pwned)
    assert len(shell_calls(server_stack)) == 2 and register_calls(server_stack) == []
    # Short ones ("'", "\\") would be found in any text.
    long_ones = [p for p in passwords.values() if len(p) > 8]
    assert server_stack.leaks(long_ones) == []
    for env in server_stack.call_environments():
        assert not [p for p in long_ones if p in "\0".join(env.values())]
        assert env["LUA_INIT"].startswith('package.preload["readline"]')


# --- 3. shell history ---


def readline_installed():
    result = subprocess.run(["lua5.4", "-e", 'require "readline"'], capture_output=True)
    return result.returncode == 0


@pytest.mark.skipif(not readline_installed(), reason="lua-readline is not installed")
def test_no_shell_history_keeps_a_password(server_stack):
    history = os.path.join(server_stack.data, ".shell_history")
    # By hand, with lua-readline, the shell does keep the session: what meetgate avoids.
    by_hand = subprocess.run(
        [PROSODYCTL, "--config", server_stack.config, "shell", "--quiet"],
        input='user:create("zed@meet.test", "by-hand-secret")\n', capture_output=True,
        text=True, env={"PATH": CLEAN_PATH, "HOME": "/root"}, timeout=60)
    assert by_hand.returncode == 0
    with open(history, encoding="utf-8") as f:
        assert "by-hand-secret" in f.read()
    with open(history, "w", encoding="utf-8") as f:
        f.write("server:version()\n")  # the operator's own history stays as it is

    server_stack.write_users({"alice": "first-secret-a", "bob": "first-secret-b"})
    first = server_stack.sync(env=server_stack.env(**ONLINE))
    server_stack.write_users({"alice": "second-secret-a"})
    second = server_stack.sync(env=server_stack.env(**ONLINE))

    assert first.returncode == 0 and second.returncode == 0, str(first) + str(second)
    with open(history, encoding="utf-8") as f:
        assert f.read() == "server:version()\n"
    assert first.events_named("shell_history_restored") == []
    secrets = ["first-secret-a", "first-secret-b", "second-secret-a"]
    assert server_stack.leaks(secrets) == []


# --- 4. auto ---


def test_auto_goes_offline_while_the_server_is_down_and_online_once_it_is_up(stack):
    stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1"})
    down = stack.sync(env=stack.env(MEETGATE_BACKEND="auto"))
    down_calls = stack.calls()
    stack.clear_calls()

    stack.start_server()
    stack.write_users({"alice": "alice-pw-2", "carol": "carol-pw-1"})
    up = stack.sync(env=stack.env(MEETGATE_BACKEND="auto"))

    assert down.returncode == 0 and up.returncode == 0, str(down) + str(up)
    assert sorted(c[2] for c in down_calls) == ["register", "register"]
    [chosen] = down.events_named("backend_selected")
    assert chosen["backend"] == "offline" and "admin socket" in chosen["reason"]
    assert [c[2:] for c in stack.calls()] == [["shell", "--quiet"]]
    assert (up.summary["created"], up.summary["updated"], up.summary["deleted"]) == (1, 1, 1)
    assert stack.login("alice", "alice-pw-2") and stack.login("carol", "carol-pw-1")
    assert not stack.login("bob", "bob-pw-1")


def test_auto_falls_back_offline_when_the_server_goes_away_mid_batch(server_stack):
    users = {f"user{i:04d}": f"password-{i:04d}" for i in range(250)}
    server_stack.write_users(users)
    env = server_stack.env(MEETGATE_BACKEND="auto", MEETGATE_JOBS="2")
    accounts_dir = os.path.join(server_stack.data, "meet%2etest", "accounts")

    # Stop the server once the shell session has created some accounts.
    sync = subprocess.Popen([MEETGATE_BIN, "sync", "--users", server_stack.users], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, encoding="utf-8")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sync.poll() is None:
        if os.path.isdir(accounts_dir) and len(os.listdir(accounts_dir)) >= 30:
            break
        time.sleep(0.01)
    created_online = len(os.listdir(accounts_dir))
    server_stack.stop_server()
    stdout, stderr = sync.communicate(timeout=300)

    from conftest import Run, parse_events
    run = Run(["sync"], sync.returncode, stdout, stderr, parse_events(stderr))
    assert run.returncode == 0, str(run)
    assert created_online < 250, "the batch ended before the server stopped"
    [fallback] = run.events_named("backend_fallback")
    assert fallback["to"] == "offline" and 0 < fallback["operations"] < 250
    assert (run.summary["created"], run.summary["failed"]) == (250, 0)
    assert server_stack.accounts() == set(users)
    assert len(shell_calls(server_stack)) == 1
    assert len(register_calls(server_stack)) == fallback["operations"]

    # Converged: nothing left to do, and both halves log in.
    again = server_stack.sync(env=env)
    assert again.summary["unchanged"] == 250 and again.summary["calls"] == 0, str(again)
    server_stack.start_server()
    assert server_stack.login("user0000", users["user0000"])
    assert server_stack.login("user0249", users["user0249"])


# --- 5. same outcome as offline ---


def test_online_and_offline_reach_the_same_accounts(server_stack, other_server_stack):
    steps = [
        {"alice": "a-1", "Bob": "b-1", "ÄBC": "umlaut-1", "carol": "c-1 ' \" ]]"},
        {"alice": "a-2", "bob": "b-1", "äbc": "umlaut-2", "dave": "d-1"},
        {"dave": "d-2", "erin": "e-1"},
    ]
    stacks = {"offline": server_stack, "online": other_server_stack}

    for users in steps:
        runs = {}
        for backend, stack in stacks.items():
            stack.write_users(users)
            runs[backend] = stack.sync("--force", env=stack.env(MEETGATE_BACKEND=backend))
            assert runs[backend].returncode == 0, str(runs[backend])

        summaries = {b: {k: v for k, v in r.summary.items() if k != "calls"}
                     for b, r in runs.items()}
        assert summaries["online"] == summaries["offline"]
        assert server_stack.accounts() == other_server_stack.accounts()
        assert server_stack.state()["managed"] == other_server_stack.state()["managed"]
        for user, password in users.items():
            name = user.lower()
            for backend, stack in stacks.items():
                assert stack.login(name, password), f"{backend}: {name} with {password!r}"

    assert register_calls(server_stack) and not shell_calls(server_stack)
    assert shell_calls(other_server_stack) and not register_calls(other_server_stack)


def test_online_session_without_admin_shell_fails_with_the_reason(stack):
    stack.write_users({"alice": "alice-pw-1"})

    run = stack.sync(env=stack.env(**ONLINE))

    assert run.returncode == 1, str(run)
    assert run.summary["failed"] == 1
    [failure] = run.events_named("operation_failed")
    assert failure["reason"].startswith(
        "no answer from prosodyctl shell: Unable to connect to server - is it running?")
    assert stack.accounts() == set()
