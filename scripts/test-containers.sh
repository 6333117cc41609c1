#!/usr/bin/env bash
# meetgate's container suite (tests/containers): builds docker/Dockerfile's targets and
# runs the test stack (compose/test) in real containers, with podman behind Docker's
# API and docker-compose; validates the Kubernetes manifests against the
# kubernetes-models schemas. As root on Debian 12; installs what it needs first.
#
# It starts one `podman system service` on a socket of its own and stops it by its
# pid at the end; every test tears down the containers and volumes it started.
# Kept between runs on the same machine (MEETGATE_CONTAINER_CACHE, default
# /var/cache/meetgate-containers): debootstrap's root file systems as tarballs, the
# base images imported from them, podman's build layers (Poco's build among them)
# and the npm packages. MEETGATE_REFRESH_BASE=1 makes new base images.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cache=${MEETGATE_CONTAINER_CACHE:-/var/cache/meetgate-containers}
started=$SECONDS

say() { printf '== %s (%ds)\n' "$*" $((SECONDS - started)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "test-containers: run as root: rootful podman, apt-get and debootstrap need it" >&2
  exit 1
fi

say "packages"
extra=(podman runc containernetworking-plugins iptables uidmap docker-compose debootstrap
  python3-yaml)
# npm comes with Node.js where that is not Debian's (NodeSource's conflicts with it).
command -v npm >/dev/null || extra+=(npm)
scripts/install-deps.sh "${extra[@]}"

# The project's own podman settings (runc, cgroupfs, ulimits the sandbox allows).
export CONTAINERS_CONF=$repo/tests/containers/containers.conf
state=$(mktemp -d /tmp/meetgate-containers.XXXXXX)
service_pid=""

cleanup() {
  local status=$? project id
  # What a test could not tear down itself: the compose projects this run started
  # (the tests list them in $state/projects), by their containers' and volumes' ids.
  for project in $(cat "$state/projects" 2>/dev/null); do
    for id in $(podman ps -aq --filter "label=com.docker.compose.project=$project"); do
      podman rm -f -t 2 "$id" >/dev/null 2>&1 || true
    done
    for id in $(podman volume ls -q --filter "label=com.docker.compose.project=$project"); do
      podman volume rm -f "$id" >/dev/null 2>&1 || true
    done
    for id in $(podman network ls -q --filter "label=com.docker.compose.project=$project"); do
      podman network rm -f "$id" >/dev/null 2>&1 || true
    done
  done
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$state"
  exit "$status"
}
trap cleanup EXIT

# Base images: Debian's own, made by debootstrap (there is no registry to pull from),
# imported under the names the Dockerfiles use so that they build unchanged.
base_image() {
  local suite=$1 image=docker.io/library/debian:$1-slim tarball=$cache/rootfs-$1.tar
  if [ "${MEETGATE_REFRESH_BASE:-0}" = 1 ]; then
    rm -f "$tarball"
    podman rmi -f "$image" >/dev/null 2>&1 || true
  fi
  if podman image exists "$image"; then
    return
  fi
  if [ ! -f "$tarball" ]; then
    local root=$state/rootfs-$suite
    debootstrap --variant=minbase "$suite" "$root" >"$state/debootstrap-$suite.log" 2>&1 || {
      tail -n 20 "$state/debootstrap-$suite.log" >&2
      return 1
    }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  podman import --quiet "$tarball" "$image" >/dev/null
}

say "base images (debootstrap, cached in $cache)"
mkdir -p "$cache"
base_image bookworm &
bookworm_job=$!
base_image trixie &
trixie_job=$!
wait "$bookworm_job"
wait "$trixie_job"

say "npm packages for the Kubernetes schema check"
validator=$cache/k8s-validate
mkdir -p "$validator"
cp tests/containers/k8s/package.json tests/containers/k8s/validate.mjs "$validator/"
installed=$validator/node_modules/.meetgate-installed
if ! cmp -s "$validator/package.json" "$installed" 2>/dev/null; then
  (cd "$validator" && npm install --no-package-lock --no-audit --no-fund --loglevel=error \
    --engine-strict=false >/dev/null)
  cp "$validator/package.json" "$installed"
fi

say "podman system service on $state/podman.sock"
podman system service --time=0 "unix://$state/podman.sock" >"$state/podman-service.log" 2>&1 &
service_pid=$!
for _ in $(seq 50); do
  [ -S "$state/podman.sock" ] && break
  sleep 0.2
done
[ -S "$state/podman.sock" ] || { cat "$state/podman-service.log" >&2; exit 1; }

say "tests/containers"
export DOCKER_HOST=unix://$state/podman.sock
# Podman's API has no BuildKit session: the classic builder API (buildah behind it).
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
export MEETGATE_CT_PROJECT_PREFIX=mgct$$
export MEETGATE_K8S_VALIDATOR=$validator/validate.mjs
export MEETGATE_CT_STATE=$state
status=0
timeout --kill-after=30s 14m /usr/bin/python3 -m pytest tests/containers -v -s \
  -p no:cacheprovider --durations=5 || status=$?

# Old builds of the test images, now untagged: the layers the next build reuses stay.
podman image prune -f >/dev/null 2>&1 || true
say "done (pytest exit $status)"
exit "$status"
