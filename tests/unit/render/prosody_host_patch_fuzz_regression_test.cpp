// Inputs the fuzzer (fuzz/prosody_host_patch_fuzz.cpp) found, kept so they stay fixed.
#include <catch2/catch.hpp>

#include "render/prosody_host_patch.hpp"

using meetgate::render::patch_prosody_host;

namespace {

meetgate::config::XmppSettings auth_and_guests() {
  meetgate::config::XmppSettings xmpp;
  xmpp.domain = "m";
  xmpp.guest_domain = "guest.m";
  xmpp.enable_auth = true;
  xmpp.enable_guests = true;
  return xmpp;
}

}  // namespace

// The lexer took the ESC byte for a symbol: the first run wrote the SASL line before it,
// and the second refused its own `disable_sasl_mechanisms = {...}` followed by it.
TEST_CASE("fuzz: a byte that is no Lua is refused, naming its line") {
  const auto result = patch_prosody_host("VirtualHost\"m\"\n\x1b", auth_and_guests());

  CHECK(result.error == "line 2: byte 0x1b is not Lua outside a string or comment");
  CHECK(patch_prosody_host("VirtualHost \"m\"\n@x = 1\n", auth_and_guests()).error ==
        "line 2: '@' is not Lua outside a string or comment");
}

// The first run added `disable_sasl_mechanisms = { ... }` on the line before a '-' (or
// a '('), which then read as part of its value: the second run refused its own output.
TEST_CASE("fuzz: a setting is not added where the next line would continue it") {
  auto xmpp = auth_and_guests();
  xmpp.domain = "meet.jitsi";

  CHECK(patch_prosody_host("VirtualHost\"meet.jitsi\"\n-", xmpp).error ==
        "line 2: '-' continues the statement before it: meetgate cannot add authentication to "
        "VirtualHost \"meet.jitsi\" there");
  CHECK(patch_prosody_host("VirtualHost \"meet.jitsi\"\n(f)()\n", xmpp).error ==
        "line 2: '(' continues the statement before it: meetgate cannot add authentication to "
        "VirtualHost \"meet.jitsi\" there");
}

// The lines for the main host went after the end of its header's line, which was the
// next section's header: they landed in that section, and every run added them again.
TEST_CASE("fuzz: nothing is added after a line that starts the next section") {
  auto xmpp = auth_and_guests();
  xmpp.domain = "meet.jitsi";
  xmpp.guest_domain = "guest.meet.jitsi";
  const std::string set_up =
      "VirtualHost \"meet.jitsi\"\n  authentication = \"internal_hashed\"\n"
      "  disable_sasl_mechanisms = { \"DIGEST-MD5\", \"OAUTHBEARER\" } Component \"c\" \"muc\"\n"
      "  x = 1\n";

  CHECK(patch_prosody_host("VirtualHost\"meet.jitsi\"Component\"\"", xmpp).error ==
        "line 1: VirtualHost \"meet.jitsi\" and the Component after it share a line: put each "
        "on a line of its own");
  CHECK(patch_prosody_host(set_up, xmpp).error ==
        "line 3: VirtualHost \"meet.jitsi\" and the Component after it share a line: put each "
        "on a line of its own");
}

// The lines went inside the table opened on the header's line, where the next run did
// not look for them, so every run added them again.
TEST_CASE("fuzz: nothing is added inside a bracket the header's line opens") {
  auto xmpp = auth_and_guests();

  CHECK(patch_prosody_host("VirtualHost\"m\"{\nr}", xmpp).error ==
        "line 1: VirtualHost \"m\" leaves a bracket open on its line: meetgate cannot add "
        "authentication inside it; give settings as lines of their own under the header");
}

// `1_` lexed as the number 1 and the name `_`; the value became `false_`, one name, and
// the next run refused it. A string or table may touch the next name in valid Lua too.
TEST_CASE("fuzz: a value replaced against the next name is kept apart from it") {
  auto xmpp = auth_and_guests();
  xmpp.domain = "meet.jitsi";
  xmpp.guest_domain = "guest.meet.jitsi";
  const std::string main = "VirtualHost\"meet.jitsi\"\n";

  const auto first =
      patch_prosody_host(main + "VirtualHost\"guest.meet.jitsi\"c2s_require_encryption=1_", xmpp);
  REQUIRE(first.ok());
  const auto touching =
      patch_prosody_host(main +
                             "VirtualHost \"guest.meet.jitsi\"\n  "
                             "authentication=\"anonymous\"c2s_require_encryption=false\n",
                         xmpp);

  CHECK(patch_prosody_host(first.text, xmpp).text == first.text);
  CHECK(touching.text.ends_with(
      "\n  authentication=\"jitsi-anonymous\" c2s_require_encryption=false\n"));
}

// The lines went after the first line break, which was inside a string on the header's
// line (a long string, or a quoted one continued by `\`).
TEST_CASE("fuzz: nothing is added inside a string that spans lines") {
  auto xmpp = auth_and_guests();
  xmpp.domain = "meet.jitsi";
  xmpp.guest_domain = "guest.meet.jitsi";

  for (const std::string input :
       {"VirtualHost\"meet.jitsi\"[[\n]]", "VirtualHost\"meet.jitsi\"\"\\\n\""}) {
    INFO(input);
    const auto first = patch_prosody_host(input, xmpp);
    REQUIRE(first.ok());
    const auto second = patch_prosody_host(first.text, xmpp);

    CHECK(first.text.starts_with(input + "\n    authentication = \"internal_hashed\"\n"));
    CHECK(second.text == first.text);
  }
}
