// A signalfd for the supervisor's signals (see signal_channel.hpp).
#include "init/signal_channel.hpp"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <system_error>

#include "init/signal_forwarding.hpp"

namespace meetgate::init {

SignalChannel::SignalChannel() {
  sigemptyset(&signals_);
  for (int sig : kForwardedSignals)
    sigaddset(&signals_, sig);
  sigaddset(&signals_, SIGCHLD);

  // Our parent may have left these ignored: an ignored SIGCHLD makes the kernel reap
  // CMD itself (its exit status lost), an ignored SIGTERM is discarded, not queued.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&signals_, sig) == 1)
      ::sigaction(sig, &default_action, nullptr);
  }

  // Blocked signals are queued even for PID 1, which the kernel otherwise spares
  // every signal it has no handler for; the signalfd then reads them.
  pthread_sigmask(SIG_BLOCK, &signals_, &old_mask_);
  fd_ = ::signalfd(-1, &signals_, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd_ < 0) {
    const int error = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    throw std::system_error(error, std::generic_category(), "signalfd");
  }
}

SignalChannel::~SignalChannel() {
  // Signals still queued would strike with their default action (most end the
  // process) the moment the mask is lifted: they came too late to matter, drop them.
  drain();
  ::close(fd_);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

std::vector<int> SignalChannel::wait(std::optional<std::chrono::milliseconds> timeout) {
  pollfd polled{fd_, POLLIN, 0};
  const int wait_ms =
      timeout ? static_cast<int>(std::clamp<long long>(timeout->count(), 0, INT_MAX)) : -1;
  if (::poll(&polled, 1, wait_ms) <= 0)
    return {};  // timeout, or EINTR: the caller's loop checks its deadline again
  return drain();
}

std::vector<int> SignalChannel::drain() {
  std::vector<int> received;
  signalfd_siginfo info[16];
  while (true) {
    const ssize_t count = ::read(fd_, info, sizeof info);
    if (count < 0 && errno == EINTR)
      continue;
    if (count <= 0)
      return received;  // EAGAIN: nothing more queued
    for (size_t i = 0; i < static_cast<size_t>(count) / sizeof info[0]; ++i)
      received.push_back(static_cast<int>(info[i].ssi_signo));
  }
}

}  // namespace meetgate::init
