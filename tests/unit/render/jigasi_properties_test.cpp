// The jigasi target: Jigasi's XMPP account in Debian's sip-communicator.properties (our
// inputs against goldens, every jigasi fixture, the inputs it must refuse) and the
// block for docker-jitsi-meet's custom-sip-communicator.properties.
#include "render/jigasi_properties.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "render/marked_block.hpp"
#include "render/properties_document.hpp"

using namespace meetgate;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(MEETGATE_TEST_DATA) / "render" / "jigasi";
const std::string kPassword = "a=b:c\\d #x";
// A leading blank and '=', a backslash, '#', '!', and letters outside ASCII (one
// outside the BMP, written as a surrogate pair).
const std::string kHardPassword = " =lead:\\ #!\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The expected output; MEETGATE_UPDATE_GOLDENS=1 writes it instead (then review the diff).
std::string golden(const std::string& name, const std::string& actual) {
  if (std::getenv("MEETGATE_UPDATE_GOLDENS"))
    std::ofstream(kData / name, std::ios::binary | std::ios::trunc) << actual;
  return slurp(kData / name);
}

config::XmppSettings secure_domain(bool guests = false) {
  config::XmppSettings xmpp;
  xmpp.domain = "meet.test";
  xmpp.auth_domain = "auth.meet.test";
  xmpp.guest_domain = "guest.meet.test";
  xmpp.enable_auth = true;
  xmpp.enable_guests = guests;
  xmpp.jigasi_password = kPassword;
  return xmpp;
}

config::XmppSettings auth_off() {
  auto xmpp = secure_domain();
  xmpp.enable_auth = false;
  return xmpp;
}

// Patches, checks the second run changes nothing, returns the first result.
std::string patch_twice(const std::string& input, const config::XmppSettings& xmpp,
                        bool trust_all = false) {
  const auto first = render::patch_jigasi_properties(input, xmpp, trust_all);
  INFO(first.error);
  REQUIRE(first.ok());
  const auto second = render::patch_jigasi_properties(first.text, xmpp, trust_all);
  REQUIRE(second.ok());
  CHECK(second.text == first.text);
  return first.text;
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// The value java.util.Properties would read for `key` (the last one wins).
std::string read_back(const std::string& text, std::string_view key) {
  const auto doc = render::parse_properties(text);
  REQUIRE(doc.ok());
  std::string value = "<absent>";
  for (const auto& entry : doc.entries) {
    if (entry.key == key)
      value = entry.value;
  }
  return value;
}

}  // namespace

TEST_CASE("sip-communicator.properties: auth on sets the account next to its comments") {
  const auto input = slurp(kData / "debian.properties");

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == golden("debian.auth.properties", output));
  CHECK(output.find("# org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH=false\n"
                    "org.jitsi.jigasi.xmpp.acc.USER_ID=jigasi@auth.meet.test\n"
                    "org.jitsi.jigasi.xmpp.acc.PASS=a=b:c\\\\d #x\n"
                    "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH=false\n\n") != std::string::npos);
  CHECK(output.find("# org.jitsi.jigasi.xmpp.acc.USER_ID=SOME_USER@SOME_DOMAIN\n") !=
        std::string::npos);
  CHECK(read_back(output, render::kJigasiPassKey) == kPassword);
  CHECK(read_back(output, render::kJigasiAlwaysTrustKey) == "<absent>");
}

TEST_CASE("sip-communicator.properties: with guests Jigasi joins anonymously, as in docker") {
  const auto input = slurp(kData / "debian.properties");
  auto no_password = secure_domain(true);
  no_password.jigasi_password.reset();

  const auto output = patch_twice(input, secure_domain(true));
  const auto without = patch_twice(input, no_password);

  CHECK(output == golden("debian.guests.properties", output));
  CHECK(read_back(output, render::kJigasiUserIdKey) == "jigasi@guest.meet.test");
  CHECK(read_back(output, render::kJigasiAnonymousAuthKey) == "true");
  CHECK(read_back(output, render::kJigasiPassKey) == kPassword);
  CHECK(read_back(without, render::kJigasiPassKey) == "<absent>");
}

TEST_CASE("sip-communicator.properties: trust-all only when asked, and removed after") {
  const auto input = slurp(kData / "debian.properties");

  const auto trusting = patch_twice(input, secure_domain(), true);
  const auto not_any_more = patch_twice(trusting, secure_domain(), false);

  CHECK(trusting == golden("debian.trust.properties", trusting));
  CHECK(trusting.find("# net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED=true\n"
                      "net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED=true\n") !=
        std::string::npos);
  CHECK(not_any_more == patch_twice(input, secure_domain()));
}

