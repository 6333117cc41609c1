#include "http/health.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::http;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct FakeClock {
  Health::Clock::time_point now{};
  Health::Now function() {
    return [this] { return now; };
  }
};

}  // namespace

TEST_CASE("live at start, stalled once the heartbeat is older than the threshold") {
  FakeClock clock;
  Health health(30s, clock.function());

  clock.now += 30s;
  CHECK(health.liveness().ok);

  clock.now += 1500ms;
  const auto status = health.liveness();
  CHECK_FALSE(status.ok);
  CHECK(status.reason == "watch loop stalled: last heartbeat 31.5s ago");
}

TEST_CASE("a heartbeat makes a stalled loop live again") {
  FakeClock clock;
  Health health(30s, clock.function());
  clock.now += 1min;

  health.heartbeat();
  clock.now += 10s;

  CHECK(health.liveness().ok);
  CHECK(health.liveness().reason.empty());
}

TEST_CASE("not ready before the source is read or reconciled") {
  FakeClock clock;
  Health health(30s, clock.function());

  CHECK(health.readiness().reason == "users source not read yet");

  health.source_valid();
  CHECK_FALSE(health.readiness().ok);
  CHECK(health.readiness().reason == "no successful reconcile yet");

  health.reconcile_succeeded();
  CHECK(health.readiness().ok);
}

TEST_CASE("an invalid source makes a ready watcher unready until fixed") {
  FakeClock clock;
  Health health(30s, clock.function());
  health.source_valid();
  health.reconcile_succeeded();

  health.source_invalid("users.txt:3: username \"a b\" contains a space\nusers.txt:4: more");
  const auto status = health.readiness();
  CHECK_FALSE(status.ok);
  CHECK(status.reason == "users.txt:3: username \"a b\" contains a space");

  health.source_valid();
  CHECK(health.readiness().ok);
}

TEST_CASE("a missing source at start is reported as such") {
  FakeClock clock;
  Health health(30s, clock.function());

  health.source_invalid("users source missing: /users/users.txt");
  health.reconcile_succeeded();

  CHECK(health.readiness().reason == "users source missing: /users/users.txt");
}

TEST_CASE("a loop sleeping as promised stays live without beating") {
  FakeClock clock;
  Health health(30s, clock.function());

  health.sleeping_until(clock.now + 5min);
  clock.now += 5min + 29s;
  CHECK(health.liveness().ok);

  clock.now += 2s;
  CHECK_FALSE(health.liveness().ok);
}

TEST_CASE("waking early counts from the wake-up, not the promised time") {
  FakeClock clock;
  Health health(30s, clock.function());
  health.sleeping_until(clock.now + 5min);

  clock.now += 1s;
  health.heartbeat();
  clock.now += 31s;

  CHECK_FALSE(health.liveness().ok);
}

TEST_CASE("a blocked reconcile makes the watcher unready until one succeeds") {
  FakeClock clock;
  Health health(30s, clock.function());
  health.source_valid();
  health.reconcile_succeeded();

  health.reconcile_blocked("delete guard: 3 of 4 accounts would go\nsecond line");
  const auto status = health.readiness();
  CHECK_FALSE(status.ok);
  CHECK(status.reason == "delete guard: 3 of 4 accounts would go");

  health.reconcile_succeeded();
  CHECK(health.readiness().ok);
}
