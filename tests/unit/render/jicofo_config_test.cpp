// The jicofo target: jicofo.authentication in Debian's jicofo.conf (our inputs against
// goldens, every jicofo.conf fixture, the inputs it must refuse) and the block for
// docker-jitsi-meet's custom-jicofo.conf.
#include "render/jicofo_config.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "render/hocon_document.hpp"
#include "render/marked_block.hpp"

using namespace meetgate;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(MEETGATE_TEST_DATA) / "render" / "jicofo";

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

config::XmppSettings secure_domain() {
  config::XmppSettings xmpp;
  xmpp.domain = "meet.test";
  xmpp.auth_domain = "auth.meet.test";
  xmpp.guest_domain = "guest.meet.test";
  xmpp.enable_auth = true;
  xmpp.enable_guests = true;
  return xmpp;
}

config::XmppSettings jwt() {
  auto xmpp = secure_domain();
  xmpp.jicofo_auth_type = "jwt";
  xmpp.jicofo_auth_lifetime = "12 hours";
  xmpp.enable_auto_login = false;
  return xmpp;
}

config::XmppSettings auth_off() {
  auto xmpp = secure_domain();
  xmpp.enable_auth = false;
  xmpp.enable_guests = false;
  return xmpp;
}

// Patches, checks the second run changes nothing, returns the first result.
std::string patch_twice(const std::string& input, const config::XmppSettings& xmpp) {
  const auto first = render::patch_jicofo_config(input, xmpp);
  INFO(first.error);
  REQUIRE(first.ok());
  const auto second = render::patch_jicofo_config(first.text, xmpp);
  REQUIRE(second.ok());
  CHECK(second.text == first.text);
  return first.text;
}

std::string error_of(const std::string& input) {
  const auto result = render::patch_jicofo_config(input, secure_domain());
  CHECK(result.text.empty());
  return result.error;
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("jicofo.conf: a fresh Debian file gets authentication inside its jicofo block") {
  const auto input = slurp(kData / "debian.conf");

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == golden("debian.auth.conf", output));
  CHECK(output.find("  authentication: {\n    enabled: true\n    type: XMPP\n"
                    "    login-url: \"meet.test\"\n    enable-auto-login: true\n"
                    "    authentication-lifetime: \"24 hours\"\n  }\n}\n") != std::string::npos);
}

TEST_CASE("jicofo.conf: the handbook's block is completed in place, never doubled") {
  const auto input = slurp(kData / "debian-secure-domain.conf");

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == golden("debian-secure-domain.auth.conf", output));
  CHECK(output == input.substr(0, input.find("  }\n  bridge")) +
                      "    enable-auto-login: true\n"
                      "    authentication-lifetime: \"24 hours\"\n" +
                      input.substr(input.find("  }\n  bridge")));
}

TEST_CASE("jicofo.conf: values in dotted and nested form are replaced where they are") {
  const auto input = slurp(kData / "mixed.conf");

  const auto output = patch_twice(input, jwt());

  CHECK(output == golden("mixed.jwt.conf", output));
  CHECK(output.find("jicofo.authentication.login-url = \"meet.test\"  # from the migration") !=
        std::string::npos);
  CHECK(output.find("      enabled = true\n") != std::string::npos);
  CHECK(output.find("      type = JWT\n") != std::string::npos);
  CHECK(output.find("      authentication-lifetime = \"12 hours\"\n"
                    "      enable-auto-login = false\n    }") != std::string::npos);
}

TEST_CASE("jicofo.conf: a value set to the same thing in another spelling is left alone") {
  const std::string input =
      "jicofo {\n  authentication {\n    enabled = \"true\"\n    type = \"XMPP\"\n"
      "    login-url = meet.test\n    enable-auto-login = yes\n"
      "    authentication-lifetime = 24 hours\n  }\n}\n";

  const auto output = patch_twice(input, secure_domain());

  // `yes` is true to Typesafe Config, but not the same text: written as meetgate says.
  CHECK(output ==
        "jicofo {\n  authentication {\n    enabled = \"true\"\n    type = \"XMPP\"\n"
        "    login-url = meet.test\n    enable-auto-login = true\n"
        "    authentication-lifetime = 24 hours\n  }\n}\n");
}

TEST_CASE("jicofo.conf: auth off removes the keys, and the block they leave empty") {
  const auto handbook = slurp(kData / "debian-secure-domain.conf");
  const auto mixed = slurp(kData / "mixed.conf");

  const auto handbook_off = patch_twice(handbook, auth_off());
  const auto mixed_off = patch_twice(mixed, auth_off());

  CHECK(handbook_off == golden("debian-secure-domain.off.conf", handbook_off));
  CHECK(handbook_off.find("authentication") == std::string::npos);
  // Comments in the block are the operator's: the block stays with them.
  CHECK(mixed_off == golden("mixed.off.conf", mixed_off));
  CHECK(mixed_off.find("    authentication {\n      # Do not remove: Jicofo needs this with "
                       "prosody's internal_hashed\n      // The type of authentication. "
                       "Supported values are XMPP or JWT.\n    }\n") != std::string::npos);
  CHECK(mixed_off.find("login-url") == std::string::npos);
}

