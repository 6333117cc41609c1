// When to act on a burst of change events: after a quiet time, or a maximum delay.
#pragma once

#include <chrono>
#include <optional>

namespace meetgate::watch {

// Pure: the caller passes the clock in. Editors, `sed -i` and the kubelet each make
// several events per update; acting after the last one reads the finished file once.
class Debouncer {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kDefaultQuietTime{250};
  // A burst that never goes quiet is still applied after this many quiet times.
  static constexpr int kMaxDelayFactor = 10;

  explicit Debouncer(std::chrono::milliseconds quiet_time = kDefaultQuietTime)
      : Debouncer(quiet_time, quiet_time * kMaxDelayFactor) {}
  Debouncer(std::chrono::milliseconds quiet_time, std::chrono::milliseconds max_delay)
      : quiet_time_(quiet_time), max_delay_(max_delay) {}

  // Records one event; the first one of a burst starts the maximum delay.
  void note_event(Clock::time_point now);

  bool pending() const { return last_event_.has_value(); }

  // True once `quiet_time` has passed since the last event, or `max_delay` since the
  // first event of the burst. False when nothing is pending.
  bool due(Clock::time_point now) const;

  // When due() turns true if no other event comes; nothing when nothing is pending.
  std::optional<Clock::time_point> next_deadline() const;

  // Forgets the burst: call when acting on it, before re-reading the source, so events
  // that arrive during the reconcile start a new burst.
  void clear();

 private:
  std::chrono::milliseconds quiet_time_;
  std::chrono::milliseconds max_delay_;
  std::optional<Clock::time_point> first_event_;
  std::optional<Clock::time_point> last_event_;
};

}  // namespace meetgate::watch
