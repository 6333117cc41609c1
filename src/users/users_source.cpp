// Loading a users source: pick the format by what the path is, then check the
// entries as a whole (accounts, passwords, duplicates) and hash what was found.
#include "users/users_source.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <system_error>
#include <tuple>
#include <utility>

#include "users/account_name.hpp"
#include "users/directory_format.hpp"
#include "users/json_format.hpp"
#include "users/password_rules.hpp"
#include "users/raw_entry.hpp"
#include "users/source_file.hpp"
#include "users/text_format.hpp"
#include "util/keyed_hash.hpp"

namespace meetgate::users {
namespace {

namespace fs = std::filesystem;

// A keyed hash over the accounts in (host, username) order: the same accounts and
// passwords hash the same whatever the format, order or comments around them.
std::string content_hash(const std::vector<UserEntry>& users) {
  std::vector<const UserEntry*> sorted;
  sorted.reserve(users.size());
  for (const auto& user : users)
    sorted.push_back(&user);
  std::sort(sorted.begin(), sorted.end(), [](const UserEntry* a, const UserEntry* b) {
    return std::tie(a->host, a->username) < std::tie(b->host, b->username);
  });

  util::KeyedHash hash;
  for (const UserEntry* user : sorted)
    hash.add(user->host).add(user->username).add(user->password);
  return hash.hex_digest();
}

std::string account_text(const AccountName& account, const Domains& domains) {
  if (account.host == domains.main)
    return quote_name(account.username);
  return quote_name(account.username + "@" + account.host);
}

// One problem per later occurrence, naming the first: both lines are needed to fix it.
std::string duplicate_text(const RawEntry& first, const RawEntry& again, const AccountName& account,
                           const Domains& domains) {
  const std::string prefix = "duplicate of " + first.location + ": ";
  if (first.name == again.name)
    return prefix + quote_name(again.name) + " is listed twice";
  return prefix + quote_name(first.name) + " and " + quote_name(again.name) +
         " are the same account " + account_text(account, domains);
}

LoadResult not_found(const fs::path& path) {
  LoadResult result;
  result.missing = true;
  result.problems.push_back({path.string(), "users source not found"});
  return result;
}

LoadResult one_problem(const fs::path& path, std::string what) {
  LoadResult result;
  result.problems.push_back({path.string(), std::move(what)});
  return result;
}

// A file that is no users list (a binary, a dump) has a problem on nearly every line:
// 50 MB of random bytes gave 320,000 of them, 100 MB on stderr, in one log event and in
// /readyz's body. The first ones say enough; the count says the rest.
constexpr std::size_t kMaxProblems = 50;

LoadResult with_few_problems(LoadResult result, const fs::path& path) {
  if (result.problems.size() <= kMaxProblems)
    return result;
  const std::size_t more = result.problems.size() - kMaxProblems;
  result.problems.resize(kMaxProblems);
  result.problems.push_back(
      {path.string(), std::to_string(more) + " more problems not shown: is this the right file?"});
  return result;
}

bool is_json_path(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".json";
}

LoadResult read_users_source(const fs::path& path, const Domains& domains) {
  // A missing source is "not ready": a daemon must not read it as "no users".
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found)
    return not_found(path);
  if (error)
    return one_problem(path, "cannot read users source: " + os_reason(error.value()));
  if (fs::is_directory(status))
    return check_entries(read_directory_entries(path), domains);

  // Renamed away since status(): still "not found", as editors replace files so.
  const FileRead read = read_bounded(path, kMaxSourceBytes);
  if (read.status == FileRead::Status::kFailed && read.error_number == ENOENT) {
    return not_found(path);
  }
  if (read.status == FileRead::Status::kFailed) {
    return one_problem(path, "cannot read users source: " + read.os_error);
  }
  if (read.status == FileRead::Status::kTooLarge) {
    return one_problem(path, "users source is larger than " + std::string(kMaxSourceSize) +
                                 ": is this the right file?");
  }
  if (is_json_path(path))
    return parse_json_users(read.content, path.string(), domains);
  return parse_text_users(read.content, path.string(), domains);
}

}  // namespace

LoadResult check_entries(RawEntries raw, const Domains& domains) {
  LoadResult result;
  result.problems = std::move(raw.problems);
  UsersSource source;

  std::map<std::pair<std::string, std::string>, const RawEntry*> seen;
  for (const auto& entry : raw.entries) {
    auto account = parse_account_name(entry.name, domains);
    for (auto& error : account.errors)
      result.problems.push_back({entry.location, error});
    auto password_error = check_password(entry.password, entry.name);
    if (!password_error.empty())
      result.problems.push_back({entry.location, password_error});
    if (!account.ok())
      continue;

    // Prosody has one account per nodeprep'd name and host: a second entry would
    // silently overwrite the first one's password.
    const auto key = std::make_pair(account.account.host, account.account.username);
    if (const auto [it, fresh] = seen.emplace(key, &entry); !fresh) {
      const auto what = duplicate_text(*it->second, entry, account.account, domains);
      result.problems.push_back({entry.location, what});
      continue;
    }
    source.users.push_back(
        UserEntry{account.account.username, account.account.host, entry.password, entry.location});
  }

  if (!result.problems.empty())
    return result;
  source.content_hash = content_hash(source.users);
  result.source = std::move(source);
  return result;
}

LoadResult parse_text_users(std::string_view content, std::string_view name,
                            const Domains& domains) {
  return check_entries(read_text_entries(content, name), domains);
}

LoadResult parse_json_users(std::string_view content, std::string_view name,
                            const Domains& domains) {
  return check_entries(read_json_entries(content, name), domains);
}

LoadResult load_users_source(const fs::path& path, const Domains& domains) {
  return with_few_problems(read_users_source(path, domains), path);
}

}  // namespace meetgate::users
