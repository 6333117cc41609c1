// Offline password check against Prosody's stored SCRAM keys, the way
// mod_auth_internal_hashed's test_password does it, with nettle's PBKDF2.
#include "prosody/scram.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "prosody/stringprep.hpp"

#include "util/hex.hpp"

namespace meetgate::prosody {

namespace {

// Far above any sane setting (Prosody uses 10,000): a record asking for more is not
// one Prosody wrote, and checking it would stall the reconcile for minutes.
constexpr long long kMaxIterations = 10'000'000;

const uint8_t* bytes(std::string_view text) {
  return reinterpret_cast<const uint8_t*>(text.data());
}

// The two hashes Prosody offers (password_hash = "SHA-1" or "SHA-256").
struct Sha1 {
  static constexpr size_t kSize = SHA1_DIGEST_SIZE;

  static void salted_password(std::string_view pw, std::string_view salt, unsigned iterations,
                              uint8_t* out) {
    pbkdf2_hmac_sha1(pw.size(), bytes(pw), iterations, salt.size(), bytes(salt), kSize, out);
  }
  static void hmac(const uint8_t* key, std::string_view message, uint8_t* out) {
    hmac_sha1_ctx ctx;
    hmac_sha1_set_key(&ctx, kSize, key);
    hmac_sha1_update(&ctx, message.size(), bytes(message));
    hmac_sha1_digest(&ctx, kSize, out);
    explicit_bzero(&ctx, sizeof ctx);
  }
  static void hash(const uint8_t* in, uint8_t* out) {
    sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, kSize, in);
    sha1_digest(&ctx, kSize, out);
  }
};

struct Sha256 {
  static constexpr size_t kSize = SHA256_DIGEST_SIZE;

  static void salted_password(std::string_view pw, std::string_view salt, unsigned iterations,
                              uint8_t* out) {
    pbkdf2_hmac_sha256(pw.size(), bytes(pw), iterations, salt.size(), bytes(salt), kSize, out);
  }
  static void hmac(const uint8_t* key, std::string_view message, uint8_t* out) {
    hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, kSize, key);
    hmac_sha256_update(&ctx, message.size(), bytes(message));
    hmac_sha256_digest(&ctx, kSize, out);
    explicit_bzero(&ctx, sizeof ctx);
  }
  static void hash(const uint8_t* in, uint8_t* out) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, kSize, in);
    sha256_digest(&ctx, kSize, out);
  }
};

// Hex of either case (Prosody's SCRAM login decodes with from_hex, which accepts both).
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = util::hex_digit_value(hex[i]);
    int low = util::hex_digit_value(hex[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<uint8_t>(high * 16 + low));
  }
  return out;
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && memeql_sec(a.data(), b.data(), a.size()) != 0;
}

// Derives both keys from the prepared password and compares them with the stored ones.
template <class Hash>
PasswordCheck check_keys(const AccountRecord& record, std::string_view prepared,
                         const std::vector<uint8_t>& stored_key,
                         const std::vector<uint8_t>& server_key) {
  std::array<uint8_t, Hash::kSize> salted{};
  std::array<uint8_t, Hash::kSize> client_key{};
  std::array<uint8_t, Hash::kSize> computed_stored{};
  std::array<uint8_t, Hash::kSize> computed_server{};
  Hash::salted_password(prepared, record.salt, static_cast<unsigned>(record.iteration_count),
                        salted.data());
  Hash::hmac(salted.data(), "Client Key", client_key.data());
  Hash::hash(client_key.data(), computed_stored.data());
  Hash::hmac(salted.data(), "Server Key", computed_server.data());

  // Both comparisons always run, so timing says nothing about which key differed.
  int stored_ok = memeql_sec(computed_stored.data(), stored_key.data(), Hash::kSize);
  int server_ok = memeql_sec(computed_server.data(), server_key.data(), Hash::kSize);
  explicit_bzero(salted.data(), salted.size());
  explicit_bzero(client_key.data(), client_key.size());
  return (stored_ok & server_ok) != 0 ? PasswordCheck::kMatches : PasswordCheck::kDiffers;
}

// Plain-text records from old Prosody versions: compared after SASLprep on both sides,
// as test_password does (Prosody then rehashes on the next login).
PasswordCheck check_plain(std::string_view stored, std::string_view prepared) {
  PrepResult stored_prepared = saslprep(stored);
  if (!stored_prepared.ok()) {
    return PasswordCheck::kUnknownShape;  // no password can log in to it: re-register
  }
  return equal_in_constant_time(stored_prepared.value, prepared) ? PasswordCheck::kMatches
                                                                 : PasswordCheck::kDiffers;
}

PasswordCheck check_prepared(const AccountRecord& record, std::string_view prepared) {
  // Prosody ignores an empty plain `password` and falls through to the SCRAM keys.
  if (record.password && !record.password->empty()) {
    return check_plain(*record.password, prepared);
  }

  auto stored_key = from_hex(record.stored_key);
  auto server_key = from_hex(record.server_key);
  bool usable = stored_key && server_key && stored_key->size() == server_key->size() &&
                !record.salt.empty() && record.iteration_count >= 1 &&
                record.iteration_count <= kMaxIterations;
  if (!usable) {
    return PasswordCheck::kUnknownShape;
  }
  switch (stored_key->size()) {
    case Sha1::kSize:
      return check_keys<Sha1>(record, prepared, *stored_key, *server_key);
    case Sha256::kSize:
      return check_keys<Sha256>(record, prepared, *stored_key, *server_key);
    default:
      return PasswordCheck::kUnknownShape;
  }
}

}  // namespace

PasswordCheck check_password(const AccountRecord& record, std::string_view password) {
  // Prosody refuses to set a password SASLprep rejects, so no account can have it.
  PrepResult prepared = saslprep(password);
  if (!prepared.ok()) {
    return PasswordCheck::kDiffers;
  }

  PasswordCheck result = check_prepared(record, prepared.value);
  explicit_bzero(prepared.value.data(), prepared.value.size());
  return result;
}

}  // namespace meetgate::prosody
