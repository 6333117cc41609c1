// Polling the users source with stat(): snapshots, compared every interval.
#include "watch/poll_watcher.hpp"

#include <errno.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <system_error>
#include <utility>

namespace meetgate::watch {
namespace {

using Clock = std::chrono::steady_clock;

StatEntry stat_entry(const std::filesystem::path& path, std::string name) {
  StatEntry entry{std::move(name)};
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return entry;

  entry.exists = true;
  entry.inode = info.st_ino;
  entry.size = info.st_size;
  entry.mtime_ns = std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  return entry;
}

// The entries of a directory source; an entry removed while we list it just shows as
// missing, which the next snapshot settles.
void add_directory_entries(const std::filesystem::path& source, SourceSnapshot& snapshot) {
  std::error_code error;
  std::filesystem::directory_iterator it(source, error);
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error))
    snapshot.push_back(stat_entry(it->path(), it->path().filename().string()));

  std::sort(snapshot.begin() + 1, snapshot.end(),
            [](const StatEntry& a, const StatEntry& b) { return a.name < b.name; });
}

}  // namespace

SourceSnapshot take_snapshot(const std::filesystem::path& source) {
  SourceSnapshot snapshot{stat_entry(source, "")};
  struct stat info {};
  if (::stat(source.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    add_directory_entries(source, snapshot);
  return snapshot;
}

PollWatcher::PollWatcher(std::filesystem::path source, std::chrono::milliseconds interval)
    : source_(std::move(source)),
      interval_(interval),
      next_check_(Clock::now() + interval),
      snapshot_(take_snapshot(source_)) {}

WaitResult PollWatcher::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!stop_.raised()) {
    // Sleep until the next check or the deadline, whichever is first; stop wakes us.
    const auto until = std::min(deadline, next_check_);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    pollfd fds[] = {{stop_.fd(), POLLIN, 0}, {wake_.fd(), POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, INT_MAX))) < 0 &&
        errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "poll stop eventfd");
    if (stop_.raised())
      break;
    if ((fds[1].revents & POLLIN) != 0 && wake_.consume())
      return WaitResult::kNudged;

    if (Clock::now() >= next_check_) {
      next_check_ = Clock::now() + interval_;
      auto snapshot = take_snapshot(source_);
      if (snapshot != snapshot_) {
        snapshot_ = std::move(snapshot);
        return WaitResult::kChanged;
      }
    }
    if (Clock::now() >= deadline)
      return WaitResult::kTimeout;
  }
  return WaitResult::kStopped;
}

}  // namespace meetgate::watch
