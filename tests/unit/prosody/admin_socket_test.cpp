// Tests for finding and probing Prosody's admin socket, with real unix sockets.
#include "prosody/admin_socket.hpp"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

using meetgate::prosody::admin_socket_path;
using meetgate::prosody::admin_socket_problem;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "socket-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

// A unix socket bound at `path`, listening until closed.
int listen_at(const fs::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  return fd;
}

}  // namespace

TEST_CASE("the admin socket is the config's, relative to the data path, else the default") {
  CHECK(admin_socket_path(std::nullopt, "/data") == "/data/prosody.sock");
  CHECK(admin_socket_path("admin.sock", "/data") == "/data/admin.sock");
  CHECK(admin_socket_path("/run/prosody/admin.sock", "/data") == "/run/prosody/admin.sock");
}

TEST_CASE("a listening server answers") {
  TempDir dir;
  int fd = listen_at(dir.path / "prosody.sock");

  CHECK(admin_socket_problem(dir.path / "prosody.sock") == "");
  ::close(fd);
}

TEST_CASE("no socket, or one left behind by a stopped server, does not answer") {
  TempDir dir;
  ::close(listen_at(dir.path / "stale.sock"));  // the file stays, nobody listens

  CHECK(admin_socket_problem(dir.path / "prosody.sock") ==
        "connect " + (dir.path / "prosody.sock").string() + ": no such file or directory");
  CHECK(admin_socket_problem(dir.path / "stale.sock") ==
        "connect " + (dir.path / "stale.sock").string() + ": connection refused");
}

TEST_CASE("a path too long for a unix socket is said so") {
  const fs::path path = "/" + std::string(120, 'x');

  CHECK(admin_socket_problem(path) ==
        "connect " + path.string() + ": path too long for a unix socket");
}
