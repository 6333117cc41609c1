// The debouncer's timeline arithmetic.
#include "watch/debouncer.hpp"

#include <algorithm>

namespace meetgate::watch {

void Debouncer::note_event(Clock::time_point now) {
  if (!first_event_)
    first_event_ = now;
  last_event_ = now;
}

bool Debouncer::due(Clock::time_point now) const {
  const auto deadline = next_deadline();
  return deadline && now >= *deadline;
}

std::optional<Debouncer::Clock::time_point> Debouncer::next_deadline() const {
  if (!last_event_)
    return std::nullopt;
  return std::min(*last_event_ + quiet_time_, *first_event_ + max_delay_);
}

void Debouncer::clear() {
  first_event_.reset();
  last_event_.reset();
}

}  // namespace meetgate::watch
