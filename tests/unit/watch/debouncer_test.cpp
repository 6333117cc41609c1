// Tests for Debouncer: timelines on a made-up clock.
#include "watch/debouncer.hpp"

#include <catch2/catch.hpp>

using meetgate::watch::Debouncer;
using namespace std::chrono_literals;

namespace {
const Debouncer::Clock::time_point t0{};
}

TEST_CASE("debouncer: nothing pending is never due") {
  Debouncer debouncer;

  CHECK_FALSE(debouncer.pending());
  CHECK_FALSE(debouncer.due(t0 + 1h));
  CHECK_FALSE(debouncer.next_deadline());
}

TEST_CASE("debouncer: due once the quiet time passed after the last event") {
  Debouncer debouncer(250ms);

  debouncer.note_event(t0);
  debouncer.note_event(t0 + 100ms);

  CHECK_FALSE(debouncer.due(t0 + 250ms));
  CHECK_FALSE(debouncer.due(t0 + 349ms));
  CHECK(debouncer.due(t0 + 350ms));
  CHECK(debouncer.next_deadline() == t0 + 350ms);
}

TEST_CASE("debouncer: a burst that never goes quiet is due after the maximum delay") {
  Debouncer debouncer(250ms);

  for (auto at = t0; at < t0 + 5s; at += 100ms)
    debouncer.note_event(at);

  CHECK(debouncer.next_deadline() == t0 + 2500ms);
  CHECK_FALSE(debouncer.due(t0 + 2499ms));
  CHECK(debouncer.due(t0 + 2500ms));
}

TEST_CASE("debouncer: the default quiet time is 250 ms and the maximum ten times it") {
  Debouncer debouncer;

  debouncer.note_event(t0);

  CHECK(debouncer.next_deadline() == t0 + 250ms);
  CHECK(Debouncer::kDefaultQuietTime * Debouncer::kMaxDelayFactor == 2500ms);
}

TEST_CASE("debouncer: clear starts a new burst") {
  Debouncer debouncer(250ms, 1s);
  debouncer.note_event(t0);

  debouncer.clear();
  debouncer.note_event(t0 + 900ms);

  CHECK(debouncer.pending());
  CHECK_FALSE(debouncer.due(t0 + 1s));
  CHECK(debouncer.next_deadline() == t0 + 1150ms);
}
