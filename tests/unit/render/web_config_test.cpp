// The web target: config.js's hosts for the debian layout (our inputs against goldens,
// every jitsi-meet config.js fixture, the inputs it must refuse) and the block for
// docker-jitsi-meet's custom-config.js.
#include "render/web_config.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

#include "render/marked_block.hpp"

using namespace meetgate;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(MEETGATE_TEST_DATA) / "render" / "web";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

config::XmppSettings xmpp(bool auth, bool guests, const std::string& domain = "meet.example.com") {
  config::XmppSettings settings;
  settings.domain = domain;
  settings.guest_domain = "guest." + domain;
  settings.enable_auth = auth;
  settings.enable_guests = guests;
  return settings;
}

const config::XmppSettings kAuthGuests = xmpp(true, true);
const config::XmppSettings kAuthOnly = xmpp(true, false);
const config::XmppSettings kAuthOff = xmpp(false, false);

// Patches, checks the second run changes nothing, returns the first result.
std::string patch_twice(const std::string& input, const config::XmppSettings& settings) {
  const auto first = render::patch_web_config(input, settings);
  INFO(first.error);
  REQUIRE(first.ok());
  const auto second = render::patch_web_config(first.text, settings);
  REQUIRE(second.ok());
  CHECK(second.text == first.text);
  return first.text;
}

std::string error_of(const std::string& input, const config::XmppSettings& settings) {
  const auto result = render::patch_web_config(input, settings);
  CHECK(result.text.empty());
  return result.error;
}

// The expected output; MEETGATE_UPDATE_GOLDENS=1 writes it instead (then review the diff).
std::string golden(const std::string& name, const std::string& actual) {
  if (std::getenv("MEETGATE_UPDATE_GOLDENS"))
    std::ofstream(kData / name, std::ios::binary | std::ios::trunc) << actual;
  return slurp(kData / name);
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

std::string config_js(const std::string& hosts_body) {
  return "var config = {\n    hosts: {\n" + hosts_body + "    },\n    bosh: '/http-bind'\n};\n";
}

}  // namespace

TEST_CASE("web config: the Debian-shaped inputs match their goldens") {
  for (const std::string stem : {"debian-config", "debian-2021-config", "debian-secured-config"}) {
    INFO(stem);
    const auto input = slurp(kData / (stem + ".js"));

    const auto full = patch_twice(input, kAuthGuests);
    CHECK(full == golden(stem + ".auth-guests.golden.js", full));
    const auto auth_only = patch_twice(input, kAuthOnly);
    CHECK(auth_only == golden(stem + ".auth.golden.js", auth_only));
    const auto off = patch_twice(input, kAuthOff);
    if (stem == "debian-secured-config")
      CHECK(off == golden(stem + ".off.golden.js", off));
    else
      CHECK(off == input);  // nothing of the Secure Domain in them to undo
  }
}

TEST_CASE("web config: switching guests or auth off undoes exactly what was added") {
  for (const std::string stem : {"debian-config", "debian-2021-config"}) {
    INFO(stem);
    const auto input = slurp(kData / (stem + ".js"));
    const auto full = patch_twice(input, kAuthGuests);

    CHECK(patch_twice(full, kAuthOff) == input);
    CHECK(patch_twice(full, kAuthOnly) == patch_twice(input, kAuthOnly));
  }
}

TEST_CASE("web config: adding after a last key without a comma gives it one") {
  const auto input = config_js(
      "        domain: 'meet.example.com',\n"
      "        muc: 'conference.meet.example.com'\n");

  const auto patched = patch_twice(input, kAuthGuests);

  CHECK(patched == config_js("        domain: 'meet.example.com',\n"
                             "        muc: 'conference.meet.example.com',\n"
                             "        anonymousdomain: 'guest.meet.example.com',\n"
                             "        authdomain: 'meet.example.com'\n"));
  CHECK(patch_twice(patched, kAuthOff) == input);
}

TEST_CASE("web config: the new key goes right under its commented-out example") {
  const auto input = config_js(
      "        domain: 'meet.example.com',\n"
      "        // anonymousdomain: 'guest.example.com',\n"
      "        muc: 'conference.meet.example.com'\n");

  const auto patched = patch_twice(input, kAuthGuests);

  CHECK(patched == config_js("        domain: 'meet.example.com',\n"
                             "        // anonymousdomain: 'guest.example.com',\n"
                             "        anonymousdomain: 'guest.meet.example.com',\n"
                             "        muc: 'conference.meet.example.com',\n"
                             "        authdomain: 'meet.example.com'\n"));
}

