// The inotify watcher's steps: arm, wait (poll), consume (read and sort events), re-arm.
#include "watch/inotify_watcher.hpp"

#include <errno.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <system_error>

#include "watch/inotify_limits.hpp"

namespace meetgate::watch {
namespace {

using Clock = std::chrono::steady_clock;

// Creation, removal, renames and writes of entries, plus the watch's own end. No
// IN_ACCESS or IN_OPEN: reading the source must not wake us.
constexpr std::uint32_t kEntryEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                       IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF |
                                       IN_MOVE_SELF;

// "/config/users.txt/" and "users.txt" both become absolute paths with a file name.
std::filesystem::path normal_source(const std::filesystem::path& source) {
  auto path = std::filesystem::absolute(source).lexically_normal();
  if (!path.has_filename() && path.has_parent_path())
    path = path.parent_path();
  return path;
}

bool is_directory_now(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  // poll() takes an int: a wait beyond ~24 days is cut short, never wrapped negative.
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, INT_MAX));
}

}  // namespace

InotifyWatcher::InotifyWatcher(const std::filesystem::path& source,
                               std::chrono::milliseconds rearm_interval)
    : source_(normal_source(source)),
      directory_(source_.parent_path()),
      rearm_interval_(rearm_interval),
      inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (!inotify_.valid())
    throw std::runtime_error(inotify_error_text("inotify_init1", errno));
  targets_.source_name = source_.filename().string();

  if (arm_directory())
    refresh_source_watch();
}

WaitResult InotifyWatcher::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!stop_.raised()) {
    // A missing directory is looked for again every rearm interval.
    const bool armed = targets_.directory_wd >= 0;
    if (!armed && arm_directory()) {
      refresh_source_watch();
      return WaitResult::kRescan;
    }

    int wait_ms = remaining_ms(deadline);
    if (!armed)
      wait_ms = std::min(wait_ms, static_cast<int>(rearm_interval_.count()));
    pollfd fds[] = {{stop_.fd(), POLLIN, 0}, {inotify_.get(), POLLIN, 0}, {wake_.fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 3, wait_ms);
    if (ready < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "poll inotify");

    if (ready > 0 && (fds[2].revents & POLLIN) != 0 && wake_.consume() && !stop_.raised())
      return WaitResult::kNudged;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0)
      if (const auto result = consume())
        return *result;
    if (Clock::now() >= deadline && !stop_.raised())
      return WaitResult::kTimeout;
  }
  return WaitResult::kStopped;
}

// Watches the directory holding the source; false while it does not exist.
bool InotifyWatcher::arm_directory() {
  const int wd = ::inotify_add_watch(inotify_.get(), directory_.c_str(), kEntryEvents | IN_ONLYDIR);
  if (wd >= 0) {
    targets_.directory_wd = wd;
    return true;
  }
  if (errno == ENOENT || errno == ENOTDIR)
    return false;
  throw std::runtime_error(inotify_error_text("watch " + directory_.string(), errno));
}

// Follows the source when it is a directory (through symlinks: `..data/users` resolves
// to the current timestamped directory), drops the watch when it no longer is one.
void InotifyWatcher::refresh_source_watch() {
  if (!is_directory_now(source_)) {
    remove_watch(targets_.source_wd);
    return;
  }

  const int wd = ::inotify_add_watch(inotify_.get(), source_.c_str(), kEntryEvents | IN_ONLYDIR);
  if (wd < 0 && errno != ENOENT && errno != ENOTDIR)
    throw std::runtime_error(inotify_error_text("watch " + source_.string(), errno));
  // Same inode, same wd; a new inode gets a new wd and the old one must go.
  if (wd != targets_.source_wd)
    remove_watch(targets_.source_wd);
  targets_.source_wd = wd;
}

// Reads every queued event and sorts them into one batch.
EventBatch InotifyWatcher::read_events() {
  EventBatch batch;
  alignas(inotify_event) char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(inotify_.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return batch;

    const auto more = consume_inotify_events({buffer, static_cast<std::size_t>(got)}, targets_);
    batch.source_changed |= more.source_changed;
    batch.overflowed |= more.overflowed;
    batch.directory_lost |= more.directory_lost;
  }
}

// Acts on the queued events and says what wait() returns, or nothing to keep waiting.
std::optional<WaitResult> InotifyWatcher::consume() {
  const bool was_armed = targets_.directory_wd >= 0;
  const EventBatch batch = read_events();

  if (batch.overflowed && was_armed)
    verify_directory_watch();
  if (batch.directory_lost || (was_armed && targets_.directory_wd < 0))
    return handle_directory_lost();

  if (batch.overflowed || batch.source_changed)
    refresh_source_watch();
  if (batch.overflowed)
    return WaitResult::kRescan;
  if (batch.source_changed)
    return WaitResult::kChanged;
  return std::nullopt;
}

// The directory was removed, moved away or unmounted: watch the path again if
// something is there now (kRescan), else report the loss; wait() polls for it.
WaitResult InotifyWatcher::handle_directory_lost() {
  remove_watch(targets_.directory_wd);
  remove_watch(targets_.source_wd);
  if (arm_directory()) {
    refresh_source_watch();
    return WaitResult::kRescan;
  }

  // The source went with its directory: the caller sees it missing.
  return WaitResult::kChanged;
}

// An overflow may have swallowed the IN_IGNORED of a removed or replaced directory:
// adding the watch again returns the same wd for the same directory, else a new one.
void InotifyWatcher::verify_directory_watch() {
  int old_wd = targets_.directory_wd;
  if (!arm_directory()) {
    remove_watch(targets_.directory_wd);
    return;
  }
  if (targets_.directory_wd != old_wd)
    remove_watch(old_wd);
}

// Gives up a watch; the kernel may have dropped it already (EINVAL), which is fine.
void InotifyWatcher::remove_watch(int& wd) {
  if (wd >= 0)
    ::inotify_rm_watch(inotify_.get(), wd);
  wd = -1;
}

}  // namespace meetgate::watch
