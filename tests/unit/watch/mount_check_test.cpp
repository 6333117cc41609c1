// Tests for mount_warning on mountinfo samples from Docker and Kubernetes containers.
#include "watch/mount_check.hpp"

#include <catch2/catch.hpp>

using meetgate::watch::mount_warning;
using meetgate::watch::read_mount_warning;

namespace {

// The container's root and /proc, as every sample has them.
const std::string kBase =
    "1200 1100 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/l\n"
    "1201 1200 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n";

}  // namespace

TEST_CASE("mount check: a single-file bind mount is warned about") {
  const std::string mountinfo =
      kBase +
      "1210 1200 8:1 /home/ops/jitsi/users.txt /config/users.txt rw,relatime - ext4 "
      "/dev/sda1 rw\n";

  CHECK(mount_warning(mountinfo, "/config/users.txt", false) ==
        "users source /config/users.txt is a single-file bind mount: it will never see "
        "updates that replace the file (editors, sed -i, kubectl); mount the directory that "
        "holds it instead");
}

TEST_CASE("mount check: a Kubernetes subPath mount is warned about") {
  const std::string configmap_root =
      "/var/lib/kubelet/pods/4f1c/volumes/kubernetes.io~configmap/users/..2026_12_03_14_40_05"
      ".1234/users.txt";
  const std::string subpaths_root = "/var/lib/kubelet/pods/4f1c/volume-subpaths/users/prosody/0";
  const std::string expected =
      "users source /config/users.txt is a Kubernetes subPath mount: it will never see "
      "updates to its ConfigMap or Secret; mount the whole volume on a directory instead";

  for (const auto& root : {configmap_root, subpaths_root}) {
    const std::string mountinfo = kBase + "1220 1200 259:1 " + root +
                                  " /config/users.txt ro,relatime - ext4 "
                                  "/dev/nvme0n1p1 rw\n";

    CHECK(mount_warning(mountinfo, "/config/users.txt", false) == expected);
  }
}

TEST_CASE("mount check: a directory mount is fine") {
  const std::string mountinfo =
      kBase +
      "1230 1200 259:1 /var/lib/kubelet/pods/4f1c/volumes/kubernetes.io~configmap/users"
      " /config ro,relatime - ext4 /dev/nvme0n1p1 rw\n";

  CHECK(mount_warning(mountinfo, "/config/users.txt", false).empty());
  CHECK(mount_warning(mountinfo, "/config", true).empty());
}

TEST_CASE("mount check: escaped spaces in the mount point are decoded") {
  const std::string mountinfo =
      kBase +
      "1240 1200 8:1 /srv/my\\040users.txt /my\\040config/users.txt rw - ext4 "
      "/dev/sda1 rw\n";

  CHECK_FALSE(mount_warning(mountinfo, "/my config/users.txt", false).empty());
}

TEST_CASE("mount check: the last mount on a path is the one that counts") {
  const std::string mountinfo =
      kBase +
      "1250 1200 8:1 /srv/users.txt /config/users.txt rw - ext4 /dev/sda1 rw\n"
      "1251 1200 8:1 /srv/conf /config/users.txt rw - ext4 /dev/sda1 rw\n";

  CHECK(mount_warning(mountinfo, "/config/users.txt", true).empty());
}

TEST_CASE("mount check: this process's own temp files are not mounts") {
  CHECK(read_mount_warning("/tmp/meetgate-no-such-users.txt").empty());
}
