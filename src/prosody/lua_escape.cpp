// Escapes bytes for a double-quoted Lua string literal, byte by byte.
#include "prosody/lua_escape.hpp"

namespace meetgate::prosody {
namespace {

bool is_plain(unsigned char byte) {
  return (byte >= '0' && byte <= '9') || (byte >= 'A' && byte <= 'Z') ||
         (byte >= 'a' && byte <= 'z');
}

}  // namespace

std::string lua_literal(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 4 + 2);
  out += '"';
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_plain(byte)) {
      out += c;
      continue;
    }
    // Always three digits: "\0491" is byte 49 then '1', never byte 491.
    out += '\\';
    out += static_cast<char>('0' + byte / 100);
    out += static_cast<char>('0' + byte / 10 % 10);
    out += static_cast<char>('0' + byte % 10);
  }
  out += '"';
  return out;
}

}  // namespace meetgate::prosody
