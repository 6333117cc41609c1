"""Fixtures for meetgate's container tests: the Docker CLI and docker-compose talk to
podman's Docker-compatible API (scripts/test-containers.sh starts it on a socket of
its own and sets DOCKER_HOST), the images come from docker/Dockerfile unchanged, and
logins go through ports published on 127.0.0.1. Run through the script:

    scripts/test-containers.sh

Every command is bounded in time. Every compose project a test starts is torn down
by that test and listed in $MEETGATE_CT_STATE/projects, so the script can remove
what a killed run left behind, by id. MEETGATE_CT_REUSE_IMAGES=1 skips the builds and
uses the images of an earlier run (when working on the tests themselves).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

from xmpp_login import LoginError, login, login_anonymous  # noqa: E402,F401

COMPOSE_FILE = os.path.join(REPO, "compose", "test", "docker-compose.yml")
MEETGATE_IMAGE = "meetgate-test/meetgate"
PROSODY13_IMAGE = "meetgate-test/prosody13"
SIDECAR_IMAGE = "meetgate-test/prosody-sidecar"
BUILD_CACHE_IMAGE = "meetgate-test/build-cache"
DOMAIN = "meet.jitsi"
GUEST_DOMAIN = "guest.meet.jitsi"

# A cold build compiles Poco and meetgate on 2 cores (about 5 minutes on an idle
# machine); later ones reuse the layers up to meetgate's sources.
BUILD_TIMEOUT = 780
COMMAND_TIMEOUT = 120


def tail(*outputs, lines=30):
    """The last lines of a command's output, bytes or text, for a failure message."""
    text = "".join(o.decode("utf-8", "replace") if isinstance(o, bytes) else o or ""
                   for o in outputs)
    return "\n".join(text.splitlines()[-lines:])


def run(args, timeout=COMMAND_TIMEOUT, check=True, env=None, input=None):
    """Runs a command to completion within `timeout` s; its output's end on failure."""
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                                env=env, input=input, errors="replace")
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"{' '.join(args)}: no end within {timeout} s\n"
                             f"{tail(e.stdout, e.stderr)}") from None
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)}: exit {result.returncode}\n"
                             f"{tail(result.stdout, result.stderr)}")
    return result


