#include "prosody/data_directory.hpp"

#include <catch2/catch.hpp>

using meetgate::prosody::check_data_directory;

TEST_CASE("a missing data directory says how to fix it") {
  meetgate::util::Problems problems;

  check_data_directory("/nonexistent-meetgate-data", problems);

  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() ==
        "/nonexistent-meetgate-data: Prosody's data directory is not there: mount the server's "
        "data volume here, or point MEETGATE_DATA_PATH at it");
}
