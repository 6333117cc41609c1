#include "reconcile/data_lock.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/logger.hpp"
#include "util/os_error.hpp"
#include "util/process.hpp"

namespace meetgate::reconcile {
namespace {

// Children get the lock's file as an fd above 2 (0-2 are their pipes): with stdin
// closed, open() could have returned 0.
void move_above_stdio(int& fd) {
  if (fd > STDERR_FILENO)
    return;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved >= 0) {
    ::close(fd);
    fd = moved;
  }
}

}  // namespace

DataLock::DataLock(const std::filesystem::path& data_path, std::chrono::milliseconds wait,
                   std::stop_token stop) {
  const auto path = data_path / kLockFileName;
  // O_NOFOLLOW, and chown only a file we just created: the data directory belongs to
  // the server's user, and a link planted there must not make root chown its target.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  const bool created = fd_ >= 0;
  if (!created && errno == EEXIST) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  }
  if (fd_ < 0) {
    throw std::runtime_error(fmt::format("open {}: {}", path.string(), util::os_reason(errno)));
  }
  move_above_stdio(fd_);

  // Root creates it as the data directory's owner, so a later non-root sidecar can open it.
  struct stat data_dir {};
  if (created && geteuid() == 0 && ::stat(data_path.c_str(), &data_dir) == 0) {
    (void)::fchown(fd_, data_dir.st_uid, data_dir.st_gid);
  }

  // flock, not fcntl locks: it belongs to this open file, not to a process or thread.
  // The prosodyctl calls inherit the file, so the lock stays taken until the last of
  // them ends, even when meetgate is killed mid-call: a call that outlives it (as root
  // prosodyctl changes user, which cancels the parent-death signal) keeps other
  // meetgates out until it is done.
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool logged = false;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int saved = errno;
      ::close(fd_);
      throw std::runtime_error(fmt::format("lock {}: {}", path.string(), util::os_reason(saved)));
    }
    if (stop.stop_requested()) {
      ::close(fd_);
      throw Stopped();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      throw std::runtime_error(fmt::format(
          "{} is locked by another meetgate reconciling this data directory: stop it, or wait",
          path.string()));
    }
    if (!logged) {
      log::info("lock_wait", {{"path", path.string()}});
      logged = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  util::inherit_in_children(fd_);
}

DataLock::~DataLock() {
  util::inherit_in_children(-1);
  if (fd_ >= 0)
    ::close(fd_);
}

}  // namespace meetgate::reconcile
