// Runs a child program with stdin fed from memory and stdout/stderr captured,
// bounded by a timeout. Secrets go through stdin, never argv or environment.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::util {

struct ProcessResult {
  int exit_code = -1;       // valid when the child exited normally
  int term_signal = 0;      // non-zero when a signal killed the child
  bool timed_out = false;   // the child was killed after the timeout
  std::string out;          // everything written to stdout
  std::string err;          // everything written to stderr
  std::string spawn_error;  // non-empty when the program could not be started

  bool exited_ok() const {
    return spawn_error.empty() && !timed_out && term_signal == 0 && exit_code == 0;
  }
};

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  std::string_view stdin_data;    // written to the child's stdin, then closed
  std::chrono::milliseconds timeout{30000};
  std::vector<std::string> environment;  // "NAME=value"; the child's whole environment
};

// Runs the request to completion. On timeout the child's process group gets SIGKILL.
ProcessResult run_process(const ProcessRequest& request);

// The part of our own environment that is safe to hand to a child: locale, PATH,
// HOME, TZ, TMPDIR and Lua's search paths. Service passwords from the environment
// must never reach /proc/<child>/environ.
std::vector<std::string> child_environment();

}  // namespace meetgate::util
