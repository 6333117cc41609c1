// A "look again now" request that a poll() can wait on, raised from any thread or a
// signal handler and consumed by the waiter.
#pragma once

#include "util/unique_fd.hpp"

namespace meetgate::watch {

class WakeSignal {
 public:
  // Throws std::system_error when no eventfd can be created.
  WakeSignal();

  // Wakes a poll() on fd() until consume() is called; several raises before that count
  // as one. Async-signal-safe and thread-safe: one write(2), errno preserved.
  void raise() noexcept;

  // True when raise() was called since the last consume(); never blocks.
  bool consume() noexcept;

  int fd() const noexcept { return fd_.get(); }

 private:
  util::UniqueFd fd_;
};

}  // namespace meetgate::watch
