// Parses an account record `<data_path>/<host>/accounts/<user>.dat`: a Lua table
// written by Prosody's serializer, keys in any order.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meetgate::prosody {

struct AccountRecord {
  std::string stored_key;  // hex; 40 chars for SHA-1, 64 for SHA-256
  std::string server_key;  // hex
  std::string salt;        // used as raw bytes (a UUID string in practice)
  long long iteration_count = 0;
  std::optional<std::string> password;  // old plain-text records; never logged
  bool disabled = false;                // Prosody 13
};

struct AccountParse {
  std::optional<AccountRecord> record;
  std::string error;  // e.g. "line 3: expected '=' after key"; no secret quoted
};

// Accepts `return { ["k"] = v; ... };` with string, number and boolean values,
// Lua string escapes, and unknown keys (ignored). Anything else is an error.
AccountParse parse_account_file(std::string_view content);

}  // namespace meetgate::prosody
