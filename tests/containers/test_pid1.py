"""Issue 7, test 5: Prosody's container with `meetgate run --users /users -- prosody -F`
as entrypoint (compose/test, service prosody-pid1): meetgate is PID 1, keeps the
accounts beside Prosody, and `docker-compose stop` shuts Prosody down cleanly."""

import pytest

from conftest import DOMAIN, Stack, docker, json_events, login, project_name, wait_until

PASSWORD = "a password for the pid 1 container"


@pytest.fixture(scope="module")
def pid1(images, tmp_path_factory):
    users = tmp_path_factory.mktemp("pid1") / "users"
    users.mkdir(mode=0o755)
    (users / "alice").write_text(PASSWORD, encoding="utf-8")
    (users / "alice").chmod(0o644)
    stack = Stack(project_name("pid1"), str(users))
    try:
        stack.compose("--profile", "pid1", "up", "-d", "prosody-pid1", timeout=180)
        yield stack
    finally:
        stack.down()


def processes(stack):
    """{pid: argv} of every process in the container, read from its /proc."""
    script = 'for p in /proc/[0-9]*; do printf "%s %s\\n" "${p#/proc/}" ' \
             '"$(tr "\\0" " " < "$p/cmdline")"; done'
    listing = docker("exec", stack.container("prosody-pid1"), "bash", "-c", script).stdout
    table = {}
    for line in listing.splitlines():
        pid, _, argv = line.partition(" ")
        if argv.strip():
            table[int(pid)] = argv.split()
    return table


def test_meetgate_is_pid_1_and_keeps_the_accounts(pid1):
    wait_until("alice logs in through meetgate run's watcher",
               lambda: login(f"alice@{DOMAIN}", PASSWORD, pid1.pid1_c2s_port), timeout=90)
    table = processes(pid1)
    print("processes:", {pid: " ".join(argv) for pid, argv in sorted(table.items())})

    assert table[1][0] == "meetgate" and table[1][1] == "run"
    assert any("prosody" in " ".join(argv) and pid != 1 for pid, argv in table.items())
    assert any(argv[1:2] == ["watch"] for argv in table.values())


def test_compose_stop_shuts_prosody_down_cleanly(pid1):
    pid1.compose("--profile", "pid1", "stop", "-t", "10", "prosody-pid1", timeout=60)

    state = pid1.inspect("prosody-pid1")["State"]
    log = pid1.logs("prosody-pid1")
    # meetgate exits with Prosody's own code: 0 after a clean shutdown on SIGTERM
    # (a SIGKILL after the 10 s would show as 137).
    events = {e.get("event"): e for e in json_events(log)}
    assert state["ExitCode"] == 0, log[-2000:]
    assert "Shutting down: Received SIGTERM" in log and "Shutdown complete" in log, log[-2000:]
    assert events["run_stopping"]["signal"] == "TERM"
    assert events["run_exited"]["code"] == 0
    assert "watch_stopped" in events  # the account watcher beside Prosody stopped too
