"""What must never happen: bad input changing accounts, surprise mass deletes, leaked secrets."""

import os
import stat

from conftest import AUTH_DOMAIN, DOMAIN

GOOD = {"alice": "alice-pw-0001", "bob": "bob-pw-0002", "carol": "carol-pw-0003",
        "dave": "dave-pw-0004"}


def synced(stack, users=GOOD):
    stack.write_users(users)
    run = stack.sync()
    assert run.returncode == 0, str(run)
    stack.clear_calls()
    return run


def test_invalid_file_changes_nothing(stack):
    synced(stack)
    before = stack.snapshot()
    stack.write_users(["# comment", "alice:changed-pw-0001", "no colon on this line",
                       "bad user:pw-0005"])

    run = stack.sync()

    assert run.returncode == 2, str(run)
    assert "users.txt:3:" in run.stderr and "users.txt:4:" in run.stderr
    assert stack.calls() == []
    assert stack.snapshot() == before
    assert run.events_named("source_invalid")


def test_differently_cased_duplicate_is_an_error(stack):
    stack.write_users(["bob:bob-pw", "Alice:first-pw", "alice:second-pw"])

    run = stack.sync()
    check = stack.meetgate("check", "--users", stack.users)

    assert run.returncode == 2, str(run)
    assert stack.calls() == []
    assert stack.accounts() == set()
    assert check.returncode == 1, str(check)
    [problem] = [line for line in check.stderr.splitlines() if "users.txt:" in line]
    assert problem.startswith("meetgate: error: ")
    assert "users.txt:3: duplicate of " in problem and problem.count("users.txt:2") == 1


def test_check_accepts_a_good_file(stack):
    stack.write_users(GOOD)

    check = stack.meetgate("check", "--users", stack.users)

    assert check.returncode == 0, str(check)
    assert stack.calls() == []


def test_delete_guard_trips_and_force_applies(stack):
    synced(stack)
    before = stack.snapshot()
    stack.write_users({"alice": GOOD["alice"]})

    refused = stack.sync()
    after_refusal = stack.snapshot()
    forced = stack.sync("--force")

    assert refused.returncode == 2, str(refused)
    assert "delete guard" in refused.stderr
    assert refused.events_named("delete_guard_tripped")
    assert after_refusal == before
    assert forced.returncode == 0, str(forced)
    assert forced.summary["deleted"] == 3
    assert stack.accounts() == {"alice"}
    assert not forced.events_named("delete_guard_tripped")  # "nothing changed" would be false
    [overridden] = forced.events_named("delete_guard_overridden")
    assert overridden["deletes"] == 3


def test_delete_guard_allows_a_share_under_the_limit(stack):
    synced(stack)
    stack.write_users({u: p for u, p in GOOD.items() if u != "dave"})

    run = stack.sync()

    assert run.returncode == 0, str(run)
    assert run.summary["deleted"] == 1


def test_empty_source_trips_the_guard_whatever_the_limit(stack):
    synced(stack, {"alice": GOOD["alice"]})
    before = stack.snapshot()
    stack.write_users(["# everyone left"])

    run = stack.sync(env=stack.env(MEETGATE_MAX_DELETE_PERCENT="100"))

    assert run.returncode == 2, str(run)
    assert "delete guard" in run.stderr
    assert stack.snapshot() == before


def test_dry_run_changes_nothing_and_prints_the_plan(stack):
    synced(stack)
    stack.register("erin", DOMAIN, "erin-by-hand")
    stack.register("frank", DOMAIN, "frank-by-hand")
    before = stack.snapshot()
    stack.write_users({"alice": GOOD["alice"], "bob": "bob-new-pw", "carol": GOOD["carol"],
                       "frank": "frank-by-hand", "gina": "gina-pw"})

    run = stack.sync("--dry-run")

    assert run.returncode == 0, str(run)
    lines, plan = run.plan
    assert sorted(lines) == ["adopt frank@meet.test", "create gina@meet.test",
                             "delete dave@meet.test", "update bob@meet.test"]
    assert plan == {"create": 1, "update": 1, "delete": 1, "adopt": 1, "unchanged": 2,
                    "left": 1}
    assert stack.calls() == []
    assert stack.snapshot() == before


def test_state_file_is_private_and_names_managed_accounts(stack):
    synced(stack)

    mode = stat.S_IMODE(os.stat(stack.state_file).st_mode)
    text = open(stack.state_file, encoding="utf-8").read()

    assert mode == 0o600
    assert stack.state() is not None
    for user in GOOD:
        assert user in text


