// Prosody's file-name encoding for internal storage (util/datamanager.lua: encode
// turns every byte Lua's %W matches, i.e. outside [A-Za-z0-9], into %xx).
#include "prosody/storage_encoding.hpp"

#include "util/hex.hpp"

namespace meetgate::prosody {

namespace {

bool is_alnum_ascii(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string encode_storage_name(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(name.size());
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (is_alnum_ascii(c)) {
      out += ch;
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::optional<std::string> decode_storage_name(std::string_view encoded) {
  // Prosody's own decode leaves a stray '%' as it is; we refuse it, because no name
  // Prosody encodes can contain one and such a file is not an account it wrote.
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out += encoded[i];
      continue;
    }
    if (encoded.size() - i < 3) {
      return std::nullopt;
    }
    int high = util::hex_digit_value(encoded[i + 1]);
    int low = util::hex_digit_value(encoded[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace meetgate::prosody
