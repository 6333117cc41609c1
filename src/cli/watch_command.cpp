// `meetgate watch`: the sidecar daemon. Reconciles at start, on every change of the
// users source and every resync interval until SIGTERM; serves health and metrics.
#include <pthread.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/prosody_setup.hpp"
#include "cli/reporting.hpp"
#include "http/http_server.hpp"
#include "init/signal_channel.hpp"
#include "keeper/account_keeper.hpp"
#include "keeper/watch_loop.hpp"
#include "log/logger.hpp"
#include "watch/inotify_watcher.hpp"
#include "watch/mount_check.hpp"
#include "watch/poll_watcher.hpp"

namespace meetgate::cli {
namespace {

// Liveness allows one prosodyctl call at its timeout, or a long password check run,
// between two heartbeats, with room to spare: a kill by the kubelet costs more than a
// late answer.
std::chrono::milliseconds stall_after(const config::Settings& settings) {
  return std::max<std::chrono::milliseconds>(std::chrono::minutes(2),
                                             2 * settings.prosodyctl_timeout);
}

std::unique_ptr<watch::SourceWatcher> make_watcher(const config::Settings& settings) {
  if (settings.watch == config::WatchMode::kPoll)
    return std::make_unique<watch::PollWatcher>(*settings.users, settings.poll_interval);
  return std::make_unique<watch::InotifyWatcher>(*settings.users);
}

// The HTTP endpoints when MEETGATE_HTTP_ADDR is set; nullptr otherwise.
std::unique_ptr<http::HttpServer> start_http(const config::Settings& settings,
                                             const http::Health& health,
                                             const http::MeetgateMetrics& metrics) {
  if (!settings.http_addr)
    return nullptr;
  util::Problems problems;
  const auto address =
      http::parse_listen_address("MEETGATE_HTTP_ADDR", *settings.http_addr, problems);
  if (!address)
    throw std::runtime_error(problems.empty() ? "MEETGATE_HTTP_ADDR: invalid"
                                              : problems.front().to_string());
  auto server = std::make_unique<http::HttpServer>(*address, health, metrics);
  server->start();
  log::info("http_listening", {{"address", address->host}, {"port", int(server->port())}});
  return server;
}

// TERM and INT stop the loop, HUP asks for a reconcile; read on a thread of their own
// so the loop never has to wake up to look for them. The thread reads signals until
// the loop has ended: a second TERM during the stop must not stay pending, or it would
// kill the process with its default action once the mask is lifted.
class SignalThread {
 public:
  SignalThread(init::SignalChannel& channel, keeper::WatchLoop& loop)
      : channel_(channel), loop_(loop), thread_([this] { serve(); }) {}

  // A TERM sent to this thread itself ends it: the signalfd reads thread-directed
  // signals like any other, and `finished_` tells it apart from the operator's.
  ~SignalThread() {
    finished_ = true;
    // Blocked in every thread, the TERM only wakes this one's signalfd read; it ends
    // no thread and no process.
    ::pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  }

  SignalThread(const SignalThread&) = delete;
  SignalThread& operator=(const SignalThread&) = delete;

 private:
  void serve() {
    bool stopping = false;
    while (!finished_) {
      for (int sig : channel_.wait(std::nullopt)) {
        if (finished_)
          return;
        if (sig == SIGHUP && !stopping) {
          log::info("reconcile_requested", {{"signal", "SIGHUP"}});
          loop_.reconcile_now();
        } else if ((sig == SIGTERM || sig == SIGINT) && !stopping) {
          stopping = true;
          log::info("watch_stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
          loop_.stop();
        }
      }
    }
  }

  init::SignalChannel& channel_;
  keeper::WatchLoop& loop_;
  std::atomic<bool> finished_{false};
  std::jthread thread_;  // last: starts once the members it uses exist
};

keeper::LoopTimings loop_timings(const config::Settings& settings) {
  keeper::LoopTimings timings;
  timings.debounce = settings.debounce;
  timings.resync_interval = settings.resync_interval;
  return timings;
}

void warn_about_mount(const std::filesystem::path& users) {
  const auto warning = watch::read_mount_warning(users);
  if (!warning.empty())
    log::warn("mount_warning", {{"path", users.string()}, {"reason", warning}});
}

// Everything the daemon runs, set up in the order that keeps it safe: signals blocked
// before any thread starts (threads inherit the mask), the watcher armed before the
// first read so that no change slips in between.
int watch_until_stopped(const config::Settings& settings, const std::filesystem::path& data_path) {
  init::SignalChannel signals;
  render_prosody_target(settings, false);
  warn_about_mount(*settings.users);

  http::Health health(stall_after(settings));
  http::MeetgateMetrics metrics;
  const auto server = start_http(settings, health, metrics);
  const auto watcher = make_watcher(settings);
  log::info("watch_started",
            {{"path", settings.users->string()},
             {"mode", settings.watch == config::WatchMode::kPoll ? "poll" : "inotify"}});

  const auto backend = make_backend(settings);
  keeper::AccountKeeper keeper(settings, data_path, *backend, health, metrics);
  keeper::WatchLoop loop(
      *watcher,
      [&keeper](keeper::Trigger trigger, std::stop_token stop) {
        return keeper.pass(trigger, stop);
      },
      health, metrics, loop_timings(settings));
  {
    SignalThread signal_thread(signals, loop);
    loop.run();
  }
  log::info("watch_stopped", {});
  return kExitOk;
}

}  // namespace

int run_watch(const CommandLine&, const config::Environment& environment) {
  auto settings = load_account_settings(environment);
  if (!settings)
    return kExitBadInput;
  util::Problems problems;
  const auto data_path = resolve_data_path(*settings, problems);
  if (!data_path) {
    print_problems(problems);
    return kExitBadInput;
  }

  try {
    return watch_until_stopped(*settings, *data_path);
  } catch (const std::exception& error) {
    print_error(error.what());
    return kExitFailed;
  }
}

}  // namespace meetgate::cli
