// The process key, made once from getrandom, and the keyed hash over fields.
#include "util/keyed_hash.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace meetgate::util {
namespace {

const std::array<std::uint8_t, 32>& process_key() {
  static const std::array<std::uint8_t, 32> key = [] {
    std::array<std::uint8_t, 32> bytes{};
    size_t filled = 0;
    while (filled < bytes.size()) {
      const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
      if (got > 0)
        filled += static_cast<size_t>(got);
      else if (got < 0 && errno != EINTR && errno != EAGAIN)
        throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    return bytes;
  }();
  return key;
}

}  // namespace

KeyedHash::KeyedHash() {
  hmac_sha256_set_key(&context_, process_key().size(), process_key().data());
}

KeyedHash& KeyedHash::add(std::string_view field) {
  const std::uint64_t length = field.size();
  std::uint8_t prefix[8];
  for (int i = 0; i < 8; ++i)
    prefix[i] = static_cast<std::uint8_t>(length >> (8 * i));
  hmac_sha256_update(&context_, sizeof prefix, prefix);
  hmac_sha256_update(&context_, field.size(), reinterpret_cast<const std::uint8_t*>(field.data()));
  return *this;
}

std::string KeyedHash::hex_digest() {
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  hmac_sha256_digest(&context_, sizeof digest, digest);

  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

}  // namespace meetgate::util
