// The watcher's event loop: when to run a pass. Changes are debounced, a resync runs
// every interval, failed passes are retried with backoff, SIGHUP runs one at once, and
// between those the loop sleeps in the source watcher without waking.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <stop_token>

#include "http/health.hpp"
#include "http/meetgate_metrics.hpp"
#include "keeper/account_keeper.hpp"
#include "watch/source_watcher.hpp"

namespace meetgate::keeper {

struct LoopTimings {
  std::chrono::milliseconds debounce{250};
  std::chrono::milliseconds resync_interval{5 * 60'000};
  std::chrono::milliseconds retry_first{500};
  std::chrono::milliseconds retry_ceiling{30'000};
};

class WatchLoop {
 public:
  // One pass; AccountKeeper::pass in production, a fake in tests.
  using Pass = std::function<PassResult(Trigger, std::stop_token)>;

  // Everything passed must outlive the loop.
  WatchLoop(watch::SourceWatcher& watcher, Pass pass, http::Health& health,
            http::MeetgateMetrics& metrics, LoopTimings timings);

  // Runs passes until stop(); a pass in progress finishes its calls in flight first.
  void run();

  // Thread-safe; for the signal thread (TERM/INT and HUP).
  void stop();
  void reconcile_now();

 private:
  PassResult run_pass(Trigger trigger);

  watch::SourceWatcher& watcher_;
  Pass pass_;
  http::Health& health_;
  http::MeetgateMetrics& metrics_;
  LoopTimings timings_;

  std::stop_source stop_;
  std::atomic<bool> reconcile_requested_{false};
};

}  // namespace meetgate::keeper
