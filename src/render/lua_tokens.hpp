// Just enough of Lua's lexer to patch a Prosody config without guessing at lines:
// strings (quoted and long-bracket), comments (line and long), names, numbers and
// punctuation, each with its byte span so that everything between tokens is kept.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meetgate::render {

struct LuaToken {
  enum class Kind { kName, kString, kNumber, kSymbol };
  Kind kind = Kind::kSymbol;
  size_t begin = 0;  // byte offsets into the text
  size_t end = 0;
  int depth = 0;  // nesting of {} () [] around the token (an opening bracket is outside)
  int line = 1;

  std::string_view text(std::string_view source) const { return source.substr(begin, end - begin); }
};

struct LuaLex {
  std::vector<LuaToken> tokens;                     // comments are skipped, not tokens
  std::vector<std::pair<size_t, size_t>> comments;  // [begin, end) of each comment
  std::string error;  // "line N: ..." when the text is not Lua we understand
};

LuaLex lex_lua(std::string_view source);

// Whether `c` continues a Lua name (a letter, a digit or '_').
inline bool is_lua_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The value of a string token (quotes removed, escapes resolved for the common ones);
// long-bracket strings as written.
std::string lua_string_value(std::string_view token);

}  // namespace meetgate::render
