// A users directory laid out as Kubernetes mounts a Secret: ..data symlinks.
#include "users/directory_format.hpp"

#include <catch2/catch.hpp>

#include "users/users_source.hpp"
#include "users_test_support.hpp"

namespace fs = std::filesystem;
using meetgate::users::load_users_source;
using meetgate::users::read_directory_entries;
using meetgate::users::test::jitsi_domains;
using meetgate::users::test::TempDirectory;

namespace {

// What the kubelet makes: ..<timestamp>/<key> files, ..data -> ..<timestamp>,
// and <key> -> ..data/<key> for every key.
void make_kubernetes_volume(const TempDirectory& dir,
                            const std::vector<std::pair<std::string, std::string>>& keys) {
  const std::string stamp = "..2024_05_01_10_00_00.123456789";
  for (const auto& [key, value] : keys) {
    dir.write(fs::path(stamp) / key, value);
    fs::create_symlink(fs::path("..data") / key, dir.path() / key);
  }
  fs::create_directory_symlink(stamp, dir.path() / "..data");
}

}  // namespace

TEST_CASE("a Kubernetes volume gives one user per key, sorted", "[directory_format]") {
  TempDirectory dir;
  make_kubernetes_volume(dir, {{"carol", "pw3"}, {"Alice", "pw1\n"}, {"bob", "pw2\r\n"}});

  const auto raw = read_directory_entries(dir.path());

  CHECK(raw.problems.empty());
  REQUIRE(raw.entries.size() == 3);
  CHECK(raw.entries[0].name == "Alice");
  CHECK(raw.entries[0].password == "pw1");
  CHECK(raw.entries[0].location == (dir.path() / "Alice").string());
  CHECK(raw.entries[1].password == "pw2");
  CHECK(raw.entries[2].name == "carol");
  CHECK(raw.entries[2].password == "pw3");
}

TEST_CASE("hidden names and subdirectories are not users", "[directory_format]") {
  TempDirectory dir;
  dir.write(".hidden", "x");
  dir.write("nested/dave", "x");
  dir.write("erin", "pw\n\n");

  const auto raw = read_directory_entries(dir.path());

  REQUIRE(raw.entries.size() == 1);
  CHECK(raw.entries[0].name == "erin");
  CHECK(raw.entries[0].password == "pw\n");
}

TEST_CASE("a dangling symlink is an error, not a deleted user", "[directory_format]") {
  TempDirectory dir;
  fs::create_symlink("..data/gone", dir.path() / "gone");

  const auto raw = read_directory_entries(dir.path());

  REQUIRE(raw.problems.size() == 1);
  CHECK(raw.problems[0].to_string() ==
        (dir.path() / "gone").string() + ": cannot read the file: no such file or directory");
}

TEST_CASE("a file too big for a password is refused without reading it", "[directory_format]") {
  TempDirectory dir;
  dir.write("big", std::string(65537, 'x'));

  const auto raw = read_directory_entries(dir.path());

  REQUIRE(raw.problems.size() == 1);
  CHECK(raw.problems[0].what ==
        "the file is larger than 64 KiB: a password has at most 1023 bytes");
}

TEST_CASE("a directory source is loaded, with user@domain file names", "[directory_format]") {
  TempDirectory dir;
  make_kubernetes_volume(dir, {{"alice", "pw1\n"}, {"bob@other.jitsi", "pw2\n"}});

  const auto result = load_users_source(dir.path(), jitsi_domains());

  REQUIRE(result.source);
  REQUIRE(result.source->users.size() == 2);
  CHECK(result.source->users[1].username == "bob");
  CHECK(result.source->users[1].host == "other.jitsi");
}
