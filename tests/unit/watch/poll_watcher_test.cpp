// Tests for PollWatcher on a real temp directory with a short interval.
#include "watch/poll_watcher.hpp"

#include <catch2/catch.hpp>
#include <thread>

#include "watch_test_support.hpp"

using meetgate::watch::PollWatcher;
using meetgate::watch::WaitResult;
using namespace meetgate::watch::test;
namespace fs = std::filesystem;

TEST_CASE("poll watcher: nothing changed is a timeout") {
  TempDirectory dir;
  write_file(dir.path() / "users.txt", "alice:pw\n");
  PollWatcher watcher(dir.path() / "users.txt", 20ms);

  CHECK(watcher.wait(100ms) == WaitResult::kTimeout);
}

TEST_CASE("poll watcher: an in-place rewrite of the same size is seen by its mtime") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  write_file(users, "alice:pw\n");
  const auto before = fs::last_write_time(users);
  PollWatcher watcher(users, 20ms);

  write_file(users, "alice:PW\n");
  fs::last_write_time(users, before + 1s);

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
  CHECK(watcher.wait(100ms) == WaitResult::kTimeout);
}

TEST_CASE("poll watcher: a file renamed over the source is seen by its inode") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  write_file(users, "alice:pw\n");
  const auto mtime = fs::last_write_time(users);
  PollWatcher watcher(users, 20ms);

  write_file(dir.path() / "users.tmp", "alice:PW\n");
  fs::last_write_time(dir.path() / "users.tmp", mtime);
  fs::rename(dir.path() / "users.tmp", users);

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
}

TEST_CASE("poll watcher: entries of a directory source are compared") {
  TempDirectory dir;
  fs::create_directory(dir.path() / "users.d");
  PollWatcher watcher(dir.path() / "users.d", 20ms);

  write_file(dir.path() / "users.d" / "bob.txt", "bob:pw\n");

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
}

TEST_CASE("poll watcher: the source appearing and disappearing are changes") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  PollWatcher watcher(users, 20ms);

  write_file(users, "alice:pw\n");
  const auto appeared = watcher.wait(500ms);
  fs::remove(users);
  const auto removed = watcher.wait(500ms);

  CHECK(appeared == WaitResult::kChanged);
  CHECK(removed == WaitResult::kChanged);
}

TEST_CASE("poll watcher: stop from another thread ends a wait") {
  TempDirectory dir;
  PollWatcher watcher(dir.path() / "users.txt", 10s);
  std::chrono::steady_clock::duration took{};

  const auto result = stop_during_wait(watcher, &took);

  CHECK(result == WaitResult::kStopped);
  CHECK(took < 2s);
  CHECK(watcher.wait(5s) == WaitResult::kStopped);
}

TEST_CASE("poll watcher: a nudge wakes a wait once") {
  TempDirectory dir;
  write_file(dir.path() / "users.txt", "alice:pw\n");
  PollWatcher watcher(dir.path() / "users.txt", 10s);

  CHECK(nudge_during_wait(watcher) == WaitResult::kNudged);
  CHECK(watcher.wait(50ms) == WaitResult::kTimeout);
}
