// An exclusive lock on Prosody's data directory, so two meetgates (a sidecar and an
// operator's one-shot sync, say) never reconcile the same accounts at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <string_view>

namespace meetgate::reconcile {

inline constexpr std::string_view kLockFileName = "meetgate.lock";

class DataLock {
 public:
  // Waits up to `wait` for the lock on `<data_path>/meetgate.lock`. Throws
  // std::runtime_error saying who to look for when it stays taken.
  DataLock(const std::filesystem::path& data_path, std::chrono::milliseconds wait);
  ~DataLock();

  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace meetgate::reconcile
