// meetgate run as PID 1: starts CMD, forwards signals, reaps every zombie, and on
// TERM/INT gives CMD the grace period before SIGKILL; ends with CMD's exit code.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace meetgate::init {

struct SupervisorOptions {
  std::vector<std::string> argv;  // CMD and its arguments; argv[0] looked up in PATH
  std::chrono::milliseconds stop_grace{10'000};
  bool signal_group = true;  // forward to CMD's process group, not CMD alone

  // A process kept beside CMD (run --users: meetgate's own account watcher), or empty.
  // Started before CMD in a group of its own; gets TERM when meetgate stops or CMD
  // ends, and the same grace. Its end is logged and never ends CMD: a container must
  // not lose its server because the account keeper stopped.
  std::vector<std::string> companion;
};

struct SupervisorOutcome {
  int exit_code = 0;  // CMD's code, 128+signal, 126/127 when it could not start
  std::string error;  // one line when CMD could not be started, else empty
};

// Runs CMD to its end. When it returns, nothing below us is left running: what CMD
// left behind (its group, and orphans reparented to us) has been SIGKILLed and reaped.
SupervisorOutcome supervise(const SupervisorOptions& options);

}  // namespace meetgate::init
