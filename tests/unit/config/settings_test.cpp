#include "config/settings.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace meetgate::config;

namespace {

SettingsLoad load(std::map<std::string, std::string> variables) {
  return load_settings(Environment(std::move(variables)));
}

std::vector<std::string> lines(const meetgate::util::Problems& problems) {
  std::vector<std::string> result;
  for (const auto& problem : problems)
    result.push_back(problem.to_string());
  return result;
}

}  // namespace

TEST_CASE("docker-jitsi-meet defaults apply when nothing is set") {
  auto result = load({});

  CHECK(result.problems.empty());
  CHECK(result.settings.xmpp.domain == "meet.jitsi");
  CHECK(result.settings.xmpp.auth_domain == "auth.meet.jitsi");
  CHECK(result.settings.xmpp.guest_domain == "guest.meet.jitsi");
  CHECK(result.settings.xmpp.guest_auth_type == "jitsi-anonymous");
  CHECK_FALSE(result.settings.xmpp.enable_auth);
  CHECK(result.settings.prosody_config == "/config/prosody.cfg.lua");
  CHECK(result.settings.prune == Prune::kManaged);
  CHECK(result.settings.max_delete_percent == 50);
  CHECK(result.settings.resync_interval == std::chrono::minutes(5));
  CHECK(result.settings.jobs >= 1);
}

TEST_CASE("ENABLE_AUTH=no means off, never on") {
  auto result = load({{"ENABLE_AUTH", "no"}});

  CHECK(result.problems.empty());
  CHECK_FALSE(result.settings.xmpp.enable_auth);
}

TEST_CASE("every problem is reported at once") {
  auto result = load({{"ENABLE_AUTH", "maybe"},
                      {"MEETGATE_JOBS", "0"},
                      {"MEETGATE_DEBOUNCE", "fast"},
                      {"MEETGATE_PROSODY_CONFIG", "relative.cfg.lua"}});

  CHECK(lines(result.problems) ==
        std::vector<std::string>{
            "ENABLE_AUTH: \"maybe\" is not a boolean: use 1/0, true/false, yes/no or on/off",
            "MEETGATE_PROSODY_CONFIG: \"relative.cfg.lua\" is not an absolute path: prosodyctl "
            "needs one",
            "MEETGATE_JOBS: \"0\" is not a whole number from 1 to 256",
            "MEETGATE_DEBOUNCE: \"fast\" is not a duration: use a positive whole number with ms, "
            "s, m or h, e.g. 250ms, 10s, 5m",
        });
}

TEST_CASE("guests without auth, and a users source without auth, are refused") {
  auto result = load({{"ENABLE_GUESTS", "1"}, {"MEETGATE_USERS", "/users/users.txt"}});

  auto text = lines(result.problems);
  REQUIRE(text.size() == 2);
  CHECK(text[0] ==
        "ENABLE_GUESTS: is on while ENABLE_AUTH is off: guests only exist next to authenticated "
        "users; set ENABLE_AUTH=1 or ENABLE_GUESTS=0");
  CHECK(text[1] ==
        "MEETGATE_USERS: a users source is set while ENABLE_AUTH is off: meet.jitsi is then "
        "anonymous and its accounts can never log in; set ENABLE_AUTH=1");
}

TEST_CASE("guest domain equal to the main domain is refused") {
  auto result = load({{"ENABLE_AUTH", "1"},
                      {"ENABLE_GUESTS", "1"},
                      {"XMPP_DOMAIN", "meet.example"},
                      {"XMPP_GUEST_DOMAIN", "meet.example"}});

  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        "XMPP_GUEST_DOMAIN: equals XMPP_DOMAIN (meet.example): guests need their own anonymous "
        "host, e.g. guest.meet.example");
}

TEST_CASE("AUTH_TYPE other than internal is refused with auth on") {
  auto result = load({{"ENABLE_AUTH", "1"}, {"AUTH_TYPE", "jwt"}});

  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        "AUTH_TYPE: is \"jwt\": meetgate manages Prosody's internal accounts only; use "
        "AUTH_TYPE=internal or do not run meetgate");
}

