// The debian layout's prosody target: our own inputs against goldens, every fixture
// of jitsi-meet-prosody's host config, and the inputs it must refuse.
#include "render/prosody_host_patch.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "render/lua_tokens.hpp"

using namespace meetgate;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(MEETGATE_TEST_DATA) / "render" / "prosody";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

config::XmppSettings xmpp(bool auth, bool guests, const std::string& domain = "meet.test") {
  config::XmppSettings settings;
  settings.domain = domain;
  settings.guest_domain = "guest." + domain;
  settings.enable_auth = auth;
  settings.enable_guests = guests;
  settings.guest_auth_type = "jitsi-anonymous";
  return settings;
}

// Patches, checks the second run changes nothing, returns the first result.
std::string patch_twice(const std::string& input, const config::XmppSettings& settings) {
  const auto first = render::patch_prosody_host(input, settings);
  REQUIRE(first.ok());
  const auto second = render::patch_prosody_host(first.text, settings);
  REQUIRE(second.ok());
  CHECK(second.text == first.text);
  return first.text;
}

// The expected output; MEETGATE_UPDATE_GOLDENS=1 writes it instead (then review the diff).
std::string golden(const std::string& name, const std::string& actual) {
  if (std::getenv("MEETGATE_UPDATE_GOLDENS"))
    std::ofstream(kData / name, std::ios::binary | std::ios::trunc) << actual;
  return slurp(kData / name);
}

}  // namespace

TEST_CASE("prosody host: auth and guests, auth only, auth off match their goldens") {
  const auto input = slurp(kData / "host.cfg.lua");

  const auto full = patch_twice(input, xmpp(true, true));
  CHECK(full == golden("host.auth-guests.golden.lua", full));
  const auto auth_only = patch_twice(input, xmpp(true, false));
  CHECK(auth_only == golden("host.auth.golden.lua", auth_only));
  CHECK(patch_twice(input, xmpp(false, false)) == input);
}

TEST_CASE("prosody host: an existing guest host is updated, not added again") {
  const auto patched = patch_twice(slurp(kData / "host.cfg.lua"), xmpp(true, true));
  auto other = xmpp(true, true);
  other.guest_auth_type = "anonymous";

  const auto again = patch_twice(patched, other);

  CHECK(again.find("VirtualHost \"guest.meet.test\"") ==
        again.rfind("VirtualHost \"guest.meet.test\""));
  CHECK(again.find("authentication = \"anonymous\"") != std::string::npos);
}

TEST_CASE("prosody host: CRLF files keep CRLF") {
  std::string input = "VirtualHost \"meet.test\"\r\n    authentication = \"anonymous\"\r\n";

  const auto patched = patch_twice(input, xmpp(true, true));

  CHECK(patched.find("\r\nVirtualHost \"guest.meet.test\"\r\n") != std::string::npos);
  std::string without_crlf = patched;
  for (size_t at = 0; (at = without_crlf.find("\r\n", at)) != std::string::npos;)
    without_crlf.erase(at, 2);
  CHECK(without_crlf.find('\n') == std::string::npos);  // every break is a CRLF
}

TEST_CASE("prosody host: a header on the last line without a break") {
  const auto patched = patch_twice("VirtualHost \"meet.test\"", xmpp(true, false));

  const std::string expected_start =
      "VirtualHost \"meet.test\"\n    authentication = \"internal_hashed\"\n";
  CHECK(patched.substr(0, expected_start.size()) == expected_start);
}

TEST_CASE("prosody host: files it does not understand are refused with the reason") {
  const auto settings = xmpp(true, true);

  CHECK(render::patch_prosody_host("VirtualHost \"other.test\"\n", settings)
            .error.find("no VirtualHost \"meet.test\"") == 0);
  CHECK(render::patch_prosody_host("VirtualHost \"meet.test\"\nx = { \n", settings)
            .error.find("unbalanced") != std::string::npos);
  CHECK(render::patch_prosody_host("VirtualHost \"meet.test\"\nx = \"open\n", settings)
            .error.find("line 2") == 0);
  CHECK(
      render::patch_prosody_host("VirtualHost \"meet.test\"\nVirtualHost \"meet.test\"\n", settings)
          .error.find("defined twice") != std::string::npos);
}

