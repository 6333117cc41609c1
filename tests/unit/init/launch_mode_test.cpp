#include "init/launch_mode.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::init;

TEST_CASE("s6-overlay's /init is an init, whatever its directory") {
  CHECK(is_init_program("/init"));
  CHECK(is_init_program("init"));
  CHECK(is_init_program("/opt/s6/init"));
}

TEST_CASE("other programs are not inits, even with init in their name") {
  CHECK_FALSE(is_init_program("prosody"));
  CHECK_FALSE(is_init_program("/usr/bin/tini"));
  CHECK_FALSE(is_init_program("/sbin/init.d"));
  CHECK_FALSE(is_init_program("/init/prosody"));
  CHECK_FALSE(is_init_program(""));
}

TEST_CASE("run execs when asked or when CMD is an init, else supervises") {
  CHECK(choose_launch_mode(true, "prosody") == LaunchMode::kExec);
  CHECK(choose_launch_mode(false, "/init") == LaunchMode::kExec);
  CHECK(choose_launch_mode(false, "prosody") == LaunchMode::kSupervise);
}
