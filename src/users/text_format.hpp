// The text users file: one "username:password" a line.
#pragma once

#include <string_view>

#include "users/raw_entry.hpp"

namespace meetgate::users {

// Locations are "<name>:<line>", lines counted from 1.
RawEntries read_text_entries(std::string_view content, std::string_view name);

}  // namespace meetgate::users
