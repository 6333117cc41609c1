// Password rules: what Prosody's SASLprep accepts, plus "not empty" (prosodyctl
// accepts an empty password, which nobody means to give an account).
#include "users/password_rules.hpp"

#include "prosody/stringprep.hpp"
#include "users/account_name.hpp"

namespace meetgate::users {

std::string check_password(std::string_view password, std::string_view written_name) {
  const std::string subject = "password of " + quote_name(written_name);
  if (password.empty())
    return subject + " is empty";

  // SASLprep refuses controls and 1024+ bytes: prosodyctl would fail on them.
  const auto prepared = prosody::saslprep(password);
  if (!prepared.ok())
    return subject + " " + prepared.error;
  return "";
}

}  // namespace meetgate::users
