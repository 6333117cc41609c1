#include "log/logger.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace meetgate::log;

TEST_CASE("text lines carry time, level, event and fields") {
  auto line = format_line(Level::kInfo, "account_created", {{"user", "alice"}, {"count", 3}},
                          Format::kText, "2026-12-03T13:00:00.000Z");

  CHECK(line == "2026-12-03T13:00:00.000Z info account_created user=alice count=3");
}

TEST_CASE("text values with spaces or quotes are quoted") {
  auto line = format_line(Level::kWarn, "e", {{"reason", "a \"b\" c"}}, Format::kText, "T");

  CHECK(line == "T warn e reason=\"a \\\"b\\\" c\"");
}

TEST_CASE("json lines parse and keep field order") {
  auto line = format_line(Level::kError, "operation_failed",
                          {{"user", "bob"}, {"reason", "line\nbreak"}}, Format::kJson, "T");

  auto json = nlohmann::json::parse(line);
  CHECK(json["level"] == "error");
  CHECK(json["event"] == "operation_failed");
  CHECK(json["reason"] == "line\nbreak");
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("json numbers stay numbers") {
  auto line =
      format_line(Level::kInfo, "sync_done", {{"created", 5}, {"user", "7"}}, Format::kJson, "T");

  CHECK(line == R"({"time":"T","level":"info","event":"sync_done","created":5,"user":"7"})");
}

TEST_CASE("invalid UTF-8 in a field still gives valid JSON") {
  auto line = format_line(Level::kInfo, "e", {{"user", "\xff\xfe"}}, Format::kJson, "T");

  CHECK_NOTHROW(nlohmann::json::parse(line));
}
