#include "cli/prosody_setup.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>
#include <catch2/catch.hpp>

using namespace meetgate;
namespace fs = std::filesystem;

namespace {

// A prosody config file of the server's own (not meetgate's) in a temp dir.
struct ForeignConfig {
  fs::path path;
  explicit ForeignConfig(const std::string& text) {
    path = fs::temp_directory_path() / ("meetgate-setup-" + std::to_string(::getpid()) + ".lua");
    std::ofstream(path) << text;
  }
  ~ForeignConfig() { fs::remove(path); }
};

}  // namespace

TEST_CASE("without a config, the rootless default data path is used") {
  config::Settings settings;
  settings.prosody_config = "/nonexistent-meetgate/prosody.cfg.lua";
  util::Problems problems;

  CHECK(cli::resolve_data_path(settings, problems) == "/var/lib/prosody/data");
  CHECK(problems.empty());
}

TEST_CASE("a server's own config gives its data_path") {
  ForeignConfig config("data_path = \"/config/data\"\nVirtualHost \"meet.jitsi\"\n");
  config::Settings settings;
  settings.prosody_config = config.path;
  util::Problems problems;

  CHECK(cli::resolve_data_path(settings, problems) == "/config/data");
}

TEST_CASE("MEETGATE_DATA_PATH that disagrees with the server's config is refused") {
  ForeignConfig config("data_path = \"/config/data\"\n");
  config::Settings settings;
  settings.prosody_config = config.path;
  settings.data_path = "/elsewhere";
  util::Problems problems;

  CHECK_FALSE(cli::resolve_data_path(settings, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() ==
        "MEETGATE_DATA_PATH: is /elsewhere but " + config.path.string() +
            " stores accounts in /config/data: prosodyctl would write where meetgate does not "
            "look; unset one or make them equal");
}

TEST_CASE("a relative data_path in the server's config is refused") {
  ForeignConfig config("data_path = \"data\"\n");
  config::Settings settings;
  settings.prosody_config = config.path;
  util::Problems problems;

  CHECK_FALSE(cli::resolve_data_path(settings, problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].what ==
        "data_path \"data\" is relative: set MEETGATE_DATA_PATH to the absolute directory");
}
