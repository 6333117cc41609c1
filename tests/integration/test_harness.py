"""The harness itself, without meetgate: Prosody starts and stops, logins say yes and no.

When these fail, the other tests' failures say nothing about meetgate.
"""

import os
import shutil
import socket
import subprocess
import tempfile

import pytest

from conftest import CLEAN_PATH, PROSODYCTL, storage_decode, storage_encode
from prosody_server import ProsodyServer, chown_tree_to_prosody
from xmpp_login import LoginError, login, login_anonymous

HAND_WRITTEN = """-- Stand-in for meetgate's rendered file, written by test_harness.py
data_path = "{data}"
VirtualHost "meet.test"
    authentication = "internal_hashed"
VirtualHost "guest.meet.test"
    authentication = "anonymous"
"""


@pytest.fixture
def hand_server():
    root = tempfile.mkdtemp(prefix="meetgate-harness-")
    os.makedirs(os.path.join(root, "data"))
    include = os.path.join(root, "hosts.cfg.lua")
    with open(include, "w", encoding="utf-8") as f:
        f.write(HAND_WRITTEN.format(data=os.path.join(root, "data")))
    chown_tree_to_prosody(root)
    server = ProsodyServer(root, include)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def register(server, user, password):
    result = subprocess.run(
        [PROSODYCTL, "--config", server.include, "register", user, "meet.test"],
        input=f"{password}\n{password}\n", capture_output=True, text=True, timeout=30,
        env={"PATH": CLEAN_PATH})
    assert result.returncode == 0, result.stdout


def test_server_starts_serves_logins_and_stops(hand_server):
    register(hand_server, "alice", "right pässword")

    hand_server.start()

    assert login("alice@meet.test", "right pässword", hand_server.port)
    assert not login("alice@meet.test", "wrong", hand_server.port)
    assert not login("nobody@meet.test", "right pässword", hand_server.port)

    pid = hand_server.process.pid
    hand_server.stop()
    assert not os.path.exists(f"/proc/{pid}")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", hand_server.port), timeout=1)


def test_anonymous_login_on_guest_host_only(hand_server):
    hand_server.start()

    jid = login_anonymous("guest.meet.test", hand_server.port)

    assert jid and jid.split("/")[0].endswith("@guest.meet.test")
    assert login_anonymous("meet.test", hand_server.port) is None


def test_admin_shell_answers(hand_server):
    hand_server.start()

    assert hand_server.admin_socket_ready()


def test_no_server_is_an_error_not_a_refusal():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    with pytest.raises(LoginError):
        login("alice@meet.test", "x", port, timeout=3)


def test_storage_names_round_trip():
    assert storage_encode("meet.test") == "meet%2etest"
    assert storage_encode("äbc") == "%c3%a4bc"
    assert storage_decode(storage_encode("i̇stanbul")) == "i̇stanbul"
