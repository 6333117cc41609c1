// The users source as read, before validation: names as written, passwords as bytes.
// Each format produces this; users_source.cpp checks it as a whole.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "users/users_source.hpp"
#include "util/problem.hpp"

namespace meetgate::users {

struct RawEntry {
  std::string name;      // "Alice" or "alice@meet.jitsi", trimmed where the format trims
  std::string password;  // exact bytes
  std::string location;  // where a problem with this entry is reported
};

struct RawEntries {
  std::vector<RawEntry> entries;
  util::Problems problems;  // what the format itself could not read
};

// A users file, and all files one source reads, may hold at most this much: the
// parsed source lives in memory, and a bigger file is surely not a users list.
inline constexpr std::size_t kMaxSourceBytes = std::size_t{64} << 20;
inline constexpr std::string_view kMaxSourceSize = "64 MiB";

// Places every entry on its account and host, checks names, passwords and
// duplicates, and keeps the format's problems: `source` is set only when all is clean.
LoadResult check_entries(RawEntries raw, const Domains& domains);

}  // namespace meetgate::users
