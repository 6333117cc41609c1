#include "config/environment.hpp"

#include <system_error>

#include <catch2/catch.hpp>

using meetgate::config::Environment;
using meetgate::util::Problems;
using Variables = std::map<std::string, std::string>;

namespace {

Environment::FileReader fake_files(std::map<std::string, std::string> files) {
  return [files](const std::string& path) {
    auto it = files.find(path);
    if (it == files.end()) {
      throw std::system_error(ENOENT, std::generic_category(), "open " + path);
    }
    return it->second;
  };
}

}  // namespace

TEST_CASE("a plain variable is read as it is") {
  Environment environment(Variables{{"XMPP_DOMAIN", "meet.example"}});
  Problems problems;

  CHECK(environment.get("XMPP_DOMAIN", problems) == "meet.example");
  CHECK_FALSE(environment.get("XMPP_AUTH_DOMAIN", problems).has_value());
  CHECK(problems.empty());
}

TEST_CASE("X_FILE is read with one trailing newline stripped") {
  Environment environment(Variables{{"JVB_AUTH_PASSWORD_FILE", "/run/secrets/jvb"}},
                          fake_files({{"/run/secrets/jvb", "s3cret\n\n"}}));
  Problems problems;

  CHECK(environment.get("JVB_AUTH_PASSWORD", problems) == "s3cret\n");
  CHECK(problems.empty());
}

TEST_CASE("X and X_FILE both set is an error naming both") {
  Environment environment(Variables{{"JVB_AUTH_PASSWORD", "a"}, {"JVB_AUTH_PASSWORD_FILE", "/x"}},
                          fake_files({{"/x", "b"}}));
  Problems problems;

  CHECK_FALSE(environment.get("JVB_AUTH_PASSWORD", problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() ==
        "JVB_AUTH_PASSWORD: both JVB_AUTH_PASSWORD and JVB_AUTH_PASSWORD_FILE are set: keep one");
}

TEST_CASE("an empty X next to X_FILE counts as unset, as compose passes it") {
  Environment environment(Variables{{"JVB_AUTH_PASSWORD", ""}, {"JVB_AUTH_PASSWORD_FILE", "/x"}},
                          fake_files({{"/x", "from-file\n"}}));
  Problems problems;

  CHECK(environment.get("JVB_AUTH_PASSWORD", problems) == "from-file");
  CHECK(problems.empty());
}

TEST_CASE("an unreadable X_FILE is reported on the _FILE variable") {
  Environment environment(Variables{{"JVB_AUTH_PASSWORD_FILE", "/missing"}}, fake_files({}));
  Problems problems;

  CHECK_FALSE(environment.get("JVB_AUTH_PASSWORD", problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where == "JVB_AUTH_PASSWORD_FILE");
  CHECK_THAT(problems[0].what, Catch::StartsWith("open /missing"));
}

TEST_CASE("a command-line override wins over the variable") {
  Environment environment(Variables{{"MEETGATE_USERS", "/a"}});
  environment.set_override("MEETGATE_USERS", "/b");
  Problems problems;

  CHECK(environment.get("MEETGATE_USERS", problems) == "/b");
}