TEST_CASE("jicofo.conf: auth on then off gives the original bytes back") {
  const auto input = slurp(kData / "debian.conf");

  const auto on = patch_twice(input, secure_domain());
  const auto off = patch_twice(on, auth_off());

  CHECK(off == input);
  CHECK(patch_twice(input, auth_off()) == input);
}

TEST_CASE("jicofo.conf: a file without a jicofo block gets one at its end") {
  const auto input = slurp(kData / "no-jicofo.conf");

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == golden("no-jicofo.auth.conf", output));
  CHECK(output == input +
                      "jicofo {\n  authentication {\n    enabled = true\n    type = XMPP\n"
                      "    login-url = \"meet.test\"\n    enable-auto-login = true\n"
                      "    authentication-lifetime = \"24 hours\"\n  }\n}\n");
  CHECK(patch_twice(output, auth_off()) == input);
}

TEST_CASE("jicofo.conf: a CRLF file stays CRLF") {
  const auto input = with_crlf(slurp(kData / "debian.conf"));
  const auto expected = with_crlf(slurp(kData / "debian.auth.conf"));

  const auto output = patch_twice(input, secure_domain());

  CHECK(output == expected);
  CHECK(patch_twice(output, auth_off()) == input);
}

TEST_CASE("jicofo.conf: objects on one line are patched on that line") {
  CHECK(patch_twice("jicofo { bridge { x = 1 } }\n", secure_domain()) ==
        "jicofo { bridge { x = 1 }, authentication { enabled = true, type = XMPP, "
        "login-url = \"meet.test\", enable-auto-login = true, "
        "authentication-lifetime = \"24 hours\" } }\n");
  CHECK(patch_twice("jicofo { authentication { a = 1, enabled = true, type = XMPP } }",
                    auth_off()) == "jicofo { authentication { a = 1 } }");
  CHECK(patch_twice("jicofo { authentication { enabled = true, a = 1, } }", auth_off()) ==
        "jicofo { authentication { a = 1, } }");
}

TEST_CASE("jicofo.conf: a root in braces is patched inside them") {
  const auto output = patch_twice("{\n  jicofo {\n    a = 1\n  }\n}\n", secure_domain());

  CHECK(
      output.starts_with("{\n  jicofo {\n    a = 1\n    authentication {\n"
                         "      enabled = true\n"));
  CHECK(output.ends_with("      authentication-lifetime = \"24 hours\"\n    }\n  }\n}\n"));
}

TEST_CASE("jicofo.conf: the Jicofo auth type maps as docker-jitsi-meet maps it") {
  auto xmpp = secure_domain();
  xmpp.auth_type = "jwt";

  const auto from_auth_type = patch_twice("jicofo {\n}\n", xmpp);
  xmpp.jicofo_auth_type = "ldap";
  const auto ldap = patch_twice("jicofo {\n}\n", xmpp);

  CHECK(from_auth_type.find("type = JWT\n") != std::string::npos);
  CHECK(ldap.find("type = XMPP\n") != std::string::npos);
}

TEST_CASE("jicofo.conf: files whose structure is not understood are refused") {
  CHECK(error_of("jicofo {\n  a = 1\n}\njicofo {\n  b = 2\n}\n") ==
        "line 4: a second top-level jicofo block (the first is at line 1): merge them into "
        "one; meetgate will not choose between them");
  CHECK(error_of("jicofo {\n  a {\n    b = 1\n}\n") == "line 1: '{' is never closed");
  CHECK(error_of("jicofo {\n  a = 1\n}\n}\n") == "line 4: '}' has no matching '{'");
  CHECK(error_of("jicofo {\n  a = [ 1, 2\n}\n") == "line 3: unexpected '}' in an array");
  CHECK(error_of("jicofo {\n  a = \"open\n}\n") ==
        "line 2: a control character or line break inside a quoted string: escape it, or "
        "use a \"\"\" string");
  CHECK(error_of("jicofo { a = x@y }\n") ==
        "line 1: reserved character '@' outside quotes: quote the value");
  CHECK(error_of("jicofo {\n  a = 1,,\n}\n") == "line 2: unexpected ','");
  // Never the line's text: `password "secret"` without its ':' is such a line.
  CHECK(error_of("jicofo {\n  password \"secret\"\n}\n") ==
        "line 2: expected ':', '=' or '{' after a key");
  CHECK(error_of("jicofo {\n  password =\n}\n") == "line 2: a key without a value");
  CHECK(error_of("jicofo = ${base}\n") ==
        "line 1: jicofo is set to something other than an object: make it a { } block so "
        "meetgate can add to it");
  CHECK(error_of("jicofo.authentication = null\n") ==
        "line 1: jicofo.authentication is set to something other than an object: make it a "
        "{ } block so meetgate can add to it");
  CHECK(error_of("jicofo {\n  authentication.type += XMPP\n}\n") ==
        "line 2: jicofo.authentication.type is not a plain value: set it with '=' or ':'");
}

