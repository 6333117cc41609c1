// What a password in the users source must be for Prosody to hash it.
#pragma once

#include <string>
#include <string_view>

namespace meetgate::users {

// Empty when `password` is fine; else why not, naming the user (`written_name`) and
// never the password: `password of "alice" contains a control character`.
std::string check_password(std::string_view password, std::string_view written_name);

}  // namespace meetgate::users
