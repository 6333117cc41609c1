// Runs a child (clean signal state, own process group, no inherited fds), feeds its
// stdin and drains stdout/stderr in one poll() loop under a deadline.
#include "util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include "util/child_exec.hpp"
#include "util/os_error.hpp"
#include "util/unique_fd.hpp"

extern char** environ;

namespace meetgate::util {
namespace {

using Clock = std::chrono::steady_clock;

// Keeps now() + timeout from overflowing when a caller means "no limit".
constexpr std::chrono::hours kLongestTimeout{24 * 365};

using Fd = UniqueFd;

// One pipe; both ends close-on-exec and above fd 2, so the dup2 onto 0, 1 and 2 in
// the child can never clobber another pipe end even when our own 0-2 are closed.
struct Pipe {
  Fd read;
  Fd write;
};

int raise_above_stdio(Fd& fd) {
  if (fd.get() > STDERR_FILENO)
    return 0;
  int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0)
    return errno;
  fd.reset(moved);
  return 0;
}

int make_pipe(Pipe& pipe) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return errno;
  pipe.read.reset(fds[0]);
  pipe.write.reset(fds[1]);
  if (int error = raise_above_stdio(pipe.read))
    return error;
  return raise_above_stdio(pipe.write);
}

int set_nonblocking(const Fd& fd) {
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) < 0)
    return errno;
  return 0;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& text : strings)
    pointers.push_back(const_cast<char*>(text.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// Everything the child needs, prepared before fork: after fork only
// async-signal-safe calls are allowed (other threads may hold malloc's lock).
struct ChildPlan {
  std::vector<char*> argv;
  std::vector<char*> envp;
  int in = -1;
  int out = -1;
  int err = -1;
  int report = -1;  // close-on-exec pipe: carries errno if exec fails
  int max_fd = 0;   // for kernels without close_range
  pid_t parent = 0;
  int inherited = -1;  // kept open across exec (inherit_in_children)
};

std::atomic<int> inherited_fd{-1};

// Other threads may create fds without O_CLOEXEC at any moment: mark every fd
// above 2 close-on-exec (the report pipe already is, and must stay open until exec).
void mark_inherited_fds_cloexec(int max_fd) {
  if (::close_range(STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  for (int fd = STDERR_FILENO + 1; fd < max_fd; ++fd)
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Runs in the forked child. Dispositions are reset before the mask is cleared so no
// parent handler can run here. Ignored signals and the mask both survive exec: as
// PID 1, or from a worker thread that blocks signals, we must not pass them on.
[[noreturn]] void exec_child(const ChildPlan& plan) {
  ::setpgid(0, 0);  // its own group, so a timeout kills everything it started

  // A call that outlives a SIGKILLed meetgate is of no use to anyone: die with the
  // thread that started it (which waits for it). A call that changes user, as
  // prosodyctl run as root does, loses this; the data lock it inherits is what keeps
  // other meetgates out then (inherit_in_children). The parent may have died before
  // this line: nobody waits for this child then.
  (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != plan.parent)
    ::_exit(127);
  restore_default_signal_actions();

  int error = 0;
  if (::dup2(plan.in, STDIN_FILENO) < 0 || ::dup2(plan.out, STDOUT_FILENO) < 0 ||
      ::dup2(plan.err, STDERR_FILENO) < 0) {
    error = errno;
  } else {
    mark_inherited_fds_cloexec(plan.max_fd);
    if (plan.inherited > STDERR_FILENO)
      ::fcntl(plan.inherited, F_SETFD, 0);
    unblock_all_signals();
    ::execvpe(plan.argv[0], plan.argv.data(), plan.envp.data());
    error = errno;
  }
  report_exec_failure(plan.report, error);
}

int highest_fd() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 65536;
  return static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
}

// Starts the child; returns 0, or the errno of fork or exec. glibc's posix_spawn is
// not used: it leaves its two internal signals ignored in the new program.
int spawn_child(const ProcessRequest& request, Pipe& in, Pipe& out, Pipe& err, pid_t& pid) {
  Pipe report;
  if (int error = make_pipe(report))
    return error;
  ChildPlan plan{c_strings(request.argv),
                 c_strings(request.environment),
                 in.read.get(),
                 out.write.get(),
                 err.write.get(),
                 report.write.get(),
                 highest_fd(),
                 ::getpid(),
                 inherited_fd.load()};

  // All signals blocked across fork: the child must not run our handlers.
  sigset_t all_signals;
  sigset_t old_mask;
  sigfillset(&all_signals);
  pthread_sigmask(SIG_SETMASK, &all_signals, &old_mask);
  pid = ::fork();
  if (pid == 0)
    exec_child(plan);
  int fork_error = pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  if (fork_error != 0)
    return fork_error;

  ::setpgid(pid, pid);  // also from here, so a kill(-pid) right away finds the group
  report.write.reset();
  int exec_error = read_exec_failure(report.read.get());
  if (exec_error != 0) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return exec_error;
}

// Blocks SIGPIPE in this thread while we write to the child's stdin, so a child that
// exits without reading cannot kill us (the write fails with EPIPE instead). A
// SIGPIPE that our writes left pending is consumed before the old mask returns.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
    was_pending_ = is_pending();
  }
  ~SigpipeGuard() {
    if (!was_pending_ && is_pending()) {
      timespec no_wait{};
      while (sigtimedwait(&sigpipe_, nullptr, &no_wait) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  bool is_pending() const {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGPIPE) == 1;
  }

  sigset_t sigpipe_;
  sigset_t old_mask_;
  bool was_pending_ = false;
};

// Reads what is available; closes the fd at end of file or on a hard error.
void drain(Fd& fd, std::string& sink) {
  std::array<char, 65536> buffer;
  while (fd.valid()) {
    ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
    if (count > 0) {
      sink.append(buffer.data(), static_cast<size_t>(count));
    } else if (count == 0 || (errno != EINTR && errno != EAGAIN)) {
      fd.reset();
    } else if (errno == EAGAIN) {
      return;
    }
  }
}

// Writes what the pipe takes; closes stdin when all is written or the child has
// closed its end (EPIPE), so the child sees end of file.
void feed(Fd& fd, std::string_view data, size_t& written) {
  while (fd.valid() && written < data.size()) {
    size_t chunk = std::min<size_t>(data.size() - written, 65536);
    ssize_t count = ::write(fd.get(), data.data() + written, chunk);
    if (count > 0) {
      written += static_cast<size_t>(count);
    } else if (count < 0 && errno == EAGAIN) {
      return;
    } else if (count < 0 && errno != EINTR) {
      fd.reset();
    }
  }
  fd.reset();
}

int milliseconds_until(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 1 << 30));
}

// Moves data between the pipes until the child closes stdout and stderr. Returns
// false when the deadline passed first.
bool pump(Fd& in, Fd& out, Fd& err, std::string_view input, ProcessResult& result,
          Clock::time_point deadline) {
  size_t written = 0;
  if (input.empty())
    in.reset();

  while (in.valid() || out.valid() || err.valid()) {
    std::array<pollfd, 3> polled{{{in.get(), POLLOUT, 0},  // fd -1 is skipped
                                  {out.get(), POLLIN, 0},
                                  {err.get(), POLLIN, 0}}};
    int wait_ms = milliseconds_until(deadline);
    if (wait_ms == 0)
      return false;
    if (::poll(polled.data(), polled.size(), wait_ms) < 0) {
      if (errno != EINTR)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;  // EINTR, or a transient ENOMEM: the deadline still bounds us
    }

    if (polled[0].revents != 0)
      feed(in, input, written);
    if (polled[1].revents != 0)
      drain(out, result.out);
    if (polled[2].revents != 0)
      drain(err, result.err);
  }
  return true;
}

enum class Reaped { kExited, kLost, kTimedOut };

// Reaps the child. The pipes may close before the child exits (or a child may close
// them and go on), so wait with WNOHANG until the deadline. kLost: someone else
// reaped it (SIGCHLD ignored, or a waitpid(-1) elsewhere), its status is unknown.
Reaped reap(pid_t pid, int& status, Clock::time_point deadline) {
  auto nap = std::chrono::microseconds(200);
  while (true) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid)
      return Reaped::kExited;
    if (done < 0 && errno != EINTR)
      return Reaped::kLost;
    if (Clock::now() >= deadline)
      return Reaped::kTimedOut;
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(20000));
  }
}

