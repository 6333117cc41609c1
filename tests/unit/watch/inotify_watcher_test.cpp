// Tests for InotifyWatcher against real inotify in a temp directory: every way the
// users source really changes, bounded by short timeouts.
#include "watch/inotify_watcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "util/file_io.hpp"
#include "watch_test_support.hpp"

using meetgate::util::read_file;
using meetgate::watch::InotifyWatcher;
using meetgate::watch::SourceWatcher;
using meetgate::watch::WaitResult;
using namespace meetgate::watch::test;
namespace fs = std::filesystem;

namespace {

// The kubelet's update: a new timestamped directory, `..data_tmp` pointing at it,
// renamed over `..data`, then the old directory removed.
void kubelet_update(const fs::path& volume, int generation, const std::string& content) {
  const std::string stamp = "..2026_12_03_14_40_0" + std::to_string(generation) + ".42";
  fs::create_directory(volume / stamp);
  write_file(volume / stamp / "users.txt", content);

  fs::create_symlink(stamp, volume / "..data_tmp");
  fs::rename(volume / "..data_tmp", volume / "..data");
  if (generation > 0)
    fs::remove_all(volume / ("..2026_12_03_14_40_0" + std::to_string(generation - 1) + ".42"));
}

// A ConfigMap volume as the kubelet first writes it: users.txt -> ..data/users.txt.
void kubelet_volume(const fs::path& volume) {
  kubelet_update(volume, 0, "alice:pw\n");
  fs::create_symlink("..data/users.txt", volume / "users.txt");
}

// Waits until `watcher` reports `wanted`, allowing a few other results first.
WaitResult wait_for(SourceWatcher& watcher, WaitResult wanted) {
  auto result = watcher.wait(500ms);
  for (int i = 0; i < 5 && result != wanted && result != WaitResult::kTimeout; ++i)
    result = watcher.wait(500ms);
  return result;
}

}  // namespace

