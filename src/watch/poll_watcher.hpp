// Notices changes to the users source by comparing stat() snapshots at an interval,
// for file systems where inotify sees nothing (NFS, Docker Desktop's shared folders).
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "watch/source_watcher.hpp"
#include "watch/stop_signal.hpp"
#include "watch/wake_signal.hpp"

namespace meetgate::watch {

// What stat() says about the source or one entry of a directory source (following
// symlinks, so a swapped `..data` shows as a new inode).
struct StatEntry {
  std::string name;  // empty for the source itself
  bool exists = false;
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;

  bool operator==(const StatEntry&) const = default;
};

using SourceSnapshot = std::vector<StatEntry>;

// The source itself, then, for a directory, its entries sorted by name.
SourceSnapshot take_snapshot(const std::filesystem::path& source);

class PollWatcher : public SourceWatcher {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{2000};

  // Takes the first snapshot now; changes are measured against it.
  explicit PollWatcher(std::filesystem::path source,
                       std::chrono::milliseconds interval = kDefaultInterval);

  WaitResult wait(std::chrono::milliseconds timeout) override;
  void stop() override { stop_.raise(); }
  void nudge() override { wake_.raise(); }

 private:
  std::filesystem::path source_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point next_check_;
  SourceSnapshot snapshot_;
  StopSignal stop_;
  WakeSignal wake_;
};

}  // namespace meetgate::watch
