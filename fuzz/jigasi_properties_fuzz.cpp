// Fuzzes the debian layout's jigasi target: a sip-communicator.properties (with one
// settings byte and a trust byte appended) is patched; patching the result again must
// change nothing, and the result must read back, as java.util.Properties reads it,
// with Jigasi's account keys holding exactly what was set.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.hpp"
#include "render/jigasi_properties.hpp"
#include "render/properties_document.hpp"

namespace {

using meetgate::fuzz::check;

// The value the last `key` line holds, as Jigasi would read it.
std::optional<std::string> read_back(const meetgate::render::PropertiesDocument& document,
                                     std::string_view key) {
  std::optional<std::string> value;
  for (const auto& entry : document.entries) {
    if (entry.key == key)
      value = entry.value;
  }
  return value;
}

void check_read_back(const std::string& text, const meetgate::config::XmppSettings& xmpp,
                     bool trust_all) {
  using namespace meetgate::render;
  const auto document = parse_properties(text);
  check(document.ok(), "the patched file is not valid .properties");

  const auto user = read_back(document, kJigasiUserIdKey);
  const auto pass = read_back(document, kJigasiPassKey);
  const auto trust = read_back(document, kJigasiAlwaysTrustKey);
  check(trust == (trust_all ? std::optional<std::string>("true") : std::nullopt),
        "ALWAYS_TRUST_MODE_ENABLED reads back wrong");
  if (!xmpp.enable_auth) {
    check(!user && !pass, "auth off but Jigasi's account keys are still set");
    return;
  }
  const auto& domain = xmpp.enable_guests ? xmpp.guest_domain : xmpp.auth_domain;
  check(user == xmpp.jigasi_user + "@" + domain, "USER_ID reads back wrong");
  if (xmpp.jigasi_password && !xmpp.jigasi_password->empty())
    check(pass == *xmpp.jigasi_password, "PASS reads back wrong");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const auto xmpp = meetgate::fuzz::xmpp_settings(input);
  const bool trust_all = input.ConsumeBool();
  const std::string original = input.ConsumeRemainingBytesAsString();

  const auto result = meetgate::fuzz::check_idempotent(original, [&](std::string_view text) {
    return meetgate::render::patch_jigasi_properties(text, xmpp, trust_all);
  });
  if (result.ok())
    check_read_back(result.text, xmpp, trust_all);
  return 0;
}
