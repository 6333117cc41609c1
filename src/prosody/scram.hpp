// Checks a password against an account's stored SCRAM keys without Prosody:
// SaltedPassword = PBKDF2-HMAC-H(saslprep(pw), salt, i); stored_key = H(HMAC(SP,
// "Client Key")); server_key = HMAC(SP, "Server Key"). H is SHA-1 or SHA-256 by key size.
#pragma once

#include <string_view>

#include "prosody/account_file.hpp"

namespace meetgate::prosody {

enum class PasswordCheck {
  kMatches,       // the account already has this password
  kDiffers,       // it has another one
  kUnknownShape,  // the record cannot be checked (odd key size, no salt...): re-register
};

// Costs one PBKDF2 at the record's iteration count (about 1 ms at 10,000 with nettle).
// Comparison is constant-time.
PasswordCheck check_password(const AccountRecord& record, std::string_view password);

}  // namespace meetgate::prosody