// Kills the child's whole process group (the child is not reaped yet, so the group id
// cannot have been reused) and waits for the child itself.
Reaped kill_and_reap(pid_t pid, int& status) {
  ::kill(-pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return Reaped::kLost;
  }
  return Reaped::kExited;
}

void record_status(int status, ProcessResult& result) {
  if (WIFEXITED(status))
    result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    result.term_signal = WTERMSIG(status);
}

}  // namespace

void inherit_in_children(int fd) {
  inherited_fd.store(fd);
}

ProcessResult run_process(const ProcessRequest& request) {
  ProcessResult result;
  if (request.argv.empty() || request.argv[0].empty()) {
    result.spawn_error = "cannot run process: empty command";
    return result;
  }
  const std::string& program = request.argv[0];
  const auto deadline = Clock::now() + std::min<Clock::duration>(request.timeout, kLongestTimeout);

  // Pipes first: running out of fds is reported like any other failure to start.
  Pipe in, out, err;
  int error = make_pipe(in);
  if (error == 0)
    error = make_pipe(out);
  if (error == 0)
    error = make_pipe(err);
  pid_t pid = -1;
  if (error == 0)
    error = spawn_child(request, in, out, err, pid);
  if (error != 0) {
    result.spawn_error = "cannot run " + program + ": " + os_reason(error);
    return result;
  }

  // Only the parent's ends stay open here, so end of file arrives when the child exits.
  in.read.reset();
  out.write.reset();
  err.write.reset();
  set_nonblocking(in.write);
  set_nonblocking(out.read);
  set_nonblocking(err.read);

  int status = 0;
  Reaped reaped = Reaped::kTimedOut;
  {
    SigpipeGuard sigpipe_guard;
    if (pump(in.write, out.read, err.read, request.stdin_data, result, deadline)) {
      reaped = reap(pid, status, deadline);
    }
  }
  if (reaped == Reaped::kTimedOut) {
    result.timed_out = true;
    reaped = kill_and_reap(pid, status);
  }
  if (reaped == Reaped::kExited)
    record_status(status, result);
  return result;
}