TEST_CASE("prosody host: every jitsi-meet-prosody fixture patches, once") {
  const fs::path fixtures(MEETGATE_SHARED_FIXTURES);
  if (!fs::exists(fixtures)) {
    WARN("skipped: fixtures absent at " << fixtures);
    return;
  }
  int patched = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    const auto name = entry.path().filename().string();
    if (name.find("prosody.cfg.lua-jvb.example") == std::string::npos &&
        name.find("conf.avail") == std::string::npos)
      continue;
    INFO(entry.path());
    const auto input = slurp(entry.path());
    const auto domain = input.find("jitmeet.example.com") != std::string::npos
                            ? "jitmeet.example.com"
                            : "meet.example.com";

    const auto output = patch_twice(input, xmpp(true, true, domain));

    CHECK(output.find("authentication = \"internal_hashed\"") != std::string::npos);
    CHECK(output.find(std::string("VirtualHost \"guest.") + domain + "\"") != std::string::npos);
    // Everything before the main host is untouched.
    const auto main_at = input.find(std::string("VirtualHost \"") + domain + "\"");
    CHECK(output.substr(0, main_at) == input.substr(0, main_at));
    ++patched;
  }
  CHECK(patched >= 4);
}

TEST_CASE("prosody host: values it cannot rewrite safely are refused, never half-replaced") {
  const auto settings = xmpp(true, false);
  for (const char* value : {"os.getenv(\"AUTH\") or \"anonymous\"", "pick(\"anonymous\")",
                            "cfg:get(\"a\")", "auths[1]", "\"a\" or \"b\"", "\"abc\":upper()"}) {
    INFO(value);
    const auto result = render::patch_prosody_host(
        std::string("VirtualHost \"meet.test\"\n    authentication = ") + value + "\n", settings);
    CHECK(result.error ==
          "line 2: the value of authentication is an expression meetgate cannot rewrite safely: "
          "make it a plain value");
  }
}

TEST_CASE("prosody host: plain values, `..` joins and `;` are rewritten") {
  const auto settings = xmpp(true, false);

  const auto joined = render::patch_prosody_host(
      "VirtualHost \"meet.test\"\n  authentication = \"x\" .. \"y\"; ssl = {}\n", settings);
  const auto table = render::patch_prosody_host(
      "VirtualHost \"meet.test\"\n  disable_sasl_mechanisms = { \"PLAIN\" }\n", settings);

  CHECK(joined.text.find("authentication = \"internal_hashed\"; ssl = {}") != std::string::npos);
  CHECK(table.text.find("disable_sasl_mechanisms = { \"DIGEST-MD5\", \"OAUTHBEARER\" }") !=
        std::string::npos);
}

TEST_CASE("prosody host: a key set twice in the host is refused") {
  const auto result = render::patch_prosody_host(
      "VirtualHost \"meet.test\"\n  authentication = \"anonymous\"\n  authentication = "
      "\"jitsi-anonymous\"\n",
      xmpp(true, false));

  CHECK(result.error ==
        "line 3: authentication is set twice in VirtualHost \"meet.test\": keep one");
}

TEST_CASE("prosody host: an assignment without its value is refused, not read past") {
  CHECK_FALSE(
      render::patch_prosody_host("VirtualHost \"meet.test\"\n  authentication =", xmpp(true, false))
          .ok());
  CHECK_FALSE(render::patch_prosody_host(
                  "VirtualHost \"meet.test\"\n  authentication =\nVirtualHost \"other\"\n",
                  xmpp(true, false))
                  .ok());
}

TEST_CASE("prosody host: auth off undoes only what meetgate sets") {
  const std::string old_style = "VirtualHost \"meet.test\"\n    authentication = \"anonymous\"\n";

  CHECK(patch_twice(old_style, xmpp(false, false)) == old_style);
  CHECK(patch_twice("VirtualHost \"meet.test\"\n    authentication = \"internal_hashed\"\n",
                    xmpp(false, false)) ==
        "VirtualHost \"meet.test\"\n    authentication = \"jitsi-anonymous\"\n");
}

TEST_CASE("prosody host: a long comment after the header is not written into") {
  const std::string input = "VirtualHost \"meet.test\" --[[ a\n long comment ]]\n  ssl = {}\n";

  const auto patched = patch_twice(input, xmpp(true, false));

  CHECK(patched.find("long comment ]]\n  authentication = \"internal_hashed\"\n") !=
        std::string::npos);
}
