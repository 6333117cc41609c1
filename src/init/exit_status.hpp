// meetgate run's exit code, the way shells and tini report it: CMD's own code,
// 128+signal when a signal killed it, 127 when CMD is missing, 126 when it cannot run.
#pragma once

#include <string>
#include <string_view>

namespace meetgate::init {

inline constexpr int kExitNotFound = 127;
inline constexpr int kExitNotExecutable = 126;
inline constexpr int kExitSignalBase = 128;

// The code for a waitpid() status of CMD.
int exit_code_from_wait_status(int status);

// The code for exec's errno: 127 when no such program exists, 126 otherwise.
int exit_code_from_exec_error(int error);

// "cannot run foo: no such file or directory": one line, as shells say it.
std::string exec_failure_message(std::string_view program, int error);

}  // namespace meetgate::init