namespace {

// Writes what the pipe takes of `pending`. A child that closed its stdin gets no more
// (EPIPE closes our end; SIGPIPE is blocked by the caller).
void write_some(Fd& fd, std::string_view& pending) {
  while (fd.valid() && !pending.empty()) {
    ssize_t count = ::write(fd.get(), pending.data(), std::min<size_t>(pending.size(), 65536));
    if (count > 0) {
      pending.remove_prefix(static_cast<size_t>(count));
    } else if (count < 0 && errno == EAGAIN) {
      return;
    } else if (count < 0 && errno != EINTR) {
      fd.reset();
    }
  }
}

}  // namespace

InteractiveProcess::InteractiveProcess(const std::vector<std::string>& argv,
                                       const std::vector<std::string>& environment) {
  reaped_ = true;  // until a child runs
  if (argv.empty() || argv[0].empty()) {
    spawn_error_ = "cannot run process: empty command";
    return;
  }
  ProcessRequest request;
  request.argv = argv;
  request.environment = environment;

  Pipe in, out, err;
  int error = make_pipe(in);
  if (error == 0)
    error = make_pipe(out);
  if (error == 0)
    error = make_pipe(err);
  if (error == 0)
    error = spawn_child(request, in, out, err, pid_);
  if (error != 0) {
    spawn_error_ = "cannot run " + argv[0] + ": " + os_reason(error);
    return;
  }
  reaped_ = false;

  in_ = std::move(in.write);
  out_ = std::move(out.read);
  err_ = std::move(err.read);
  set_nonblocking(in_);
  set_nonblocking(out_);
  set_nonblocking(err_);
}

InteractiveProcess::~InteractiveProcess() {
  if (!reaped_) {
    int status = 0;
    kill_and_reap(pid_, status);
  }
}

// One poll round: writes what stdin takes (when writing) and reads what has arrived.
void InteractiveProcess::pump(bool writing, Clock::time_point deadline) {
  std::array<pollfd, 3> polled{
      {{writing ? in_.get() : -1, POLLOUT, 0}, {out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}}};
  if (::poll(polled.data(), polled.size(), milliseconds_until(deadline)) < 0) {
    if (errno != EINTR)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return;
  }
  if (polled[0].revents != 0)
    write_some(in_, pending_);
  if (polled[1].revents != 0)
    drain(out_, out_text_);
  if (polled[2].revents != 0)
    drain(err_, err_text_);
}

bool InteractiveProcess::write(std::string_view data, Clock::time_point deadline) {
  SigpipeGuard sigpipe_guard;
  pending_ = data;
  while (in_.valid() && !pending_.empty() && Clock::now() < deadline)
    pump(true, deadline);
  const bool written = pending_.empty() && in_.valid();
  pending_ = {};
  return written;
}

void InteractiveProcess::close_input() {
  in_.reset();
}

InteractiveProcess::Wait InteractiveProcess::wait(Clock::time_point deadline) {
  while (out_text_.empty() && (out_.valid() || err_.valid())) {
    if (Clock::now() >= deadline)
      return Wait::kTimedOut;
    pump(false, deadline);
  }
  return out_text_.empty() ? Wait::kEnded : Wait::kOutput;
}

std::string InteractiveProcess::take_output() {
  return std::exchange(out_text_, {});
}

ProcessResult InteractiveProcess::finish(Clock::time_point deadline) {
  ProcessResult result;
  result.spawn_error = spawn_error_;
  if (reaped_)
    return result;

  close_input();
  while ((out_.valid() || err_.valid()) && Clock::now() < deadline)
    pump(false, deadline);
  int status = 0;
  Reaped reaped = Reaped::kTimedOut;
  if (!out_.valid() && !err_.valid())
    reaped = reap(pid_, status, deadline);
  if (reaped == Reaped::kTimedOut) {
    result.timed_out = true;
    reaped = kill_and_reap(pid_, status);
  }
  reaped_ = true;
  if (reaped == Reaped::kExited)
    record_status(status, result);

  // What the child wrote before it was killed is still in the pipes.
  drain(out_, out_text_);
  drain(err_, err_text_);
  out_.reset();
  err_.reset();
  result.out = std::move(out_text_);
  result.err = std::move(err_text_);
  return result;
}

std::vector<std::string> child_environment() {
  static constexpr std::string_view kNames[] = {"PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR"};
  static constexpr std::string_view kPrefixes[] = {"LC_", "LUA_PATH", "LUA_CPATH"};

  std::vector<std::string> kept;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string_view name = text.substr(0, text.find('='));
    if (name.size() == text.size())
      continue;  // no '=': not a variable

    bool safe = std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
    for (auto prefix : kPrefixes)
      safe = safe || name.starts_with(prefix);
    if (safe)
      kept.emplace_back(text);
  }
  return kept;
}

}  // namespace meetgate::util
