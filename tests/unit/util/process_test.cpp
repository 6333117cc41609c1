// Tests for run_process and child_environment, against real /bin/sh children.
#include "util/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

using meetgate::util::child_environment;
using meetgate::util::ProcessRequest;
using meetgate::util::ProcessResult;
using meetgate::util::run_process;
using namespace std::chrono_literals;

namespace {

ProcessResult run_shell(const std::string& script, std::string_view input = {},
                        std::chrono::milliseconds timeout = 10s) {
  ProcessRequest request;
  request.argv = {"sh", "-c", script};
  request.stdin_data = input;
  request.timeout = timeout;
  request.environment = child_environment();
  return run_process(request);
}

// A value from /proc/<pid>/status of the child itself, e.g. "SigBlk".
std::string status_field(const std::string& status, const std::string& field) {
  auto start = status.find(field + ":\t");
  REQUIRE(start != std::string::npos);
  start += field.size() + 2;
  return status.substr(start, status.find('\n', start) - start);
}

// True when the process is gone or a zombie (killed, waiting for its reaper).
bool is_dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return true;
  auto close = line.rfind(')');
  return close != std::string::npos && line.substr(close + 2, 1) == "Z";
}

struct TempDir {
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "process-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

}  // namespace

TEST_CASE("run_process reports the exit code and captures both streams") {
  auto result = run_shell("echo out; echo err >&2; exit 3");

  CHECK(result.exit_code == 3);
  CHECK(result.out == "out\n");
  CHECK(result.err == "err\n");
  CHECK(result.term_signal == 0);
  CHECK_FALSE(result.timed_out);
  CHECK(result.spawn_error.empty());
  CHECK_FALSE(result.exited_ok());
}

TEST_CASE("run_process reports success") {
  auto result = run_shell("true");

  CHECK(result.exit_code == 0);
  CHECK(result.exited_ok());
}

TEST_CASE("run_process reports the signal that killed the child") {
  auto result = run_shell("kill -9 $$");

  CHECK(result.term_signal == 9);
  CHECK(result.exit_code == -1);
  CHECK_FALSE(result.exited_ok());
}

TEST_CASE("run_process drains large stdout and stderr together") {
  // stderr is filled first: reading stdout alone to its end would deadlock.
  auto result = run_shell(
      "head -c 1500000 /dev/zero | tr '\\0' e >&2; head -c 1300000 /dev/zero | tr '\\0' o");

  CHECK(result.exit_code == 0);
  CHECK(result.err == std::string(1500000, 'e'));
  CHECK(result.out == std::string(1300000, 'o'));
}

TEST_CASE("run_process feeds stdin while reading stdout") {
  std::string input(3 * 1024 * 1024, 'x');
  input += "end\n";

  auto result = run_shell("cat", input);

  CHECK(result.exit_code == 0);
  CHECK(result.out == input);
}

TEST_CASE("run_process closes stdin after the data") {
  auto result = run_shell("read first; read second; cat; echo \"$first/$second\"", "a\nb\n");

  CHECK(result.out == "a/b\n");
}

TEST_CASE("run_process survives a child that does not read its stdin") {
  std::string input(4 * 1024 * 1024, 'x');

  auto result = run_shell("exec 0<&-; exit 0", input);

  CHECK(result.exit_code == 0);
  CHECK_FALSE(result.timed_out);
}

TEST_CASE("run_process kills the process group on timeout") {
  TempDir dir;
  auto pid_file = dir.path / "grandchild.pid";
  auto start = std::chrono::steady_clock::now();

  auto result = run_shell("sleep 30 & echo $! > '" + pid_file.string() + "'; wait", {}, 300ms);

  auto took = std::chrono::steady_clock::now() - start;
  CHECK(result.timed_out);
  CHECK(result.term_signal == SIGKILL);
  CHECK_FALSE(result.exited_ok());
  CHECK(took < 5s);
  std::ifstream file(pid_file);
  pid_t grandchild = 0;
  REQUIRE(file >> grandchild);
  for (int i = 0; i < 100 && !is_dead(grandchild); ++i)
    std::this_thread::sleep_for(20ms);
  CHECK(is_dead(grandchild));
}

