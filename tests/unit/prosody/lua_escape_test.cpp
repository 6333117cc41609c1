// Tests for lua_literal: exact escapes, and a round trip through Lua's own rules for
// decimal escapes, done here by a small reader of double-quoted literals.
#include "prosody/lua_escape.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

using meetgate::prosody::lua_literal;

namespace {

// Reads a double-quoted Lua literal made only of letters, digits and `\ddd` escapes
// (Lua reads up to three digits after a backslash); nullopt on anything else.
std::optional<std::string> read_literal(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"')
    return std::nullopt;
  literal = literal.substr(1, literal.size() - 2);
  std::string bytes;
  for (size_t i = 0; i < literal.size();) {
    const char c = literal[i];
    if (c != '\\') {
      if (!std::isalnum(static_cast<unsigned char>(c)))
        return std::nullopt;
      bytes += c;
      ++i;
      continue;
    }
    int value = 0;
    size_t digits = 0;
    for (++i; digits < 3 && i < literal.size() && std::isdigit(literal[i]); ++digits, ++i)
      value = value * 10 + (literal[i] - '0');
    if (digits == 0 || value > 255)
      return std::nullopt;
    bytes += static_cast<char>(value);
  }
  return bytes;
}

}  // namespace

TEST_CASE("letters and digits stay as they are") {
  CHECK(lua_literal("Alice42") == "\"Alice42\"");
  CHECK(lua_literal("") == "\"\"");
}

TEST_CASE("every other byte becomes a three-digit decimal escape") {
  CHECK(lua_literal("a b") == "\"a\\032b\"");
  CHECK(lua_literal("alice@meet.jitsi") == "\"alice\\064meet\\046jitsi\"");
  CHECK(lua_literal("\"); os.execute(\"touch pwned\") --") ==
        "\"\\034\\041\\059\\032os\\046execute\\040\\034touch\\032pwned\\034\\041\\032\\045\\045\"");
  CHECK(lua_literal("]]") == "\"\\093\\093\"");
  CHECK(lua_literal("\\") == "\"\\092\"");
  CHECK(lua_literal("'") == "\"\\039\"");
  CHECK(lua_literal("\xc3\xa4") == "\"\\195\\164\"");  // ä
}

TEST_CASE("a digit after an escape is never read as part of it") {
  const std::string literal = lua_literal(".1");

  CHECK(literal == "\"\\0461\"");
  CHECK(read_literal(literal) == ".1");
}

TEST_CASE("every byte but NUL reads back as itself, alone and in a row") {
  std::string all;
  for (int byte = 1; byte < 256; ++byte) {
    const std::string one(1, static_cast<char>(byte));
    CHECK(read_literal(lua_literal(one)) == one);
    all += one;
  }

  CHECK(read_literal(lua_literal(all)) == all);
}

TEST_CASE("attack strings and UTF-8 read back exactly") {
  for (std::string value : {"\"); os.execute(\"touch pwned\") --", "]]", "\\", "'",
                            "pä ss:w#o$rd ñ", "日本語のパスワード", "a\\\"b]]--[[", "x\\0491"}) {
    const std::string literal = lua_literal(value);

    CHECK(literal.find_first_not_of("\"\\0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                    "qrstuvwxyz") == std::string::npos);
    CHECK(literal.find('"', 1) == literal.size() - 1);  // nothing ends it early
    CHECK(read_literal(literal) == value);
  }
}
