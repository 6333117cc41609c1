// Signal state and exec error reporting for forked children (see child_exec.hpp).
#include "util/child_exec.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace meetgate::util {

void restore_default_signal_actions() {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP)
      ::sigaction(sig, &default_action, nullptr);
  }
}

void unblock_all_signals() {
  sigset_t no_signals;
  sigemptyset(&no_signals);
  ::sigprocmask(SIG_SETMASK, &no_signals, nullptr);
}

void report_exec_failure(int report_fd, int error) {
  while (::write(report_fd, &error, sizeof error) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

int read_exec_failure(int report_fd) {
  int error = 0;
  ssize_t count;
  while ((count = ::read(report_fd, &error, sizeof error)) < 0 && errno == EINTR) {
  }
  return count == sizeof error ? error : 0;
}

}  // namespace meetgate::util
