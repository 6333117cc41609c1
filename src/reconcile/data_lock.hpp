// An exclusive lock on Prosody's data directory, so two meetgates (a sidecar and an
// operator's one-shot sync, say) never reconcile the same accounts at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <stop_token>
#include <string_view>

namespace meetgate::reconcile {

inline constexpr std::string_view kLockFileName = "meetgate.lock";

class DataLock {
 public:
  // Thrown when a stop was requested while waiting: nothing was done yet.
  struct Stopped : std::runtime_error {
    Stopped() : std::runtime_error("stopped while waiting for the data directory's lock") {}
  };

  // Waits up to `wait` for the lock on `<data_path>/meetgate.lock`. Throws
  // std::runtime_error saying who to look for when it stays taken, Stopped when `stop`
  // is requested meanwhile (SIGTERM must not wait out another meetgate's reconcile).
  DataLock(const std::filesystem::path& data_path, std::chrono::milliseconds wait,
           std::stop_token stop = {});
  ~DataLock();

  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace meetgate::reconcile
