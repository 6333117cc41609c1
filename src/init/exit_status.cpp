// Exit codes and messages for CMD's end (see exit_status.hpp).
#include "init/exit_status.hpp"

#include <sys/wait.h>

#include <cerrno>

#include <fmt/format.h>

#include "util/os_error.hpp"

namespace meetgate::init {

int exit_code_from_wait_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return kExitSignalBase + WTERMSIG(status);
  return 1;  // stopped or continued: not an end, never passed here by the supervisor
}

int exit_code_from_exec_error(int error) {
  // ENOTDIR: a PATH entry or a path component is not a directory, so no such program.
  return error == ENOENT || error == ENOTDIR ? kExitNotFound : kExitNotExecutable;
}

std::string exec_failure_message(std::string_view program, int error) {
  return fmt::format("cannot run {}: {}", program, util::os_reason(error));
}

}  // namespace meetgate::init
