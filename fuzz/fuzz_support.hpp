// What the fuzz targets share: a failed property aborts with a message libFuzzer
// records, and the render targets' settings are drawn from the input's last bytes.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace meetgate::fuzz {

// Stops the run with a crash libFuzzer saves, naming the property that failed.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "meetgate fuzz: property failed: %s\n", what);
  std::abort();
}

inline void check(bool holds, const char* what) {
  if (!holds)
    fail(what);
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Characters no message or location of ours is made of: a secret holding one can be
// told apart from our own words.
constexpr std::string_view kTelltales = "!$%&*~^|`";

// Whether `text` shows `secret` other than by chance: made of our own words and of the
// input's other values it quotes (`quoted`: names, domains, other variables' values), an
// occurrence has each of its telltale characters inside one of those. One with a
// telltale outside them took it from the secret.
inline bool shows_secret(std::string_view text, std::string_view secret,
                         const std::vector<std::string>& quoted) {
  std::vector<bool> in_quoted(text.size(), false);
  for (const auto& part : quoted) {
    if (part.empty())
      continue;
    for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1))
      std::fill_n(in_quoted.begin() + static_cast<std::ptrdiff_t>(at), part.size(), true);
  }
  for (auto at = text.find(secret); at != std::string_view::npos; at = text.find(secret, at + 1)) {
    for (auto i = at; i < at + secret.size(); ++i) {
      if (kTelltales.find(text[i]) != std::string_view::npos && !in_quoted[i])
        return true;
    }
  }
  return false;
}

// Secure Domain settings as load_settings accepts them: domains from a few valid
// sets, the flags from one byte. The strings Jitsi's files get verbatim (Jigasi's
// password and user, Jicofo's auth lifetime) come from the front of the input when
// the last byte asks for them, so a config file with one byte appended is an input.
inline config::XmppSettings xmpp_settings(FuzzedDataProvider& input) {
  const auto flags = input.ConsumeIntegral<std::uint8_t>();
  config::XmppSettings xmpp;
  static const char* const kDomains[] = {"meet.jitsi", "meet.example.com", "jitsi-meet.example",
                                         "m"};
  const std::string domain = kDomains[flags & 3];
  xmpp.domain = domain;
  xmpp.auth_domain = "auth." + domain;
  xmpp.guest_domain = (flags & 4) ? "guest." + domain : "guests.other.example";
  xmpp.enable_auth = flags & 8;
  xmpp.enable_guests = xmpp.enable_auth && (flags & 16);
  xmpp.jicofo_auth_type = (flags & 32) ? "jwt" : "internal";
  xmpp.enable_auto_login = !(flags & 64);
  xmpp.jigasi_password = "s3cret:=#\\ p\xc3\xa9";
  if (flags & 128) {
    xmpp.jigasi_password = input.ConsumeRandomLengthString(64);
    xmpp.jigasi_user = input.ConsumeRandomLengthString(32);
    xmpp.jicofo_auth_lifetime = input.ConsumeRandomLengthString(32);
  }
  return xmpp;
}

// A patcher's stated property: patching its own output again succeeds and gives the
// same bytes, so a render that is run every start never drifts. Returns the first
// result.
template <typename Patch>
auto check_idempotent(std::string_view original, Patch patch) {
  auto first = patch(original);
  if (!first.ok())
    return first;
  const auto second = patch(first.text);
  if (!second.ok()) {
    std::fprintf(stderr, "second patch: %s\n", second.error.c_str());
    fail("patching the output again is refused");
  }
  check(second.text == first.text, "patching the output again changes it");
  return first;
}

}  // namespace meetgate::fuzz