TEST_CASE("inotify watcher: an editor's write and rename over the file is a change") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  write_file(users, "alice:pw\n");
  InotifyWatcher watcher(users);

  write_file(dir.path() / ".users.txt.swp", "alice:PW\n");
  fs::rename(dir.path() / ".users.txt.swp", users);

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: both steps of an in-place rewrite are changes") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  write_file(users, "alice:pw\n");
  InotifyWatcher watcher(users);

  ::truncate(users.c_str(), 0);
  const auto truncated = watcher.wait(500ms);
  drain(watcher);
  write_file(users, "alice:PW\n");
  const auto written = watcher.wait(500ms);

  CHECK(truncated == WaitResult::kChanged);
  CHECK(written == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: the file deleted then restored are changes") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  write_file(users, "alice:pw\n");
  InotifyWatcher watcher(users);

  fs::remove(users);
  const auto deleted = watcher.wait(500ms);
  drain(watcher);
  write_file(users, "alice:pw\n");
  const auto restored = watcher.wait(500ms);

  CHECK(deleted == WaitResult::kChanged);
  CHECK(restored == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: every kubelet update of a ConfigMap volume is a change") {
  TempDirectory dir;
  kubelet_volume(dir.path());
  InotifyWatcher watcher(dir.path() / "users.txt");

  for (int generation = 1; generation <= 3; ++generation) {
    kubelet_update(dir.path(), generation, "alice:v" + std::to_string(generation) + "\n");

    CHECK(watcher.wait(500ms) == WaitResult::kChanged);
    drain(watcher);
  }
}

TEST_CASE("inotify watcher: a kubelet update inside a directory source is a change") {
  TempDirectory dir;
  const auto volume = dir.path() / "users.d";
  fs::create_directory(volume);
  kubelet_volume(volume);
  InotifyWatcher watcher(volume);

  kubelet_update(volume, 1, "alice:v1\n");

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: a file written inside a directory source is a change") {
  TempDirectory dir;
  fs::create_directory(dir.path() / "users.d");
  InotifyWatcher watcher(dir.path() / "users.d");

  write_file(dir.path() / "users.d" / "bob.txt", "bob:pw\n");

  CHECK(watcher.wait(500ms) == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: other files in the directory are ignored") {
  TempDirectory dir;
  write_file(dir.path() / "users.txt", "alice:pw\n");
  InotifyWatcher watcher(dir.path() / "users.txt");

  write_file(dir.path() / "notes.txt", "unrelated\n");
  fs::rename(dir.path() / "notes.txt", dir.path() / "notes.old");

  CHECK(watcher.wait(150ms) == WaitResult::kTimeout);
}

TEST_CASE("inotify watcher: the directory removed and recreated is re-armed") {
  TempDirectory dir;
  const auto config = dir.path() / "config";
  fs::create_directory(config);
  write_file(config / "users.txt", "alice:pw\n");
  InotifyWatcher watcher(config / "users.txt", 20ms);

  fs::remove_all(config);
  const auto removed = watcher.wait(500ms);
  const auto while_missing = watcher.wait(100ms);
  fs::create_directory(config);
  const auto recreated = wait_for(watcher, WaitResult::kRescan);
  write_file(config / "users.txt", "alice:PW\n");
  const auto written = watcher.wait(500ms);

  CHECK(removed == WaitResult::kChanged);
  CHECK(while_missing == WaitResult::kTimeout);
  CHECK(recreated == WaitResult::kRescan);
  CHECK(written == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: the directory moved away and replaced is re-armed") {
  TempDirectory dir;
  const auto config = dir.path() / "config";
  fs::create_directory(config);
  InotifyWatcher watcher(config / "users.txt", 20ms);

  fs::rename(config, dir.path() / "config.old");
  fs::create_directory(config);
  const auto replaced = wait_for(watcher, WaitResult::kRescan);
  write_file(dir.path() / "config.old" / "users.txt", "old\n");
  const auto old_written = watcher.wait(150ms);
  write_file(config / "users.txt", "alice:pw\n");
  const auto written = watcher.wait(500ms);

  CHECK(replaced == WaitResult::kRescan);
  CHECK(old_written == WaitResult::kTimeout);
  CHECK(written == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: a directory missing at start is waited for") {
  TempDirectory dir;
  const auto config = dir.path() / "config";
  InotifyWatcher watcher(config / "users.txt", 20ms);

  const auto missing = watcher.wait(100ms);
  fs::create_directory(config);
  const auto appeared = watcher.wait(500ms);
  write_file(config / "users.txt", "alice:pw\n");
  const auto written = watcher.wait(500ms);

  CHECK(missing == WaitResult::kTimeout);
  CHECK(appeared == WaitResult::kRescan);
  CHECK(written == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: a queue overflow asks for a rescan, then watching goes on") {
  TempDirectory dir;
  const auto users = dir.path() / "users.txt";
  InotifyWatcher watcher(users);

  // Writes alternating between two files queue one IN_MODIFY each (only identical
  // neighbours merge); outrun the queue while nobody reads.
  const int queue_limit = std::stoi(read_file("/proc/sys/fs/inotify/max_queued_events"));
  const int files[] = {::open((dir.path() / "a").c_str(), O_CREAT | O_WRONLY, 0644),
                       ::open((dir.path() / "b").c_str(), O_CREAT | O_WRONLY, 0644)};
  int written_bytes = 0;
  for (int i = 0; i < queue_limit + 100; ++i)
    written_bytes += static_cast<int>(::write(files[i % 2], "x", 1));
  ::close(files[0]);
  ::close(files[1]);
  const auto overflowed = watcher.wait(500ms);
  drain(watcher);
  write_file(users, "alice:pw\n");
  const auto written = watcher.wait(500ms);

  CHECK(written_bytes == queue_limit + 100);
  CHECK(overflowed == WaitResult::kRescan);
  CHECK(written == WaitResult::kChanged);
}

TEST_CASE("inotify watcher: stop from another thread ends a wait") {
  TempDirectory dir;
  InotifyWatcher watcher(dir.path() / "users.txt");
  std::chrono::steady_clock::duration took{};

  const auto result = stop_during_wait(watcher, &took);

  CHECK(result == WaitResult::kStopped);
  CHECK(took < 2s);
}

TEST_CASE("inotify watcher: after stop every wait returns at once") {
  TempDirectory dir;
  InotifyWatcher watcher(dir.path() / "missing" / "users.txt", 20ms);

  watcher.stop();

  CHECK(watcher.wait(5s) == WaitResult::kStopped);
  CHECK(watcher.wait(5s) == WaitResult::kStopped);
}

namespace {
SourceWatcher* g_stopped_by_signal = nullptr;
void stop_on_signal(int) {
  g_stopped_by_signal->stop();
}
}  // namespace

TEST_CASE("inotify watcher: stop may be called from a signal handler") {
  TempDirectory dir;
  InotifyWatcher watcher(dir.path() / "users.txt");
  g_stopped_by_signal = &watcher;
  struct sigaction action {};
  action.sa_handler = stop_on_signal;
  struct sigaction old {};
  ::sigaction(SIGUSR1, &action, &old);

  std::thread signaller([] {
    std::this_thread::sleep_for(20ms);
    ::kill(::getpid(), SIGUSR1);
  });
  const auto result = watcher.wait(5s);
  signaller.join();
  ::sigaction(SIGUSR1, &old, nullptr);

  CHECK(result == WaitResult::kStopped);
}

TEST_CASE("inotify watcher: a nudge wakes a wait once") {
  TempDirectory dir;
  write_file(dir.path() / "users.txt", "alice:pw\n");
  InotifyWatcher watcher(dir.path() / "users.txt");

  CHECK(nudge_during_wait(watcher) == WaitResult::kNudged);
  CHECK(watcher.wait(50ms) == WaitResult::kTimeout);
}

TEST_CASE("inotify watcher: a nudge before the wait is not lost") {
  TempDirectory dir;
  InotifyWatcher watcher(dir.path() / "users.txt");

  watcher.nudge();
  watcher.nudge();

  CHECK(watcher.wait(5s) == WaitResult::kNudged);
  CHECK(watcher.wait(50ms) == WaitResult::kTimeout);
}
