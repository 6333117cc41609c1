// What the users source targets check beyond "no crash": a result only when nothing
// is wrong, no account twice, and no password quoted in a problem.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "users/account_name.hpp"
#include "users/raw_entry.hpp"
#include "users/users_source.hpp"

namespace meetgate::fuzz {

inline users::Domains users_domains() {
  return {"meet.jitsi", "auth.meet.jitsi", "guest.meet.jitsi", {"other.example"}};
}

inline std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// A password whose showing up in a problem can only be a leak: it has a character
// no message or location of ours is made of, it is written once in the input, and
// no username (as written or as quoted in messages) holds it.
inline bool is_telltale(const users::RawEntry& entry, const users::RawEntries& raw,
                        std::string_view content) {
  const auto& password = entry.password;
  if (password.size() < 4 || password.find_first_of(kTelltales) == std::string::npos)
    return false;
  if (occurrences(content, password) != 1)
    return false;
  for (const auto& other : raw.entries) {
    if (contains(other.name, password) || contains(users::quote_name(other.name), password))
      return false;
  }
  return true;
}

// What a problem may quote of a written name: all of it, or its domain ("unknown
// domain ..."), split at the first or the last '@'.
inline std::vector<std::string> quotable_parts(const std::string& name) {
  std::vector<std::string> parts{users::quote_name(name)};
  for (const auto at : {name.find('@'), name.rfind('@')}) {
    if (at != std::string::npos)
      parts.push_back(users::quote_name(name.substr(at + 1)));
  }
  return parts;
}

// The names and domains a problem may quote: any of them may hold the telltale.
inline std::vector<std::string> quoted_names(const users::RawEntries& raw) {
  std::vector<std::string> quoted;
  for (const auto& entry : raw.entries) {
    const auto parts = quotable_parts(entry.name);
    quoted.insert(quoted.end(), parts.begin(), parts.end());
  }
  return quoted;
}

inline void check_load(const users::LoadResult& result, const users::RawEntries& raw,
                       std::string_view content) {
  check(result.source.has_value() == result.problems.empty(),
        "a users source is returned together with problems, or neither");

  const auto quoted = quoted_names(raw);
  for (const auto& entry : raw.entries) {
    if (!is_telltale(entry, raw, content))
      continue;
    for (const auto& problem : result.problems) {
      check(!shows_secret(problem.to_string(), entry.password, quoted),
            "a problem quotes a password");
    }
  }

  if (!result.source)
    return;
  std::set<std::pair<std::string, std::string>> accounts;
  for (const auto& user : result.source->users) {
    check(accounts.emplace(user.host, user.username).second, "one account listed twice");
    check(!user.password.empty(), "an account without a password");
  }
}

}  // namespace meetgate::fuzz
