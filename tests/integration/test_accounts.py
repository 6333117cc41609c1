"""Accounts meetgate did not make: unmanaged ones stay, service accounts are never deleted."""

from conftest import AUTH_DOMAIN, DOMAIN

SERVICE_PASSWORDS = {
    "JICOFO_AUTH_PASSWORD": "focus-secret-1",
    "JVB_AUTH_PASSWORD": "jvb-secret-1",
    "JIGASI_XMPP_PASSWORD": "jigasi-secret-1",
}


def service_env(stack, **overrides):
    return stack.env(MEETGATE_SERVICE_ACCOUNTS="1", **{**SERVICE_PASSWORDS, **overrides})


def test_unmanaged_and_service_accounts_survive_a_sync(server_stack):
    server_stack.register("carol", DOMAIN, "carol-by-hand")
    server_stack.register("focus", AUTH_DOMAIN, "focus-by-hand")
    server_stack.register("jvb", AUTH_DOMAIN, "jvb-by-hand")
    server_stack.write_users({"alice": "a-pw", "bob": "b-pw"})
    assert server_stack.sync().returncode == 0

    server_stack.write_users({"bob": "b-pw"})
    run = server_stack.sync()

    assert run.returncode == 0, str(run)
    assert (run.summary["deleted"], run.summary["created"]) == (1, 0)
    assert server_stack.accounts() == {"bob", "carol"}
    assert server_stack.accounts(AUTH_DOMAIN) == {"focus", "jvb"}
    assert server_stack.login("carol", "carol-by-hand")
    assert server_stack.login("focus", "focus-by-hand", AUTH_DOMAIN)


def test_dry_run_counts_unmanaged_accounts_as_left_alone(stack):
    stack.register("carol", DOMAIN, "carol-by-hand")
    stack.register("dave", DOMAIN, "dave-by-hand")
    stack.write_users({"alice": "a-pw"})

    lines, plan = stack.sync("--dry-run").plan

    assert lines == ["create alice@meet.test"]
    assert (plan["create"], plan["left"]) == (1, 2)


def test_service_accounts_are_created_and_log_in(server_stack):
    server_stack.write_users({"alice": "a-pw"})

    run = server_stack.sync(env=service_env(server_stack))

    assert run.returncode == 0, str(run)
    assert server_stack.accounts(AUTH_DOMAIN) == {"focus", "jvb", "jigasi"}
    assert server_stack.login("focus", "focus-secret-1", AUTH_DOMAIN)
    assert server_stack.login("jvb", "jvb-secret-1", AUTH_DOMAIN)
    assert server_stack.login("jigasi", "jigasi-secret-1", AUTH_DOMAIN)


def test_rotated_service_password_is_applied(server_stack):
    server_stack.write_users({"alice": "a-pw"})
    assert server_stack.sync(env=service_env(server_stack)).returncode == 0
    server_stack.clear_calls()

    run = server_stack.sync(env=service_env(server_stack, JVB_AUTH_PASSWORD="jvb-secret-2"))

    assert run.returncode == 0, str(run)
    assert (run.summary["updated"], run.summary["calls"]) == (1, 1)
    assert not server_stack.login("jvb", "jvb-secret-1", AUTH_DOMAIN)
    assert server_stack.login("jvb", "jvb-secret-2", AUTH_DOMAIN)
    assert server_stack.login("focus", "focus-secret-1", AUTH_DOMAIN)


def test_service_accounts_survive_when_no_longer_configured(server_stack):
    server_stack.write_users({"alice": "a-pw", "bob": "b-pw"})
    assert server_stack.sync(env=service_env(server_stack)).returncode == 0

    run = server_stack.sync("--prune", "all")

    assert run.returncode == 0, str(run)
    assert server_stack.accounts(AUTH_DOMAIN) == {"focus", "jvb", "jigasi"}
    assert server_stack.login("jigasi", "jigasi-secret-1", AUTH_DOMAIN)


def test_prune_all_deletes_unmanaged_but_never_focus_or_jvb(server_stack):
    server_stack.register("carol", DOMAIN, "carol-by-hand")
    server_stack.register("focus", AUTH_DOMAIN, "focus-by-hand")
    server_stack.register("jvb", AUTH_DOMAIN, "jvb-by-hand")
    server_stack.write_users({"alice": "a-pw", "bob": "b-pw", "dave": "d-pw"})
    assert server_stack.sync().returncode == 0

    run = server_stack.sync("--prune", "all")

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 1
    assert server_stack.accounts() == {"alice", "bob", "dave"}
    assert server_stack.accounts(AUTH_DOMAIN) == {"focus", "jvb"}
    assert not server_stack.login("carol", "carol-by-hand")
    assert server_stack.login("focus", "focus-by-hand", AUTH_DOMAIN)
    assert server_stack.login("jvb", "jvb-by-hand", AUTH_DOMAIN)


def test_prune_none_deletes_nothing(server_stack):
    server_stack.write_users({"alice": "a-pw", "bob": "b-pw"})
    assert server_stack.sync().returncode == 0

    server_stack.write_users({"alice": "a-pw"})
    run = server_stack.sync("--prune", "none")

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 0
    assert server_stack.login("bob", "b-pw")
