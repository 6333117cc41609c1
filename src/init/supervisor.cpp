// The supervisor's event loop: one signalfd, poll() bounded by the grace deadline.
#include "init/supervisor.hpp"

#include <signal.h>
#include <unistd.h>

#include <optional>

#include <fmt/format.h>

#include "init/exit_status.hpp"
#include "init/launcher.hpp"
#include "init/reaper.hpp"
#include "init/signal_channel.hpp"
#include "init/signal_forwarding.hpp"
#include "log/logger.hpp"

namespace meetgate::init {
namespace {

using Clock = std::chrono::steady_clock;

// How long the final sweep waits for SIGKILLed leftovers to be reaped: only a process
// stuck in the kernel (uninterruptible I/O) takes longer, and we must not hang on it.
constexpr std::chrono::seconds kSweepLimit{5};

std::optional<std::chrono::milliseconds> time_left(std::optional<Clock::time_point> deadline) {
  if (!deadline)
    return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
}

class Supervisor {
 public:
  Supervisor(const SupervisorOptions& options, pid_t child, pid_t companion)
      : options_(options), child_(child), companion_(companion) {}

  // Handles signals until CMD has ended; returns its wait status.
  int wait_for_child(SignalChannel& signals) {
    while (!child_ended_) {
      const auto deadline = kill_pending_ ? std::optional(kill_deadline_) : std::nullopt;
      for (int sig : signals.wait(time_left(deadline)))
        handle(sig);
      if (kill_pending_ && Clock::now() >= kill_deadline_)
        kill_after_grace();
    }
    return child_status_;
  }

  // CMD has ended: the companion gets what is left of the grace (all of it when CMD
  // ended on its own) to finish; the sweep kills it after that. One TERM only: it was
  // sent already when meetgate is stopping.
  void stop_companion(SignalChannel& signals) {
    if (companion_ <= 0)
      return;
    if (!stopping_) {
      stopping_ = true;
      ::kill(companion_, SIGTERM);
    }
    const auto deadline = stopping_ ? kill_deadline_ : Clock::now() + options_.stop_grace;
    while (companion_ > 0 && Clock::now() < deadline) {
      for (int sig : signals.wait(time_left(deadline))) {
        if (sig == SIGCHLD) {
          const auto ended = reap_ended_children({companion_});
          if (ended.count(companion_))
            companion_ended(ended.at(companion_));
        }
      }
    }
  }

 private:
  void handle(int sig) {
    if (sig == SIGCHLD) {
      const auto ended = reap_ended_children({child_, companion_});
      if (const auto it = ended.find(child_); it != ended.end()) {
        child_status_ = it->second;
        child_ended_ = true;
      }
      if (companion_ > 0 && ended.count(companion_))
        companion_ended(ended.at(companion_));
      return;
    }
    forward_signal(child_, sig, options_.signal_group);
    // The watcher stops with CMD, and SIGHUP ("reload") makes it reconcile now.
    if (companion_ > 0 && (sig == SIGHUP || (is_stop_signal(sig) && !stopping_)))
      ::kill(companion_, sig == SIGHUP ? SIGHUP : SIGTERM);
    if (is_stop_signal(sig) && !stopping_) {
      stopping_ = true;
      kill_deadline_ = Clock::now() + options_.stop_grace;
      kill_pending_ = true;
      log::info("run_stopping",
                {{"signal", sigabbrev_np(sig)},
                 {"grace_ms", static_cast<long long>(options_.stop_grace.count())}});
    }
  }

  // The watcher ended: expected while stopping, a loss worth an error otherwise.
  void companion_ended(int status) {
    const long long pid = companion_;
    const int code = exit_code_from_wait_status(status);
    companion_ = -1;
    if (stopping_) {
      log::info("run_companion_stopped", {{"pid", pid}, {"code", code}});
      return;
    }
    log::error("run_companion_exited",
               {{"pid", pid},
                {"code", code},
                {"reason", "the account watcher ended; CMD keeps running without it"}});
  }

  void kill_after_grace() {
    log::warn("run_grace_expired", {{"pid", static_cast<long long>(child_)}, {"signal", "KILL"}});
    ::kill(-child_, SIGKILL);
    kill_pending_ = false;  // now wait, unbounded, for the kernel to end it
  }

  const SupervisorOptions& options_;
  pid_t child_;
  pid_t companion_;  // -1: none, or it ended
  // Plain fields with flags, not std::optional: g++ 12 at -O2 warns falsely that an
  // optional member may be used uninitialized (-Wmaybe-uninitialized).
  int child_status_ = 0;
  bool child_ended_ = false;
  Clock::time_point kill_deadline_{};
  bool kill_pending_ = false;
  bool stopping_ = false;
};

// After CMD: SIGKILL what is left of its group and every process reparented to us, then
// reap them. Killing a process reparents its own children to us, hence the rounds.
void sweep(pid_t group, SignalChannel& signals) {
  // CMD's group id cannot be taken by a new group while any member lives; once it is
  // empty the kill finds nothing (ESRCH).
  ::kill(-group, SIGKILL);
  const auto limit = Clock::now() + kSweepLimit;
  while (true) {
    reap_ended_children({});
    if (kill_children() == 0)
      return;
    if (Clock::now() >= limit) {
      log::warn("run_leftovers", {{"reason", "processes still running after SIGKILL"}});
      return;
    }
    signals.wait(time_left(limit));  // a SIGCHLD, or the limit
  }
}

// The companion's pid, or -1 when there is none or it could not start (logged: CMD
// starts anyway, as it would have without --users).
pid_t start_companion(const std::vector<std::string>& argv) {
  if (argv.empty())
    return -1;
  const Launch launch = start_in_own_group(argv);
  if (launch.fork_error != 0 || launch.exec_error != 0) {
    log::error("run_companion_failed",
               {{"reason",
                 exec_failure_message(argv.front(), launch.fork_error != 0 ? launch.fork_error
                                                                           : launch.exec_error)}});
    return -1;
  }
  log::debug("run_companion_started", {{"pid", static_cast<long long>(launch.pid)}});
  return launch.pid;
}

}  // namespace

SupervisorOutcome supervise(const SupervisorOptions& options) {
  SignalChannel signals;  // before the fork: CMD's end and early signals are queued
  if (!become_subreaper())
    log::warn("run_not_subreaper", {{"reason", "orphans of CMD escape meetgate"}});

  const pid_t companion = start_companion(options.companion);
  const Launch launch = start_in_own_group(options.argv);
  if (launch.fork_error != 0 || launch.exec_error != 0) {
    if (companion > 0)
      sweep(companion, signals);
    if (launch.fork_error != 0)
      return {1, exec_failure_message(options.argv.front(), launch.fork_error)};
    return {exit_code_from_exec_error(launch.exec_error),
            exec_failure_message(options.argv.front(), launch.exec_error)};
  }
  log::debug("run_started", {{"pid", static_cast<long long>(launch.pid)}});

  Supervisor supervisor(options, launch.pid, companion);
  const int status = supervisor.wait_for_child(signals);
  supervisor.stop_companion(signals);
  sweep(launch.pid, signals);

  const int code = exit_code_from_wait_status(status);
  log::info("run_exited", {{"code", code}});
  return {code, ""};
}

}  // namespace meetgate::init
