// Writing values into config.js as string literals, and reading existing ones back.
#include "render/js_string_literal.hpp"

#include <catch2/catch.hpp>

using meetgate::render::decode_js_string;
using meetgate::render::js_string_literal;

TEST_CASE("js string: values are single-quoted with the unsafe characters escaped") {
  CHECK(js_string_literal("meet.example.com") == "'meet.example.com'");
  CHECK(js_string_literal("it's \\ \"q\"") == "'it\\'s \\\\ \"q\"'");
  CHECK(js_string_literal("a\nb\r\t\x01\x7f") == "'a\\nb\\r\\t\\x01\\x7f'");
  CHECK(js_string_literal("<!--# echo -->") == "'\\x3c!--# echo --\\x3e'");
  CHECK(js_string_literal("x\xE2\x80\xA8y\xE2\x80\xA9") == "'x\\u2028y\\u2029'");
  CHECK(js_string_literal("gäst") == "'gäst'");
}

TEST_CASE("js string: what is written reads back as the same value") {
  for (const std::string value : {"", "plain", "it's", "\\\\", "<>\n\r\t", "\xE2\x80\xA8", "ü"})
    CHECK(decode_js_string(js_string_literal(value)) == value);
}

TEST_CASE("js string: escapes of either quote style are read") {
  CHECK(decode_js_string("\"a\\\"b'c\"") == "a\"b'c");
  CHECK(decode_js_string("'\\x41\\u0042\\u{43}\\0\\q'") == std::string("ABC\0q", 5));
  CHECK(decode_js_string("'\\uD83D\\uDE00'") == "\xF0\x9F\x98\x80");
  CHECK(decode_js_string("'one \\\r\ntwo'") == "one two");
}

TEST_CASE("js string: what meetgate does not read is no value") {
  CHECK_FALSE(decode_js_string("'\\101'"));  // legacy octal
  CHECK_FALSE(decode_js_string("'\\uD83D'"));
  CHECK_FALSE(decode_js_string("'\\x4'"));
  CHECK_FALSE(decode_js_string("`template`"));
  CHECK_FALSE(decode_js_string("'unclosed"));
}
