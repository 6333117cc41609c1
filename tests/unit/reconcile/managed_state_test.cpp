#include "reconcile/managed_state.hpp"

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "util/file_io.hpp"

using namespace meetgate::reconcile;

TEST_CASE("the state round-trips through JSON") {
  ManagedState state;
  state.add("meet.jitsi", "alice");
  state.add("meet.jitsi", "bob");
  state.add("auth.meet.jitsi", "focus");

  auto copy = ManagedState::from_json(state.to_json());

  CHECK(copy == state);
  CHECK(copy.count("meet.jitsi") == 2);
  CHECK(copy.total() == 3);
}

TEST_CASE("removing the last account of a host drops the host") {
  ManagedState state;
  state.add("meet.jitsi", "alice");

  state.remove("meet.jitsi", "alice");

  CHECK(state.hosts().empty());
}

TEST_CASE("a damaged state file is an error, not an empty state") {
  CHECK_THROWS_WITH(ManagedState::from_json("{\"version\": 2}"),
                    "not a meetgate state file of version 1");
  CHECK_THROWS(ManagedState::from_json("{\"version\": 1, \"managed\": {\"h\": [1]}}"));
  CHECK_THROWS(ManagedState::from_json("{truncated"));
}

TEST_CASE("the state file is written 0600 and read back") {
  auto dir =
      std::filesystem::temp_directory_path() / ("meetgate-state-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ManagedState state;
  state.add("meet.jitsi", "alice");

  save_managed_state(dir, state);

  struct stat info {};
  REQUIRE(::stat((dir / kStateFileName).c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(load_managed_state(dir) == state);
  std::filesystem::remove_all(dir);
}

TEST_CASE("no state file means nothing is managed yet") {
  CHECK(load_managed_state("/nonexistent-meetgate-dir").total() == 0);
}

// The data directory belongs to the server's user; a link planted there must never make
// meetgate (as root) read, overwrite or chown the file it points to.
TEST_CASE("a symlink in place of the state file is neither followed nor trusted") {
  auto dir = std::filesystem::temp_directory_path() /
             ("meetgate-state-link-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto victim = dir / "victim";
  meetgate::util::write_file_atomically(victim, "precious\n");
  std::filesystem::create_symlink(victim, dir / kStateFileName);

  CHECK_THROWS_WITH(load_managed_state(dir),
                    Catch::Contains("is not a regular file (a link?): remove it"));
  save_managed_state(dir, ManagedState());

  CHECK(meetgate::util::read_file(victim) == "precious\n");
  CHECK_FALSE(std::filesystem::is_symlink(dir / kStateFileName));
  std::filesystem::remove_all(dir);
}