TEST_CASE("web config: a differing value is replaced, and only its bytes") {
  const auto input = config_js(
      "        domain: \"old.example.com\", // set by the installer\n"
      "        'anonymousdomain': 'guest.' + subdomain + 'old.example.com',\n"
      "        \"authdomain\": 'meet.example.com' /* kept */,\n");

  const auto patched = patch_twice(input, kAuthGuests);

  CHECK(patched == config_js("        domain: 'meet.example.com', // set by the installer\n"
                             "        'anonymousdomain': 'guest.meet.example.com',\n"
                             "        \"authdomain\": 'meet.example.com' /* kept */,\n"));
}

TEST_CASE("web config: an equal value in other quotes or escapes is left alone") {
  const auto input = config_js(
      "        domain: \"meet.example.com\",\n"
      "        anonymousdomain: 'guest.meet\\x2eexample.com',\n"
      "        authdomain: 'meet.\\u0065xample.com',\n");

  CHECK(patch_twice(input, kAuthGuests) == input);
}

TEST_CASE("web config: objects on one line are edited on that line") {
  const std::string input = "var config = { hosts: { domain: 'meet.example.com' }, x: 1 };\n";

  const auto patched = patch_twice(input, kAuthGuests);

  CHECK(patched ==
        "var config = { hosts: { domain: 'meet.example.com', anonymousdomain: "
        "'guest.meet.example.com', authdomain: 'meet.example.com' }, x: 1 };\n");
  CHECK(patch_twice(patched, kAuthOff) == input);
  CHECK(patch_twice("config = { hosts: {} };", kAuthOnly) ==
        "config = { hosts: { domain: 'meet.example.com', authdomain: 'meet.example.com' } };");
}

TEST_CASE("web config: an empty hosts block gets indented lines") {
  const auto patched = patch_twice("var config = {\n    hosts: {\n    }\n};\n", kAuthOnly);

  CHECK(patched ==
        "var config = {\n    hosts: {\n"
        "        domain: 'meet.example.com',\n"
        "        authdomain: 'meet.example.com',\n"
        "    }\n};\n");
}

TEST_CASE("web config: removal keeps the neighbours' lines and commas sane") {
  const auto patched =
      patch_twice(config_js("        domain: 'meet.example.com',\n"
                            "        anonymousdomain: 'a', authdomain: 'b', muc: 'm',\n"
                            "        // authdomain: 'example',\n"),
                  kAuthOff);

  CHECK(patched == config_js("        domain: 'meet.example.com',\n"
                             "        muc: 'm',\n"
                             "        // authdomain: 'example',\n"));
}

TEST_CASE("web config: a CRLF file keeps CRLF") {
  const auto input = with_crlf(slurp(kData / "debian-config.js"));

  const auto patched = patch_twice(input, kAuthGuests);

  CHECK(patched == with_crlf(slurp(kData / "debian-config.auth-guests.golden.js")));
  CHECK(patch_twice(patched, kAuthOff) == input);
}

TEST_CASE("web config: values are written as escaped single-quoted strings") {
  auto settings = kAuthGuests;
  settings.guest_domain = "it's\\<!--#x-->";

  const auto patched = patch_twice(config_js("        domain: 'meet.example.com',\n"), settings);

  CHECK(patched.find("anonymousdomain: 'it\\'s\\\\\\x3c!--#x--\\x3e',") != std::string::npos);
}

TEST_CASE("web config: a comma missing between two keys is an error, not a guess") {
  const auto input = config_js(
      "        domain: 'meet.example.com'\n"
      "        muc: 'conference.meet.example.com',\n");

  CHECK(error_of(input, kAuthGuests) ==
        "line 4: missing comma before muc: add one after the value before it");
  CHECK(error_of("var config = { a: x ? 1 : 2 b: 3, hosts: {} };", kAuthGuests) ==
        "line 1: missing comma before b: add one after the value before it");
  CHECK(render::patch_web_config("var config = { hosts: { domain: a?.b ?? c ? d : e } };", kAuthOff)
            .ok());
}

