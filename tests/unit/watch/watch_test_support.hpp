// Shared setup for the watch tests: a scratch directory and helpers to step a watcher.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>

#include "watch/source_watcher.hpp"

namespace meetgate::watch::test {

using namespace std::chrono_literals;

// A fresh directory under /tmp, removed with everything in it at the end of a test.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "meetgate-watch-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Waits out what is still queued, so the next wait() sees only the next action.
inline void drain(SourceWatcher& watcher) {
  for (int i = 0; i < 20 && watcher.wait(50ms) != WaitResult::kTimeout; ++i) {
  }
}

// stop() from another thread must end a long wait, and every wait after it. The bound is
// the daemon's 2 s shutdown promise, not a speed target: a loaded CI machine is slow.
inline WaitResult stop_during_wait(SourceWatcher& watcher,
                                   std::chrono::steady_clock::duration* took) {
  const auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    watcher.stop();
  });
  const auto result = watcher.wait(30s);
  stopper.join();
  *took = std::chrono::steady_clock::now() - started;
  return result;
}

// nudge() wakes a long wait once with kNudged; the wait after it sees nothing new.
inline WaitResult nudge_during_wait(SourceWatcher& watcher) {
  std::thread nudger([&] {
    std::this_thread::sleep_for(20ms);
    watcher.nudge();
  });
  const auto result = watcher.wait(30s);
  nudger.join();
  return result;
}

}  // namespace meetgate::watch::test

namespace Catch {
template <>
struct StringMaker<meetgate::watch::WaitResult> {
  static std::string convert(meetgate::watch::WaitResult result) {
    using meetgate::watch::WaitResult;
    switch (result) {
      case WaitResult::kChanged:
        return "kChanged";
      case WaitResult::kTimeout:
        return "kTimeout";
      case WaitResult::kStopped:
        return "kStopped";
      case WaitResult::kRescan:
        return "kRescan";
      case WaitResult::kNudged:
        return "kNudged";
    }
    return "?";
  }
};
}  // namespace Catch
