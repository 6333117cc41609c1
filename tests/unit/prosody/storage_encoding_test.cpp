// Tests for Prosody's storage file-name encoding (util/datamanager.lua encode/decode).
#include <catch2/catch.hpp>

#include "prosody/storage_encoding.hpp"

using meetgate::prosody::decode_storage_name;
using meetgate::prosody::encode_storage_name;

TEST_CASE("encode keeps ascii letters and digits only") {
  CHECK(encode_storage_name("meet.jitsi") == "meet%2ejitsi");
  CHECK(encode_storage_name("Alice09") == "Alice09");
  CHECK(encode_storage_name("a_b-c") == "a%5fb%2dc");
  CHECK(encode_storage_name("") == "");
}

TEST_CASE("encode writes each byte of utf-8 in lower-case hex") {
  CHECK(encode_storage_name("jörg") == "j%c3%b6rg");
  CHECK(encode_storage_name(std::string("\0\xff%", 3)) == "%00%ff%25");
}

TEST_CASE("decode accepts upper and lower case hex") {
  CHECK(decode_storage_name("meet%2ejitsi") == "meet.jitsi");
  CHECK(decode_storage_name("meet%2Ejitsi") == "meet.jitsi");
  CHECK(decode_storage_name("j%C3%B6rg") == "jörg");
}

TEST_CASE("decode refuses malformed escapes") {
  CHECK(decode_storage_name("%") == std::nullopt);
  CHECK(decode_storage_name("abc%2") == std::nullopt);
  CHECK(decode_storage_name("%zz") == std::nullopt);
  CHECK(decode_storage_name("a%g1b") == std::nullopt);
}

TEST_CASE("decode inverts encode for every byte") {
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all += static_cast<char>(c);
  }

  std::string encoded = encode_storage_name(all);

  CHECK(encoded.size() == 62 + 3 * (256 - 62));
  CHECK(decode_storage_name(encoded) == all);
}
