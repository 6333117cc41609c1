// Runs a child program with stdin fed from memory and stdout/stderr captured,
// bounded by a timeout, or talks to one while it runs. Secrets go through stdin,
// never argv or environment.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/unique_fd.hpp"

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

// Makes `fd` (above 2) stay open across exec in every child started from now on, or
// no fd when -1. The data lock uses it: a child that outlives meetgate keeps the lock.
// Process-wide, and a bare fd number: set it only while no other thread can start a
// child (every prosodyctl call runs inside Reconciler::run, which holds the lock).
void inherit_in_children(int fd);

// A child that is talked to while it runs (a shell fed one command at a time): stdin
// is written piece by piece, stdout read as it comes. Same start-up as run_process:
// clean signal state, own process group, only the given environment. Not thread-safe.
class InteractiveProcess {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Wait { kOutput, kEnded, kTimedOut };

  // Starts `argv` (argv[0] looked up in PATH); see spawn_error().
  InteractiveProcess(const std::vector<std::string>& argv,
                     const std::vector<std::string>& environment);
  // Kills the process group and reaps the child unless finish() did.
  ~InteractiveProcess();
  InteractiveProcess(const InteractiveProcess&) = delete;
  InteractiveProcess& operator=(const InteractiveProcess&) = delete;

  // Non-empty when the program could not be started; nothing else works then.
  const std::string& spawn_error() const { return spawn_error_; }

  // Writes all of `data` to stdin, reading output meanwhile so neither side blocks.
  // False when stdin is closed (the child closed its end) or the deadline passed.
  bool write(std::string_view data, Clock::time_point deadline);

  // End of file on the child's stdin.
  void close_input();

  // Waits for output: kOutput as soon as stdout holds bytes not taken yet (see
  // take_output), kEnded when the child closed stdout and stderr, kTimedOut at the
  // deadline.
  Wait wait(Clock::time_point deadline);

  // The stdout bytes that arrived since the last call.
  std::string take_output();

  // Closes stdin, reads until the child closes its output and exits, or until the
  // deadline, then kills its process group. `out` holds stdout not yet taken.
  ProcessResult finish(Clock::time_point deadline);

 private:
  void pump(bool writing, Clock::time_point deadline);

  pid_t pid_ = -1;
  UniqueFd in_;
  UniqueFd out_;
  UniqueFd err_;
  std::string out_text_;
  std::string err_text_;
  std::string_view pending_;  // what write() still has to send
  std::string spawn_error_;
  bool reaped_ = false;
};

// The part of our own environment that is safe to hand to a child: locale, PATH,
// HOME, TZ, TMPDIR and Lua's search paths. Service passwords from the environment
// must never reach /proc/<child>/environ.
std::vector<std::string> child_environment();

}  // namespace meetgate::util
