// A users source names an account "user" or "user@domain": which Prosody account
// that is (nodeprep'd user, configured host), or why it cannot be one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "users/users_source.hpp"

namespace meetgate::users {

struct AccountName {
  std::string username;  // nodeprep'd, as Prosody stores it
  std::string host;      // the configured spelling of the domain
};

struct AccountNameResult {
  AccountName account;              // valid when `errors` is empty
  std::vector<std::string> errors;  // every reason, e.g. `username "Al ice" contains a space`
  bool ok() const { return errors.empty(); }
};

// Without '@' the account goes on `domains.main`; with it, the domain after the last
// '@' must be the main or an extra domain (compared case-insensitively).
AccountNameResult parse_account_name(std::string_view written, const Domains& domains);

// `written` in double quotes, with '"', '\', controls and bytes that are not UTF-8
// escaped, so an error message shows exactly what was written and nothing else.
std::string quote_name(std::string_view written);

}  // namespace meetgate::users
