"""meetgate sync against a running Prosody: what the users file says is who can log in."""

import pytest

from conftest import AUTH_DOMAIN, DOMAIN

TRICKY_PASSWORDS = {
    "pat": "pä ss:w#o$rd ñ",
    "quinn": "  spaces around  ",
    "rory": "#not-a-comment",
    "sam": ":starts:with:colons",
    "tess": "quotes ' \" and \\ back`slash` $(id) ${HOME}",
    "uma": "日本語のパスワード",
}


@pytest.fixture(params=["offline", "online"])
def backend(request, server_stack):
    """Runs a test once per backend."""
    return request.param


def test_created_users_log_in(server_stack):
    server_stack.write_users({"alice": "alice-pw-1", "bob": "bob-pw-1"})

    run = server_stack.sync()

    assert run.returncode == 0, str(run)
    assert run.summary["created"] == 2 and run.summary["failed"] == 0
    # auto, with the server up: both commands in one prosodyctl shell session.
    assert run.summary["calls"] == 2
    assert [call[2:] for call in server_stack.calls()] == [["shell", "--quiet"]]
    assert server_stack.accounts() == {"alice", "bob"}
    assert server_stack.login("alice", "alice-pw-1")
    assert server_stack.login("bob", "bob-pw-1")
    assert not server_stack.login("alice", "bob-pw-1")


def test_changed_password_old_fails_new_works(server_stack, backend):
    env = server_stack.env(MEETGATE_BACKEND=backend)
    server_stack.write_users({"alice": "old-secret-a", "bob": "bob-unchanged"})
    assert server_stack.sync(env=env).returncode == 0
    server_stack.clear_calls()

    server_stack.write_users({"alice": "new-secret-a", "bob": "bob-unchanged"})
    run = server_stack.sync(env=env)

    assert run.returncode == 0, str(run)
    assert run.summary["updated"] == 1 and run.summary["unchanged"] == 1
    assert run.summary["calls"] == len(server_stack.calls()) == 1
    assert not server_stack.login("alice", "old-secret-a")
    assert server_stack.login("alice", "new-secret-a")
    assert server_stack.login("bob", "bob-unchanged")


def test_removed_user_can_no_longer_log_in(server_stack, backend):
    env = server_stack.env(MEETGATE_BACKEND=backend)
    server_stack.write_users({"alice": "a-pw", "bob": "b-pw", "carol": "c-pw"})
    assert server_stack.sync(env=env).returncode == 0
    assert server_stack.login("carol", "c-pw")

    server_stack.write_users({"alice": "a-pw", "bob": "b-pw"})
    run = server_stack.sync(env=env)

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 1
    assert server_stack.accounts() == {"alice", "bob"}
    assert not server_stack.login("carol", "c-pw")
    assert server_stack.login("alice", "a-pw")
    [event] = run.events_named("account_deleted")
    assert (event["user"], event["host"]) == ("carol", DOMAIN)


def test_second_sync_of_unchanged_file_makes_no_calls(server_stack):
    server_stack.write_users({f"user{i}": f"password-{i}" for i in range(20)})
    first = server_stack.sync()
    assert first.returncode == 0 and first.summary["created"] == 20, str(first)
    server_stack.clear_calls()

    second = server_stack.sync()

    assert second.returncode == 0, str(second)
    assert second.stdout.strip().splitlines()[-1] == (
        "sync: 0 created, 0 updated, 0 deleted, 0 adopted, 20 unchanged, 0 failed, "
        "0 prosodyctl calls")
    assert server_stack.calls() == []
    assert second.events_named("sync_done")


def test_tricky_passwords_log_in(server_stack):
    server_stack.write_users(TRICKY_PASSWORDS)

    run = server_stack.sync()

    assert run.returncode == 0, str(run)
    assert server_stack.accounts() == set(TRICKY_PASSWORDS)
    for user, password in TRICKY_PASSWORDS.items():
        assert server_stack.login(user, password), f"{user} with {password!r}"
    assert not server_stack.login("quinn", TRICKY_PASSWORDS["quinn"].strip())
    assert server_stack.sync().summary["unchanged"] == len(TRICKY_PASSWORDS)


def test_adopts_existing_account_with_same_password_without_a_call(server_stack):
    server_stack.register("alice", DOMAIN, "alice-known-pw")
    server_stack.register("bob", DOMAIN, "bob-old-pw")
    server_stack.write_users({"alice": "alice-known-pw", "bob": "bob-new-pw"})

    plan_lines, plan = server_stack.sync("--dry-run").plan
    run = server_stack.sync()

    assert sorted(plan_lines) == ["adopt alice@meet.test", "update bob@meet.test"]
    assert run.returncode == 0, str(run)
    assert (run.summary["adopted"], run.summary["updated"], run.summary["calls"]) == (1, 1, 1)
    assert [c for c in server_stack.calls() if "alice" in c] == []
    assert server_stack.login("alice", "alice-known-pw")
    assert server_stack.login("bob", "bob-new-pw")
    [event] = run.events_named("account_adopted")
    assert (event["user"], event["host"]) == ("alice", DOMAIN)


def test_adopted_account_is_managed_afterwards(server_stack):
    server_stack.register("alice", DOMAIN, "alice-known-pw")
    server_stack.write_users({"alice": "alice-known-pw", "bob": "b", "carol": "c"})
    assert server_stack.sync().returncode == 0

    server_stack.write_users({"bob": "b", "carol": "c"})
    run = server_stack.sync()

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 1
    assert server_stack.accounts() == {"bob", "carol"}


def test_guest_logs_in_anonymously(server_stack):
    jid = server_stack.login_anonymous()

    assert jid is not None
    assert jid.split("/")[0].endswith("@guest.meet.test")
    assert server_stack.login_anonymous(DOMAIN) is None
    assert server_stack.login_anonymous(AUTH_DOMAIN) is None
