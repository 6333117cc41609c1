// The users source: who should have an account, read from a text file, a JSON file
// or a directory (a Kubernetes Secret or ConfigMap volume), and checked as a whole.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/problem.hpp"

namespace meetgate::users {

// The XMPP domains a users source may name. Users live on `main`; `user@domain` may
// only name `main` (or another entry of `extra`); the auth and guest domains are errors.
struct Domains {
  std::string main;
  std::string auth;
  std::string guest;
  std::vector<std::string> extra;
};

struct UserEntry {
  std::string username;  // nodeprep'd: the name Prosody stores
  std::string host;      // the VirtualHost the account lives on
  std::string password;  // exact bytes; never logged, never in an error
  std::string location;  // "users.txt:12", "users.json: users[2]", "/secrets/alice"
};

struct UsersSource {
  std::vector<UserEntry> users;  // in source order, no two with one (username, host)
  std::string content_hash;      // keyed hash (per process) of the accounts, to skip no-op reloads
};

struct LoadResult {
  std::optional<UsersSource> source;  // set only when `problems` is empty
  // Every problem found, each with its location; load_users_source keeps the first 50
  // and then one saying how many more there were.
  util::Problems problems;
  bool missing = false;  // the path does not exist: "not ready", not "nobody"
};

// Reads `path`: a directory is one user per regular file (names starting with '.'
// skipped, symlinks followed); a file ending in ".json" is JSON; anything else is text.
LoadResult load_users_source(const std::filesystem::path& path, const Domains& domains);

// The formats on their own, for tests and fuzzing. `name` is used in locations.
LoadResult parse_text_users(std::string_view content, std::string_view name,
                            const Domains& domains);
LoadResult parse_json_users(std::string_view content, std::string_view name,
                            const Domains& domains);

}  // namespace meetgate::users
