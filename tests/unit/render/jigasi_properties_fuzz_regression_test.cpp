// Inputs the fuzzer (fuzz/jigasi_properties_fuzz.cpp) found, kept so they stay fixed.
#include <catch2/catch.hpp>

#include "render/jigasi_properties.hpp"
#include "render/properties_document.hpp"

using meetgate::render::parse_properties;
using meetgate::render::patch_jigasi_properties;

// `key=\` then an empty line: the value is empty, and its span ended after the
// backslash, so the first run wrote `key=\true` (a tab and "rue") and the second
// `key=true`.
TEST_CASE("fuzz: an empty value ended by a continuation and a blank line is replaced whole") {
  const std::string key = "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH";
  meetgate::config::XmppSettings xmpp;
  xmpp.enable_auth = true;
  xmpp.enable_guests = true;
  const std::string input = key + "=\\\n\r" + key;

  const auto first = patch_jigasi_properties(input, xmpp, false);
  REQUIRE(first.ok());
  const auto second = patch_jigasi_properties(first.text, xmpp, false);

  CHECK(first.text.starts_with(key + "=true\n\r" + key + "=true\n"));
  CHECK(second.text == first.text);
}

TEST_CASE("fuzz: an empty continued value's span covers its backslash") {
  const auto document = parse_properties("key=\\\n\nnext=1\n");

  REQUIRE(document.entries.size() == 2);
  CHECK(document.entries[0].value.empty());
  CHECK(document.entries[0].value_begin == 4);
  CHECK(document.entries[0].value_end == 5);
}