TEST_CASE("sip-communicator.properties: auth off removes the keys and gives the bytes back") {
  const auto input = slurp(kData / "debian.properties");

  const auto on = patch_twice(input, secure_domain(), true);
  const auto off = patch_twice(on, auth_off());

  CHECK(off == input);
  CHECK(patch_twice(input, auth_off()) == input);
}

TEST_CASE("sip-communicator.properties: keys set before are replaced in place, all of them") {
  const auto input = slurp(kData / "existing.properties");
  auto xmpp = secure_domain();
  xmpp.jigasi_password = kHardPassword;

  const auto output = patch_twice(input, xmpp);
  const auto off = patch_twice(input, auth_off());

  CHECK(output == golden("existing.auth.properties", output));
  CHECK(output.find("org.jitsi.jigasi.xmpp.acc.USER_ID : jigasi@auth.meet.test\n") !=
        std::string::npos);
  CHECK(output.find("org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH=false\n") != std::string::npos);
  CHECK(read_back(output, render::kJigasiPassKey) == kHardPassword);
  CHECK(read_back(output, render::kJigasiAlwaysTrustKey) == "<absent>");
  CHECK(off == golden("existing.off.properties", off));
  CHECK(off.find("org.jitsi.jigasi.xmpp.acc.") == off.find("org.jitsi.jigasi.xmpp.acc.SERVER"));
}

TEST_CASE("sip-communicator.properties: a password in raw UTF-8 is rewritten escaped") {
  auto xmpp = secure_domain();
  xmpp.jigasi_password = "caf\xc3\xa9";

  // Properties.load(InputStream) would read those two bytes as two Latin-1 letters.
  const auto output = patch_twice("org.jitsi.jigasi.xmpp.acc.PASS=caf\xc3\xa9\n", xmpp);

  CHECK(output.starts_with("org.jitsi.jigasi.xmpp.acc.PASS=caf\\u00E9\n"));
}

TEST_CASE("sip-communicator.properties: a CRLF file stays CRLF") {
  const auto input = with_crlf(slurp(kData / "debian.properties"));
  const auto expected = with_crlf(slurp(kData / "debian.auth.properties"));

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == expected);
  CHECK(patch_twice(output, auth_off()) == input);
}

TEST_CASE("sip-communicator.properties: a value continued at the end is closed first") {
  const std::string line = "org.jitsi.jigasi.xmpp.acc.USER_ID=jigasi@auth.meet.test\n";

  const auto open_end = patch_twice("a=b\\", secure_domain());
  const auto open_line = patch_twice("a=b\\\n", secure_domain());
  const auto no_newline = patch_twice("a=b", secure_domain());

  CHECK(open_end.starts_with("a=b\\\n\n" + line));
  CHECK(open_line.starts_with("a=b\\\n\n" + line));
  CHECK(no_newline.starts_with("a=b\n" + line));
  CHECK(read_back(open_end, "a") == "b");
}

TEST_CASE("sip-communicator.properties: what cannot be written is refused") {
  auto xmpp = secure_domain();
  xmpp.jigasi_password.reset();
  const std::string expected =
      "JIGASI_XMPP_PASSWORD is not set: with ENABLE_AUTH on and ENABLE_GUESTS off Jigasi "
      "logs in as jigasi@auth.meet.test and needs that account's password";

  const auto missing = render::patch_jigasi_properties("a=b\n", xmpp, false);
  xmpp.jigasi_password = "";
  const auto empty = render::patch_jigasi_properties("a=b\n", xmpp, false);
  const auto malformed =
      render::patch_jigasi_properties("a=b\nc=\\u12x4\n", secure_domain(), false);

  CHECK(missing.error == expected);
  CHECK(empty.error == expected);
  CHECK(render::jigasi_settings_problem(xmpp) == expected);
  CHECK(malformed.error ==
        "line 2: malformed \\uxxxx escape: java.util.Properties refuses the whole file");
  CHECK(render::patch_jigasi_properties("a=b\n", secure_domain(), false).error.find(kPassword) ==
        std::string::npos);
}

TEST_CASE("sip-communicator.properties: the reader splits lines as java.util.Properties") {
  const auto doc = render::parse_properties(
      "  # comment \\\nkey\\ one = v\\u00e9\\tx \\\n   y\r\n! other\rk2:\\=v\n"
      "k3 v3\nk4\nc=a\\\n# not a comment\ne=x\\\n\n#real comment\n");

  REQUIRE(doc.ok());
  REQUIRE(doc.entries.size() == 6);
  CHECK(doc.entries[0].key == "key one");
  CHECK(doc.entries[0].value == "v\xc3\xa9\tx y");
  CHECK(doc.entries[0].ascii);
  CHECK(doc.entries[1].key == "k2");
  CHECK(doc.entries[1].value == "=v");
  CHECK(doc.entries[2].value == "v3");
  CHECK(doc.entries[3].bare_key);
  CHECK(doc.entries[4].value == "a# not a comment");
  CHECK(doc.entries[5].value == "x");
  REQUIRE(doc.comments.size() == 3);
  CHECK(doc.comments[0].text == "comment \\");
  CHECK(doc.comments[1].line == 4);
  CHECK(doc.comments[2].text == "real comment");
}

