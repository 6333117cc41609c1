// Reaping zombies and killing what is left below us (see reaper.hpp).
#include "init/reaper.hpp"

#include <algorithm>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "init/process_table.hpp"

namespace meetgate::init {

std::map<pid_t, int> reap_ended_children(const std::vector<pid_t>& watched) {
  std::map<pid_t, int> ended;
  while (true) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno == EINTR)
      continue;
    if (pid <= 0)
      return ended;  // 0: the rest still run; ECHILD: no children at all
    if (std::find(watched.begin(), watched.end(), pid) != watched.end())
      ended[pid] = status;
  }
}

size_t kill_children() {
  // A listed child is not reaped before the kill (only we reap it), so its pid
  // cannot belong to another process yet.
  const auto children = children_of(::getpid());
  for (pid_t pid : children)
    ::kill(pid, SIGKILL);
  return children.size();
}

bool become_subreaper() {
  if (::getpid() == 1)
    return true;
  return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
}

}  // namespace meetgate::init
