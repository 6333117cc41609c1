"""Issue 7, tests 2 to 4: the test stack (compose/test) in real containers. Prosody 13
and the meetgate sidecar share Prosody's data volume; the users come from a host
directory written the way the kubelet writes a Secret volume. The tests run in order
on one stack: up and log in, a `..data` swap, then stop and up again."""

import os
import time

import pytest
import yaml

from conftest import (COMPOSE_FILE, DOMAIN, GUEST_DOMAIN, REPO, KubeletUsersDir, Stack, docker,
                      http_get, json_events, login, login_anonymous, parse_time, project_name,
                      wait_until)

ADDON_FILE = os.path.join(REPO, "compose", "meetgate.yml")

USERS = {
    "alice": "correct horse battery staple",
    "bob": "pa:ss#wo$rd with spaces",
    "dave": "dave's first password",
}
# The update: alice's password rotated, bob removed, carol added (1 of 3 deleted,
# within the delete guard's 50 %).
UPDATED = {
    "alice": "a rotated password",
    "carol": "carol's new account",
    "dave": USERS["dave"],
}
STOP_WITHIN = 2.0


@pytest.fixture(scope="module")
def stack(images, tmp_path_factory):
    users = KubeletUsersDir(str(tmp_path_factory.mktemp("stack") / "users"))
    users.write(USERS)
    stack = Stack(project_name("stack"), users.root)
    stack.users = users
    try:
        stack.compose("up", "-d", "prosody", "meetgate", timeout=180)
        wait_until("meetgate /readyz", lambda: http_get(stack.http_port, "/readyz")[0] == 200,
                   timeout=90)
        yield stack
    finally:
        stack.down()


def can_login(stack, user, password):
    return login(f"{user}@{DOMAIN}", password, stack.c2s_port)


def reconcile_events(stack, since=None):
    events = [e for e in json_events(stack.logs("meetgate")) if e.get("event") == "reconcile_done"]
    if since is not None:
        events = [e for e in events if parse_time(e["time"]) >= since]
    return events


def test_users_from_the_mounted_directory_log_in(stack):
    for user, password in USERS.items():
        assert can_login(stack, user, password), user

    assert not can_login(stack, "alice", "not alice's password")


def test_guest_host_accepts_anonymous_login(stack):
    jid = login_anonymous(GUEST_DOMAIN, stack.c2s_port)

    assert jid and jid.split("/")[0].endswith("@" + GUEST_DOMAIN)


def test_sidecar_reports_ready_and_metrics(stack):
    status, _ = http_get(stack.http_port, "/livez")
    metrics = http_get(stack.http_port, "/metrics")[1]

    assert status == 200
    assert "meetgate_" in metrics
    assert not any(user in metrics for user in USERS)


def test_compose_healthcheck_passes_in_the_sidecar(stack):
    # Podman runs no health checks without systemd: run the files' own command here.
    with open(COMPOSE_FILE, encoding="utf-8") as f:
        check = yaml.safe_load(f)["services"]["meetgate"]["healthcheck"]["test"]
    with open(ADDON_FILE, encoding="utf-8") as f:
        addon_check = yaml.safe_load(f)["services"]["meetgate"]["healthcheck"]["test"]

    assert check[0] == "CMD" and check == addon_check
    docker("exec", stack.container("meetgate"), *check[1:])


def test_kubelet_style_data_swap_is_applied_in_the_running_stack(stack):
    stack.users.write(UPDATED)

    wait_until("alice's rotated password",
               lambda: can_login(stack, "alice", UPDATED["alice"]), timeout=30)
    wait_until("carol's new account", lambda: can_login(stack, "carol", UPDATED["carol"]),
               timeout=30)
    wait_until("bob's removal", lambda: not can_login(stack, "bob", USERS["bob"]), timeout=30)
    assert not can_login(stack, "alice", USERS["alice"])
    assert can_login(stack, "dave", USERS["dave"])
    changes = [e for e in reconcile_events(stack) if e["created"] or e["updated"] or e["deleted"]]
    assert any(e["created"] == 1 and e["updated"] == 1 and e["deleted"] == 1 for e in changes)


def test_stop_ends_meetgate_cleanly_and_up_rewrites_no_account(stack):
    # -t 2: compose sends SIGKILL after 2 s, which would show as exit code 137.
    stack.compose("stop", "-t", str(int(STOP_WITHIN)), timeout=60)

    state = stack.inspect("meetgate")["State"]
    events = json_events(stack.logs("meetgate"))
    stopping = [e for e in events if e.get("event") == "watch_stopping"][-1]
    took = (parse_time(state["FinishedAt"]) - parse_time(stopping["time"])).total_seconds()
    assert state["ExitCode"] == 0
    assert stopping["signal"] == "SIGTERM"
    assert took < STOP_WITHIN, f"meetgate took {took:.2f} s to exit after SIGTERM"
    print(f"meetgate exited {took:.3f} s after SIGTERM, exit code 0")
    assert stack.inspect("prosody")["State"]["ExitCode"] == 0

    restarted = parse_time(time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()))
    stack.compose("up", "-d", "prosody", "meetgate", timeout=180)
    wait_until("meetgate ready again", lambda: http_get(stack.http_port, "/readyz")[0] == 200,
               timeout=90)

    after = reconcile_events(stack, since=restarted)
    assert after, "no reconcile_done after the restart"
    assert after[0]["calls"] == 0, after[0]
    print(f"after up again: {after[0]}")
    assert after[0]["created"] == after[0]["updated"] == after[0]["deleted"] == 0
    assert can_login(stack, "alice", UPDATED["alice"])
