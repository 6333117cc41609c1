#include "init/exit_status.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <csignal>

#include <catch2/catch.hpp>

using namespace meetgate::init;

namespace {

// wait statuses as the kernel encodes them (see <bits/waitstatus.h>)
int exited(int code) {
  return code << 8;
}
int killed_by(int sig) {
  return sig;
}

}  // namespace

TEST_CASE("CMD's own exit code is meetgate's") {
  CHECK(exit_code_from_wait_status(exited(0)) == 0);
  CHECK(exit_code_from_wait_status(exited(3)) == 3);
  CHECK(exit_code_from_wait_status(exited(255)) == 255);
}

TEST_CASE("a CMD killed by a signal gives 128 plus the signal") {
  CHECK(exit_code_from_wait_status(killed_by(SIGKILL)) == 137);
  CHECK(exit_code_from_wait_status(killed_by(SIGTERM)) == 143);
}

TEST_CASE("a missing CMD gives 127, one that cannot run 126") {
  CHECK(exit_code_from_exec_error(ENOENT) == 127);
  CHECK(exit_code_from_exec_error(ENOTDIR) == 127);
  CHECK(exit_code_from_exec_error(EACCES) == 126);
  CHECK(exit_code_from_exec_error(ENOEXEC) == 126);
}

TEST_CASE("the exec failure is one line naming the program and the OS reason") {
  CHECK(exec_failure_message("/usr/bin/nope", ENOENT) ==
        "cannot run /usr/bin/nope: no such file or directory");
  CHECK(exec_failure_message("config.txt", EACCES) == "cannot run config.txt: permission denied");
}