TEST_CASE("invalid domains are named") {
  auto result = load({{"XMPP_DOMAIN", "meet jitsi"}, {"XMPP_MUC_DOMAIN", "muc..x"}});

  auto text = lines(result.problems);
  CHECK(std::find(text.begin(), text.end(),
                  "XMPP_DOMAIN: \"meet jitsi\" is not a valid host name") != text.end());
  CHECK(std::find(text.begin(), text.end(),
                  "XMPP_MUC_DOMAIN: \"muc..x\" is not a valid host name") != text.end());
}

TEST_CASE("service accounts need non-empty passwords") {
  auto result = load({{"MEETGATE_SERVICE_ACCOUNTS", "on"},
                      {"JICOFO_AUTH_PASSWORD", ""},
                      {"JVB_AUTH_PASSWORD", "jvb-secret"}});

  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        "JICOFO_AUTH_PASSWORD: is empty: set the service password, or unset the variable");
}

TEST_CASE("service accounts to keep follow the configured users and passwords") {
  auto result = load({{"MEETGATE_SERVICE_ACCOUNTS", "1"},
                      {"JVB_AUTH_USER", "videobridge"},
                      {"JVB_AUTH_PASSWORD", "jvb-secret"},
                      {"JIGASI_XMPP_PASSWORD", "jigasi-secret"}});

  REQUIRE(result.problems.empty());
  auto accounts = result.settings.service_accounts_to_keep();
  REQUIRE(accounts.size() == 2);
  CHECK(accounts[0].username == "videobridge");
  CHECK(accounts[0].variable == "JVB_AUTH_PASSWORD");
  CHECK(accounts[1].username == "jigasi");
  auto names = result.settings.protected_usernames();
  CHECK(std::count(names.begin(), names.end(), "videobridge") == 1);
  CHECK(std::count(names.begin(), names.end(), "focus") == 1);
}

TEST_CASE("service account names and passwords follow Prosody's rules") {
  auto result = load({{"MEETGATE_SERVICE_ACCOUNTS", "1"},
                      {"JVB_AUTH_USER", "jvb bridge"},
                      {"JVB_AUTH_PASSWORD", "tab\there"}});

  CHECK(lines(result.problems) ==
        std::vector<std::string>{
            "JVB_AUTH_USER: username \"jvb bridge\" contains a space",
            "JVB_AUTH_PASSWORD: password of \"jvb bridge\" contains a control character",
        });
}

TEST_CASE("configured service users are protected as Prosody stores them") {
  auto result = load({{"JVB_AUTH_USER", "JVB2"}});

  auto names = result.settings.protected_usernames();
  CHECK(std::count(names.begin(), names.end(), "jvb2") == 1);
}

TEST_CASE("service accounts are not kept when the switch is off") {
  auto result = load({{"JVB_AUTH_PASSWORD", "jvb-secret"}});

  CHECK(result.settings.service_accounts_to_keep().empty());
}

TEST_CASE("run signals CMD's process group unless MEETGATE_SIGNAL_GROUP=0") {
  auto by_default = load({});
  auto child_only = load({{"MEETGATE_SIGNAL_GROUP", "0"}});
  auto wrong = load({{"MEETGATE_SIGNAL_GROUP", "group"}});

  CHECK(by_default.settings.signal_group);
  CHECK_FALSE(child_only.settings.signal_group);
  CHECK(child_only.problems.empty());
  REQUIRE(wrong.problems.size() == 1);
  CHECK(lines(wrong.problems)[0] ==
        "MEETGATE_SIGNAL_GROUP: \"group\" is not a boolean: use 1/0, true/false, yes/no or on/off");
}

TEST_CASE("render targets are read in any case and stored as named") {
  auto result = load({{"MEETGATE_RENDER", "Prosody, JICOFO"}});

  REQUIRE(result.problems.empty());
  CHECK(*result.settings.render_targets == std::vector<std::string>{"prosody", "jicofo"});
}

TEST_CASE("cross-checks wait until the values parse, so no advice is built on a bad one") {
  auto result = load({{"ENABLE_AUTH", "maybe"}, {"MEETGATE_USERS", "/users/users.txt"}});

  CHECK(lines(result.problems) ==
        std::vector<std::string>{
            "ENABLE_AUTH: \"maybe\" is not a boolean: use 1/0, true/false, yes/no or on/off"});
}
