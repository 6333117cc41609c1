#include "http/metrics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace meetgate::http;

TEST_CASE("a small registry renders exact exposition text") {
  Registry registry;
  auto& calls = registry.add_counter("x_calls_total", "Calls made.", {"operation", "result"});
  auto& users = registry.add_gauge("x_users", "Users known.");
  calls.increment({"delete", "ok"});
  calls.increment({"create", "ok"}, 2);
  users.set(7);

  const std::string text = registry.render();

  CHECK(text ==
        "# HELP x_calls_total Calls made.\n"
        "# TYPE x_calls_total counter\n"
        "x_calls_total{operation=\"create\",result=\"ok\"} 2\n"
        "x_calls_total{operation=\"delete\",result=\"ok\"} 1\n"
        "# HELP x_users Users known.\n"
        "# TYPE x_users gauge\n"
        "x_users 7\n");
}

TEST_CASE("a histogram renders cumulative buckets, sum and count") {
  Registry registry;
  auto& duration = registry.add_histogram("x_seconds", "Time taken.", {}, {0.1, 1});
  duration.observe(0.05);
  duration.observe(0.1);
  duration.observe(0.5);
  duration.observe(3);

  const std::string text = registry.render();

  CHECK(text ==
        "# HELP x_seconds Time taken.\n"
        "# TYPE x_seconds histogram\n"
        "x_seconds_bucket{le=\"0.1\"} 2\n"
        "x_seconds_bucket{le=\"1\"} 3\n"
        "x_seconds_bucket{le=\"+Inf\"} 4\n"
        "x_seconds_sum 3.65\n"
        "x_seconds_count 4\n");
}

TEST_CASE("histogram labels come before le") {
  Registry registry;
  auto& duration = registry.add_histogram("x_seconds", "T.", {"result"}, {1});

  duration.observe(2, {"ok"});

  CHECK(registry.render().find("x_seconds_bucket{result=\"ok\",le=\"1\"} 0\n") !=
        std::string::npos);
}

TEST_CASE("label values escape backslash, quote and line feed") {
  Registry registry;
  auto& gauge = registry.add_gauge("x", "H.", {"path"});

  gauge.set(1, {"C:\\a \"b\"\nc"});

  CHECK(registry.render().find("x{path=\"C:\\\\a \\\"b\\\"\\nc\"} 1\n") != std::string::npos);
}

TEST_CASE("help text escapes backslash and line feed, not quotes") {
  CHECK(escape_help("a\\b\n\"c\"") == "a\\\\b\\n\"c\"");
}

TEST_CASE("values use the shortest form and Prometheus' infinities") {
  CHECK(format_value(3) == "3");
  CHECK(format_value(0.25) == "0.25");
  CHECK(format_value(1764772800.5) == "1764772800.5");
  CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_value(std::nan("")) == "NaN");
}

TEST_CASE("a family with no series renders only help and type") {
  Registry registry;
  registry.add_counter("x_total", "H.", {"result"});

  CHECK(registry.render() == "# HELP x_total H.\n# TYPE x_total counter\n");
}

TEST_CASE("the wrong number of label values is refused") {
  Registry registry;
  auto& calls = registry.add_counter("x_total", "H.", {"result"});

  CHECK_THROWS_WITH(calls.increment({}), "metric x_total: 0 label values for 1 label names");
}

TEST_CASE("concurrent increments are all counted") {
  Registry registry;
  auto& calls = registry.add_counter("x_total", "H.", {"result"});
  auto& duration = registry.add_histogram("x_seconds", "H.", {}, {1});

  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        calls.increment({i % 2 ? "ok" : "failed"});
        duration.observe(0.5);
      }
    });
  CHECK_FALSE(registry.render().empty());  // rendering while others write is safe
  for (auto& thread : threads)
    thread.join();

  CHECK(calls.value({"ok"}) == 40000);
  CHECK(calls.value({"failed"}) == 40000);
  CHECK(registry.render().find("x_seconds_count 80000\n") != std::string::npos);
}