def docker(*args, **kwargs):
    """The Docker CLI against podman's API; podman's own CLI where there is none."""
    cli = "docker" if shutil.which("docker") else "podman"
    return run([cli, *args], **kwargs)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, predicate, timeout, interval=0.5):
    """Polls `predicate` until it returns something true; fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except (OSError, LoginError, AssertionError) as e:
            last = e
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s (last: {last!r})")


def http_get(port, path, timeout=3):
    """(status, body) of GET http://127.0.0.1:port/path."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def parse_time(text):
    """Docker's and meetgate's RFC 3339 times (nanoseconds cut to microseconds)."""
    match = re.fullmatch(r"([^.]+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    assert match, f"not an RFC 3339 time: {text!r}"
    head, fraction, zone = match.groups()
    fraction = (fraction or "")[:6].ljust(6, "0")
    return datetime.fromisoformat(f"{head}.{fraction}{'+00:00' if zone == 'Z' else zone}")


def json_events(log_text):
    """meetgate's JSON log lines (LOG_FORMAT=json) from a container's output."""
    events = []
    for line in log_text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    return events


class KubeletUsersDir:
    """A users directory written the way the kubelet writes a Secret volume: files in
    a hidden timestamped directory, `..data` pointing at it, each visible name a
    symlink to `..data/<name>`; an update swaps `..data` by renaming `..data_tmp`."""

    def __init__(self, root):
        self.root = root
        self.generation = 0
        os.makedirs(root, exist_ok=True)
        os.chmod(root, 0o755)  # read by uid 1000 in the container

    def write(self, users):
        self.generation += 1
        stamp = time.strftime("..%Y_%m_%d_%H_%M_%S.") + str(self.generation)
        payload = os.path.join(self.root, stamp)
        os.mkdir(payload, 0o755)
        for name, password in users.items():
            with open(os.path.join(payload, name), "w", encoding="utf-8") as f:
                f.write(password)
            os.chmod(os.path.join(payload, name), 0o644)

        data, data_tmp = os.path.join(self.root, "..data"), os.path.join(self.root, "..data_tmp")
        old = os.readlink(data) if os.path.islink(data) else None
        os.symlink(stamp, data_tmp)
        os.rename(data_tmp, data)

        # Then the visible names: new ones linked, vanished ones removed, old payload gone.
        for name in users:
            link = os.path.join(self.root, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)
        for name in os.listdir(self.root):
            if not name.startswith(".") and name not in users:
                os.unlink(os.path.join(self.root, name))
        if old:
            shutil.rmtree(os.path.join(self.root, old))


class Stack:
    """One compose project of compose/test/docker-compose.yml, on ports of its own."""

    def __init__(self, name, users_dir):
        self.name = name
        self.users_dir = users_dir
        self.c2s_port = free_port()
        self.http_port = free_port()
        self.pid1_c2s_port = free_port()
        state = os.environ.get("MEETGATE_CT_STATE")
        if state:
            with open(os.path.join(state, "projects"), "a", encoding="utf-8") as f:
                f.write(name + "\n")

    def env(self):
        env = dict(os.environ)
        env.update(MEETGATE_TEST_USERS=self.users_dir,
                   MEETGATE_TEST_C2S_PORT=str(self.c2s_port),
                   MEETGATE_TEST_HTTP_PORT=str(self.http_port),
                   MEETGATE_TEST_PID1_C2S_PORT=str(self.pid1_c2s_port))
        return env

    def compose(self, *args, timeout=COMMAND_TIMEOUT, check=True):
        return run(["docker-compose", "--ansi", "never", "-p", self.name, "-f", COMPOSE_FILE, *args],
                   timeout=timeout, check=check, env=self.env())

    def container(self, service):
        """The id of the service's container (running or stopped)."""
        ids = self.compose("ps", "-q", service).stdout.split()
        assert len(ids) == 1, f"{service}: expected one container, got {ids}"
        return ids[0]

    def inspect(self, service):
        return json.loads(docker("inspect", self.container(service)).stdout)[0]

    def logs(self, service):
        result = docker("logs", self.container(service))
        return result.stdout + result.stderr

    def down(self):
        self.compose("--profile", "pid1", "down", "-v", "-t", "5", "--remove-orphans",
                     timeout=180, check=False)


@pytest.fixture(scope="session")
def images():
    """docker/Dockerfile's targets and the Prosody 13 test image, built unchanged."""
    os.chdir(REPO)
    timings = {}
    if os.environ.get("MEETGATE_CT_REUSE_IMAGES") == "1":
        # For working on the tests themselves: the images of an earlier run.
        for tag in (PROSODY13_IMAGE, MEETGATE_IMAGE, SIDECAR_IMAGE):
            docker("image", "inspect", tag)
        return timings
    for tag, args in [
        (PROSODY13_IMAGE, ["docker/prosody13"]),
        # The builder stage, tagged so that the script's `podman image prune` keeps its
        # layers (Poco's build among them) for the next run to start from.
        (BUILD_CACHE_IMAGE, ["-f", "docker/Dockerfile", "--target", "build", "."]),
        (MEETGATE_IMAGE, ["-f", "docker/Dockerfile", "--target", "meetgate", "."]),
        (SIDECAR_IMAGE, ["-f", "docker/Dockerfile", "--target", "prosody-sidecar",
                         "--build-arg", f"PROSODY_IMAGE={PROSODY13_IMAGE}", "."]),
    ]:
        started = time.monotonic()
        docker("build", "-t", tag, *args, timeout=BUILD_TIMEOUT)
        timings[tag] = time.monotonic() - started
    for tag, seconds in timings.items():
        print(f"built {tag} in {seconds:.0f} s")
    return timings


@pytest.fixture
def workdir(tmp_path):
    """A directory the containers' uid 1000 can read."""
    os.chmod(tmp_path, 0o755)
    return tmp_path


def project_name(suffix):
    prefix = os.environ.get("MEETGATE_CT_PROJECT_PREFIX", f"mgct{os.getpid()}")
    return f"{prefix}{suffix}"
