// A one-way "stop now" flag that a poll() can wait on, raised from a signal handler.
#pragma once

#include <atomic>

#include "util/unique_fd.hpp"

namespace meetgate::watch {

class StopSignal {
 public:
  // Throws std::system_error when no eventfd can be created.
  StopSignal();

  // Raises the flag and wakes every poll() on fd(). Async-signal-safe and thread-safe:
  // one lock-free store and one write(2), errno preserved.
  void raise() noexcept;

  bool raised() const noexcept { return raised_.load(std::memory_order_acquire); }

  // Readable from the first raise() on, for good: it is never drained.
  int fd() const noexcept { return fd_.get(); }

 private:
  static_assert(std::atomic<bool>::is_always_lock_free);

  util::UniqueFd fd_;
  std::atomic<bool> raised_{false};
};

}  // namespace meetgate::watch
