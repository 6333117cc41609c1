// HMAC-SHA-256 over a sequence of fields with a key made once per process: for
// fingerprints that cover passwords (the users source's content, verified passwords).
// Keyed, such a fingerprint is no offline oracle for guessing a password, and it
// never means anything outside the process that made it.
#pragma once

#include <nettle/hmac.h>

#include <string>
#include <string_view>

namespace meetgate::util {

class KeyedHash {
 public:
  KeyedHash();

  // Adds one field, length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  KeyedHash& add(std::string_view field);

  // The digest as 64 hex digits; the hash is spent afterwards.
  std::string hex_digest();

 private:
  hmac_sha256_ctx context_;
};

}  // namespace meetgate::util
