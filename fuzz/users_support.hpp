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

// Characters no message or location of ours is made of.
constexpr std::string_view kTelltales = "!$%&*~^|`";

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

// Whether `text` holds `password` other than by chance, made of our own words and the
// names and domains it quotes ("\xef$" is not ... holds `$" i`; unknown domain
// "examp`le" (allowed: ... holds `p`le" (allowed`). Such an occurrence has each of its
// telltale characters inside a quoted name or domain; one with a telltale outside them
// took it from the password.
inline bool quotes_password(std::string_view text, std::string_view password,
                            const users::RawEntries& raw) {
  std::vector<bool> in_name(text.size(), false);
  for (const auto& entry : raw.entries) {
    for (const auto& quoted : quotable_parts(entry.name)) {
      for (auto at = text.find(quoted); at != std::string_view::npos;
           at = text.find(quoted, at + 1))
        std::fill_n(in_name.begin() + static_cast<std::ptrdiff_t>(at), quoted.size(), true);
    }
  }
  for (auto at = text.find(password); at != std::string_view::npos;
       at = text.find(password, at + 1)) {
    for (auto i = at; i < at + password.size(); ++i) {
      if (kTelltales.find(text[i]) != std::string_view::npos && !in_name[i])
        return true;
    }
  }
  return false;
}

inline void check_load(const users::LoadResult& result, const users::RawEntries& raw,
                       std::string_view content) {
  check(result.source.has_value() == result.problems.empty(),
        "a users source is returned together with problems, or neither");

  for (const auto& entry : raw.entries) {
    if (!is_telltale(entry, raw, content))
      continue;
    for (const auto& problem : result.problems) {
      check(!quotes_password(problem.to_string(), entry.password, raw),
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