TEST_CASE("web config: a comment that JavaScript ends at a lone CR hides nothing") {
  const std::string input =
      "var config = { hosts: {\n  domain: 'meet.example.com' // c\r}, x: 1\n};";

  CHECK(patch_twice(input, kAuthOnly) ==
        "var config = { hosts: {\n  domain: 'meet.example.com', authdomain: 'meet.example.com' "
        "// c\r}, x: 1\n};");
  CHECK(patch_twice("var config = { hosts: { // c\xE2\x80\xA8}, x: 1 };", kAuthOnly) ==
        "var config = { hosts: { domain: 'meet.example.com', authdomain: 'meet.example.com' // "
        "c\xE2\x80\xA8}, x: 1 };");
}

TEST_CASE("web config: an example comment that JavaScript ends early is no anchor") {
  const std::string input = "var config = { hosts: {\n  // anonymousdomain: 'x'\r  muc: 'm'\n} };";

  CHECK(patch_twice(input, kAuthGuests) ==
        "var config = { hosts: {\n  // anonymousdomain: 'x'\r  muc: 'm', domain: "
        "'meet.example.com', anonymousdomain: 'guest.meet.example.com', authdomain: "
        "'meet.example.com'\n} };");
}

TEST_CASE("web config: files it does not understand are refused with the reason") {
  CHECK(error_of("var config = {\n    bosh: '/http-bind'\n};\n", kAuthGuests) ==
        "line 1: no hosts object in config: add `hosts: { domain: 'meet.example.com' }`");
  CHECK(error_of("var config = {};\nconfig.hosts = {};\n", kAuthOff) ==
        "line 1: no hosts object in config: add `hosts: { domain: 'meet.example.com' }`");
  CHECK(error_of("var settings = { hosts: {} };\n", kAuthGuests) ==
        "no `var config = {` object: is this Jitsi Meet's config.js?");
  CHECK(error_of("var config = {\n    hosts: {\n        domain: 'x',\n};\n", kAuthGuests) ==
        "line 1: '{' is never closed: add its '}'");
  CHECK(error_of("var config = {\n    hosts: { domain: 'x' ),\n};\n", kAuthGuests) ==
        "line 2: ')' does not match the '{' opened on line 2");
  CHECK(error_of("var config = { hosts: {} };\n}\n", kAuthGuests) ==
        "line 2: '}' closes nothing: remove it or add its opening");
  CHECK(error_of("var config = {\n    hosts: { domain: 'x },\n};\n", kAuthGuests) ==
        "line 2: string is not closed: add ' at its end");
  CHECK(error_of("var config = { hosts: {} };\n/* open", kAuthGuests) ==
        "line 2: comment is not closed: add */");
}

TEST_CASE("web config: ambiguous files are refused rather than half-patched") {
  CHECK(error_of("var config = { hosts: {} };\nconfig = { hosts: {} };\n", kAuthGuests) ==
        "line 2: a second `config = {` (the first is on line 1): meetgate cannot tell which "
        "one Jitsi Meet reads");
  CHECK(error_of("var config = {\n hosts: {},\n 'hosts': {}\n};\n", kAuthGuests) ==
        "line 3: a second 'hosts' in config (the first is on line 2): remove one");
  CHECK(error_of("var config = { hosts: defaultHosts };\n", kAuthGuests) ==
        "line 1: 'hosts' is not an object literal: meetgate edits only `hosts: { ... }`");
  CHECK(error_of("var config = { hosts: {\n authdomain: 'a',\n authdomain: 'b' } };\n", kAuthOff) ==
        "line 3: a second 'authdomain' (the first is on line 2): remove one");
  CHECK(error_of("var config = { hosts: { authdomain, muc: 'm' } };\n", kAuthOnly) ==
        "line 1: 'authdomain' is not written as `key: value`: write it as "
        "authdomain: 'meet.example.com'");
  CHECK(error_of("var config = { hosts: { domain: 'x',, } };\n", kAuthOnly) ==
        "line 1: an empty entry: remove the extra comma");
  CHECK(error_of("var config = { hosts: {\n domain: 'x',\n anonymousdomain = 'y',\n} };\n",
                 kAuthGuests) ==
        "line 3: cannot read the entry that starts `anonymousdomain =`: write it as key: value");
  CHECK(render::patch_web_config(
            "var config = { f() { return 1; }, get g() { return 2; }, *[h]() {}, ...more, "
            "hosts: {} };",
            kAuthOff)
            .ok());
}

TEST_CASE("web config: `config ==`, `x.config =` and nested hosts are not the target") {
  const std::string input =
      "if (config == {}) {}\nwindow.config = {};\n"
      "var config = { testing: { hosts: {} }, hosts: { domain: 'meet.example.com' } };\n";

  const auto patched = patch_twice(input, kAuthOnly);

  CHECK(patched.find("testing: { hosts: {} }") != std::string::npos);
  CHECK(patched.find("hosts: { domain: 'meet.example.com', authdomain: 'meet.example.com' }") !=
        std::string::npos);
}

