// A "look again now" request backed by a non-blocking eventfd.
#include "watch/wake_signal.hpp"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

namespace meetgate::watch {

WakeSignal::WakeSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!fd_.valid())
    throw std::system_error(errno, std::generic_category(), "create wake eventfd");
}

void WakeSignal::raise() noexcept {
  const int saved_errno = errno;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(fd_.get(), &one, sizeof one);
  errno = saved_errno;
}

bool WakeSignal::consume() noexcept {
  // Reading an eventfd returns the whole counter and resets it: one read drains it.
  std::uint64_t count = 0;
  return ::read(fd_.get(), &count, sizeof count) == static_cast<ssize_t>(sizeof count) && count > 0;
}

}  // namespace meetgate::watch
