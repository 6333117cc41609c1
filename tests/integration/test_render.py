"""meetgate render --only prosody: the file prosodyctl and the test server read."""

import os
import subprocess

from conftest import CLEAN_PATH, PROSODYCTL


def test_dry_run_prints_a_diff_and_writes_nothing(bare_stack):
    run = bare_stack.meetgate("render", "--only", "prosody", "--dry-run")

    assert run.returncode == 0, str(run)
    assert not os.path.exists(bare_stack.config)
    assert "+++ " in run.stdout
    assert '+VirtualHost "meet.test"' in run.stdout
    assert '+VirtualHost "guest.meet.test"' in run.stdout
    assert '+VirtualHost "auth.meet.test"' in run.stdout
    assert f'+data_path = "{bare_stack.data}"' in run.stdout


def test_dry_run_shows_a_changed_setting_and_keeps_the_file(stack):
    before = open(stack.config, "rb").read()
    inode = os.stat(stack.config).st_ino

    run = stack.meetgate("render", "--only", "prosody", "--dry-run",
                         env=stack.env(XMPP_GUEST_DOMAIN="visitors.meet.test"))

    assert run.returncode == 0, str(run)
    assert '-VirtualHost "guest.meet.test"' in run.stdout
    assert '+VirtualHost "visitors.meet.test"' in run.stdout
    assert open(stack.config, "rb").read() == before
    assert os.stat(stack.config).st_ino == inode


def test_render_is_idempotent(stack):
    stat_before = os.stat(stack.config)

    run = stack.meetgate("render", "--only", "prosody")
    dry = stack.meetgate("render", "--only", "prosody", "--dry-run")

    assert run.returncode == 0, str(run)
    assert os.stat(stack.config).st_mtime_ns == stat_before.st_mtime_ns
    assert os.stat(stack.config).st_ino == stat_before.st_ino
    assert dry.returncode == 0 and dry.stdout == ""


def test_prosodyctl_check_config_accepts_the_rendered_file(stack):
    result = subprocess.run([PROSODYCTL, "--config", stack.config, "check", "config"],
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": CLEAN_PATH})

    assert result.returncode == 0, result.stdout + result.stderr
    assert stack.config in result.stdout


def test_server_accepts_the_rendered_file(server_stack):
    assert server_stack.server.admin_socket_ready()
    assert server_stack.login_anonymous() is not None
