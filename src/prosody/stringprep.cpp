// Prosody's nodeprep and SASLprep through libidn, with the refusals put in plain words
// so an operator reads "contains a space" instead of a libidn return code.
#include "prosody/stringprep.hpp"

#include <stringprep.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prosody/storage_encoding.hpp"

#include "util/utf8.hpp"

namespace meetgate::prosody {
namespace {

// Prosody keeps an account in "<enc(user)>.dat", written through "<enc(user)>.dat~";
// file systems allow 255 bytes a name, so the encoded name may have 250.
constexpr std::size_t kMaxEncodedName = 255 - std::string_view(".dat~").size();

// Prosody's util.encodings refuses any stringprep input of 1024 bytes or more.
constexpr std::size_t kMaxPrepInput = 1023;

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

// RFC 3454 table C.1: the spaces nodeprep prohibits. Not U+200B, which is in C.1.2 but
// mapped to nothing (table B.1) before prohibitions apply.
bool is_space(char32_t cp) {
  return cp == 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
         cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

// The ASCII characters RFC 6122 removes from Jabber ID node parts (besides space, '@').
bool is_node_prohibited_ascii(char32_t cp) {
  return cp == '"' || cp == '&' || cp == '\'' || cp == '/' || cp == ':' || cp == '<' || cp == '>';
}

// The first reason, in reading order, that a node part is refused before libidn runs.
std::string node_character_error(const std::vector<char32_t>& code_points) {
  for (char32_t cp : code_points) {
    if (is_space(cp))
      return "contains a space";
    if (cp == '@')
      return "contains '@'";
    if (is_control(cp))
      return "contains a control character";
    if (is_node_prohibited_ascii(cp))
      return "contains a character not allowed in a Jabber ID";
  }
  return "";
}

std::string bidi_error(int rc) {
  if (rc == STRINGPREP_BIDI_BOTH_L_AND_RAL)
    return "mixes left-to-right and right-to-left text";
  if (rc == STRINGPREP_BIDI_LEADTRAIL_NOT_RAL) {
    return "has right-to-left text that does not start and end with a right-to-left character";
  }
  return "contains a character not allowed in right-to-left text";
}

// Runs one libidn profile; the buffer grows because mapping may lengthen the text.
int run_profile(std::string_view input, Stringprep_profile_flags flags,
                const Stringprep_profile* profile, std::string& output) {
  std::vector<char> buffer(input.size() * 4 + 16);
  for (;;) {
    std::copy(input.begin(), input.end(), buffer.begin());
    buffer[input.size()] = '\0';

    const int rc = stringprep(buffer.data(), buffer.size(), flags, profile);
    if (rc == STRINGPREP_TOO_SMALL_BUFFER && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc == STRINGPREP_OK)
      output.assign(buffer.data());
    return rc;
  }
}

PrepResult refuse(std::string reason) {
  return PrepResult{"", std::move(reason)};
}

PrepResult too_long(std::size_t encoded) {
  return refuse("is too long for Prosody's file names (" + std::to_string(encoded) +
                " bytes encoded, at most " + std::to_string(kMaxEncodedName) + ")");
}

}  // namespace

PrepResult nodeprep(std::string_view username) {
  if (username.empty())
    return refuse("is empty");
  const auto code_points = util::decode_utf8(username);
  if (!code_points)
    return refuse("is not valid UTF-8");
  if (auto error = node_character_error(*code_points); !error.empty())
    return refuse(error);
  if (username.size() > kMaxPrepInput)
    return too_long(encode_storage_name(username).size());

  // What is left for libidn: unassigned code points (emoji), other prohibited ones.
  std::string prepared;
  const int rc =
      run_profile(username, STRINGPREP_NO_UNASSIGNED, stringprep_xmpp_nodeprep, prepared);
  if (rc >= STRINGPREP_BIDI_BOTH_L_AND_RAL && rc <= STRINGPREP_BIDI_CONTAINS_PROHIBITED) {
    return refuse(bidi_error(rc));
  }
  if (rc != STRINGPREP_OK)
    return refuse("contains a character not allowed in a Jabber ID");

  // Zero-width characters map to nothing, which can leave nothing at all.
  if (prepared.empty())
    return refuse("is empty");
  const std::size_t encoded = encode_storage_name(prepared).size();
  if (encoded > kMaxEncodedName)
    return too_long(encoded);
  return PrepResult{std::move(prepared), ""};
}

PrepResult saslprep(std::string_view password) {
  const auto code_points = util::decode_utf8(password);
  if (!code_points)
    return refuse("is not valid UTF-8");
  for (char32_t cp : *code_points) {
    if (is_control(cp))
      return refuse("contains a control character");
  }
  if (password.size() > kMaxPrepInput) {
    return refuse("is too long (" + std::to_string(password.size()) + " bytes, at most " +
                  std::to_string(kMaxPrepInput) + ")");
  }

  // Unassigned code points refused: Debian's Prosody (ICU) answers "Password fails
  // SASLprep" for an emoji or U+FB42, so such a password could never be registered.
  std::string prepared;
  const int rc = run_profile(password, STRINGPREP_NO_UNASSIGNED, stringprep_saslprep, prepared);
  if (rc >= STRINGPREP_BIDI_BOTH_L_AND_RAL && rc <= STRINGPREP_BIDI_CONTAINS_PROHIBITED) {
    return refuse(bidi_error(rc));
  }
  if (rc != STRINGPREP_OK)
    return refuse("contains a character SASLprep does not allow");
  return PrepResult{std::move(prepared), ""};
}

}  // namespace meetgate::prosody
