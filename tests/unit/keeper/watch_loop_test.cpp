// WatchLoop against a scripted watcher and a recording pass: what runs when.
#include "keeper/watch_loop.hpp"

#include <catch2/catch.hpp>
#include <deque>
#include <thread>
#include <vector>

using namespace meetgate;
using keeper::PassResult;
using keeper::Trigger;
using watch::WaitResult;
using namespace std::chrono_literals;

namespace {

// Answers wait() from a script; each step may run an action first (a SIGHUP, say). A
// kTimeout step sleeps out the timeout (capped) so that real deadlines pass. When the
// script ends it stops the loop.
class ScriptedWatcher : public watch::SourceWatcher {
 public:
  struct Step {
    WaitResult result;
    std::function<void()> before = {};
  };
  std::deque<Step> script;
  std::vector<std::chrono::milliseconds> timeouts;  // what each wait was given

  WaitResult wait(std::chrono::milliseconds timeout) override {
    timeouts.push_back(timeout);
    if (stopped_ || script.empty())
      return WaitResult::kStopped;
    auto step = std::move(script.front());
    script.pop_front();
    if (step.before)
      step.before();
    if (step.result == WaitResult::kTimeout)
      std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(2s)));
    return stopped_ ? WaitResult::kStopped : step.result;
  }
  void stop() override { stopped_ = true; }
  void nudge() override {}

 private:
  bool stopped_ = false;
};

struct Recorder {
  std::vector<Trigger> triggers;
  std::deque<PassResult> results;  // returned in order, then kApplied

  keeper::WatchLoop::Pass pass() {
    return [this](Trigger trigger, std::stop_token) {
      triggers.push_back(trigger);
      if (results.empty())
        return PassResult::kApplied;
      const auto result = results.front();
      results.pop_front();
      return result;
    };
  }
};

keeper::LoopTimings timings() {
  keeper::LoopTimings timings;
  timings.debounce = 20ms;
  timings.resync_interval = 5min;
  timings.retry_first = 30ms;
  return timings;
}

}  // namespace

TEST_CASE("a burst of changes runs one change pass after the quiet time") {
  ScriptedWatcher watcher;
  Recorder recorder;
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  watcher.script = {{WaitResult::kChanged},
                    {WaitResult::kChanged},
                    {WaitResult::kRescan},
                    {WaitResult::kTimeout}};

  keeper::WatchLoop(watcher, recorder.pass(), health, metrics, timings()).run();

  CHECK(recorder.triggers == std::vector<Trigger>{Trigger::kStart, Trigger::kChange});
  CHECK(metrics.render().find("meetgate_watch_events_total 3") != std::string::npos);
}

TEST_CASE("idle, the loop sleeps until the resync without waking") {
  ScriptedWatcher watcher;
  Recorder recorder;
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  keeper::WatchLoop loop(watcher, recorder.pass(), health, metrics, timings());
  watcher.script = {{WaitResult::kChanged, [&] { loop.stop(); }}};

  loop.run();

  REQUIRE_FALSE(watcher.timeouts.empty());
  CHECK(watcher.timeouts.front() > 4min);
  CHECK(health.liveness().ok);
}

TEST_CASE("a reconcile request runs a signal pass at once") {
  ScriptedWatcher watcher;
  Recorder recorder;
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  keeper::WatchLoop loop(watcher, recorder.pass(), health, metrics, timings());
  watcher.script = {{WaitResult::kNudged, [&] { loop.reconcile_now(); }}, {WaitResult::kTimeout}};

  loop.run();

  // One signal pass, and no debounced change pass after it: a nudge is not a change.
  CHECK(recorder.triggers == std::vector<Trigger>{Trigger::kStart, Trigger::kSignal});
  CHECK(metrics.render().find("meetgate_watch_events_total 0") != std::string::npos);
}

TEST_CASE("a pass that must be retried runs again after the backoff, then stops retrying") {
  ScriptedWatcher watcher;
  Recorder recorder;
  recorder.results = {PassResult::kRetry, PassResult::kRetry};
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  watcher.script = {{WaitResult::kTimeout}, {WaitResult::kTimeout}, {WaitResult::kTimeout}};

  keeper::WatchLoop(watcher, recorder.pass(), health, metrics, timings()).run();

  CHECK(recorder.triggers ==
        std::vector<Trigger>{Trigger::kStart, Trigger::kRetry, Trigger::kRetry});
  REQUIRE(watcher.timeouts.size() >= 3);
  CHECK(watcher.timeouts[0] <= 30ms);  // first retry delay
  CHECK(watcher.timeouts[1] <= 60ms);  // doubled
  CHECK(watcher.timeouts[1] > 30ms);
  CHECK(watcher.timeouts[2] > 4min);  // converged: back to sleeping until the resync
}

TEST_CASE("a stop during a pass ends the loop after it") {
  ScriptedWatcher watcher;
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  std::vector<bool> stop_seen;
  keeper::WatchLoop* loop_ref = nullptr;
  keeper::WatchLoop loop(
      watcher,
      [&](Trigger, std::stop_token stop) {
        loop_ref->stop();
        stop_seen.push_back(stop.stop_requested());
        return PassResult::kStopped;
      },
      health, metrics, timings());
  loop_ref = &loop;
  watcher.script = {{WaitResult::kChanged}};

  loop.run();

  CHECK(stop_seen == std::vector<bool>{true});
  CHECK(watcher.timeouts.empty());
}

TEST_CASE("a pass that finds nothing changed keeps a pending retry") {
  ScriptedWatcher watcher;
  Recorder recorder;
  recorder.results = {PassResult::kApplied, PassResult::kRetry, PassResult::kNoChange};
  http::Health health(1min);
  http::MeetgateMetrics metrics;
  keeper::WatchLoop loop(watcher, recorder.pass(), health, metrics, timings());
  watcher.script = {{WaitResult::kNudged, [&] { loop.reconcile_now(); }},
                    {WaitResult::kChanged},
                    {WaitResult::kTimeout},
                    {WaitResult::kTimeout},
                    {WaitResult::kTimeout}};

  loop.run();

  CHECK(recorder.triggers ==
        std::vector<Trigger>{Trigger::kStart, Trigger::kSignal, Trigger::kChange, Trigger::kRetry});
}