TEST_CASE("web config: the docker-jitsi-meet block sets what system-config.js would") {
  CHECK(render::web_block(xmpp(true, true, "meet.jitsi")) ==
        "config.hosts.anonymousdomain = 'guest.meet.jitsi';\n"
        "config.hosts.authdomain = 'meet.jitsi';\n");
  CHECK(render::web_block(xmpp(true, false, "meet.jitsi")) ==
        "config.hosts.authdomain = 'meet.jitsi';\n");
  CHECK(render::web_block(xmpp(false, true, "meet.jitsi")).empty());
}

TEST_CASE("web config: the docker-jitsi-meet custom-config.js match their goldens") {
  const auto input = slurp(kData / "docker-custom-config.js");
  const auto settings = [](bool auth, bool guests) { return xmpp(auth, guests, "meet.jitsi"); };

  for (const auto& [name, auth, guests] : std::vector<std::tuple<std::string, bool, bool>>{
           {"auth-guests", true, true}, {"auth", true, false}}) {
    const auto block = render::web_block(settings(auth, guests));
    const auto result = render::replace_marked_block(input, block, "//");
    REQUIRE(result.ok());
    const auto name_js = "docker-custom-config." + name + ".golden.js";
    CHECK(result.text == golden(name_js, result.text));
    CHECK(render::replace_marked_block(result.text, block, "//").text == result.text);
  }
  CHECK(render::replace_marked_block(input, render::web_block(settings(false, false)), "//").text ==
        input);
}

namespace {

// The fixture's own hosts.domain, so undoing the patch must give back the very file.
std::string domain_in(const std::string& text) {
  const std::string key = "        domain: '";
  const auto begin = text.find(key);
  REQUIRE(begin != std::string::npos);
  return text.substr(begin + key.size(), text.find('\'', begin + key.size()) - begin - key.size());
}

// Every byte before and after the hosts object is the input's own.
void check_only_hosts_changed(const std::string& input, const std::string& output) {
  const auto hosts_begin = input.find("\n    hosts: {\n");
  const auto hosts_end = input.find("\n    },\n", hosts_begin);
  REQUIRE(hosts_end != std::string::npos);
  const auto tail = input.size() - hosts_end;

  CHECK(output.substr(0, hosts_begin) == input.substr(0, hosts_begin));
  REQUIRE(output.size() >= tail);
  CHECK(output.substr(output.size() - tail) == input.substr(hosts_end));
}

std::vector<fs::path> config_js_fixtures(const fs::path& fixtures) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    const auto name = entry.path().filename().string();
    // docker-jitsi-meet's are Go templates, not JavaScript.
    if (name.ends_with("config.js") && entry.path().parent_path().filename() != "docker-jitsi-meet")
      files.push_back(entry.path());
  }
  return files;
}

}  // namespace

TEST_CASE("web config: every jitsi-meet config.js fixture patches, once") {
  const fs::path fixtures(MEETGATE_SHARED_FIXTURES);
  if (!fs::exists(fixtures)) {
    WARN("skipped: fixtures absent at " << fixtures);
    SUCCEED("skipped: fixtures absent");
    return;
  }
  const auto files = config_js_fixtures(fixtures);
  CHECK(files.size() >= 3);

  for (const auto& file : files) {
    INFO(file.string());
    const auto input = slurp(file);
    const auto domain = domain_in(input);

    for (const auto& [auth, guests] : {std::pair{true, true}, {true, false}, {false, false}}) {
      const auto patched = patch_twice(input, xmpp(auth, guests, domain));
      check_only_hosts_changed(input, patched);
      CHECK(patch_twice(patched, xmpp(false, false, domain)) == input);
      CHECK((patched.find("anonymousdomain: 'guest." + domain + "',") != std::string::npos) ==
            (auth && guests));
      CHECK((patched.find("        authdomain: '" + domain + "',") != std::string::npos) == auth);
    }
    // Another domain: only the value of hosts.domain changes besides.
    const auto moved = patch_twice(input, xmpp(true, true, "meet.jitsi"));
    check_only_hosts_changed(input, moved);
    CHECK(moved.find("        domain: 'meet.jitsi',\n") != std::string::npos);
  }
}
