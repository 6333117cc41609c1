#include "keeper/backoff.hpp"

#include <catch2/catch.hpp>

using meetgate::keeper::Backoff;
using namespace std::chrono_literals;

TEST_CASE("backoff doubles up to its ceiling") {
  Backoff backoff(500ms, 3s);

  CHECK(backoff.next() == 500ms);
  CHECK(backoff.next() == 1s);
  CHECK(backoff.next() == 2s);
  CHECK(backoff.next() == 3s);
  CHECK(backoff.next() == 3s);
}

TEST_CASE("a reset starts again from the first delay") {
  Backoff backoff(500ms, 3s);
  backoff.next();
  backoff.next();

  backoff.reset();

  CHECK(backoff.next() == 500ms);
}
