// The signals the supervisor reacts to (the forwarded ones and SIGCHLD), delivered
// through a signalfd so one poll() waits for signals and the grace deadline alike.
#pragma once

#include <signal.h>

#include <chrono>
#include <optional>
#include <vector>

namespace meetgate::init {

class SignalChannel {
 public:
  // Sets the signals' dispositions to default and blocks them in this thread (do this
  // before any other thread starts). Throws std::system_error when signalfd fails.
  SignalChannel();
  ~SignalChannel();
  SignalChannel(const SignalChannel&) = delete;
  SignalChannel& operator=(const SignalChannel&) = delete;

  // Waits until a signal arrives or `timeout` passes (nullopt: no limit) and returns
  // the signals received, oldest first; empty on timeout.
  std::vector<int> wait(std::optional<std::chrono::milliseconds> timeout);

 private:
  std::vector<int> drain();

  sigset_t signals_;
  sigset_t old_mask_;
  int fd_ = -1;
};

}  // namespace meetgate::init
