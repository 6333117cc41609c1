// A one-way "stop now" flag backed by an eventfd.
#include "watch/stop_signal.hpp"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

namespace meetgate::watch {

StopSignal::StopSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!fd_.valid())
    throw std::system_error(errno, std::generic_category(), "create stop eventfd");
}

void StopSignal::raise() noexcept {
  // A signal handler may interrupt code that is about to read errno.
  const int saved_errno = errno;
  raised_.store(true, std::memory_order_release);

  // The counter only grows; a full counter (EAGAIN) is still readable, so ignore it.
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(fd_.get(), &one, sizeof one);
  errno = saved_errno;
}

}  // namespace meetgate::watch
