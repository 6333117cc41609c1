#include "prosody/server_config.hpp"

#include <catch2/catch.hpp>

using meetgate::prosody::read_data_path;

TEST_CASE("data_path is read from the global section") {
  CHECK(read_data_path("-- comment\ndata_path = \"/config/data\";\nVirtualHost \"x\"\n") ==
        "/config/data");
  CHECK(read_data_path("  data_path='/var/lib/prosody' -- legacy\n") == "/var/lib/prosody");
}

TEST_CASE("data_path that only Prosody can evaluate is not guessed") {
  CHECK_FALSE(read_data_path("data_path = os.getenv(\"DATA\")\n"));
  CHECK_FALSE(read_data_path("data_path = \"/a\" .. \"/b\"\n"));
  CHECK_FALSE(read_data_path("-- data_path = \"/commented\"\n"));
}

TEST_CASE("a data_path inside a VirtualHost section is not the global one") {
  CHECK_FALSE(read_data_path("VirtualHost \"x\"\n  data_path = \"/y\"\n"));
}
