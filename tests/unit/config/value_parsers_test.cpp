#include "config/value_parsers.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::config;
using meetgate::util::Problems;

TEST_CASE("booleans accept the documented words in any case") {
  Problems problems;

  for (const char* yes : {"1", "true", "TRUE", "yes", "Yes", "on", "ON"}) {
    CHECK(parse_bool("ENABLE_AUTH", yes, problems) == true);
  }
  for (const char* no : {"0", "false", "False", "no", "NO", "off", "Off"}) {
    CHECK(parse_bool("ENABLE_AUTH", no, problems) == false);
  }
  CHECK(problems.empty());
}

TEST_CASE("anything else is not a boolean, and never true") {
  Problems problems;

  CHECK_FALSE(parse_bool("ENABLE_AUTH", "nope", problems).has_value());
  CHECK_FALSE(parse_bool("ENABLE_AUTH", "", problems).has_value());
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].to_string() ==
        "ENABLE_AUTH: \"nope\" is not a boolean: use 1/0, true/false, yes/no or on/off");
}

TEST_CASE("durations take ms, s, m and h") {
  Problems problems;

  CHECK(parse_duration("D", "250ms", problems) == std::chrono::milliseconds(250));
  CHECK(parse_duration("D", "10s", problems) == std::chrono::seconds(10));
  CHECK(parse_duration("D", "5m", problems) == std::chrono::minutes(5));
  CHECK(parse_duration("D", "1h", problems) == std::chrono::hours(1));
  CHECK(problems.empty());
}

TEST_CASE("bad durations name the variable and the value") {
  Problems problems;

  for (const char* bad : {"10", "s", "0s", "-1s", "1.5s", "5 m", "10x", ""}) {
    CHECK_FALSE(parse_duration("MEETGATE_DEBOUNCE", bad, problems).has_value());
  }
  REQUIRE(problems.size() == 8);
  CHECK(problems[0].to_string() ==
        "MEETGATE_DEBOUNCE: \"10\" is not a duration: use a positive whole number with ms, s, m "
        "or h, e.g. 250ms, 10s, 5m");
}

TEST_CASE("integers are checked against their range") {
  Problems problems;

  CHECK(parse_integer("MEETGATE_JOBS", "4", 1, 256, problems) == 4);
  CHECK_FALSE(parse_integer("MEETGATE_JOBS", "0", 1, 256, problems).has_value());
  CHECK_FALSE(parse_integer("MEETGATE_JOBS", "4x", 1, 256, problems).has_value());
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].to_string() == "MEETGATE_JOBS: \"0\" is not a whole number from 1 to 256");
}

TEST_CASE("choices are case-insensitive and listed when wrong") {
  Problems problems;

  CHECK(parse_choice("MEETGATE_PRUNE", "ALL", {"managed", "all", "none"}, problems) == "all");
  CHECK_FALSE(parse_choice("MEETGATE_PRUNE", "some", {"managed", "all", "none"}, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() == "MEETGATE_PRUNE: \"some\" is not one of: managed, all, none");
}

TEST_CASE("host names") {
  CHECK(is_valid_host_name("meet.jitsi"));
  CHECK(is_valid_host_name("guest.meet-1.example.org"));
  CHECK(is_valid_host_name("localhost"));

  CHECK_FALSE(is_valid_host_name(""));
  CHECK_FALSE(is_valid_host_name("meet..jitsi"));
  CHECK_FALSE(is_valid_host_name("meet.jitsi."));
  CHECK_FALSE(is_valid_host_name("-meet.jitsi"));
  CHECK_FALSE(is_valid_host_name("meet_jitsi"));
  CHECK_FALSE(is_valid_host_name("https://meet.jitsi"));
  CHECK_FALSE(is_valid_host_name(std::string(64, 'a') + ".jitsi"));
}
