"""The web target's outputs read back by their consumer: Node evaluates config.js (and,
for docker-jitsi-meet, config.js then custom-config.js) and reports config.hosts.

The unit tests (tests/unit/render/web_config_test.cpp) prove patch_web_config and
web_block produce the goldens in tests/data/render/web/; this proves the goldens mean
what they should to the JavaScript engine. Needs Node (Debian package `nodejs`).
"""

import json
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "render", "web")
READER = os.path.join(HERE, "consumers", "read_config_hosts.js")
# MEETGATE_NODE picks another node, e.g. to compare Node versions.
NODE = (os.environ.get("MEETGATE_NODE")
        or ("/usr/bin/node" if os.path.exists("/usr/bin/node") else shutil.which("node")))

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node not installed (Debian package nodejs)")

MAIN = "meet.example.com"
GUEST = "guest.meet.example.com"

# file -> config.hosts as Jitsi Meet reads it. Auth off leaves the inputs without
# anonymousdomain and authdomain, so the inputs stand for that case.
DEBIAN = {
    "debian-config.auth-guests.golden.js": {
        "domain": MAIN, "anonymousdomain": GUEST, "authdomain": MAIN,
        "muc": "conference.meet.example.com"},
    "debian-config.auth.golden.js": {
        "domain": MAIN, "authdomain": MAIN, "muc": "conference.meet.example.com"},
    "debian-config.js": {"domain": MAIN, "muc": "conference.meet.example.com"},
    "debian-2021-config.auth-guests.golden.js": {
        "domain": MAIN, "anonymousdomain": GUEST, "authdomain": MAIN,
        "muc": "conference.meet.example.com"},
    "debian-2021-config.auth.golden.js": {
        "domain": MAIN, "authdomain": MAIN, "muc": "conference.meet.example.com"},
    "debian-2021-config.js": {"domain": MAIN, "muc": "conference.meet.example.com"},
    "debian-secured-config.auth-guests.golden.js": {
        "domain": MAIN, "anonymousdomain": GUEST, "authdomain": MAIN,
        "muc": "conference.meet.example.com"},
    "debian-secured-config.auth.golden.js": {
        "domain": MAIN, "authdomain": MAIN, "muc": "conference.meet.example.com"},
    "debian-secured-config.off.golden.js": {
        "domain": MAIN, "muc": "conference.meet.example.com"},
}

# custom-config.js -> config.hosts after the image's config.js and then it.
DOCKER = {
    "docker-custom-config.auth-guests.golden.js": {
        "domain": "meet.jitsi", "muc": "muc.meet.jitsi",
        "anonymousdomain": "guest.meet.jitsi", "authdomain": "meet.jitsi"},
    "docker-custom-config.auth.golden.js": {
        "domain": "meet.jitsi", "muc": "muc.meet.jitsi", "authdomain": "meet.jitsi"},
    "docker-custom-config.js": {"domain": "meet.jitsi", "muc": "muc.meet.jitsi"},
}


def read_hosts(*files):
    result = subprocess.run([NODE, READER, *files], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_node_is_there_and_says_its_version():
    result = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0 and result.stdout.startswith("v"), result


@pytest.mark.parametrize("name", sorted(DEBIAN))
def test_debian_config_js_hosts(name):
    assert read_hosts(os.path.join(DATA, name)) == DEBIAN[name]


@pytest.mark.parametrize("name", sorted(DOCKER))
def test_docker_custom_config_js_hosts(name):
    hosts = read_hosts(os.path.join(DATA, "docker-config.js"), os.path.join(DATA, name))

    assert hosts == DOCKER[name]


def test_a_crlf_config_js_reads_the_same(tmp_path):
    name = "debian-config.auth-guests.golden.js"
    crlf = tmp_path / "config.js"
    with open(os.path.join(DATA, name), "rb") as golden:
        crlf.write_bytes(golden.read().replace(b"\n", b"\r\n"))

    assert read_hosts(str(crlf)) == DEBIAN[name]


def test_a_broken_config_js_is_reported_not_read(tmp_path):
    broken = tmp_path / "config.js"
    broken.write_text("var config = {\n  hosts: {\n    domain: 'a'\n    muc: 'b'\n  }\n};\n")

    result = subprocess.run([NODE, READER, str(broken)], capture_output=True, text=True,
                            timeout=60)

    assert result.returncode != 0
    assert "SyntaxError" in result.stderr
