// Starting CMD: forked into its own process group, or exec'd in our place. Either way
// CMD gets default signal dispositions and an empty signal mask, whatever ours were.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace meetgate::init {

struct Launch {
  pid_t pid = -1;      // CMD's pid, also its process group id
  int fork_error = 0;  // errno of fork: CMD never existed
  int exec_error = 0;  // errno of exec, reported by the child (already reaped)
};

// Forks and execs argv (argv[0] looked up in PATH) with our environment. Returns once
// exec has succeeded or failed. Call with SIGCHLD blocked so CMD's end is not missed.
Launch start_in_own_group(const std::vector<std::string>& argv);

// Replaces this process with argv; returns exec's errno only when that failed.
int exec_in_place(const std::vector<std::string>& argv);

}  // namespace meetgate::init
