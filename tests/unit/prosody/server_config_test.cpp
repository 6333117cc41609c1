#include "prosody/server_config.hpp"

#include <catch2/catch.hpp>

using meetgate::prosody::read_data_path;
using meetgate::prosody::read_global_string;

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

TEST_CASE("other global string options are read the same way") {
  const char* config =
      "admin_socket = \"/run/prosody/admin.sock\"\n"
      "admin_socket_extra = \"/not/this\"\n"
      "VirtualHost \"x\"\n  admin_shell_prompt = \"host$ \"\n";

  CHECK(read_global_string(config, "admin_socket") == "/run/prosody/admin.sock");
  CHECK_FALSE(read_global_string(config, "admin_shell_prompt"));
}