def test_no_password_in_argv_logs_state_or_stdout(server_stack):
    secrets = list(GOOD.values()) + ["bob-rotated-pw-9", "focus-secret-x1", "jvb-secret-x2",
                                     "jigasi-secret-x3", "jvb-rotated-x4", "typo-pw-in-bad-file",
                                     "pä ss:w#o$rd ñ", "adopted-pw-77"]
    services = {"MEETGATE_SERVICE_ACCOUNTS": "1", "JICOFO_AUTH_PASSWORD": "focus-secret-x1",
                "JVB_AUTH_PASSWORD": "jvb-secret-x2", "JIGASI_XMPP_PASSWORD": "jigasi-secret-x3"}
    env = server_stack.env(**services)
    rotated = server_stack.env(**{**services, "JVB_AUTH_PASSWORD": "jvb-rotated-x4"})
    server_stack.register("hank", DOMAIN, "adopted-pw-77")

    server_stack.write_users({**GOOD, "pat": "pä ss:w#o$rd ñ", "hank": "adopted-pw-77"})
    server_stack.sync("--dry-run", env=env)
    server_stack.sync(env=env)
    server_stack.write_users({**GOOD, "bob": "bob-rotated-pw-9", "pat": "pä ss:w#o$rd ñ",
                              "hank": "adopted-pw-77"})
    server_stack.sync("--dry-run", env=rotated)
    server_stack.sync(env=rotated)
    server_stack.write_users({"alice": GOOD["alice"], "bob": "bob-rotated-pw-9",
                              "carol": GOOD["carol"], "pat": "pä ss:w#o$rd ñ"})
    server_stack.sync(env=rotated)
    server_stack.write_users(["alice:" + GOOD["alice"], "Alice:typo-pw-in-bad-file"])
    server_stack.sync(env=rotated)
    server_stack.meetgate("check", "--users", server_stack.users, env=rotated)

    assert server_stack.login("bob", "bob-rotated-pw-9")
    assert server_stack.login("jvb", "jvb-rotated-x4", AUTH_DOMAIN)
    assert not server_stack.accounts() & {"dave", "hank"}
    assert server_stack.leaks(secrets) == []
    for env_of_call in server_stack.call_environments():
        assert not [s for s in secrets if any(s in v for v in env_of_call.values())]


def test_prosodyctl_gets_no_password_in_argv_for_every_operation(stack):
    stack.register("ivy", DOMAIN, "ivy-old-pw")
    stack.write_users({"ivy": "ivy-new-pw", "jack": "jack-new-pw", "kim": "kim-pw"})
    assert stack.sync().returncode == 0
    stack.write_users({"ivy": "ivy-new-pw", "jack": "jack-new-pw"})

    assert stack.sync().returncode == 0

    operations = sorted({call[2] for call in stack.calls()})
    assert "register" in operations and "unregister" in operations
    for call in stack.calls():
        assert call[:2] == ["--config", stack.config]
        assert not {"ivy-old-pw", "ivy-new-pw", "jack-new-pw", "kim-pw"} & set(call)


def test_one_failed_operation_does_not_stop_the_others(stack):
    failing = os.path.join(stack.root, "bin", "prosodyctl-failing")
    with open(failing, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n"
                "# Fails for one user the way prosodyctl does: message on stdout, exit 1.\n"
                'case " $* " in *" mallory "*) echo "Error: simulated failure"; exit 1;; esac\n'
                f'exec {stack.wrapper} "$@"\n')
    os.chmod(failing, 0o755)
    stack.write_users({"alice": "a-pw", "mallory": "m-pw", "zoe": "z-pw"})

    failed = stack.sync(env=stack.env(MEETGATE_PROSODYCTL=failing))
    repaired = stack.sync()

    assert failed.returncode == 1, str(failed)
    assert (failed.summary["created"], failed.summary["failed"]) == (2, 1)
    [event] = failed.events_named("operation_failed")
    assert (event["user"], event["host"]) == ("mallory", DOMAIN)
    assert "m-pw" not in failed.stdout + failed.stderr
    assert repaired.returncode == 0, str(repaired)
    assert (repaired.summary["created"], repaired.summary["unchanged"]) == (1, 2)
    assert stack.accounts() == {"alice", "mallory", "zoe"}
