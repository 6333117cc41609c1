// Forking and exec'ing CMD with a clean signal state (see launcher.hpp).
#include "init/launcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "util/child_exec.hpp"

namespace meetgate::init {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& text : strings)
    pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// In the forked child: only async-signal-safe calls. All signals are still blocked
// here, so the terminal hand-over cannot stop us with SIGTTOU.
[[noreturn]] void exec_child(char* const* argv, int report_fd) {
  ::setpgid(0, 0);
  if (::isatty(STDIN_FILENO) == 1)
    ::tcsetpgrp(STDIN_FILENO, ::getpgrp());  // an interactive CMD owns the terminal

  util::restore_default_signal_actions();
  util::unblock_all_signals();
  ::execvp(argv[0], argv);
  util::report_exec_failure(report_fd, errno);
}

}  // namespace

Launch start_in_own_group(const std::vector<std::string>& argv) {
  Launch launch;
  auto arguments = c_strings(argv);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    launch.fork_error = errno;
    return launch;
  }

  // Everything blocked across fork: the child runs none of our handlers before exec.
  sigset_t all_signals;
  sigset_t old_mask;
  sigfillset(&all_signals);
  pthread_sigmask(SIG_SETMASK, &all_signals, &old_mask);
  launch.pid = ::fork();
  if (launch.pid == 0)
    exec_child(arguments.data(), report[1]);
  launch.fork_error = launch.pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);

  ::close(report[1]);
  if (launch.fork_error == 0) {
    ::setpgid(launch.pid, launch.pid);  // also here, so kill(-pid) finds the group at once
    launch.exec_error = util::read_exec_failure(report[0]);
  }
  ::close(report[0]);
  if (launch.exec_error != 0) {
    while (::waitpid(launch.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return launch;
}

int exec_in_place(const std::vector<std::string>& argv) {
  auto arguments = c_strings(argv);
  util::restore_default_signal_actions();
  util::unblock_all_signals();
  ::execvp(arguments[0], arguments.data());
  return errno;
}

}  // namespace meetgate::init
