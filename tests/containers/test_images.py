"""Issue 7, test 1: docker/Dockerfile's targets build unchanged, and the FROM scratch
image runs the static binary."""

import json
import os

from conftest import MEETGATE_IMAGE, SIDECAR_IMAGE, docker, run

MAX_BINARY_BYTES = 5 * 1024 * 1024


def image_config(tag):
    return json.loads(docker("image", "inspect", tag).stdout)[0]["Config"]


def test_scratch_image_runs_meetgate_version(images):
    result = docker("run", "--rm", MEETGATE_IMAGE, "version")

    assert result.stdout.startswith("meetgate ")
    assert "build: Release" in result.stdout


def test_scratch_image_holds_only_the_static_binary(images, tmp_path):
    container = docker("create", MEETGATE_IMAGE).stdout.strip()
    try:
        docker("cp", f"{container}:/usr/local/bin/meetgate", str(tmp_path / "meetgate"))
        # No shell in the image: meetgate needs none.
        no_shell = docker("run", "--rm", "--entrypoint", "/bin/sh", MEETGATE_IMAGE, "-c", "true",
                          check=False)
    finally:
        docker("rm", container)

    binary = str(tmp_path / "meetgate")
    assert "statically linked" in run(["file", binary]).stdout
    assert run(["ldd", binary], check=False).returncode != 0
    assert os.path.getsize(binary) <= MAX_BINARY_BYTES
    assert no_shell.returncode != 0


def test_images_run_as_uid_1000_with_meetgate_as_entrypoint(images):
    scratch, sidecar = image_config(MEETGATE_IMAGE), image_config(SIDECAR_IMAGE)

    assert scratch["User"] == "1000:1000"
    assert scratch["Entrypoint"] == ["/usr/local/bin/meetgate"]
    assert scratch["Labels"]["org.opencontainers.image.title"] == "meetgate"
    assert sidecar["User"] == "1000:1000"
    assert sidecar["Entrypoint"] == ["/usr/local/bin/meetgate"]
    assert sidecar["Cmd"] == ["watch"]


def test_sidecar_image_has_prosody_13_and_meetgate(images):
    version = docker("run", "--rm", SIDECAR_IMAGE, "version")
    whoami = docker("run", "--rm", "--entrypoint", "id", SIDECAR_IMAGE, "-u")
    prosody = docker("run", "--rm", "--entrypoint", "dpkg-query", SIDECAR_IMAGE,
                     "-W", "-f", "${Version}", "prosody")

    assert version.stdout.startswith("meetgate ")
    assert whoami.stdout.strip() == "1000"
    assert prosody.stdout.startswith("13.")
