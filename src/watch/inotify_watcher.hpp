// Notices changes to the users source with inotify on the directory that holds it.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "util/unique_fd.hpp"
#include "watch/event_batch.hpp"
#include "watch/source_watcher.hpp"
#include "watch/stop_signal.hpp"
#include "watch/wake_signal.hpp"

namespace meetgate::watch {

// Watches the directory holding the source, never the file alone: Kubernetes swaps a
// `..data` symlink and editors rename over the file, so a watch on the file's inode
// would die on the first update. When the source is a directory it is watched too.
class InotifyWatcher : public SourceWatcher {
 public:
  // How often a missing directory is looked for; only while it is missing.
  static constexpr std::chrono::milliseconds kDefaultRearmInterval{250};

  // Construct it before the first read of the source, so no change slips in between.
  // A missing directory is not an error: wait() returns kRescan once it appears.
  // Throws std::runtime_error on inotify's limits (the text says how to raise them) or
  // when the directory cannot be watched (permission denied).
  explicit InotifyWatcher(const std::filesystem::path& source,
                          std::chrono::milliseconds rearm_interval = kDefaultRearmInterval);

  WaitResult wait(std::chrono::milliseconds timeout) override;
  void stop() override { stop_.raise(); }
  void nudge() override { wake_.raise(); }

 private:
  bool arm_directory();
  void refresh_source_watch();
  EventBatch read_events();
  std::optional<WaitResult> consume();
  WaitResult handle_directory_lost();
  void verify_directory_watch();
  void remove_watch(int& wd);

  std::filesystem::path source_;
  std::filesystem::path directory_;
  std::chrono::milliseconds rearm_interval_;
  util::UniqueFd inotify_;
  StopSignal stop_;
  WakeSignal wake_;
  WatchTargets targets_;
};

}  // namespace meetgate::watch
