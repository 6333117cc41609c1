// Liveness and readiness of the watch loop, as /livez and /readyz report them.
// Thread-safe: the loop updates, the HTTP server's threads read.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace meetgate::http {

// What a probe answers: ok, or why not in one line.
struct ProbeStatus {
  bool ok = false;
  std::string reason;  // empty when ok
};

class Health {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  // Live while the last heartbeat is at most `stall_after` old; choose about three
  // times the longest wait the loop makes between beats. Construction counts as a beat.
  explicit Health(Clock::duration stall_after, Now now = Clock::now);

  // The loop calls this every time it wakes up, and during long work.
  void heartbeat();

  // The loop is about to sleep until at most `wake_at` (the next resync, say): it stays
  // live until then plus `stall_after`, so an idle loop never has to wake up to beat.
  void sleeping_until(Clock::time_point wake_at);

  // A reconcile succeeded: from now on readiness depends on the source alone (and
  // on nothing blocking the next reconcile).
  void reconcile_succeeded();

  // Something outside the source keeps reconciles from happening (Prosody's data
  // directory missing, the delete guard refusing): not ready, for `reason`, until
  // the next successful reconcile. An empty reason lifts the block.
  void reconcile_blocked(std::string_view reason);

  // The users source was read and is valid, or is missing or invalid for `reason`,
  // which /readyz shows as is (first line only), e.g. "users source missing: /users".
  void source_valid();
  void source_invalid(std::string_view reason);

  ProbeStatus liveness() const;

  // Ready after the first successful reconcile, while the source is valid.
  ProbeStatus readiness() const;

 private:
  Clock::duration stall_after_;
  Now now_;

  mutable std::mutex mutex_;
  Clock::time_point last_beat_;  // or the wake-up time the loop promised, if later
  bool reconciled_ = false;
  std::string blocked_reason_;
  bool source_valid_ = false;
  std::string source_reason_ = "users source not read yet";
};

}  // namespace meetgate::http
