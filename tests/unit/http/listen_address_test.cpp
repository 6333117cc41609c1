#include "http/listen_address.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::http;
using meetgate::util::Problems;

namespace {

// The one problem parsing `value` reports.
std::string problem_for(std::string_view value) {
  Problems problems;
  CHECK_FALSE(parse_listen_address("MEETGATE_HTTP_ADDR", value, problems).has_value());
  REQUIRE(problems.size() == 1);
  return problems[0].to_string();
}

}  // namespace

TEST_CASE("numeric IPv4 and bracketed IPv6 addresses parse") {
  Problems problems;

  auto any = parse_listen_address("MEETGATE_HTTP_ADDR", "0.0.0.0:9180", problems);
  auto local = parse_listen_address("MEETGATE_HTTP_ADDR", "127.0.0.1:0", problems);
  auto six = parse_listen_address("MEETGATE_HTTP_ADDR", "[::1]:65535", problems);

  CHECK(problems.empty());
  CHECK((any->host == "0.0.0.0" && any->port == 9180));
  CHECK((local->host == "127.0.0.1" && local->port == 0));
  CHECK((six->host == "::1" && six->port == 65535));
  CHECK(six->to_string() == "[::1]:65535");
}

TEST_CASE("a host name is refused: a static binary cannot resolve it") {
  CHECK(problem_for("localhost:9180") ==
        "MEETGATE_HTTP_ADDR: \"localhost:9180\": host \"localhost\" is not a numeric IP address: "
        "meetgate does no name lookups, use e.g. 0.0.0.0, 127.0.0.1 or [::1]");
}

TEST_CASE("short or odd IPv4 forms are refused") {
  CHECK(problem_for("127.1:80").find("host \"127.1\" is not a numeric IP address") !=
        std::string::npos);
  CHECK(problem_for(":9180").find("host \"\" is not a numeric IP address") != std::string::npos);
}

TEST_CASE("a missing port is refused") {
  CHECK(problem_for("0.0.0.0") ==
        "MEETGATE_HTTP_ADDR: \"0.0.0.0\" is not HOST:PORT, e.g. 0.0.0.0:9180");
}

TEST_CASE("a port that is not a number up to 65535 is refused") {
  CHECK(problem_for("0.0.0.0:65536") ==
        "MEETGATE_HTTP_ADDR: \"0.0.0.0:65536\": port \"65536\" is not a whole number from 0 to "
        "65535");
  CHECK(problem_for("0.0.0.0:http").find("port \"http\"") != std::string::npos);
  CHECK(problem_for("0.0.0.0:").find("port \"\"") != std::string::npos);
  CHECK(problem_for("0.0.0.0:-1").find("port \"-1\"") != std::string::npos);
}

TEST_CASE("an IPv6 host without brackets is refused with a hint") {
  CHECK(problem_for("::1:9180") ==
        "MEETGATE_HTTP_ADDR: \"::1:9180\": an IPv6 host goes in brackets, e.g. [::1]:9180");
}