TEST_CASE("sip-communicator.properties: escaped values read back exactly") {
  for (const std::string& value : {kPassword, kHardPassword, std::string(":x"), std::string("\t"),
                                   std::string("a\nb\\"), std::string("\xff\xfe")}) {
    const auto escaped = render::properties_escaped(value);
    const auto doc = render::parse_properties("k " + escaped + "\n");

    REQUIRE(doc.entries.size() == 1);
    CHECK(doc.entries[0].ascii);
    if (value != "\xff\xfe")
      CHECK(doc.entries[0].value == value);
  }
  CHECK(render::properties_escaped(kHardPassword) ==
        "\\ =lead:\\\\ #!\\u00E9\\u20AC\\uD83D\\uDE00");
}

TEST_CASE("custom-sip-communicator.properties: meetgate's block sets the account") {
  config::XmppSettings docker;
  docker.enable_auth = true;
  docker.jigasi_password = kPassword;
  const auto operator_file = slurp(kData / "custom-sip-communicator.input.properties");

  const auto block = render::jigasi_block(docker, false);
  const auto file = render::replace_marked_block(operator_file, block, "#");

  CHECK(block ==
        "org.jitsi.jigasi.xmpp.acc.USER_ID=jigasi@auth.meet.jitsi\n"
        "org.jitsi.jigasi.xmpp.acc.PASS=a=b:c\\\\d #x\n"
        "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH=false\n");
  REQUIRE(file.ok());
  CHECK(file.text == golden("custom-sip-communicator.properties", file.text));
  CHECK(render::jigasi_block(auth_off(), false).empty());
  CHECK(render::jigasi_block(auth_off(), true) ==
        "net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED=true\n");
}

TEST_CASE("sip-communicator.properties: every fixture is patched in place, idempotently") {
  const fs::path fixtures(MEETGATE_SHARED_FIXTURES);
  if (!fs::exists(fixtures)) {
    WARN("skipped: fixtures absent at " << fixtures);
    SUCCEED("skipped: fixtures absent");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    const auto name = entry.path().filename().string();
    const auto folder = entry.path().parent_path().filename();
    // docker-jitsi-meet's files are Go templates, not properties until rendered.
    if (entry.is_regular_file() && name.ends_with(".properties") &&
        ((folder == "rendered" && name.starts_with("jigasi_")) || folder == "jigasi"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 3);

  for (const auto& file : files) {
    INFO(file.string());
    const auto input = slurp(file);
    for (const bool guests : {false, true}) {
      const auto output = patch_twice(input, secure_domain(guests), true);

      // Only whole lines were added: without them the file is the input again.
      std::istringstream lines(output);
      std::string line, rest;
      int added = 0;
      while (std::getline(lines, line)) {
        const bool ours = line.starts_with(std::string(render::kJigasiUserIdKey) + "=") ||
                          line.starts_with(std::string(render::kJigasiPassKey) + "=") ||
                          line.starts_with(std::string(render::kJigasiAnonymousAuthKey) + "=") ||
                          line.starts_with(std::string(render::kJigasiAlwaysTrustKey) + "=");
        added += ours;
        if (!ours)
          rest += line + "\n";
      }
      CHECK(added == 4);
      CHECK(rest == input);
      CHECK(patch_twice(output, auth_off()) == input);
    }
  }
}

TEST_CASE("sip-communicator.properties: every cut of our inputs is patched idempotently") {
  for (const auto* name : {"debian.properties", "existing.properties"}) {
    const auto input = slurp(kData / name);
    for (size_t size = 0; size <= input.size(); ++size) {
      INFO(name << " cut at " << size);
      const auto cut = input.substr(0, size);
      // One setting per cut, in turn: every cut of a settings' worth would be slow.
      const auto xmpp = std::vector{secure_domain(), secure_domain(true), auth_off()}[size % 3];

      const auto first = render::patch_jigasi_properties(cut, xmpp, size % 2 == 0);

      // A cut inside a \u escape is the only thing refused.
      CHECK((first.ok() || first.error.find("malformed \\uxxxx") != std::string::npos));
      if (first.ok())
        CHECK(render::patch_jigasi_properties(first.text, xmpp, size % 2 == 0).text == first.text);
    }
  }
}
