// What every launcher of a child program does between fork and exec: hand the program a
// clean signal state, and tell the parent exec's errno through a close-on-exec pipe.
#pragma once

namespace meetgate::util {

// Sets every signal's disposition back to SIG_DFL. Ignored dispositions survive execve,
// so a program started from a process that ignores SIGTERM would ignore `docker stop`.
// Async-signal-safe: callable between fork and exec.
void restore_default_signal_actions();

// Empties the signal mask, which also survives execve. Async-signal-safe.
void unblock_all_signals();

// In the child after a failed exec: writes `error` to the report pipe and exits 127.
[[noreturn]] void report_exec_failure(int report_fd, int error);

// In the parent, with its copy of the pipe's write end closed: waits until the child
// has exec'd (end of file: returns 0) or reported exec's errno (returned).
int read_exec_failure(int report_fd);

}  // namespace meetgate::util