TEST_CASE("run_process times out a child that closed its output and goes on") {
  auto start = std::chrono::steady_clock::now();

  auto result = run_shell("exec >&- 2>&-; sleep 30", {}, 300ms);

  CHECK(result.timed_out);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("run_process reports a missing program") {
  ProcessRequest request;
  request.argv = {"meetgate-no-such-program", "x"};

  auto result = run_process(request);

  CHECK(result.spawn_error == "cannot run meetgate-no-such-program: no such file or directory");
  CHECK_FALSE(result.exited_ok());
}

TEST_CASE("run_process reports a program that cannot be executed") {
  TempDir dir;
  auto script = dir.path / "script";
  std::ofstream(script) << "#!/bin/sh\necho hi\n";
  ProcessRequest request;
  request.argv = {script.string()};

  auto result = run_process(request);

  CHECK(result.spawn_error == "cannot run " + script.string() + ": permission denied");
}

TEST_CASE("run_process refuses an empty command") {
  auto result = run_process(ProcessRequest{});

  CHECK(result.spawn_error == "cannot run process: empty command");
}

TEST_CASE("run_process gives the child exactly the given environment") {
  ProcessRequest request;
  request.argv = {"/usr/bin/env"};
  request.environment = {"A=1", "B=two words"};

  auto result = run_process(request);

  CHECK(result.out == "A=1\nB=two words\n");
}

TEST_CASE("run_process gives the child a clean signal mask and default dispositions") {
  sigset_t term;
  sigset_t old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old_mask);
  auto old_hup = signal(SIGHUP, SIG_IGN);
  ProcessRequest request;
  request.argv = {"cat", "/proc/self/status"};
  request.environment = child_environment();

  auto result = run_process(request);

  signal(SIGHUP, old_hup);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  CHECK(status_field(result.out, "SigBlk") == "0000000000000000");
  CHECK(status_field(result.out, "SigIgn") == "0000000000000000");
}

TEST_CASE("run_process puts the child in its own process group") {
  auto result = run_shell("cut -d' ' -f5 /proc/$$/stat; echo $$");

  std::istringstream lines(result.out);
  long pgid = 0;
  long pid = 0;
  lines >> pgid >> pid;
  CHECK(pgid == pid);
  CHECK(pgid != getpgrp());
}

TEST_CASE("run_process passes no other file descriptor to the child") {
  auto result = run_shell("ls /proc/$$/fd");

  CHECK(result.out == "0\n1\n2\n");
}

TEST_CASE("run_process runs from several threads at once") {
  std::vector<std::future<ProcessResult>> runs;
  for (int i = 0; i < 8; ++i) {
    runs.push_back(std::async(std::launch::async, [i] {
      return run_shell("sleep 0.1; echo " + std::to_string(i), std::string(100000, 'x'));
    }));
  }

  for (int i = 0; i < 8; ++i) {
    auto result = runs[i].get();
    CHECK(result.out == std::to_string(i) + "\n");
    CHECK(result.exit_code == 0);
  }
}

