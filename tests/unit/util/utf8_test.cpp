#include "util/utf8.hpp"

#include <catch2/catch.hpp>

using meetgate::util::decode_utf8;
using meetgate::util::utf8_length_at;

TEST_CASE("utf8 decodes one to four byte sequences") {
  CHECK(decode_utf8("a\xc3\xa4\xe2\x82\xac\xf0\x9f\x8e\x89") ==
        std::vector<char32_t>{U'a', 0xe4, 0x20ac, 0x1f389});
}

TEST_CASE("utf8 refuses overlong forms, surrogates, and what is past U+10FFFF") {
  CHECK_FALSE(decode_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(decode_utf8("\xe0\x80\xaf"));      // overlong, three bytes
  CHECK_FALSE(decode_utf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(decode_utf8("\xf4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(decode_utf8("\xe2\x82"));          // cut short
  CHECK(utf8_length_at("a\xff", 1) == 0);
}
