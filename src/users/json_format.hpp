// The JSON users file: {"users": [{"username": ..., "password" | "password_file": ...}]}.
#pragma once

#include <string_view>

#include "users/raw_entry.hpp"

namespace meetgate::users {

// Locations are "<name>: users[<i>]", i counted from 0. A relative password_file is
// taken relative to the directory of `name`.
RawEntries read_json_entries(std::string_view content, std::string_view name);

}  // namespace meetgate::users
