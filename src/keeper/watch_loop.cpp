// Deciding what is due, running it, and sleeping until the next thing can be due.
#include "keeper/watch_loop.hpp"

#include <algorithm>
#include <optional>

#include "keeper/backoff.hpp"
#include "watch/debouncer.hpp"

namespace meetgate::keeper {
namespace {

using Clock = std::chrono::steady_clock;

// When each kind of pass is next due.
struct Schedule {
  watch::Debouncer changes;
  Backoff backoff;
  std::optional<Clock::time_point> retry_at;
  Clock::time_point resync_at;

  // The earliest time something can be due, so the loop sleeps until then.
  Clock::time_point wake_at() const {
    auto wake = resync_at;
    if (const auto change = changes.next_deadline())
      wake = std::min(wake, *change);
    if (retry_at)
      wake = std::min(wake, *retry_at);
    return wake;
  }
};

}  // namespace

WatchLoop::WatchLoop(watch::SourceWatcher& watcher, Pass pass, http::Health& health,
                     http::MeetgateMetrics& metrics, LoopTimings timings)
    : watcher_(watcher),
      pass_(std::move(pass)),
      health_(health),
      metrics_(metrics),
      timings_(timings) {}

void WatchLoop::stop() {
  stop_.request_stop();
  watcher_.stop();
}

void WatchLoop::reconcile_now() {
  reconcile_requested_.store(true);
  watcher_.nudge();
}

PassResult WatchLoop::run_pass(Trigger trigger) {
  health_.heartbeat();
  const auto result = pass_(trigger, stop_.get_token());
  health_.heartbeat();
  return result;
}

void WatchLoop::run() {
  Schedule schedule{watch::Debouncer(timings_.debounce),
                    Backoff(timings_.retry_first, timings_.retry_ceiling),
                    std::nullopt,
                    {}};

  // Runs one pass and sets when the next resync or retry is due.
  auto act = [&](Trigger trigger) {
    const auto result = run_pass(trigger);
    // Nothing done, or stopped: the schedule stands (a pending retry included).
    if (result == PassResult::kNoChange || result == PassResult::kStopped)
      return;
    schedule.resync_at = Clock::now() + timings_.resync_interval;
    if (result == PassResult::kRetry) {
      schedule.retry_at = Clock::now() + schedule.backoff.next();
    } else {
      schedule.backoff.reset();
      schedule.retry_at.reset();
    }
  };

  act(Trigger::kStart);
  while (!stop_.stop_requested()) {
    const auto now = Clock::now();
    if (reconcile_requested_.exchange(false)) {
      act(Trigger::kSignal);
      continue;
    }
    if (schedule.changes.due(now)) {
      // Cleared first: events during the pass start a new burst, so the newest
      // content is always read once more after it.
      schedule.changes.clear();
      act(Trigger::kChange);
      continue;
    }
    if (schedule.retry_at && now >= *schedule.retry_at) {
      schedule.retry_at.reset();
      act(Trigger::kRetry);
      continue;
    }
    if (now >= schedule.resync_at) {
      act(Trigger::kResync);
      continue;
    }

    const auto wake = schedule.wake_at();
    health_.sleeping_until(wake);
    const auto result =
        watcher_.wait(std::max(std::chrono::milliseconds(0),
                               std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now())));
    health_.heartbeat();
    if (result == watch::WaitResult::kStopped)
      break;
    // kNudged (SIGHUP) only woke us: the flag runs its pass next round.
    if (result == watch::WaitResult::kChanged || result == watch::WaitResult::kRescan) {
      metrics_.watch_event();
      schedule.changes.note_event(Clock::now());
    }
  }
}

}  // namespace meetgate::keeper
