"""Issue 7: the Kubernetes manifests (docker/kubernetes, kustomize) and the jitsi-helm
values snippet against the API's schemas (npm kubernetes-models), the fields meetgate
depends on checked by path, and the compose add-on merged into a docker-jitsi-meet
style compose file by docker-compose itself."""

import os
import shutil

import pytest
import yaml

from conftest import REPO, run

KUBERNETES = os.path.join(REPO, "docker", "kubernetes")
HELM_VALUES = os.path.join(KUBERNETES, "jitsi-helm-values.yaml")


def validate(*args):
    validator = os.environ.get("MEETGATE_K8S_VALIDATOR")
    assert validator, "run through scripts/test-containers.sh (it installs the validator)"
    return run(["node", validator, *args], check=False, timeout=60)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not shutil.which("kubectl"):
        pytest.skip("kubectl (for `kubectl kustomize`) is not installed")
    path = tmp_path_factory.mktemp("k8s") / "rendered.yaml"
    path.write_text(run(["kubectl", "kustomize", KUBERNETES]).stdout, encoding="utf-8")
    return path


def objects(path):
    return {(o["kind"], o["metadata"]["name"]): o
            for o in yaml.safe_load_all(path.read_text(encoding="utf-8")) if o}


def sidecar_checks(container, volumes):
    """What meetgate needs from its pod, wherever the pod spec comes from."""
    assert container["restartPolicy"] == "Always"  # a native sidecar
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["MEETGATE_USERS"] == "/users"
    assert env["MEETGATE_HTTP_ADDR"] == "0.0.0.0:9180"
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    users = mounts["/users"]
    assert users.get("readOnly") is True and "subPath" not in users
    assert "secret" in volumes[users["name"]]
    assert "/var/lib/prosody" in mounts and "/run/meetgate" in mounts
    security = container["securityContext"]
    assert security["runAsUser"] == 1000 and security["runAsNonRoot"] is True
    assert security["readOnlyRootFilesystem"] is True
    assert security["capabilities"]["drop"] == ["ALL"]
    assert security["allowPrivilegeEscalation"] is False


def test_kustomize_output_matches_the_api_schemas(rendered):
    result = validate(str(rendered))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid apps/v1 StatefulSet prosody" in result.stdout
    assert "valid v1 Secret meetgate-users" in result.stdout


def test_schema_check_rejects_a_broken_manifest(rendered, tmp_path):
    broken = rendered.read_text(encoding="utf-8").replace("containerPort: 9180",
                                                          "containerPort: metrics")
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")

    result = validate(str(tmp_path / "broken.yaml"))

    assert result.returncode == 1
    assert "INVALID apps/v1 StatefulSet prosody" in result.stdout


def test_meetgate_is_prosodys_native_sidecar(rendered):
    found = objects(rendered)
    pod = found[("StatefulSet", "prosody")]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}

    sidecar = next(c for c in pod["initContainers"] if c["name"] == "meetgate")
    sidecar_checks(sidecar, volumes)
    prosody = next(c for c in pod["containers"] if c["name"] == "prosody")
    assert {"name": "prosody-data", "mountPath": "/var/lib/prosody"} in prosody["volumeMounts"]
    assert ("Secret", "meetgate-users") in found  # no hash suffix: updated in place
    ports = found[("Service", "prosody")]["spec"]["ports"]
    assert {"name": "metrics", "port": 9180, "targetPort": "metrics"} in ports


def test_jitsi_helm_values_snippet(tmp_path):
    result = validate("--helm-values", HELM_VALUES)
    with open(HELM_VALUES, encoding="utf-8") as f:
        prosody = yaml.safe_load(f)["prosody"]

    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid Container meetgate" in result.stdout
    volumes = {v["name"]: v for v in prosody["extraVolumes"]}
    volumes["prosody-data"] = {"persistentVolumeClaim": {}}  # the chart's own
    sidecar_checks(prosody["extraInitContainers"][0], volumes)
    assert prosody["persistence"]["enabled"] is True


# The parts of docker-jitsi-meet's docker-compose.yml the add-on touches.
JITSI_COMPOSE = """
services:
  prosody:
    image: jitsi/prosody:stable-11146-2
    restart: ${RESTART_POLICY:-unless-stopped}
    volumes:
      - ${CONFIG}/prosody/config:/config:Z
      - ${CONFIG}/storage/prosody:/var/lib/prosody:Z
    networks:
      meet.jitsi:
        aliases:
          - xmpp.meet.jitsi
networks:
  meet.jitsi:
"""


def test_compose_addon_merges_into_docker_jitsi_meet(tmp_path):
    (tmp_path / "docker-compose.yml").write_text(JITSI_COMPOSE, encoding="utf-8")
    shutil.copy(os.path.join(REPO, "compose", "meetgate.yml"), tmp_path / "meetgate.yml")
    (tmp_path / ".env").write_text(f"CONFIG={tmp_path}/cfg\nENABLE_AUTH=1\nENABLE_GUESTS=1\n",
                                   encoding="utf-8")

    merged = yaml.safe_load(run(["docker-compose", "--project-directory", str(tmp_path),
                                 "-f", str(tmp_path / "docker-compose.yml"),
                                 "-f", str(tmp_path / "meetgate.yml"), "config"]).stdout)

    meetgate = merged["services"]["meetgate"]
    assert meetgate["environment"]["ENABLE_AUTH"] == "1"  # from .env
    assert meetgate["environment"]["MEETGATE_USERS"] == "/users"
    assert meetgate["restart"] == "unless-stopped"
    assert "/readyz" in " ".join(meetgate["healthcheck"]["test"])
    volumes = {v.split(":")[1]: v for v in meetgate["volumes"]}
    assert volumes["/users"].endswith(":ro,z")  # the directory, read-only
    assert volumes["/var/lib/prosody"] == f"{tmp_path}/cfg/storage/prosody:/var/lib/prosody:z"
    prosody_volumes = merged["services"]["prosody"]["volumes"]
    assert f"{tmp_path}/cfg/storage/prosody:/var/lib/prosody:z" in prosody_volumes
    assert f"{tmp_path}/cfg/storage/prosody:/var/lib/prosody:Z" not in prosody_volumes