TEST_CASE("jicofo.conf: the reader splits keys, strings and values as HOCON does") {
  const auto doc = render::parse_hocon(
      "a.\"b.c\" d = \"\"\"x \"y\"\"\"\" // c\ne: foo \"bar\" 1.5, f { g = [ { h = 1 } ] }\n"
      "include required(file(\"x.conf\"))\nu = \"\\u00e9\\n\"\n");

  REQUIRE(doc.ok());
  const auto& fields = doc.objects[0].fields;
  REQUIRE(fields.size() == 4);
  CHECK(fields[0].key == std::vector<std::string>{"a", "b.c d"});
  CHECK(fields[0].text == "x \"y\"");
  CHECK(fields[1].text == "foo bar 1.5");
  CHECK(fields[1].comma != std::string::npos);
  CHECK(fields[2].kind == render::HoconValueKind::kObject);
  CHECK(doc.objects[fields[2].object].fields[0].kind == render::HoconValueKind::kOther);
  CHECK(fields[3].text == "\xc3\xa9\n");
}

TEST_CASE("custom-jicofo.conf: meetgate's block sets jicofo.authentication") {
  const auto operator_file = slurp(kData / "custom-jicofo.input.conf");

  config::XmppSettings docker;  // docker-jitsi-meet's defaults
  docker.enable_auth = true;

  const auto block = render::jicofo_block(docker);
  const auto file = render::replace_marked_block(operator_file, block, "#");

  CHECK(block ==
        "jicofo.authentication {\n  enabled = true\n  type = XMPP\n  login-url = \"meet.jitsi\"\n"
        "  enable-auto-login = true\n  authentication-lifetime = \"24 hours\"\n}\n");
  REQUIRE(file.ok());
  CHECK(file.text == golden("custom-jicofo.conf", file.text));
  CHECK(render::parse_hocon(file.text).ok());
  CHECK(render::jicofo_block(auth_off()).empty());
}

TEST_CASE("jicofo.conf: every fixture is patched in place, idempotently") {
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
    // docker-jitsi-meet's files are Go templates, not HOCON until rendered.
    if (entry.is_regular_file() && name.ends_with(".conf") &&
        ((folder == "rendered" && name.starts_with("jicofo_")) || folder == "jicofo"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);

  for (const auto& file : files) {
    INFO(file.string());
    const auto input = slurp(file);
    for (const auto& xmpp : {secure_domain(), jwt(), auth_off()}) {
      const auto output = patch_twice(input, xmpp);

      // The bytes that changed lie inside jicofo.authentication, or, without one, at
      // the closing brace of the jicofo block.
      const auto doc = render::parse_hocon(input);
      REQUIRE(doc.ok());
      size_t from = input.size(), to = 0;
      for (const auto& jicofo : doc.objects[0].fields) {
        if (jicofo.key != std::vector<std::string>{"jicofo"})
          continue;
        const auto& block = doc.objects[jicofo.object];
        from = to = input.rfind('\n', block.close) + 1;
        for (const auto& field : block.fields) {
          if (field.key == std::vector<std::string>{"authentication"}) {
            from = input.rfind('\n', field.begin) + 1;
            to = input.find('\n', field.end) + 1;
          }
        }
      }
      size_t prefix = 0;
      while (prefix < std::min(input.size(), output.size()) && input[prefix] == output[prefix])
        ++prefix;
      size_t suffix = 0;
      while (suffix < std::min(input.size(), output.size()) - prefix &&
             input[input.size() - 1 - suffix] == output[output.size() - 1 - suffix])
        ++suffix;
      if (input != output) {
        CHECK(prefix >= from);
        CHECK(input.size() - suffix <= to);
      }
    }
  }
}

TEST_CASE("jicofo.conf: every cut of our inputs is patched idempotently or refused") {
  for (const auto* name : {"debian.conf", "mixed.conf", "debian-secure-domain.conf"}) {
    const auto input = slurp(kData / name);
    for (size_t size = 0; size <= input.size(); ++size) {
      INFO(name << " cut at " << size);
      const auto cut = input.substr(0, size);
      for (const auto& xmpp : {secure_domain(), auth_off()}) {
        const auto first = render::patch_jicofo_config(cut, xmpp);
        // Refused for what the text lacks, never for what the patch would do to it.
        CHECK(first.error.find("meetgate cannot patch") == std::string::npos);
        if (first.ok())
          CHECK(render::patch_jicofo_config(first.text, xmpp).text == first.text);
      }
    }
  }
}