TEST_CASE("child_environment keeps only locale, paths and Lua settings") {
  setenv("JICOFO_AUTH_PASSWORD", "secret", 1);
  setenv("LC_ALL", "C.UTF-8", 1);
  setenv("LUA_PATH_5_4", "/x/?.lua", 1);

  auto environment = child_environment();

  unsetenv("JICOFO_AUTH_PASSWORD");
  unsetenv("LC_ALL");
  unsetenv("LUA_PATH_5_4");
  auto has = [&](const std::string& entry) {
    return std::find(environment.begin(), environment.end(), entry) != environment.end();
  };
  CHECK(has("LC_ALL=C.UTF-8"));
  CHECK(has("LUA_PATH_5_4=/x/?.lua"));
  CHECK_FALSE(has("JICOFO_AUTH_PASSWORD=secret"));
  for (const auto& entry : environment) {
    auto name = entry.substr(0, entry.find('='));
    bool allowed = name == "PATH" || name == "HOME" || name == "LANG" || name == "LANGUAGE" ||
                   name == "TZ" || name == "TMPDIR" || name.starts_with("LC_") ||
                   name.starts_with("LUA_PATH") || name.starts_with("LUA_CPATH");
    CHECK(allowed);
  }
}

namespace {

using meetgate::util::InteractiveProcess;

InteractiveProcess::Clock::time_point in(std::chrono::milliseconds duration) {
  return InteractiveProcess::Clock::now() + duration;
}

// Waits until stdout holds `count` lines; everything read so far.
std::string read_lines(InteractiveProcess& process, size_t count) {
  std::string text;
  while (std::count(text.begin(), text.end(), '\n') < static_cast<long>(count) &&
         process.wait(in(10s)) == InteractiveProcess::Wait::kOutput)
    text += process.take_output();
  return text;
}

}  // namespace

TEST_CASE("an interactive child answers each line as it is written") {
  InteractiveProcess process({"sh", "-c", "while read l; do echo \"got $l\"; done"},
                             child_environment());

  REQUIRE(process.write("one\n", in(10s)));
  CHECK(read_lines(process, 1) == "got one\n");
  REQUIRE(process.write("two\n", in(10s)));
  CHECK(read_lines(process, 1) == "got two\n");
  auto result = process.finish(in(10s));

  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
}

TEST_CASE("an interactive child that stays silent times out, and finish kills it") {
  InteractiveProcess process({"sh", "-c", "sleep 30"}, child_environment());
  auto start = std::chrono::steady_clock::now();

  CHECK(process.wait(in(200ms)) == InteractiveProcess::Wait::kTimedOut);
  auto result = process.finish(in(200ms));

  CHECK(result.timed_out);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("an interactive child's end and its last words are seen") {
  InteractiveProcess process({"sh", "-c", "echo bye; echo oops >&2; exit 3"}, child_environment());

  CHECK(read_lines(process, 1) == "bye\n");
  CHECK(process.wait(in(10s)) == InteractiveProcess::Wait::kEnded);
  // Output ends as the child exits, but its stdin may close a moment later: the pipe
  // can still take this write. It must return in time and not raise SIGPIPE.
  const auto start = std::chrono::steady_clock::now();
  process.write("late\n", in(1s));
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  auto result = process.finish(in(10s));

  CHECK(result.exit_code == 3);
  CHECK(result.err == "oops\n");
}

TEST_CASE("an interactive child that cannot start says why") {
  InteractiveProcess process({"/nonexistent/program"}, child_environment());

  CHECK(process.spawn_error() == "cannot run /nonexistent/program: no such file or directory");
  CHECK(process.finish(in(1s)).spawn_error == process.spawn_error());
}

TEST_CASE("a child keeps only the fd it is told to inherit open across exec") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  const std::string check = "test -e /proc/self/fd/" + std::to_string(fds[0]);

  const ProcessResult before = run_shell(check);
  meetgate::util::inherit_in_children(fds[0]);
  const ProcessResult inherited = run_shell(check);
  const ProcessResult other = run_shell("test -e /proc/self/fd/" + std::to_string(fds[1]));
  meetgate::util::inherit_in_children(-1);
  const ProcessResult after = run_shell(check);
  ::close(fds[0]);
  ::close(fds[1]);

  CHECK(before.exit_code == 1);
  CHECK(inherited.exited_ok());
  CHECK(other.exit_code == 1);
  CHECK(after.exit_code == 1);
}
